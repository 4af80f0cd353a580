"""SELECT results of a pyoxigraph ``Store`` as plain text columns.

:mod:`graph.sparql.storeview` reads a big store as a few dozen single-pattern ``SELECT`` queries, each result as
Oxigraph's CSV text read into a flat list of cells. (Fetching the next results on a background thread while Python
reads the last one was tried: Oxigraph does release the GIL, but on the shared 2-core machine it measured 0.1 s
slower in the median at a million triples, docs/bench-notes/gap-step.md, so the results are read in turn.)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import chain

import pyoxigraph as ox

from graph.vocab.namespaces import PREFIXES

__all__ = ["Columns"]


def _csv(store: object, text: str) -> str:
    """The CSV result of one SELECT (IRIs and literals' lexical forms; an empty cell when unbound)."""
    result = store.query(text, prefixes=PREFIXES)  # type: ignore[attr-defined]
    return result.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8")


class Columns:
    """The SELECT results of ``store``, read as CSV text, as rows or as a flat list of cells.

    Example:
        >>> store = ox.Store()
        >>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("1, 2")))
        >>> Columns(store).cells("SELECT ?s ?o WHERE { ?s ?p ?o }", 2)
        ['http://x/a', '1, 2']
    """

    def __init__(self, store: object) -> None:
        self.store = store

    def text(self, query: str) -> str:
        """The CSV result of ``query``."""
        return _csv(self.store, query)

    def rows(self, query: str) -> Iterator[list[str]]:
        """The rows of ``query``'s result as lists of strings, read by the ``csv`` module."""
        rows = csv.reader(io.StringIO(self.text(query), newline=""))
        next(rows, None)  # the header
        return rows

    def cells(self, query: str, width: int) -> list[str]:
        """The cells of ``query`` (``width`` variables), row after row in one flat list (read ``zip(it, it)``).

        Oxigraph's CSV quotes a literal holding a comma, a quote or a line break, and writes IRIs and blank nodes
        bare; so a result without any ``"`` is exactly its lines split at commas, which is what the ``csv``
        module would read, at a fraction of its cost (ten times fewer objects and calls for the 191,569 rows of
        ``ckg:inSegment`` at a million triples, docs/bench-notes/gap-step.md). Anything else is read by ``csv``.
        """
        data = self.text(query)
        if '"' not in data and width == 1:  # one cell a line: IRIs and unquoted literals hold no line break
            cells = data.split("\r\n")
            del cells[0], cells[-1]  # the header, and "" after the last line break
            return cells
        if '"' not in data:
            cells = data.replace("\r\n", ",").split(",")  # the header, the rows, "" after the last line break
            if len(cells) == data.count("\r\n") * width + 1:  # every line has ``width`` cells
                del cells[:width], cells[-1]
                return cells
        rows = csv.reader(io.StringIO(data, newline=""))
        next(rows, None)  # the header
        return list(chain.from_iterable(rows))
