"""A small HTTP client for SPARQL servers: credentials from the environment, retries, one-line errors.

Both the SPARQL 1.1 Protocol (queries, :class:`graph.sparql.engines.RemoteEngine`) and the Graph Store Protocol
(:mod:`graph.sparql.push`) go through :func:`request`. Credentials never come from the command line: the user name and
password are read from ``CHAINKG_ENDPOINT_USER`` and ``CHAINKG_ENDPOINT_PASSWORD`` and offered to the server for HTTP
Basic or Digest authentication (Virtuoso's ``/sparql-graph-crud-auth`` asks for Digest).
"""

from __future__ import annotations

import http.client
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from graph.errors import GraphError

__all__ = [
    "ENV_USER",
    "ENV_PASSWORD",
    "CONNECT_TIMEOUT",
    "READ_TIMEOUT",
    "RemoteError",
    "Response",
    "request",
    "check_endpoint",
    "TRANSIENT",
]

log = logging.getLogger(__name__)

ENV_USER = "CHAINKG_ENDPOINT_USER"
ENV_PASSWORD = "CHAINKG_ENDPOINT_PASSWORD"
# Statuses worth another try: the server is busy or restarting. 500 is not among them: Virtuoso answers a bad query
# with 500, and repeating it would only repeat the error.
TRANSIENT = frozenset({408, 429, 502, 503, 504})
# Seconds to open the connection, and to wait for each read of the answer once the request is sent: a server that
# accepts and never answers fails after READ_TIMEOUT instead of holding the command for ever.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 120.0


class RemoteError(GraphError):
    """A SPARQL server that cannot be reached, refuses a request, or answers something unexpected."""


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


def check_endpoint(url: str, *, option: str = "--endpoint") -> str:
    """Return ``url`` when it is a plain http(s) URL without credentials in it.

    Example:
        >>> check_endpoint("http://127.0.0.1:7878/query")
        'http://127.0.0.1:7878/query'
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError(
            f'{option}: "{url}" is not an http(s) URL; expected e.g. http://127.0.0.1:7878/query'
        )
    if parts.username or parts.password:
        raise RemoteError(
            f"{option}: the URL holds a user name or password; 凭据请放在环境变量 put credentials in "
            f"{ENV_USER} and {ENV_PASSWORD} instead, never on the command line"
        )
    return url


class _ReadTimeout(Exception):
    """The server took the request but sent no answer (or stopped sending) within the read timeout."""


def _timed(base: type[http.client.HTTPConnection], read_timeout: float) -> type[http.client.HTTPConnection]:
    """``base`` whose socket switches from the connect timeout (urllib's) to ``read_timeout`` once connected."""

    class Connection(base):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            super().connect()
            self.sock.settimeout(read_timeout)

    return Connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, read_timeout: float) -> None:
        super().__init__()
        self.read_timeout = read_timeout

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_timed(http.client.HTTPConnection, self.read_timeout), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, read_timeout: float) -> None:
        super().__init__()
        self.read_timeout = read_timeout

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_timed(http.client.HTTPSConnection, self.read_timeout), req)


def _opener(url: str, read_timeout: float) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_HTTPHandler(read_timeout), _HTTPSHandler(read_timeout)]
    user, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
    if user:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, user, password or "")
        # Digest runs before Basic (handler_order 490 < 500) and passes Basic challenges on.
        handlers += [
            urllib.request.HTTPDigestAuthHandler(manager),
            urllib.request.HTTPBasicAuthHandler(manager),
        ]
    return urllib.request.build_opener(*handlers)


def _open(req: urllib.request.Request, url: str, connect: float, read: float) -> Response:
    try:
        with _opener(url, read).open(req, timeout=connect) as resp:
            return Response(resp.status, resp.headers.get("Content-Type", ""), resp.read())
    except TimeoutError as err:  # raised bare only after the connection is open
        raise _ReadTimeout() from err


def _snippet(body: bytes) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    return text[:160] + ("…" if len(text) > 160 else "")


def request(
    method: str,
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = READ_TIMEOUT,
    connect_timeout: float = CONNECT_TIMEOUT,
    retries: int = 3,
    backoff: float = 0.5,
    what: str = "request",
) -> Response:
    """Send one HTTP request, retrying transient failures (network errors, 408/429/502/503/504) with backoff.

    Args:
        timeout: seconds to wait for each read of the answer; a read timeout is not retried (the server has the
            request, and asking again would only wait again).
        connect_timeout: seconds to open the connection (retried like other network errors).
        what: names the request in errors, e.g. ``"query"`` or ``"push chunk 3/9"``.

    Raises:
        RemoteError: one line naming the URL, the HTTP status or network error, and what to check.
    """
    attempts = retries + 1
    last = ""
    for attempt in range(1, attempts + 1):
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            return _open(req, url, connect_timeout, timeout)
        except _ReadTimeout as err:
            raise RemoteError(
                f"{what}: {url}: 服务器无回答 no answer within {timeout:g} s (read timeout): the server took the "
                f"request but sent nothing back; is it overloaded, or is this the right URL?"
            ) from err
        except urllib.error.HTTPError as err:
            try:
                body = err.read() if err.fp else b""
            except (OSError, http.client.HTTPException):  # the server closed the error body half-way
                body = b""
            if err.code in TRANSIENT and attempt < attempts:
                last = f"HTTP {err.code}"
            elif err.code in (401, 403):
                hint = (
                    f"server wants a login: set {ENV_USER} and {ENV_PASSWORD}"
                    if not os.environ.get(ENV_USER)
                    else f"check {ENV_USER} / {ENV_PASSWORD} and the account's write rights"
                )
                raise RemoteError(
                    f"{what}: {url}: 服务器拒绝 refused: HTTP {err.code} {err.reason}: {_snippet(body)} ({hint})"
                ) from err
            else:
                tries = f" after {attempt} attempts" if attempt > 1 else ""
                raise RemoteError(
                    f"{what}: {url}: 服务器拒绝 refused: HTTP {err.code} {err.reason}{tries}: {_snippet(body)}"
                ) from err
        except (urllib.error.URLError, ConnectionError, http.client.HTTPException) as err:
            reason = getattr(err, "reason", err)
            last = str(reason) or type(reason).__name__
            if isinstance(reason, TimeoutError):
                last = f"no connection within {connect_timeout:g} s"
            if attempt == attempts:
                raise RemoteError(
                    f"{what}: {url}: 无法连接 cannot reach the server ({last}) after {attempts} attempts; "
                    f"is it running and is the URL right?"
                ) from err
        log.info("%s: %s failed (%s), retry %d of %d", what, url, last, attempt, retries)
        time.sleep(backoff * 2 ** (attempt - 1))
    raise RemoteError(f"{what}: {url}: 服务器忙 server busy ({last}) after {attempts} attempts")
