"""What a query may do here: no ``SERVICE`` (a query never reaches out to the network), and a time limit.

chainkg runs on intranets where a query must stay inside the machine: rdflib and Oxigraph both send a
``SERVICE <http://…>`` pattern to that address, so a query (or a web page that submits one to a local endpoint)
could read an internal service and hand its answer back. :func:`check_service` refuses such queries before any
engine sees them. The check reads the query's tokens the way the SPARQL grammar does (codepoint escapes first, then
comments, strings and IRIs skipped; https://www.w3.org/TR/sparql11-query/#codepointEscape), so ``?service``,
``ex:service`` or a label holding the word do not trip it.

:func:`run_with_timeout` bounds the time of one call. Neither engine can be interrupted from outside, so the call
runs in a daemon thread that is left behind on timeout: right for a command that exits on the error (the server
kills its worker processes instead, :mod:`graph.sparql.server`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import TypeVar

from graph.errors import QueryError

__all__ = [
    "DEFAULT_TIMEOUT",
    "SERVICE_REFUSED",
    "SKIP",
    "WORD",
    "keywords",
    "check_service",
    "run_with_timeout",
]

T = TypeVar("T")

DEFAULT_TIMEOUT = 10.0  # seconds; the same for `chainkg query` and `chainkg serve`
SERVICE_REFUSED = (
    "query: SERVICE 已禁用 federated queries are refused: a query never contacts another server from here "
    "(load that data into this graph instead)"
)

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# One token at a time, left to right: long strings before short ones, so a quote inside a long string is skipped.
# SKIP (comments, strings, IRIs) and WORD (a keyword, variable or prefixed name) are shared with graph.sparql.ordering.
SKIP = (
    r"""(?P<skip>\#[^\n]*"""
    r"""|'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*\""""
    r"""|<[^<>"{}|^`\\\x00-\x20]*>)"""
)
WORD = r"""(?P<word>[?$]?[^\W\d][\w.-]*(?::[\w.:%-]*)?|:[\w.:%-]*)"""
_TOKEN = re.compile(SKIP + "|" + WORD, re.DOTALL)


def _unescape(match: re.Match[str]) -> str:
    try:
        return chr(int(match.group(1) or match.group(2), 16))
    except ValueError:  # beyond U+10FFFF: leave it for the parser to refuse
        return match.group(0)


def keywords(text: str) -> set[str]:
    """The bare words of a query, upper-cased: keywords and function names, not variables, prefixed names,
    strings, IRIs or comments.

    Example:
        >>> sorted(keywords('SELECT ?service { ?s ex:service "SERVICE" } # SERVICE'))
        ['SELECT']
        >>> "SERVICE" in keywords(r"SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }")
        True
    """
    text = _ESCAPE.sub(_unescape, text)
    found = set()
    for m in _TOKEN.finditer(text):
        word = m.group("word")
        if word and word[0] not in "?$:" and ":" not in word:
            found.add(word.upper())
    return found


def check_service(text: str) -> None:
    """Refuse a query that holds a ``SERVICE`` pattern.

    Raises:
        QueryError: the query names a ``SERVICE``.
    """
    if "SERVICE" in keywords(text):
        raise QueryError(SERVICE_REFUSED)


def run_with_timeout(call: Callable[[], T], timeout: float | None, *, what: str = "query") -> T:
    """Return ``call()``, or raise :class:`QueryError` when it has not finished within ``timeout`` seconds.

    ``timeout`` None or 0 means no limit. On timeout the call goes on in a daemon thread until the process exits.
    """
    if not timeout:
        return call()
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as err:  # handed to the caller's thread
            box["error"] = err

    worker = threading.Thread(target=target, name=f"chainkg-{what}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryError(f"{what}: 查询超时 timed out after {timeout:g} s and was abandoned")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
