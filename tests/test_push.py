"""chainkg push over the Graph Store Protocol, against a stub server: chunks, retries, credentials, errors."""

from __future__ import annotations

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from graph.cli.main import cli
from graph.errors import GraphError
from graph.sparql.client import RemoteError
from graph.sparql.push import chunk_lines, push, push_lines, read_lines
from graph.vocab.namespaces import CKG

NATIONAL = Path(__file__).resolve().parent / "data" / "national"


class _GSP(BaseHTTPRequestHandler):
    fail: dict[int, int] = {}  # request number -> status to answer instead of success
    requests: list[tuple[str, str, bytes, str | None]] = []
    login: str | None = None  # "user:password" to require HTTP Basic

    def _handle(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        if (
            self.login
            and self.headers.get("Authorization") != "Basic " + base64.b64encode(self.login.encode()).decode()
        ):
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kg"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.requests.append((self.command, self.path, body, self.headers.get("Content-Type")))
        status = self.fail.pop(len(self.requests), None) or (201 if self.command == "PUT" else 204)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PUT = do_POST = _handle

    def log_message(self, *args):
        pass


@pytest.fixture
def gsp():
    _GSP.fail, _GSP.requests, _GSP.login = {}, [], None
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GSP)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/store"
    server.shutdown()
    server.server_close()


def _received(start: int = 0) -> Graph:
    g = Graph()
    for _, _, body, _ in _GSP.requests[start:]:
        g.parse(data=body.decode("utf-8"), format="turtle")
    return g


