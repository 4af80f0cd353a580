"""Read Oxigraph's SPARQL TSV results into rows of rdflib terms, fast.

Turning a big result into Python rows is most of what a row-heavy query costs after Oxigraph has answered it: at a
million triples, ``facts-without-evidence`` returns 413,159 rows, and reading them term by term from pyoxigraph
(one Python object per term, converted through :func:`graph.rdf.oxterms.from_ox`) took 1.3 s. Oxigraph writes the
same rows as TSV in Rust in a fraction of that; splitting the text and converting each *distinct* cell once takes
about half a second (``docs/benchmarks.md``).

The terms are the ones :func:`~graph.rdf.oxterms.from_ox` makes (a simple literal has no datatype), which a test
checks on every kind of term. TSV writes ``xsd:integer``, ``xsd:decimal`` and ``xsd:boolean`` values bare, as
Turtle does, and Oxigraph keeps no other lexical form for them, so nothing is lost.
"""

from __future__ import annotations

import errno
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from graph.errors import QueryError

try:
    import fcntl
except ImportError:  # Windows: no pipe sizes
    fcntl = None  # type: ignore[assignment]

__all__ = ["parse_tsv_rows", "read_tsv_rows", "tsv_chunks"]

_ECHAR = re.compile(r"\\(.)")
_ECHARS = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?', re.DOTALL)
# A URIRef is a str: Oxigraph's IRIs are valid, so rdflib's check of each one is skipped.
_new = str.__new__


def _unescape(text: str) -> str:
    return _ECHAR.sub(lambda m: _ECHARS.get(m.group(1), m.group(0)), text) if "\\" in text else text


def _bare(cell: str) -> Literal:
    """A literal TSV writes bare, as Turtle does: a boolean or a number."""
    if cell in ("true", "false"):
        return Literal(cell, datatype=XSD.boolean)
    if "e" in cell or "E" in cell:
        return Literal(cell, datatype=XSD.double)
    return Literal(cell, datatype=XSD.decimal if "." in cell else XSD.integer)


def _term(cell: str) -> URIRef | BNode | Literal | None:
    """One TSV cell as the rdflib term chainkg uses; an empty cell is an unbound variable."""
    if not cell:
        return None
    first = cell[0]
    if first == "<":
        if cell.startswith("<<"):
            raise QueryError(f"query: unsupported result term {cell} (RDF-star triples are not supported)")
        return _new(URIRef, cell[1:-1])
    if first == "_":
        return BNode(cell[2:])
    if first == '"':
        m = _LITERAL.fullmatch(cell)
        if m is None:
            raise QueryError(f"query: cannot read the result cell {cell[:80]!r}")
        value, lang, datatype = _unescape(m.group(1)), m.group(2), m.group(3)
        if lang:
            return Literal(value, lang=lang)
        if datatype and datatype != str(XSD.string):
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    return _bare(cell)


class _Terms(dict):
    """Cell text -> term, each distinct cell converted once (segments, classes and statuses repeat a lot)."""

    def __missing__(self, cell: str) -> object:
        # an IRI (most cells) without the call to _term; "<<" starts an RDF-star triple, which _term refuses
        term = self[cell] = _new(URIRef, cell[1:-1]) if cell[:1] == "<" and cell[1:2] != "<" else _term(cell)
        return term


