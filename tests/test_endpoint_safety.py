"""``chainkg serve`` and ``chainkg query`` stay inside and stay up: SERVICE refused (0 outbound connections), Host and
Origin checked, bodies framed strictly, slow clients dropped, named graphs and dataset parameters honoured."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse

import pytest
from click.testing import CliRunner

from graph.build.source import load_for_serving
from graph.cli.main import cli
from graph.errors import QueryError
from graph.sparql.datasets import DATA_GRAPH
from graph.sparql.server import make_server
from graph.vocab.namespaces import ONTOLOGY_IRI

from conftest import TINY

pytestmark = pytest.mark.servers


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections made to it (and answers nothing)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.count = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/secret"

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


def _start(workers: int = 1, **options):
    srv = make_server(*load_for_serving(seeds_dir=TINY), port=0, timeout=4.0, workers=workers, **options)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def _stop(srv) -> None:
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def server(request):
    srv = _start(engine=request.param)
    yield srv
    _stop(srv)


def raw(srv, data: bytes, *, wait: float = 10.0) -> bytes:
    """Send bytes on a fresh connection and read until the server closes it (or ``wait`` passes)."""
    with socket.create_connection(srv.server_address[:2], timeout=wait) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
    return b"".join(chunks)


def request(
    srv, method: str, target: str, *, body: bytes = b"", headers: dict | None = None, close=True
) -> bytes:
    host = f"127.0.0.1:{srv.server_address[1]}"
    head = {"Host": host, **(headers or {})}
    if body and "Content-Length" not in head and "Transfer-Encoding" not in head:
        head["Content-Length"] = str(len(body))
    if close:
        head["Connection"] = "close"
    lines = "".join(f"{k}: {v}\r\n" for k, v in head.items())
    return f"{method} {target} HTTP/1.1\r\n{lines}\r\n".encode() + body


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def body(answer: bytes) -> str:
    return answer.split(b"\r\n\r\n", 1)[1].decode("utf-8")


def get(srv, query: str, **headers) -> bytes:
    return raw(
        srv, request(srv, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers=headers)
    )


ASK = "ASK { ?s a ckg:Enterprise }"


# -- SERVICE: never an outbound connection ------------------------------------------------------------------------


def _service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",  # a codepoint escape is the keyword too
        f"ASK {{ ?x ?y ?z OPTIONAL {{ SERVICE <{url}> {{ ?x ?q ?w }} }} }}",
    ]


def test_service_is_refused_by_the_server_with_no_connection(server, listener):
    for query in _service_queries(listener.url):
        answer = get(server, query)
        assert status(answer) == 403, answer
        assert "SERVICE 已禁用 federated queries are refused" in body(answer)
        form = urllib.parse.urlencode({"query": query}).encode()
        answer = raw(
            server,
            request(
                server,
                "POST",
                "/sparql",
                body=form,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ),
        )
        assert status(answer) == 403
    time.sleep(0.3)
    assert listener.count == 0


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_service_is_refused_by_chainkg_query_with_no_connection(engine, listener):
    runner = CliRunner()
    for query in _service_queries(listener.url):
        result = runner.invoke(cli, ["query", "--seeds", str(TINY), "--engine", engine, query])
        assert result.exit_code == 2, result.output
        assert result.output.startswith("Error: query: SERVICE 已禁用 federated queries are refused")
        assert "Traceback" not in result.output
    time.sleep(0.3)
    assert listener.count == 0


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_from_an_unknown_graph_is_never_fetched(engine, listener):
    result = CliRunner().invoke(
        cli, ["query", "--seeds", str(TINY), "--engine", engine, f"ASK FROM <{listener.url}> {{ ?s ?p ?o }}"]
    )
    assert result.exit_code == 0, result.output
    time.sleep(0.3)
    assert listener.count == 0  # rdflib would otherwise GET the IRI to load it


def test_words_that_only_look_like_service_still_run(server):
    query = 'SELECT ?service WHERE { ?service rdfs:label ?l FILTER(CONTAINS(?l, "SERVICE")) } # SERVICE'
    assert status(get(server, query)) == 200


def test_engines_refuse_service_in_the_library():
    from rdflib import Graph

    from graph.sparql.engine import RdflibEngine
    from graph.sparql.engines import OxigraphEngine

    for engine in (RdflibEngine(Graph()), OxigraphEngine()):
        with pytest.raises(QueryError, match="SERVICE 已禁用"):
            engine.query("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


# -- who may ask --------------------------------------------------------------------------------------------------


def test_host_must_be_the_bound_address(server):
    port = server.server_address[1]
    answer = raw(
        server, request(server, "GET", "/sparql?query=ASK%7B%7D", headers={"Host": f"evil.example:{port}"})
    )
    assert status(answer) == 403 and "Host 'evil.example:" in body(answer)
    assert status(raw(server, request(server, "GET", "/", headers={"Host": f"localhost:{port}"}))) == 200
    assert status(raw(server, b"GET /sparql?query=ASK%7B%7D HTTP/1.0\r\n\r\n")) == 403  # no Host at all


def test_cross_origin_form_post_is_403(server):
    form = urllib.parse.urlencode({"query": ASK}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"}
    answer = raw(server, request(server, "POST", "/sparql", body=form, headers=headers))
    assert status(answer) == 403
    assert "跨站请求被拒绝 cross-origin request refused (https://evil.example)" in body(answer)
    own = {**headers, "Origin": f"http://127.0.0.1:{server.server_address[1]}"}
    assert status(raw(server, request(server, "POST", "/sparql", body=form, headers=own))) == 200
    assert (
        status(get(server, ASK, **{"Sec-Fetch-Site": "cross-site"})) == 403
    )  # a link or <img> from elsewhere
    assert status(get(server, ASK, **{"Sec-Fetch-Site": "same-origin"})) == 200


def test_cors_names_the_one_origin_allowed(server):
    server.cors = "https://intranet.example"
    try:
        assert status(get(server, ASK, Origin="https://intranet.example")) == 200
        assert status(get(server, ASK, Origin="https://evil.example")) == 403
    finally:
        server.cors = None


# -- framing ------------------------------------------------------------------------------------------------------


def test_put_is_405_with_allow(server):
    answer = raw(server, request(server, "PUT", "/sparql?query=ASK%7B%7D", body=b"x"))
    assert status(answer) == 405
    assert b"\r\nAllow: GET, HEAD, POST, OPTIONS\r\n" in answer


def test_chunked_body_is_parsed(server):
    text = ASK.encode()
    chunked = b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (5, text[:5], len(text) - 5, text[5:])
    headers = {"Content-Type": "application/sparql-query", "Transfer-Encoding": "chunked"}
    answer = raw(server, request(server, "POST", "/sparql", body=chunked, headers=headers))
    assert status(answer) == 200 and json.loads(body(answer))["boolean"] is True


@pytest.mark.parametrize(
    ("headers", "code", "message"),
    [
        ({"Transfer-Encoding": "gzip"}, 501, "unsupported Transfer-Encoding gzip"),
        ({"Transfer-Encoding": "chunked", "Content-Length": "6"}, 400, "both framings given"),
        ({"Content-Length": "6\r\nContent-Length: 7"}, 400, "conflicting Content-Length headers: 6, 7"),
        ({"Content-Length": "6, 7"}, 400, "conflicting Content-Length headers: 6, 7"),
        ({"Content-Length": "-6"}, 400, "not a number"),
        ({"Content-Length": str(2 << 20)}, 413, "is over 1048576 bytes"),
    ],
)
def test_bad_framing_is_refused_and_closed(server, headers, code, message):
    head = {"Content-Type": "application/sparql-query", **headers}
    answer = raw(server, request(server, "POST", "/sparql", body=b"ASK{}\r\n", headers=head, close=False))
    assert status(answer) == code and message in body(answer)
    assert b"\r\nConnection: close\r\n" in answer


def test_get_with_a_body_keeps_the_connection_in_step(server):
    smuggled = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
    first = request(
        server, "GET", "/sparql?" + urllib.parse.urlencode({"query": ASK}), body=smuggled, close=False
    )
    second = request(
        server, "GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s a ckg:Nothing }"})
    )
    answer = raw(server, first + second)
    replies = answer.split(b"HTTP/1.1 ")[1:]
    assert [int(r[:3]) for r in replies] == [200, 200]  # the body was read, not taken for a request
    assert b'"boolean": true' in replies[0] and b'"boolean": false' in replies[1]


def test_query_in_url_and_form_body_is_400(server):
    form = urllib.parse.urlencode({"query": ASK}).encode()
    target = "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s a ckg:Nothing }"})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    answer = raw(server, request(server, "POST", target, body=form, headers=headers))
    assert status(answer) == 400 and "query given both in the URL and in the form body" in body(answer)


def test_charset_of_a_direct_post_is_honoured(server):
    def post(data: bytes, content_type: str) -> bytes:
        return raw(
            server, request(server, "POST", "/sparql", body=data, headers={"Content-Type": content_type})
        )

    answer = post(ASK.encode("utf-16"), "application/sparql-query; charset=UTF-16")
    assert status(answer) == 415 and "charset 'utf-16'" in body(answer)
    assert status(post(ASK.encode(), 'application/sparql-query; charset="utf-8"')) == 200
    answer = post(b"ASK { ?s rdfs:label '\xff' }", "application/sparql-query")
    assert status(answer) == 400 and "not UTF-8" in body(answer)


# -- named graphs and the protocol's dataset ----------------------------------------------------------------------


def _ask(server, query: str, **params) -> bool:
    fields = [("query", query)] + [(k.replace("_", "-"), v) for k, vs in params.items() for v in vs]
    answer = raw(server, request(server, "GET", "/sparql?" + urllib.parse.urlencode(fields)))
    assert status(answer) == 200, answer
    return json.loads(body(answer))["boolean"]


def test_named_graphs_and_dataset_parameters(server):
    onto = "ASK { ckg:Enterprise ?p ?o }"
    assert _ask(server, ASK) and _ask(server, onto)  # the default graph is the union
    assert _ask(server, ASK, default_graph_uri=[DATA_GRAPH])
    assert not _ask(server, onto, default_graph_uri=[DATA_GRAPH])  # only the data graph, as asked
    assert _ask(server, onto, default_graph_uri=[ONTOLOGY_IRI])
    both = (
        f"ASK {{ GRAPH <{DATA_GRAPH}> {{ {ASK[6:-2]} }} GRAPH <{ONTOLOGY_IRI}> {{ ckg:Enterprise ?p ?o }} }}"
    )
    assert _ask(server, both)
    assert _ask(server, both, named_graph_uri=[DATA_GRAPH, ONTOLOGY_IRI])
    assert not _ask(server, both, named_graph_uri=[DATA_GRAPH])
    assert not _ask(server, ASK, default_graph_uri=["http://example.org/no-such-graph"])  # unknown: empty
    answer = raw(server, request(server, "GET", "/sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri"))
    assert status(answer) == 400 and "not an absolute IRI" in body(answer)


# -- slow clients and many connections ----------------------------------------------------------------------------


@pytest.fixture
def quick():
    srv = _start(engine="rdflib")
    srv.client_timeout = 0.5
    yield srv
    _stop(srv)


def test_slowloris_is_dropped(quick):
    port = quick.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        start = time.monotonic()
        closed = False
        while time.monotonic() - start < 8:
            try:
                sock.sendall(b"X: y\r\n")  # one header line every 0.2 s: never silent, never done
                time.sleep(0.2)
                sock.setblocking(False)
                try:
                    if sock.recv(1024) == b"":
                        closed = True
                        break
                except BlockingIOError:
                    pass
                finally:
                    sock.setblocking(True)
            except OSError:
                closed = True
                break
        elapsed = time.monotonic() - start
    assert closed and elapsed < 4  # dropped about twice the client timeout in, not held for ever


def test_silent_client_is_dropped(quick):
    with socket.create_connection(quick.server_address[:2], timeout=10) as sock:
        start = time.monotonic()
        assert sock.recv(10) == b""
        assert time.monotonic() - start < 3


def test_too_many_connections_get_503_not_a_thread_each(quick):
    quick.max_connections = 3
    held = [socket.create_connection(quick.server_address[:2]) for _ in range(3)]
    try:
        time.sleep(0.2)
        answer = raw(quick, request(quick, "GET", "/"))
        assert status(answer) == 503
    finally:
        for sock in held:
            sock.close()
    assert quick.request_queue_size >= 128


# -- the queue: a short query does not wait for long ones ---------------------------------------------------------


@pytest.mark.slow
def test_short_query_does_not_wait_behind_long_ones():
    srv = make_server(
        *load_for_serving(seeds_dir=TINY), port=0, timeout=60.0, workers=2, engine="rdflib"
    )  # grows to 4
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    threads = [threading.Thread(target=get, args=(srv, endless), daemon=True) for _ in range(3)]
    try:
        for t in threads:
            t.start()
            time.sleep(0.1)
        time.sleep(0.3)
        start = time.monotonic()
        answer = get(srv, ASK)
        waited = time.monotonic() - start
        assert status(answer) == 200
        # three endless queries hold three workers; the ASK gets the fourth instead of waiting for the 60 s timeout
        assert waited < 20, waited  # one worker start-up (6 s measured at load average 12)
        assert len(srv.pool.all) == 4
    finally:
        for w in list(srv.pool.all):
            w.proc.kill()  # end the endless queries now rather than at their timeout
        _stop(srv)


def test_map_without_a_pool_is_404_saying_why(server):
    answer = raw(server, request(server, "GET", "/map"))
    assert status(answer) == 404 and "started without a candidate pool" in body(answer)
    assert status(raw(server, request(server, "GET", "/map", headers={"Host": "evil.example"}))) == 403
