"""Oxigraph results read through SPARQL TSV give the same rdflib terms as converting each pyoxigraph term."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.errors import QueryError
from graph.rdf.oxterms import from_ox, from_tsv, rows_from_tsv
from graph.sparql.engines import OxigraphEngine

XSD = "http://www.w3.org/2001/XMLSchema#"

# every kind of term a result can hold, with the characters TSV escapes and the numbers it writes bare
_OBJECTS = [
    ox.NamedNode("https://w3id.org/chainkg/id/org-jinko"),
    ox.BlankNode("b0"),
    ox.Literal("plain"),
    ox.Literal('tab\there, newline\nthere, return\r, quote " and backslash \\ and \\t literally'),
    ox.Literal("晶科能源"),
    ox.Literal("晶科", language="zh"),
    ox.Literal("JinkoSolar", language="en-us"),
    ox.Literal("explicit", datatype=ox.NamedNode(XSD + "string")),
    *(ox.Literal(v, datatype=ox.NamedNode(XSD + "integer")) for v in ("12", "-5", "+3", "007", "abc")),
    *(ox.Literal(v, datatype=ox.NamedNode(XSD + "decimal")) for v in ("1.0", "-0.25", ".5", "3")),
    *(ox.Literal(v, datatype=ox.NamedNode(XSD + "double")) for v in ("1E3", "1.5e-2", "NaN", "INF")),
    *(ox.Literal(v, datatype=ox.NamedNode(XSD + "boolean")) for v in ("true", "false", "1")),
    ox.Literal("2023-05-01", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("12", datatype=ox.NamedNode(XSD + "positiveInteger")),
    ox.Literal("x", datatype=ox.NamedNode("urn:custom")),
    ox.Literal(""),
]


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    p = ox.NamedNode("urn:p")
    for i, o in enumerate(_OBJECTS):
        s.add(ox.Quad(ox.NamedNode(f"urn:s{i:02d}"), p, o))
    return s


def test_tsv_rows_equal_term_by_term_conversion(store):
    query = "SELECT ?s ?o ?none WHERE { ?s <urn:p> ?o OPTIONAL { ?s <urn:q> ?none } } ORDER BY ?s"
    want = [tuple(map(from_ox, sol)) for sol in store.query(query)]
    got = rows_from_tsv(store.query(query).serialize(format=ox.QueryResultsFormat.TSV), 3)
    assert len(got) == len(_OBJECTS)
    for a, b in zip(got, want, strict=True):
        assert a == b
        assert [type(t) for t in a] == [type(t) for t in b]
        assert [(getattr(t, "language", None), getattr(t, "datatype", None)) for t in a] == [
            (getattr(t, "language", None), getattr(t, "datatype", None)) for t in b
        ]


def test_engine_rows_unbound_and_empty_results(store):
    engine = OxigraphEngine(store)
    assert engine.query("SELECT ?x WHERE { OPTIONAL { <urn:none> <urn:p> ?x } }").rows == [(None,)]
    assert engine.query("SELECT ?x WHERE { ?x <urn:none> ?y }").rows == []
    assert engine.query("SELECT * WHERE { }").rows == [()]
    with pytest.raises(QueryError, match="RDF-star"):
        from_tsv("<<( <urn:a> <urn:b> <urn:c> )>>")