def test_push_in_chunks_put_then_post(gsp, tiny_graph):
    result = push(tiny_graph, gsp, graph="https://example.org/kg", replace=True, chunk=100)
    methods = [r[0] for r in _GSP.requests]
    assert methods[0] == "PUT" and set(methods[1:]) == {"POST"}
    assert result.chunks == len(methods) == -(-len(tiny_graph) // 100)
    assert all(r[1] == "/store?graph=https%3A%2F%2Fexample.org%2Fkg" for r in _GSP.requests)
    assert all(r[3] == "text/turtle; charset=utf-8" for r in _GSP.requests)
    assert len(_received()) == len(tiny_graph) == result.triples


def test_push_without_replace_only_posts_to_default_graph(gsp, tiny_graph):
    push(tiny_graph, gsp, chunk=10**6)
    assert [(r[0], r[1]) for r in _GSP.requests] == [("POST", "/store?default")]


def test_transient_failure_is_retried(gsp, tiny_graph):
    _GSP.fail = {2: 503}
    push(tiny_graph, gsp, replace=True, chunk=100)
    assert len(_GSP.requests) == -(-len(tiny_graph) // 100) + 1  # one chunk sent twice
    assert len(_received()) == len(tiny_graph)


def test_refused_chunk_stops_and_rerun_finishes(gsp, tiny_graph):
    _GSP.fail = {3: 400}
    with pytest.raises(RemoteError, match=r"push chunk 3/\d+: .*HTTP 400 .*stored 200 of \d+ triples.*rerun"):
        push(tiny_graph, gsp, replace=True, chunk=100)
    start = len(_GSP.requests)
    push(tiny_graph, gsp, replace=True, chunk=100)
    assert _GSP.requests[start][0] == "PUT"  # the rerun starts the graph afresh
    assert len(_received(start)) == len(tiny_graph)


def test_unreachable_server(tiny_graph):
    with pytest.raises(RemoteError, match=r"cannot reach the server .* after 2 attempts") as err:
        push(tiny_graph, "http://127.0.0.1:9/store", retries=1)
    assert "\n" not in str(err.value)


def test_credentials_from_environment(gsp, tiny_graph, monkeypatch):
    _GSP.login = "kg:s3cret"
    with pytest.raises(RemoteError, match="HTTP 401.*set CHAINKG_ENDPOINT_USER"):
        push(tiny_graph, gsp, retries=0)
    monkeypatch.setenv("CHAINKG_ENDPOINT_USER", "kg")
    monkeypatch.setenv("CHAINKG_ENDPOINT_PASSWORD", "s3cret")
    push(tiny_graph, gsp, chunk=10**6)
    assert len(_received()) == len(tiny_graph)


def test_blank_nodes_stay_in_one_chunk():
    lines = [
        b"<urn:a> <urn:p> <urn:b> .",
        b"_:x <urn:p> <urn:c> .",
        b"<urn:a> <urn:q> _:x .",
        b'<urn:c> <urn:p> "_:x" .',
    ]
    chunks = chunk_lines(lines, 1)
    assert chunks[-1] == [b"_:x <urn:p> <urn:c> .", b"<urn:a> <urn:q> _:x ."]
    assert sum(len(c) for c in chunks) == 4


def test_read_lines(tmp_path, tiny_graph):
    path = tmp_path / "kg.ttl"
    path.write_text(tiny_graph.serialize(format="turtle"), encoding="utf-8")
    lines = read_lines(path)
    assert lines == sorted(lines) and len(lines) == len(tiny_graph)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(GraphError, match=r"bad.ttl: not valid Turtle"):
        read_lines(bad)
    with pytest.raises(GraphError, match=r'unknown RDF file type "\.txt"'):
        read_lines(tmp_path / "kg.txt")


def test_push_lines_empty_replace_clears(gsp):
    push_lines([], gsp, graph="urn:g", replace=True)
    assert [(r[0], r[2]) for r in _GSP.requests] == [("PUT", b"")]


def test_cli_push(gsp, tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        cli, ["push", "--endpoint", gsp, "--seeds", "tests/data/tiny", "--replace"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"chainkg push: 替换 replaced 默认图 the default graph at {gsp}: ")
    g = _received()
    assert (None, RDF.type, CKG.Enterprise) in g  # the data …
    assert (CKG.upstreamOf, RDF.type, OWL.ObjectProperty) in g  # … and the ontology, as local queries see it


def test_cli_push_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["push", "--endpoint", "http://u:p@127.0.0.1:9/store"])
    assert result.exit_code == 2
    assert "Error: --endpoint: the URL holds a user name or password" in result.output
    result = runner.invoke(
        cli,
        [
            "push",
            "--endpoint",
            "http://127.0.0.1:9/store",
            "--data",
            str(NATIONAL / "company.json"),
            "--national",
            str(NATIONAL),
        ],
    )
    assert result.exit_code == 2 and "give --data or --national, not both" in result.output


def test_cli_national(tmp_path):
    result = CliRunner().invoke(
        cli, ["national", str(NATIONAL), "--out", str(tmp_path / "o")], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert "企业 companies 4 · 行业 industries 3 · 产品 products 5" in result.output
    assert "警告 warning: reused-code: 1 company rows reuse" in result.output
    g = Graph().parse(tmp_path / "o" / "kg.ttl", format="turtle")
    assert len(g) == len(Graph().parse(tmp_path / "o" / "kg.nt", format="nt")) > 50


@pytest.fixture
def silent():
    """A listener on 127.0.0.1 that accepts connections, reads the request and never answers."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/store", held
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    sock.close()


def test_push_to_a_server_that_never_answers_stops_at_the_read_timeout(silent, tiny_graph):
    import time

    url, held = silent
    start = time.monotonic()
    with pytest.raises(RemoteError, match=r"push chunk 1/1: .*no answer within 0\.5 s \(read timeout\)"):
        push(tiny_graph, url, chunk=10**6, read_timeout=0.5)
    assert time.monotonic() - start < 5  # not retried: one wait, not four
    assert len(held) == 1


def test_cli_push_to_a_silent_server_exits_2_with_one_line(silent, monkeypatch, tiny_graph):
    import graph.sparql.client

    url, _ = silent
    monkeypatch.setattr(graph.sparql.client, "READ_TIMEOUT", 0.5)
    monkeypatch.setattr(push_lines, "__kwdefaults__", {**push_lines.__kwdefaults__, "read_timeout": 0.5})
    result = CliRunner().invoke(cli, ["push", "--endpoint", url, "--seeds", "tests/data/tiny"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: push chunk 1/1: ") and "(read timeout)" in result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1


class _Broken(BaseHTTPRequestHandler):
    """Answers 500 with a Content-Length it never fills, then hangs up (an error with a truncated body)."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(500)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"internal error: disk full")
        self.close_connection = True

    def log_message(self, *args):
        pass


def test_server_error_with_a_broken_body_is_one_line(tiny_graph):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Broken)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(RemoteError, match=r"push chunk 1/1: .*HTTP 500") as err:
            push(tiny_graph, f"http://127.0.0.1:{server.server_address[1]}/store", chunk=10**6)
        assert "\n" not in str(err.value)
    finally:
        server.shutdown()
        server.server_close()


def test_blank_nodes_need_replace_or_a_second_push_would_duplicate_them(gsp):
    lines = [b"<urn:a> <urn:p> <urn:b> .", b"_:x <urn:p> <urn:c> ."]
    with pytest.raises(RemoteError, match=r"1 triple\(s\) have blank nodes.*nothing was sent"):
        push_lines(lines, gsp)
    assert _GSP.requests == []
    push_lines(
        lines, gsp, replace=True
    )  # the graph replaced (PUT), then the blank-node chunk: same triples each time
    assert [method for method, *_ in _GSP.requests] == ["PUT", "POST"]
