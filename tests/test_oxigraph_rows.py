"""Oxigraph's rows read from its TSV (graph.sparql.tsvrows) and sorted in Python (graph.sparql.ordering): the same
terms as reading them one by one, and the same order as Oxigraph's own ORDER BY."""

from __future__ import annotations

import gc
import threading
from contextlib import closing

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef

from graph.analysis.gcpause import PROMOTE_AT
from graph.errors import QueryError
from graph.rdf.oxterms import from_ox
from graph.sparql.engines import OxigraphEngine
from graph.sparql.ordering import sort_rows, split_order_by
from graph.sparql.tsvrows import parse_tsv_rows, read_tsv_rows, tsv_chunks

XSD = "http://www.w3.org/2001/XMLSchema#"
# IRIs whose order trips a naive key: a prefix of another, "-" and "/" below ">" in ASCII, non-ASCII text
IRIS = [
    "urn:a",
    "urn:a-b",
    "urn:a/b",
    "urn:ab",
    "urn:a0",
    "urn:A",
    "urn:中",
    "urn:é",
    "http://x.org/1",
    "urn:a%20",
]
TEXTS = [
    "",
    "a",
    "a b",
    "B",
    "tab\there",
    "line\nbreak",
    'say "hi"',
    "back\\slash",
    "中文",
    "é",
    "a\rb",
    "<x>",
    "_:x",
]


def _reference(store: ox.Store, query: str) -> list[tuple]:
    """Oxigraph's rows read term by term, as chainkg read them before (graph.rdf.oxterms.from_ox)."""
    return [tuple(map(from_ox, solution)) for solution in store.query(query)]


def _tsv(store: ox.Store, query: str) -> tuple[list[str], list[tuple]]:
    return parse_tsv_rows(store.query(query).serialize(format=ox.QueryResultsFormat.TSV))


def _store(values: list[str]) -> ox.Store:
    """A store with one (subject, value) pair per value, given as N-Triples terms."""
    store = ox.Store()
    text = "".join(f"<urn:s{i}> <urn:p> {v} .\n" for i, v in enumerate(values))
    store.load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _nt_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return '"' + escaped.replace("\t", "\\t") + '"'


# -- reading TSV --------------------------------------------------------------------------------------------------


def test_every_kind_of_term_reads_as_from_ox_makes_it() -> None:
    values = [f"<{i}>" for i in IRIS] + ["_:b1", "_:b2"]
    values += [_nt_string(t) for t in TEXTS] + [_nt_string(t) + "@zh" for t in TEXTS[1:4]] + ['"x"@en-GB']
    values += [
        f'"{n}"^^<{XSD}{dt}>'
        for n, dt in [("7", "integer"), ("-3", "int"), ("+5", "long"), ("07", "integer")]
    ]
    values += [f'"{n}"^^<{XSD}decimal>' for n in ("1.50", "-0.5", "3")]
    values += [f'"{n}"^^<{XSD}double>' for n in ("1E3", "-2.5e-1", "INF", "NaN")]
    values += [f'"{b}"^^<{XSD}boolean>' for b in ("true", "false", "1", "0")]
    values += [f'"2024-01-0{d}"^^<{XSD}date>' for d in (1, 2)] + [
        '"x y"^^<urn:my-type>',
        f'"s"^^<{XSD}string>',
    ]
    store = _store(values)
    query = "SELECT ?s ?o ?none WHERE { ?s <urn:p> ?o OPTIONAL { ?s <urn:nothing> ?none } }"
    names, rows = _tsv(store, query)
    assert names == ["s", "o", "none"]
    assert rows == _reference(store, query)
    kinds = {type(row[1]) for row in rows}
    assert kinds == {URIRef, BNode, Literal}
    assert all(row[2] is None for row in rows)
    assert len(rows) == len(values)


def test_results_without_columns_or_rows() -> None:
    store = _store(["<urn:a>"])
    assert _tsv(store, "SELECT * WHERE { }") == ([], [()])
    assert _tsv(store, "SELECT * WHERE { VALUES () { () () } }") == ([], [(), ()])
    assert _tsv(store, "SELECT ?x WHERE { FILTER(false) }") == (["x"], [])
    assert _tsv(store, "SELECT ?x WHERE { VALUES ?y { 1 2 } }") == (["x"], [(None,), (None,)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12), min_size=1, max_size=8
    )
)
def test_any_text_reads_back_unchanged(texts: list[str]) -> None:
    store = _store([_nt_string(t) for t in texts])
    query = "SELECT ?o WHERE { ?s <urn:p> ?o }"
    assert _tsv(store, query) == (["o"], _reference(store, query))


