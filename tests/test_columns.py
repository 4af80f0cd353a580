"""SELECT results read as columns: the split fast path reads what the csv module reads, and the store view fetches
ahead exactly the queries it reads."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
from test_storeview import ROOT, _synthetic_store

import graph.sparql.storeview as storeview
from graph.build.pipeline import make_build
from graph.rdf.oxterms import to_store
from graph.seeds.load import load_seeds
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
    with Columns(store) as cols:
        assert cols.cells(_Q, 2) == _by_csv(store, _Q)
        assert '"' not in cols.text(_Q)  # this took the split path


def test_quoted_cells_read_by_csv():
    store = _store(ox.Literal("a, b"), ox.Literal('say "hi"'), ox.Literal("two\nlines"), ox.Literal("cr\rlf"))
    with Columns(store) as cols:
        cells = cols.cells(_Q, 2)
    assert cells == _by_csv(store, _Q)
    assert cells[1::2] == ["a, b", 'say "hi"', "two\nlines", "cr\rlf"]  # ordered by subject


def test_no_rows_and_one_column():
    store = _store(ox.NamedNode("http://x/o"))
    with Columns(store, ["SELECT ?s WHERE { ?s ?p ?o }"]) as cols:
        assert cols.cells("SELECT ?s WHERE { ?s ?p ?o }", 1) == ["http://x/s0"]
        assert cols.cells("SELECT ?s ?o WHERE { ?s <http://x/none> ?o }", 2) == []
        assert cols.fetched_late == ["SELECT ?s ?o WHERE { ?s <http://x/none> ?o }"]


def _recorded(store: ox.Store) -> tuple[list[str], list[str]]:
    seen: list[tuple[list[str], list[str]]] = []

    class Recording(Columns):
        def close(self) -> None:
            seen.append((self.unread, list(self.fetched_late)))
            super().close()

    real = storeview.Columns
    storeview.Columns = Recording  # type: ignore[misc]
    try:
        storeview.store_digraph(store, fetch_ahead=True)
    finally:
        storeview.Columns = real  # type: ignore[misc]
    return seen[0]


def test_store_view_reads_what_it_fetched_ahead():
    """Every query fetched ahead is read and none is run late (the list is in step with the code that reads it),
    and the view is the same without fetching ahead."""
    for store in (_synthetic_store(3000), to_store(make_build(load_seeds(ROOT / "seeds")).g)):
        unread, late = _recorded(store)
        assert unread == [] and late == []
        A, B = storeview.store_digraph(store, fetch_ahead=True), storeview.store_digraph(store)
        assert list(A.nodes(data=True)) == list(B.nodes(data=True))
        assert [(u, list(n.items())) for u, n in A.adjacency()] == [
            (u, list(n.items())) for u, n in B.adjacency()
        ]
