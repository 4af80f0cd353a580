"""Checks the local endpoint makes on each HTTP request before any query runs: framing, Host, Origin, charset.

Pure functions over headers and a byte stream, so each rule is tested on its own:

- :func:`read_body` reads exactly the request body the headers announce (``Content-Length`` or ``chunked``), so a
  kept-alive connection stays in step even when a body came with a GET; conflicting or unknown framing is refused
  (RFC 9112 §6.3: two different lengths, or a length beside ``Transfer-Encoding``, are what request smuggling uses).
- :func:`host_allowed` ties the ``Host`` header to the address the server is bound to, so a web page that rebinds
  its own DNS name to 127.0.0.1 cannot talk to the endpoint.
- :func:`cross_site` tells a request a browser sent from another site (``Origin`` or ``Sec-Fetch-Site``): a page
  the user happens to visit must not run queries here unless the server was started to allow that origin.
- :func:`charset_of` reads the ``charset`` parameter; the SPARQL 1.1 Protocol's bodies are UTF-8 only.
"""

from __future__ import annotations

import ipaddress
from email.message import Message
from typing import BinaryIO

__all__ = ["Refusal", "read_body", "host_allowed", "cross_site", "charset_of"]


class Refusal(Exception):
    """A request the endpoint answers with ``status`` and a one-line ``message`` (and closes when ``close``)."""

    def __init__(self, status: int, message: str, *, close: bool = False) -> None:
        super().__init__(message)
        self.status, self.message, self.close = status, message, close


def _length(headers: Message) -> int | None:
    values = [v.strip() for raw in headers.get_all("Content-Length") or [] for v in raw.split(",")]
    if not values:
        return None
    if len(set(values)) > 1:
        raise Refusal(
            400, f"Content-Length 冲突 conflicting Content-Length headers: {', '.join(values)}", close=True
        )
    if not values[0].isdigit():
        raise Refusal(400, f"Content-Length 无效 not a number: {values[0]!r}", close=True)
    return int(values[0])


def _chunked(stream: BinaryIO, limit: int) -> bytes:
    """Read a ``chunked`` body (RFC 9112 §7.1), trailers included, refusing more than ``limit`` bytes."""
    body = bytearray()
    while True:
        line = stream.readline(1026)
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise Refusal(400, f"分块格式错误 bad chunk size line {line[:40]!r}", close=True) from None
        if size < 0 or len(body) + size > limit:
            raise Refusal(413, f"请求太大 request body over {limit} bytes", close=True)
        if size == 0:
            break
        body += stream.read(size)
        if stream.read(2) != b"\r\n":
            raise Refusal(400, "分块格式错误 a chunk does not end with CRLF", close=True)
    for _ in range(100):  # trailer fields, up to the empty line
        if stream.readline(8194) in (b"\r\n", b"\n", b""):
            return bytes(body)
    raise Refusal(400, "分块格式错误 too many trailer lines", close=True)


def read_body(headers: Message, stream: BinaryIO, limit: int) -> bytes:
    """The request body the headers announce, read from ``stream`` (empty when none is announced).

    Raises:
        Refusal: 400 for conflicting or bad framing, 501 for a transfer coding other than ``chunked``, 413 for a
            body over ``limit`` bytes.
    """
    coding = headers.get_all("Transfer-Encoding") or []
    length = _length(headers)
    if coding:
        if length is not None:
            raise Refusal(
                400, "Content-Length 与 Transfer-Encoding 冲突 both framings given; send one", close=True
            )
        codings = [c.strip().lower() for raw in coding for c in raw.split(",") if c.strip()]
        if codings != ["chunked"]:
            raise Refusal(
                501, f"不支持 unsupported Transfer-Encoding {', '.join(codings)}: only chunked", close=True
            )
        return _chunked(stream, limit)
    if length is None or length == 0:
        return b""
    if length > limit:
        raise Refusal(413, f"请求太大 Content-Length {length} is over {limit} bytes", close=True)
    body = stream.read(length)
    if len(body) != length:
        raise Refusal(400, f"请求不完整 body ended after {len(body)} of {length} bytes", close=True)
    return body


def _split_host(value: str) -> tuple[str, int | None]:
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8000
        host, _, rest = value[1:].partition("]")
        port_text = rest.removeprefix(":")
    else:
        host, _, port_text = value.partition(":")
    if not port_text:
        return host, None
    return host, int(port_text) if port_text.isdigit() else -1


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_allowed(header: str | None, bind_host: str, port: int) -> bool:
    """Whether a ``Host`` header names this server: its bound address (any loopback name when bound to loopback)
    and its port. A server bound to every address (``0.0.0.0``, ``::``) cannot know its names and accepts any.

    Example:
        >>> host_allowed("127.0.0.1:8000", "127.0.0.1", 8000), host_allowed("localhost:8000", "127.0.0.1", 8000)
        (True, True)
        >>> host_allowed("evil.example:8000", "127.0.0.1", 8000), host_allowed("127.0.0.1:9", "127.0.0.1", 8000)
        (False, False)
    """
    if header is None:
        return False
    host, asked = _split_host(header)
    if (asked if asked is not None else 80) != port:
        return False
    bind = bind_host.strip("[]").lower()
    if bind in ("", "0.0.0.0", "::"):
        return True
    if _is_loopback(bind):
        return _is_loopback(host)
    return host == bind


def cross_site(headers: Message, host: str, cors: str | None) -> str | None:
    """The origin (or ``Sec-Fetch-Site`` value) of a browser request from another site that ``cors`` does not
    allow; None when the request is from this server's own pages, from a non-browser client, or allowed.

    Example:
        >>> m = Message(); m["Origin"] = "https://evil.example"
        >>> cross_site(m, "127.0.0.1:8000", None), cross_site(m, "127.0.0.1:8000", "https://evil.example")
        ('https://evil.example', None)
    """
    origin = headers.get("Origin")
    if origin is not None:
        if origin.rstrip("/").lower() == f"http://{host}".lower():
            return None
        return None if cors in ("*", origin) else origin
    site = (headers.get("Sec-Fetch-Site") or "").lower()
    if site in ("cross-site", "same-site") and cors != "*":
        return f"Sec-Fetch-Site: {site}"
    return None


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a ``Content-Type`` value, lower-cased, or None.

    Example:
        >>> charset_of("application/sparql-query; charset=UTF-16"), charset_of("application/sparql-query")
        ('utf-16', None)
    """
    if not content_type:
        return None
    msg = Message()
    msg["Content-Type"] = content_type
    value = msg.get_param("charset")
    return str(value).strip().lower() if value else None