# -- splitting the ORDER BY off a query -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "keys", "limit", "offset"),
    [
        ("SELECT ?s { ?s ?p ?o } ORDER BY ?s", (("s", False),), None, 0),
        (
            "SELECT ?s ?o { ?s ?p ?o } order by desc(?o) ASC(?s) LIMIT 3 OFFSET 2",
            (("o", True), ("s", False)),
            3,
            2,
        ),
        ("SELECT ?s { ?s ?p ?o } ORDER BY ?s OFFSET 1 LIMIT 2", (("s", False),), 2, 1),
        ("SELECT ?s { ?s ?p ?o } # ORDER BY ?o\nORDER BY $s # the key\n", (("s", False),), None, 0),
        (
            "SELECT ?s (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(*) > 1) ORDER BY DESC(?n)",
            (("n", True),),
            None,
            0,
        ),
        ('SELECT ?s { ?s ?p "ORDER BY ?p }" } ORDER BY ?s', (("s", False),), None, 0),
    ],
)
def test_split_order_by(query: str, keys: tuple, limit: int | None, offset: int) -> None:
    split = split_order_by(query)
    assert split is not None
    assert (split.keys, split.limit, split.offset, split.hidden) == (keys, limit, offset, 0)
    assert "ORDER" not in split.text.upper().split("#")[0].split("}")[-1]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s { ?s ?p ?o }",
        "SELECT ?s { ?s ?p ?o } LIMIT 5",
        "SELECT ?s { ?s ?p ?o } ORDER BY STR(?s)",
        "SELECT ?s { ?s ?p ?o } ORDER BY ?s VALUES ?s { <urn:a> }",
        "SELECT ?s { { SELECT ?s { ?s ?p ?o } ORDER BY ?s LIMIT 1 } }",
        "SELECT ?s { ?s ?p ?o } ORDER BY ?s LIMIT 1 LIMIT 2",
        "SELECT DISTINCT ?s { ?s ?p ?o } ORDER BY ?o",
        "SELECT ?s { ?s ?p ?o ORDER BY ?s",
    ],
)
def test_queries_left_to_the_engine(query: str) -> None:
    assert split_order_by(query) is None


def test_a_key_the_select_does_not_return_is_added_then_dropped() -> None:
    split = split_order_by("SELECT ?s WHERE { ?s ?p ?o . BIND(1 AS ?rank) } ORDER BY ?rank ?s")
    assert split is not None and split.hidden == 1
    assert split.text.startswith("SELECT ?s ?rank\nWHERE")
    names, rows = split.finish(["s", "rank"], [(URIRef("urn:a"), Literal(1))])
    assert (names, rows) == (["s"], [(URIRef("urn:a"),)])


# -- sorting as Oxigraph sorts -------------------------------------------------------------------------------------

_IRI = st.sampled_from([f"<{i}>" for i in IRIS])
_TEXT = st.sampled_from([_nt_string(t) for t in TEXTS])
_LANG = st.sampled_from(['"zz"@zh', '"中文"@zh', '"mm"@en'])
_INT = st.integers(-(10**20), 10**20).map(lambda n: f'"{n}"^^<{XSD}integer>')
_DECIMAL = st.decimals(-1000, 1000, places=3).map(lambda d: f'"{d}"^^<{XSD}decimal>')
_DOUBLE = st.floats(-1e6, 1e6).map(lambda f: f'"{f!r}"^^<{XSD}double>')
COLUMNS = {
    "iris": _IRI,
    "iris and texts": st.one_of(_IRI, _TEXT, _LANG),
    "integers": _INT,
    "integers and IRIs": st.one_of(_INT, _IRI),
    "numbers": st.one_of(_INT, _DECIMAL, _DOUBLE),
}


