"""Load a graph into any SPARQL server over the SPARQL 1.1 Graph Store Protocol, in chunks.

The triples go as sorted N-Triples (valid Turtle, sent as ``text/turtle`` because every server reads it) in chunks of
``chunk`` triples: the first chunk with ``PUT`` when ``replace`` (the target graph becomes exactly this graph), the
rest with ``POST`` (added). Triples with blank nodes travel together in the last chunk, since a blank node label only
means the same node within one request. A chunk that fails after retries stops the push with a one-line error that
says how far it got; running the same push again brings the server to the right state (``PUT`` starts afresh, and
``POST`` of triples already there changes nothing, RDF graphs being sets).
"""

from __future__ import annotations

import logging
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graph.errors import GraphError
from graph.rdf.fastio import ntriples_lines
from graph.rdf.formats import ox_format
from graph.sparql.client import CONNECT_TIMEOUT, READ_TIMEOUT, RemoteError, check_endpoint, request

__all__ = [
    "PushResult",
    "push",
    "push_lines",
    "graph_store_url",
    "chunk_lines",
    "read_lines",
    "DEFAULT_CHUNK",
]

log = logging.getLogger(__name__)

DEFAULT_CHUNK = 50_000  # triples per request: a few MB, well under servers' default body limits
_BNODE = re.compile(rb"^_:|\s_:[A-Za-z0-9_.-]+\s*\.$")


@dataclass(frozen=True)
class PushResult:
    endpoint: str
    graph: str | None
    triples: int
    chunks: int
    replaced: bool

    def line(self) -> str:
        target = f"<{self.graph}>" if self.graph else "默认图 the default graph"
        how = "替换 replaced" if self.replaced else "追加 added to"
        return f"chainkg push: {how} {target} at {self.endpoint}: {self.triples} triples in {self.chunks} chunk(s)"


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of ``graph`` (or of the default graph) at ``endpoint``.

    Example:
        >>> graph_store_url("http://127.0.0.1:7878/store", "https://w3id.org/chainkg/id/graph")
        'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Fchainkg%2Fid%2Fgraph'
        >>> graph_store_url("http://127.0.0.1:7878/store", None)
        'http://127.0.0.1:7878/store?default'
    """
    query = f"graph={urllib.parse.quote(graph, safe='')}" if graph else "default"
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def chunk_lines(lines: list[bytes], size: int) -> list[list[bytes]]:
    """Split sorted N-Triples lines into chunks of ``size``; lines with blank nodes all go into the last chunk.

    Example:
        >>> [len(c) for c in chunk_lines([b"<a> <p> <b> .", b"<a> <p> _:x .", b"<c> <p> <d> ."], 1)]
        [1, 1, 1]
        >>> chunk_lines([b"_:x <p> <b> .", b"<a> <p> _:x .", b"<c> <p> <d> ."], 1)[-1]
        [b'_:x <p> <b> .', b'<a> <p> _:x .']
    """
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    plain = [line for line in lines if not _BNODE.search(line)]
    blank = [line for line in lines if _BNODE.search(line)]
    chunks = [plain[i : i + size] for i in range(0, len(plain), size)]
    if blank:
        chunks.append(blank)
    return chunks


def read_lines(path: Path | str) -> list[bytes]:
    """Read an RDF file (Turtle, N-Triples, JSON-LD, RDF/XML by extension) with Oxigraph, as sorted N-Triples lines.

    Raises:
        GraphError: an unknown file type or a syntax error (with its position).
    """
    path = Path(path)
    fmt = ox_format(path)
    try:
        raw = ox.serialize(ox.parse(path=str(path), format=fmt), format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as err:
        raise GraphError(f"{path}: not valid {fmt.name} ({str(err).splitlines()[0]})") from err
    except OSError as err:
        raise GraphError(f"{path}: cannot read ({err.strerror or err})") from err
    lines = [line for line in raw.split(b"\n") if line]
    lines.sort()
    return lines


def push_lines(
    lines: list[bytes],
    endpoint: str,
    *,
    graph: str | None = None,
    replace: bool = False,
    chunk: int = DEFAULT_CHUNK,
    retries: int = 3,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
    on_chunk: Callable[[int, int], None] | None = None,
) -> PushResult:
    """Send N-Triples ``lines`` to the Graph Store endpoint in chunks; see the module docstring.

    Args:
        connect_timeout: seconds to open each connection.
        read_timeout: seconds to wait for the server's answer to a chunk; a server that never answers fails then.
        on_chunk: called as ``on_chunk(done, total)`` after each stored chunk (progress, tests).

    Raises:
        RemoteError: a chunk failed; the message says which and how many triples were stored before it.
    """
    check_endpoint(endpoint)
    url = graph_store_url(endpoint, graph)
    chunks = chunk_lines(lines, chunk) or ([[]] if replace else [])
    blank = sum(1 for line in lines if _BNODE.search(line))
    if blank and not replace:
        # A server mints new nodes for blank-node labels in every request: a second push would duplicate them.
        raise RemoteError(
            f"push: {blank} triple(s) have blank nodes, which a server cannot recognise as already stored; "
            "push them replacing the graph (nothing was sent)"
        )
    done = 0
    for i, part in enumerate(chunks, start=1):
        method = "PUT" if replace and i == 1 else "POST"
        body = b"\n".join(part) + b"\n" if part else b""
        try:
            request(
                method,
                url,
                data=body,
                headers={"Content-Type": "text/turtle; charset=utf-8"},
                retries=retries,
                timeout=read_timeout,
                connect_timeout=connect_timeout,
                what=f"push chunk {i}/{len(chunks)}",
            )
        except RemoteError as err:
            raise RemoteError(
                f"{err} — 已存入 stored {done} of {len(lines)} triples before it; "
                f"rerun the same push to finish{'' if replace else ' (add --replace to start the graph afresh)'}"
            ) from err
        done += len(part)
        log.info("push: chunk %d/%d stored (%d triples)", i, len(chunks), done)
        if on_chunk is not None:
            on_chunk(i, len(chunks))
    return PushResult(endpoint, graph, len(lines), len(chunks), replace)


def push(source: Graph | object, endpoint: str, **options: object) -> PushResult:
    """Push an rdflib graph or a pyoxigraph ``Store`` (its default graph); options as :func:`push_lines`."""
    return push_lines(ntriples_lines(source), endpoint, **options)  # type: ignore[arg-type]