def read_tsv_rows(chunks: Iterable[bytes]) -> tuple[list[str], list[tuple]]:
    """The variable names and the rows of a SPARQL TSV result as Oxigraph writes it, read from ``chunks`` of its
    bytes as they arrive (a chunk may end inside a line: the rest waits for the next one).

    Example:
        >>> names, rows = read_tsv_rows([b'?s\\t?n\\n<urn:a>\\t"x\\\\ty"@', b'zh\\n\\t7\\n'])
        >>> names, [tuple(map(repr, r)) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
        (['s', 'n'], [("rdflib.term.URIRef('urn:a')", "rdflib.term.Literal('x\\\\ty', lang='zh')"),
        ('None', "rdflib.term.Literal('7', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))")])
    """
    names: list[str] | None = None
    terms: list[object] = []
    count = 0  # lines after the header: the rows of a SELECT over no variables
    get = _Terms().__getitem__
    rest = b""
    for chunk in chunks:
        data = rest + chunk if rest else chunk
        cut = data.rfind(b"\n") + 1  # "\n" never occurs inside a UTF-8 character or an escaped TSV cell
        rest = data[cut:]
        text = data[:cut].decode("utf-8")
        if names is None:
            if not cut:
                continue
            header, _, text = text.partition("\n")
            names = [v[1:] for v in header.split("\t")] if header else []
        if names:
            cells = text.replace("\n", "\t").split("\t")
            cells.pop()  # the text after the last newline
            terms.extend(map(get, cells))
        else:
            count += text.count("\n")
    if rest or names is None:
        raise QueryError("query: Oxigraph's results ended inside a line")
    if not names:  # SELECT * over no variables: each solution is an empty line
        return names, [() for _ in range(count)]
    return names, list(zip(*[iter(terms)] * len(names), strict=True))


def parse_tsv_rows(data: bytes) -> tuple[list[str], list[tuple]]:
    """:func:`read_tsv_rows` of the whole text at once."""
    return read_tsv_rows([data])


def _widen(pipe: int, size: int) -> None:
    """Let a pipe hold ``size`` bytes (64 KiB by default), so Oxigraph writes ahead while Python reads (Linux only;
    elsewhere, or above the system's limit, the pipe stays as it is)."""
    if fcntl is not None and hasattr(fcntl, "F_SETPIPE_SZ"):
        with suppress(OSError):
            fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, size)


def tsv_chunks(run: Callable[[], object], size: int = 1 << 20) -> Iterator[bytes]:
    """The TSV of the pyoxigraph ``QuerySolutions`` that ``run()`` returns, chunk by chunk as Oxigraph finds them.

    pyoxigraph lets go of the interpreter while it writes to a file, so a second thread runs the query and writes
    into a pipe, and the rows are read while the rest are still being found: on two cores, 413,159 rows at a million
    triples are read in 0.5 s, against 0.4 s to evaluate and 0.55 s to read them one after the other. (The query
    runs in that thread because pyoxigraph's solutions may not change threads.) Where the pipe cannot be named as a
    file (no ``/dev/fd``), the whole text is written first. An error of ``run`` is raised here.
    """
    read_end, write_end = os.pipe()
    _widen(write_end, size)
    if not os.path.exists(f"/dev/fd/{write_end}"):
        os.close(read_end)
        os.close(write_end)
        yield run().serialize(format=ox.QueryResultsFormat.TSV)  # type: ignore[attr-defined]
        return
    failed: list[BaseException] = []

    def write() -> None:
        try:
            solutions = run()
            try:
                solutions.serialize(f"/dev/fd/{write_end}", format=ox.QueryResultsFormat.TSV)  # type: ignore[attr-defined]
            finally:
                # dropped in this thread: the error's traceback must not carry them to the reader
                del solutions
        except BaseException as err:  # noqa: BLE001 (handed to the reading thread, which raises it)
            failed.append(err)
        finally:
            os.close(write_end)  # the reader sees the end once Oxigraph's own copy of the pipe is closed too

    writer = threading.Thread(target=write, name="oxigraph-tsv", daemon=True)
    writer.start()
    try:
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            while chunk := pipe.read(size):
                yield chunk
    finally:  # a reader that stops early closes the pipe: the writer then fails on it and ends
        writer.join()
    if failed and not isinstance(failed[0], BrokenPipeError) and not _refused_fsync(failed[0]):
        raise failed[0]


def _refused_fsync(err: BaseException) -> bool:
    """pyoxigraph ends a write to a path with fsync, which a pipe refuses with EINVAL once every byte is written
    (strace: the writes, then ``fsync(5) = -1 EINVAL``); pyoxigraph's OSError carries only the text."""
    return type(err) is OSError and (err.errno == errno.EINVAL or str(err).endswith("(os error 22)"))
