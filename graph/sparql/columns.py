"""SELECT results of a pyoxigraph ``Store`` as plain text columns, optionally fetched ahead of the reading.

:mod:`graph.sparql.storeview` reads a big store as a few dozen single-pattern ``SELECT`` queries. Oxigraph evaluates
and writes a result (``QuerySolutions.serialize``) without holding Python's GIL, so one background thread can
evaluate the next queries while Python reads the last one: at a million triples that is about 0.75 s of Oxigraph's
work next to 1.5 s of Python's. It only pays when a core is free, and on the shared 2-core machine it measured
0.1 s slower in the median (docs/bench-notes/gap-step.md), so the store view asks for it only when told to. The
answers are the same bytes either way; only who waits changes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain
from types import TracebackType

import pyoxigraph as ox

from graph.vocab.namespaces import PREFIXES

__all__ = ["Columns"]


def _csv(store: object, text: str) -> str:
    """The CSV result of one SELECT (IRIs and literals' lexical forms; an empty cell when unbound)."""
    result = store.query(text, prefixes=PREFIXES)  # type: ignore[attr-defined]
    return result.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8")


class Columns:
    """The SELECT results of ``store``; those in ``ahead`` are fetched in that order by one background thread,
    at most ``depth`` of them ahead of the reading (so at most that many results wait in memory).

    A query not in ``ahead`` (or asked for a second time) is run when asked. Use it as a context manager: leaving
    it drops what was fetched and not read and waits for the thread.

    Example:
        >>> store = ox.Store()
        >>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("1, 2")))
        >>> q = "SELECT ?s ?o WHERE { ?s ?p ?o }"
        >>> with Columns(store, [q]) as cols:
        ...     cols.cells(q, 2)
        ['http://x/a', '1, 2']
    """

    def __init__(self, store: object, ahead: Iterable[str] = (), depth: int = 2) -> None:
        self.store = store
        self._queue = list(dict.fromkeys(ahead))[::-1]  # next query last
        self._depth = depth  # results fetched and not yet read, at most: the memory they hold is bounded
        self._pool = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="chainkg-columns") if self._queue else None
        )
        self._ahead: dict[str, Future[str]] = {}
        self._fill()
        self.fetched_late: list[str] = []  # queries run when asked, not ahead

    def _fill(self) -> None:
        while self._queue and len(self._ahead) < self._depth:
            text = self._queue.pop()
            self._ahead[text] = self._pool.submit(_csv, self.store, text)  # type: ignore[union-attr]

    def __enter__(self) -> Columns:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Drop the results fetched and not read, and wait for the background thread."""
        for future in self._ahead.values():
            future.cancel()
        self._ahead.clear()
        self._queue.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    @property
    def unread(self) -> list[str]:
        """Queries fetched (or to be fetched) ahead and not read yet."""
        return [*self._ahead, *reversed(self._queue)]

    def text(self, query: str) -> str:
        """The CSV result of ``query``."""
        future = self._ahead.pop(query, None)
        if future is not None:
            self._fill()
            return future.result()
        self.fetched_late.append(query)
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
