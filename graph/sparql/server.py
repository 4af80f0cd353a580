"""``chainkg serve``: one local web app with the view (``/``), a SPARQL 1.1 Protocol endpoint (``/sparql``), a
YASGUI query page (``/query``) and the 招商地图 (``/map``, candidates by province and city), all offline.

The endpoint is read-only (SPARQL Update gets 403) and stays inside: a query with ``SERVICE`` is refused, a request
whose ``Host`` is not this server's address or that a browser sent from another site is refused (unless the server
was started to allow that origin), and every request body is read exactly as framed (:mod:`graph.sparql.httpcheck`).
Queries run in worker processes with a timeout (:mod:`graph.sparql.pool`). The dataset holds named graphs: the zone's
data (:data:`DATA_GRAPH`) and the ontology (:data:`graph.namespaces.ONTOLOGY_IRI`), or the graphs of an N-Quads or
TriG file; the default graph is their union, and ``default-graph-uri`` / ``named-graph-uri`` choose others.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

from rdflib import Graph

from graph.errors import GraphError
from graph.sparql.datasets import DATA_GRAPH, write_snapshot
from graph.sparql.engine import is_update, prefix_block, used_prefixes
from graph.sparql.httpcheck import Refusal, charset_of, cross_site, host_allowed, read_body
from graph.sparql.named import load_named_queries
from graph.sparql.policy import DEFAULT_TIMEOUT, SERVICE_REFUSED, keywords
from graph.sparql.pool import QueryPool, Reply, worker_main
from graph.vocab.namespaces import PREFIXES

__all__ = ["Reply", "QueryPool", "ChainkgServer", "make_server", "query_page", "worker_main", "DATA_GRAPH"]

log = logging.getLogger(__name__)
MAX_BODY = 1 << 20  # 1 MiB of query text is far beyond any real query
READ_ONLY = (
    "只读端点 read-only endpoint: SPARQL Update is not allowed (send SELECT, ASK, CONSTRUCT or DESCRIBE)"
)
ALLOW = "GET, HEAD, POST, OPTIONS"
BACKLOG = 128  # pending connections the kernel keeps (socketserver's default of 5 reset clients under load)
CLIENT_TIMEOUT = 10.0  # seconds a client may stay silent, and (twice that) to send a whole request
MAX_CONNECTIONS = 256  # open connections; more get 503 at once instead of a thread each
_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:"
TEXT = "text/plain; charset=utf-8"
NO_MAP = "此服务器未载入候选池 this server was started without a candidate pool (serve from seeds with a pool folder)"
# Declared on every page query so YASR shows result IRIs as prefixed names (ckd:org-jinko, xsd:decimal).
_PAGE_PREFIXES = ("ckd", "ckg", "ckgu", "unit", "xsd", "rdfs", "skos")
_STATIC = {"yasgui.min.js": "text/javascript", "yasgui.min.css": "text/css"}


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
    """The HTTP server; holds the pages, the query pool, the CORS setting and the open connections."""

    daemon_threads = True
    request_queue_size = BACKLOG

    def __init__(
        self,
        address: tuple[str, int],
        *,
        pool: QueryPool | None,
        view: str,
        cors: str | None,
        map_page: str = "",
        client_timeout: float = CLIENT_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.pool, self.cors, self.snapshot = pool, cors, ""  # set first: a failed bind calls server_close()
        self.client_timeout, self.max_connections = client_timeout, max_connections
        self.deadlines: dict[
            socket.socket, float
        ] = {}  # connection -> time its current request must be in by
        self.guard = threading.Lock()
        self.stopping = threading.Event()
        super().__init__(address, _Handler)
        self.pages = {"view": view.encode("utf-8"), "query": query_page().encode("utf-8")}
        self.pages["map"] = map_page.encode("utf-8")
        threading.Thread(target=self._reap, name="chainkg-serve-reaper", daemon=True).start()

    def _reap(self) -> None:
        """Hang up on clients that take longer than twice the client timeout to send one request (slowloris)."""
        while not self.stopping.wait(0.5):
            now = time.monotonic()
            with self.guard:
                late = [sock for sock, due in self.deadlines.items() if due < now]
                for sock in late:
                    del self.deadlines[sock]
            for sock in late:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        with self.guard:
            full = len(self.deadlines) >= self.max_connections
            if not full:
                self.deadlines[request] = time.monotonic() + 2 * self.client_timeout
        if full:
            try:
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        with self.guard:
            self.deadlines.pop(request, None)
        super().shutdown_request(request)

    def server_close(self) -> None:
        self.stopping.set()
        super().server_close()
        if self.pool:
            self.pool.close()
        if self.snapshot and os.path.exists(self.snapshot):
            os.unlink(self.snapshot)  # replacement workers read it, so it lives as long as the server

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


def _graph_list(params: dict[str, list[str]], key: str) -> list[str] | None:
    values = params.get(key)
    if values is None:
        return None
    for iri in values:
        scheme, sep, rest = iri.partition(":")
        if (
            not sep
            or not scheme.isascii()
            or not scheme[:1].isalpha()
            or any(c in iri for c in '<>" {}|\\^`')
        ):
            raise Refusal(400, f"{key}: 不是 IRI not an absolute IRI: {iri!r}")
    return values


class _Handler(BaseHTTPRequestHandler):
    server: ChainkgServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        self.timeout = self.server.client_timeout  # a silent client is dropped after this many seconds
        super().setup()

    def handle_one_request(self) -> None:
        with self.server.guard:  # each request on a kept-alive connection gets its own deadline
            self.server.deadlines[self.request] = time.monotonic() + 2 * self.server.client_timeout
        super().handle_one_request()

    def _started(self) -> None:
        """The request is in: from here on it is the query timeout that bounds it, not the client deadline."""
        with self.server.guard:
            self.server.deadlines[self.request] = float("inf")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        log.info("%s %s", self.address_string(), format % args)

    def _send(self, reply: Reply, *, page: bool = False) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.media)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in reply.headers:
            self.send_header(name, value)
        if page:
            self.send_header("Content-Security-Policy", _CSP)
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", self.server.cors)
            self.send_header("Vary", "Origin")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def _refuse(self, err: Refusal) -> None:
        if err.close:
            self.close_connection = True
        self._send(Reply.text(err.status, err.message))

    def _admit(self, *, endpoint: bool) -> bytes:
        """Check Host (and, for the endpoint, the request's site) and read the body, whatever the method."""
        host = self.headers.get("Host")
        port = self.server.server_address[1]
        body = read_body(self.headers, self.rfile, MAX_BODY)
        self._started()
        if not host_allowed(host, self.server.server_address[0], port):
            raise Refusal(
                403, f"主机名不符 Host {host!r} is not this server's address; use {self.server.url}"
            )
        if endpoint:
            other = cross_site(self.headers, host or "", self.server.cors)
            if other is not None:
                raise Refusal(
                    403,
                    f"跨站请求被拒绝 cross-origin request refused ({other}); this endpoint is for its own pages",
                )
        return body

    def _sparql(self, params: dict[str, list[str]], body_query: str | None = None) -> Reply:
        texts = params.get("query", []) if body_query is None else [body_query]
        if "update" in params or any(is_update(t) for t in texts):
            return Reply.text(403, READ_ONLY)
        if len(texts) != 1:
            return Reply.text(400, "需要一个查询 exactly one query is needed: /sparql?query=SELECT…")
        if "SERVICE" in keywords(texts[0]):
            return Reply.text(403, SERVICE_REFUSED.removeprefix("query: "))
        return self.server.pool.run(  # type: ignore[union-attr]
            texts[0],
            self.headers.get("Accept"),
            default_graphs=_graph_list(params, "default-graph-uri"),
            named_graphs=_graph_list(params, "named-graph-uri"),
        )

    def _route_get(self) -> Reply:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        path = url.path
        self._admit(endpoint=path == "/sparql")
        if path in ("/", "/index.html"):
            self._page = True
            return Reply(200, "text/html; charset=utf-8", self.server.pages["view"])
        if path == "/query" or (
            path == "/sparql" and not params and "text/html" in self.headers.get("Accept", "")
        ):
            self._page = True
            return Reply(200, "text/html; charset=utf-8", self.server.pages["query"])
        if path == "/sparql":
            return self._sparql(params)
        if path == "/map":
            if not self.server.pages["map"]:
                return Reply.text(404, NO_MAP)
            self._page = True
            return Reply(200, "text/html; charset=utf-8", self.server.pages["map"])
        if path == "/favicon.ico":
            return Reply(204, "image/x-icon", b"")  # no icon, and no 404 in the browser console
        name = path.removeprefix("/assets/")
        if name in _STATIC:
            body = resources.files("graph.sparql").joinpath("assets", name).read_bytes()
            return Reply(200, f"{_STATIC[name]}; charset=utf-8", body)
        return Reply.text(404, f"没有这个页面 not found: {path} (try / , /query , /map or /sparql)")

    def _route_post(self) -> Reply:
        url = urlsplit(self.path)
        raw = self._admit(endpoint=True)
        if url.path != "/sparql":
            return Reply.text(404, f"没有这个页面 not found: {url.path} (POST goes to /sparql)")
        content_type = self.headers.get("Content-Type") or ""
        media = content_type.split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if media == "application/sparql-update":
            return Reply.text(403, READ_ONLY)
        if media not in ("application/sparql-query", "application/x-www-form-urlencoded"):
            return Reply.text(
                415,
                f"不支持的类型 unsupported Content-Type {media!r}: use application/sparql-query or a form",
            )
        charset = charset_of(content_type)
        if charset not in (None, "utf-8", "utf8") and not (
            media.endswith("urlencoded") and charset == "us-ascii"
        ):
            return Reply.text(415, f"不支持的字符集 charset {charset!r}: SPARQL protocol bodies are UTF-8")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            return Reply.text(400, f"不是 UTF-8 the body is not UTF-8 ({err.reason} at byte {err.start})")
        if media == "application/sparql-query":
            if "query" in params:
                return Reply.text(400, "查询重复 query given both in the URL and as the body; send one")
            return self._sparql(params, text)
        form = parse_qs(text, keep_blank_values=True)
        for key in ("query", "update"):
            if key in form and key in params:
                return Reply.text(400, f"查询重复 {key} given both in the URL and in the form body; send one")
        for key, values in form.items():
            params.setdefault(key, []).extend(values)
        return self._sparql(params)

    def _answer(self, route: object) -> None:
        self._page = False
        try:
            reply = route()  # type: ignore[operator]
        except Refusal as err:
            return self._refuse(err)
        self._send(reply, page=self._page)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(self._route_get)

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        self._answer(self._route_post)

    def _not_allowed(self) -> Reply:
        self._admit(endpoint=False)
        return Reply.text(
            405,
            f"不允许 method {self.command} not allowed: the endpoint is read-only ({ALLOW})",
            (("Allow", ALLOW),),
        )

    def do_PUT(self) -> None:  # noqa: N802
        self._answer(self._not_allowed)

    do_DELETE = do_PATCH = do_PUT

    def _options(self) -> Reply:
        self._admit(endpoint=False)
        if not self.server.cors:
            return Reply.text(
                405, "CORS 未开启 CORS is off (chainkg serve --cors ORIGIN)", (("Allow", ALLOW),)
            )
        return Reply(
            204,
            TEXT,
            b"",
            (
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Content-Type, Accept"),
            ),
        )

    def do_OPTIONS(self) -> None:  # noqa: N802 - CORS preflight, answered only when --cors allows it
        self._answer(self._options)


def make_server(
    full: Graph,
    view: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    timeout: float = DEFAULT_TIMEOUT,
    cors: str | None = None,
    workers: int = 2,
    max_workers: int | None = None,
    engine: str = "oxigraph",
    map_page: str = "",
) -> ChainkgServer:
    """Bind the server over ``full`` and the view page ``view``, and start the query workers (call
    ``serve_forever`` on the result).

    Args:
        full: data plus ontology (served as :data:`DATA_GRAPH` and the ontology graph), or an rdflib ``Dataset``
            whose graphs are served as they are (the ontology added in its own graph).
        workers: query processes started at once; the pool grows to ``max_workers`` (default twice that) when
            every worker is busy.
        map_page: the 招商地图 page served at ``/map`` (:func:`graph.build.source.load_pages_for_serving`); without
            it ``/map`` answers 404 saying why.
        engine: ``oxigraph`` (the default; 10 clients: about 17× rdflib's requests per second, docs/sparql.md)
            or ``rdflib``.

    Raises:
        GraphError: the address cannot be bound or a worker cannot start.
    """
    fd, snapshot = tempfile.mkstemp(prefix="chainkg-serve-", suffix=".nq")
    os.close(fd)
    try:
        write_snapshot(snapshot, full)
        server = ChainkgServer(
            (host, port), pool=None, view=view, cors=cors, map_page=map_page
        )  # bind before any worker starts
    except OSError as err:
        os.unlink(snapshot)
        raise GraphError(f"serve: cannot listen on {host}:{port} ({err.strerror}); try another port") from err
    except BaseException:
        os.unlink(snapshot)
        raise
    server.snapshot = snapshot
    try:
        spec = {"path": snapshot, "engine": engine}
        server.pool = QueryPool(spec, workers=workers, max_workers=max_workers, timeout=timeout)
    except BaseException:
        server.server_close()
        raise
    return server