@pytest.mark.parametrize("kind", sorted(COLUMNS))
@pytest.mark.parametrize("descending", [False, True])
def test_sorted_as_oxigraph_sorts(kind: str, descending: bool) -> None:
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(COLUMNS[kind], _IRI, st.booleans()), min_size=1, max_size=30))
    def check(rows: list[tuple[str, str, bool]]) -> None:
        store = ox.Store()
        lines = []
        for i, (value, other, bound) in enumerate(rows):
            lines.append(f"<urn:r{i}> <urn:other> {other} .")
            if bound:  # some rows leave ?v unbound
                lines.append(f"<urn:r{i}> <urn:v> {value} .")
        store.load("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        key = "DESC(?v)" if descending else "?v"
        query = (
            f"SELECT ?r ?v ?w WHERE {{ ?r <urn:other> ?w OPTIONAL {{ ?r <urn:v> ?v }} }} ORDER BY {key} ?w ?r"
        )
        ours = OxigraphEngine(store).query(query).rows
        assert ours == _reference(store, query)  # ?r is unique: no ties are left to break
        assert split_order_by(query) is not None

    check()


def test_terms_it_cannot_order_are_left_to_oxigraph() -> None:
    date = Literal("2024-01-01", datatype=URIRef(XSD + "date"))
    cases = {
        "blank nodes": [BNode("b1"), BNode("b2")],
        "dates": [date, date],
        "a text beside a number": [Literal("a"), Literal(1)],
        "one text in two languages": [Literal("a", lang="en"), Literal("a", lang="zh")],
        "not a number": [Literal("NaN", datatype=URIRef(XSD + "double")), Literal(1)],
    }
    for why, column in cases.items():
        assert sort_rows(["v"], [(t,) for t in column], (("v", False),)) is None, why
    assert sort_rows(["v"], [(URIRef("urn:a"),)], (("missing", False),)) is None


def test_the_engine_sorts_those_through_oxigraph() -> None:
    store = _store(['"a"@en', '"a"@zh', '"b"', "_:x", f'"2024-01-01"^^<{XSD}date>', "<urn:z>"])
    query = "SELECT ?s ?o WHERE { ?s <urn:p> ?o } ORDER BY ?o ?s"
    assert OxigraphEngine(store).query(query).rows == _reference(store, query)


def test_limit_offset_and_hidden_keys_through_the_engine() -> None:
    store = _store([f'"{n}"^^<{XSD}integer>' for n in (5, -2, 40, 3, 3)])
    engine = OxigraphEngine(store)
    query = "SELECT ?s WHERE { ?s <urn:p> ?o } ORDER BY DESC(?o) ?s LIMIT 3 OFFSET 1"
    result = engine.query(query)
    assert result.vars == ["s"]
    assert result.rows == _reference(store, query)
    assert [str(r[0]) for r in result.rows] == ["urn:s0", "urn:s3", "urn:s4"]


# -- streaming the TSV from Oxigraph's thread ------------------------------------------------------------------------


def _big_store(n: int = 20_000) -> ox.Store:
    return _store([f"<urn:o{i % 97}>" for i in range(n)])


def test_rows_stream_through_the_pipe_as_they_would_in_one_piece() -> None:
    store = _big_store()
    query = "SELECT ?s ?o WHERE { ?s <urn:p> ?o }"
    with closing(tsv_chunks(lambda: store.query(query), size=4096)) as chunks:
        streamed = read_tsv_rows(chunks)
    assert streamed == parse_tsv_rows(store.query(query).serialize(format=ox.QueryResultsFormat.TSV))
    assert len(streamed[1]) == 20_000


def test_without_dev_fd_the_text_comes_in_one_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    store = _big_store(100)
    monkeypatch.setattr("graph.sparql.tsvrows.os.path.exists", lambda path: False)
    chunks = list(tsv_chunks(lambda: store.query("SELECT ?s WHERE { ?s <urn:p> ?o }")))
    assert len(chunks) == 1 and chunks[0].count(b"\n") == 101


def test_a_reader_that_stops_early_ends_the_writer() -> None:
    store = _big_store(200_000)  # far more than a pipe holds: the writer is blocked when the reader stops
    before = threading.active_count()
    chunks = tsv_chunks(lambda: store.query("SELECT ?s ?o WHERE { ?s <urn:p> ?o }"), size=1024)
    assert next(chunks).startswith(b"?s\t?o\n")
    chunks.close()  # joins the writer, which fails on the closed pipe and ends
    assert threading.active_count() == before


def test_an_error_in_the_writer_reaches_the_reader() -> None:
    engine = OxigraphEngine(_big_store(10))
    with pytest.raises(QueryError, match="line 1"):
        engine.query("SELECT ?s WHERE { ?s <urn:p> ?o ")


def test_a_literal_cell_that_cannot_be_read_is_an_error() -> None:
    with pytest.raises(QueryError, match="cannot read the result cell"):
        parse_tsv_rows(b'?o\n"unterminated\n')
    with pytest.raises(QueryError, match="ended inside a line"):
        read_tsv_rows([b"?o\n<urn:a>"])


def test_a_query_leaves_the_collector_as_it_found_it() -> None:
    engine = OxigraphEngine(_big_store(60_000))
    assert gc.isenabled() and gc.get_freeze_count() == 0
    rows = engine.query("SELECT ?s ?o WHERE { ?s <urn:p> ?o } ORDER BY ?o ?s").rows
    assert len(rows) == 60_000 > PROMOTE_AT
    # the rows went to the oldest generation: the next young collection does not walk them, nothing stays frozen
    assert gc.isenabled() and gc.get_freeze_count() == 0 and gc.get_count()[0] < PROMOTE_AT
    with pytest.raises(QueryError):
        engine.query("SELECT ?s WHERE { ?s <urn:p> ?o ")
    assert gc.isenabled() and gc.get_freeze_count() == 0
