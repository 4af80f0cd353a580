"""``chainkg serve``: one local web app with the view (``/``), a SPARQL 1.1 Protocol endpoint (``/sparql``) and a
YASGUI query page (``/query``), all offline.

The endpoint is read-only (SPARQL Update gets 403). rdflib cannot be interrupted inside a thread, so every query runs
in a worker process that is killed when it passes the timeout; a fresh worker takes its place and the server goes on.
Workers read a snapshot of the graph (data plus ontology) as N-Triples, so they start from the same triples.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

from rdflib import Graph

from graph.errors import GraphError, QueryError
from graph.sparql.engine import is_update, prefix_block, used_prefixes
from graph.sparql.engines import open_data
from graph.sparql.named import load_named_queries
from graph.sparql.results import format_result, negotiate
from graph.vocab.namespaces import PREFIXES

__all__ = ["Reply", "QueryPool", "ChainkgServer", "make_server", "query_page", "worker_main"]

log = logging.getLogger(__name__)
MAX_BODY = 1 << 20  # 1 MiB of query text is far beyond any real query
READ_ONLY = (
    "只读端点 read-only endpoint: SPARQL Update is not allowed (send SELECT, ASK, CONSTRUCT or DESCRIBE)\n"
)
_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:"
TEXT = "text/plain; charset=utf-8"
# Declared on every page query so YASR shows result IRIs as prefixed names (ckd:org-jinko, xsd:decimal).
_PAGE_PREFIXES = ("ckd", "ckg", "ckgu", "unit", "xsd", "rdfs", "skos")
_STATIC = {"yasgui.min.js": "text/javascript", "yasgui.min.css": "text/css"}


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, media type and body."""

    status: int
    media: str
    body: bytes

    @classmethod
    def text(cls, status: int, message: str) -> Reply:
        return cls(status, "text/plain; charset=utf-8", message.encode("utf-8"))


def worker_main() -> None:
    """Worker process: open the engine once, then answer one JSON request line at a time on stdin.

    Each reply is a JSON header line (status, media type, body length) followed by the body bytes on stdout.
    """

    out, sys.stdout = sys.stdout.buffer, sys.stderr  # a stray print must not corrupt the replies

    def send(meta: dict, body: bytes = b"") -> None:
        out.write(json.dumps({**meta, "length": len(body)}).encode("utf-8") + b"\n" + body)
        out.flush()

    try:
        engine = open_data(**json.loads(sys.argv[1]))
    except Exception as err:  # reported to the parent, which refuses to start
        send({"status": "failed", "message": str(err)})
        return
    send({"status": "ready"})
    for line in sys.stdin.buffer:
        request = json.loads(line)
        try:
            result = engine.query(request["query"])
            chosen = negotiate(request.get("accept"), result.kind)
            if chosen is None:
                send(
                    {"status": 406, "media": TEXT},
                    f"不可接受 not acceptable: {request.get('accept')}\n".encode(),
                )
                continue
            fmt, media = chosen
            send(
                {"status": 200, "media": f"{media}; charset=utf-8"},
                format_result(result, fmt).encode("utf-8"),
            )
        except QueryError as err:
            send({"status": 400, "media": TEXT}, (str(err) + "\n").encode("utf-8"))


