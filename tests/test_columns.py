"""SELECT results read as columns: the split fast path reads what the csv module reads."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox

from graph.sparql.columns import Columns, _csv

_Q = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o"


def _by_csv(store: ox.Store, query: str) -> list[str]:
    rows = csv.reader(io.StringIO(_csv(store, query), newline=""))
    next(rows)
    return [cell for row in rows for cell in row]


def _store(*objects: ox.NamedNode | ox.Literal | ox.BlankNode) -> ox.Store:
    store = ox.Store()
    for i, o in enumerate(objects):
        store.add(ox.Quad(ox.NamedNode(f"http://x/s{i}"), ox.NamedNode("http://x/p"), o))
    return store


def test_split_cells_equal_csv_cells():
    # unquoted: IRIs, plain and tagged literals, blank nodes, an empty string, spaces and Chinese
    store = _store(ox.NamedNode("http://x/o#a"), ox.Literal("锂电 正极"), ox.Literal("x", language="zh"),
                   ox.BlankNode("b1"), ox.Literal(""))  # fmt: skip
    cols = Columns(store)
    assert cols.cells(_Q, 2) == _by_csv(store, _Q)
    assert '"' not in cols.text(_Q)  # this took the split path


def test_quoted_cells_read_by_csv():
    store = _store(ox.Literal("a, b"), ox.Literal('say "hi"'), ox.Literal("two\nlines"), ox.Literal("cr\rlf"))
    cells = Columns(store).cells(_Q, 2)
    assert cells == _by_csv(store, _Q)
    assert cells[1::2] == ["a, b", 'say "hi"', "two\nlines", "cr\rlf"]  # ordered by subject


def test_no_rows_and_one_column():
    store = _store(ox.NamedNode("http://x/o"))
    cols = Columns(store)
    assert cols.cells("SELECT ?s WHERE { ?s ?p ?o }", 1) == ["http://x/s0"]
    assert cols.cells("SELECT ?s ?o WHERE { ?s <http://x/none> ?o }", 2) == []