class _Worker:
    """One worker process (started with ``python -c``, so no ``__main__`` guard is needed anywhere) and a thread
    that reads its replies into a queue."""

    def __init__(self, spec: dict) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from graph.sparql.server import worker_main; worker_main()",
                json.dumps(spec),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.replies: queue.Queue[tuple[dict, bytes] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.ready = False

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            header = stream.readline()
            if not header:
                self.replies.put(None)
                return
            meta = json.loads(header)
            self.replies.put((meta, stream.read(meta["length"])))

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        try:
            reply = self.replies.get(timeout=timeout)
        except queue.Empty:
            raise GraphError(f"serve: a query worker did not start within {timeout:.0f} s") from None
        if reply is None or reply[0]["status"] != "ready":
            message = reply[0].get("message") if reply else f"it exited with code {self.proc.wait()}"
            raise GraphError(f"serve: a query worker could not open the graph: {message}")
        self.ready = True

    def ask(self, text: str, accept: str | None, timeout: float) -> tuple[dict, bytes] | None:
        """Send one query; None when no reply came within ``timeout`` (or the worker died)."""
        line = json.dumps({"query": text, "accept": accept}, ensure_ascii=False).encode("utf-8") + b"\n"
        try:
            self.proc.stdin.write(line)
            self.proc.stdin.flush()
            return self.replies.get(timeout=timeout)
        except (OSError, queue.Empty):
            return None

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.proc.stdin.close()  # end of input: the worker's loop ends
            except OSError:
                self.proc.kill()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


class QueryPool:
    """Worker processes that run queries with a timeout; a worker that times out is killed and replaced."""

    def __init__(
        self, spec: dict, *, workers: int = 2, timeout: float = 10.0, start_timeout: float = 120.0
    ) -> None:
        self.spec, self.timeout, self.start_timeout = spec, timeout, start_timeout
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.all: list[_Worker] = []
        self.lock = threading.Lock()
        try:
            for _ in range(workers):
                self._add()
            for w in list(self.all):
                w.wait_ready(start_timeout)
        except BaseException:
            self.close()
            raise

    def _add(self) -> None:
        w = _Worker(self.spec)
        with self.lock:
            self.all.append(w)
        self.idle.put(w)

    def run(self, text: str, accept: str | None) -> Reply:
        """Run one query; 503 when it passes the timeout or every worker stays busy that long."""
        try:
            w = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            return Reply.text(
                503, f"繁忙 busy: every query worker stayed busy for {self.timeout:g} s; try again\n"
            )
        w.wait_ready(self.start_timeout)
        reply = w.ask(text, accept, self.timeout)
        if reply is not None:
            self.idle.put(w)
            meta, body = reply
            return Reply(meta["status"], meta["media"], body)
        log.warning("query passed %s s; killing worker %s", self.timeout, w.proc.pid)
        w.stop(kill=True)
        with self.lock:
            self.all.remove(w)
        self._add()  # the new worker loads in the background; the next query waits for it
        return Reply.text(
            503, f"查询超时 query timed out after {self.timeout:g} s and was stopped (--timeout)\n"
        )

    def close(self) -> None:
        with self.lock:
            workers, self.all = self.all, []
        for w in workers:
            w.stop()


def query_page() -> str:
    """The YASGUI page, with every named query (parameters bound to their defaults or examples) embedded as JSON."""
    named = []
    for q in load_named_queries().values():
        text = q.bind(use_examples=True)
        body = "\n".join(line for line in text.splitlines() if not line.startswith("# param:"))
        named.append(
            {
                "name": q.name,
                "title": f"{q.title_zh} {q.title_en}",
                "about": q.about,
                "query": prefix_block(used_prefixes(body) + list(_PAGE_PREFIXES)) + body,
            }
        )
    data = json.dumps(named, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    prefixes = json.dumps({p: str(ns) for p, ns in PREFIXES.items()}, ensure_ascii=False, sort_keys=True)
    template = resources.files("graph.sparql").joinpath("assets", "query.html").read_text(encoding="utf-8")
    return template.replace("__PREFIXES__", prefixes.replace("</", "<\\/")).replace("__NAMED_QUERIES__", data)


class ChainkgServer(ThreadingHTTPServer):
    """The HTTP server; holds the pages, the query pool and the CORS setting."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        *,
        pool: QueryPool | None,
        view: str,
        cors: str | None,
    ) -> None:
        self.pool, self.cors, self.snapshot = pool, cors, ""  # set first: a failed bind calls server_close()
        super().__init__(address, _Handler)
        self.pages = {"view": view.encode("utf-8"), "query": query_page().encode("utf-8")}

    def server_close(self) -> None:
        super().server_close()
        if self.pool:
            self.pool.close()
        if self.snapshot and os.path.exists(self.snapshot):
            os.unlink(self.snapshot)  # replacement workers read it, so it lives as long as the server

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


class _Handler(BaseHTTPRequestHandler):
    server: ChainkgServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        log.info("%s %s", self.address_string(), format % args)

    def _send(self, reply: Reply, *, page: bool = False) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.media)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if page:
            self.send_header("Content-Security-Policy", _CSP)
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", self.server.cors)
            self.send_header("Vary", "Origin")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def _sparql(self, params: dict[str, list[str]], body_query: str | None = None) -> None:
        texts = params.get("query", []) if body_query is None else [body_query]
        if "update" in params or any(is_update(t) for t in texts):
            return self._send(Reply.text(403, READ_ONLY))
        if len(texts) != 1:
            return self._send(
                Reply.text(400, "需要一个查询 exactly one query is needed: /sparql?query=SELECT…\n")
            )
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return self._send(
                Reply.text(400, "不支持 default-graph-uri / named-graph-uri: the endpoint has one graph\n")
            )
        self._send(self.server.pool.run(texts[0], self.headers.get("Accept")))

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        path = url.path
        if path in ("/", "/index.html"):
            return self._send(Reply(200, "text/html; charset=utf-8", self.server.pages["view"]), page=True)
        if path == "/query" or (
            path == "/sparql" and not params and "text/html" in self.headers.get("Accept", "")
        ):
            return self._send(Reply(200, "text/html; charset=utf-8", self.server.pages["query"]), page=True)
        if path == "/sparql":
            return self._sparql(params)
        if path == "/favicon.ico":
            return self._send(Reply(204, "image/x-icon", b""))  # no icon, and no 404 in the browser console
        name = path.removeprefix("/assets/")
        if name in _STATIC:
            body = resources.files("graph.sparql").joinpath("assets", name).read_bytes()
            return self._send(Reply(200, f"{_STATIC[name]}; charset=utf-8", body))
        self._send(Reply.text(404, f"没有这个页面 not found: {path} (try / , /query or /sparql)\n"))

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path != "/sparql":
            return self._send(Reply.text(404, f"没有这个页面 not found: {url.path} (POST goes to /sparql)\n"))
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            return self._send(Reply.text(413, f"请求大小不对 Content-Length must be 0 to {MAX_BODY} bytes\n"))
        raw = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if media == "application/sparql-update":
            return self._send(Reply.text(403, READ_ONLY))
        if media == "application/sparql-query":
            return self._sparql(params, raw)
        if media == "application/x-www-form-urlencoded":
            params.update(parse_qs(raw, keep_blank_values=True))
            return self._sparql(params)
        self._send(
            Reply.text(
                415,
                f"不支持的类型 unsupported Content-Type {media!r}: use application/sparql-query or a form\n",
            )
        )

    def do_OPTIONS(self) -> None:  # noqa: N802 - CORS preflight, answered only when --cors allows it
        if not self.server.cors:
            return self._send(Reply.text(405, "CORS 未开启 CORS is off (chainkg serve --cors ORIGIN)\n"))
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", self.server.cors)
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()


def make_server(
    full: Graph,
    view: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    timeout: float = 10.0,
    cors: str | None = None,
    workers: int = 2,
    engine: str = "oxigraph",
) -> ChainkgServer:
    """Bind the server over ``full`` (data plus ontology) and the view page ``view``, and start the query workers
    (call ``serve_forever`` on the result).

    Raises:
        GraphError: the address cannot be bound or a worker cannot start.
    """
    try:  # bind first: a taken port should fail before any worker starts
        server = ChainkgServer((host, port), pool=None, view=view, cors=cors)
    except OSError as err:
        raise GraphError(f"serve: cannot listen on {host}:{port} ({err.strerror}); try another port") from err
    try:
        fd, server.snapshot = tempfile.mkstemp(prefix="chainkg-serve-", suffix=".nt")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(full.serialize(format="nt"))
        server.pool = QueryPool({"path": server.snapshot, "engine": engine}, workers=workers, timeout=timeout)
    except BaseException:
        server.server_close()
        raise
    return server
