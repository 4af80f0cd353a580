"""Every export format round-trips through rdflib and through an independent parser (Oxigraph)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph import FORMATS, ExportError, dumps
from graph.rdf.serialize import dump

OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip_rdflib(real_graph, fmt):
    text = dumps(real_graph, fmt)
    assert isomorphic(real_graph, Graph().parse(data=text, format=FORMATS[fmt].rdflib_name))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip_oxigraph(real_graph, fmt):
    """Oxigraph's parser is a second, independent reading of each file; it must give the same triples."""
    text = dumps(real_graph, fmt)
    quads = ox.parse(text.encode("utf-8"), format=OX_FORMATS[fmt])
    back = Graph().parse(
        data=ox.serialize(
            [ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES
        ).decode(),
        format="nt",
    )
    assert isomorphic(real_graph, back)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_ends_with_newline_and_is_deterministic(tiny_graph, fmt):
    assert dumps(tiny_graph, fmt).endswith("\n")
    assert dumps(tiny_graph, fmt) == dumps(tiny_graph, fmt)


def test_turtle_uses_prefixes(tiny_graph):
    text = dumps(tiny_graph, "turtle")
    assert "PREFIX ckd: <https://w3id.org/chainkg/id/>" in text
    assert "ckd:org-jia" in text


def test_jsonld_has_compact_context(tiny_graph):
    import json

    doc = json.loads(dumps(tiny_graph, "jsonld"))
    assert doc["@context"]["ckg"] == "https://w3id.org/chainkg/ontology#"
    assert any(node.get("@id") == "ckd:org-jia" for node in doc["@graph"])


def test_unknown_format(tiny_graph):
    with pytest.raises(ExportError, match='unknown format "rdfxml"; choose one of turtle, nt, jsonld'):
        dumps(tiny_graph, "rdfxml")


def test_dump_writes_utf8_atomically(tiny_graph, tmp_path):
    path = tmp_path / "kg.ttl"
    dump(tiny_graph, "turtle", path)
    assert "甲材料" in path.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_ntriples_text_is_oxigraphs_own(real_graph):
    """sorted_ntriples writes an rdflib graph's N-Triples as text; the bytes are those Oxigraph's serialiser gives
    for the same terms, on the seeds and on literals with every escape, language tags, datatypes and blank nodes."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD

    from graph.rdf.fastio import sorted_ntriples
    from graph.rdf.oxterms import to_ox

    g = Graph()
    for triple in real_graph:
        g.add(triple)
    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    odd = 'quote " back \\ tab \t nl \n cr \r bell \x07 del \x7f 中文 é'
    for obj in (
        Literal(odd),
        Literal(odd, lang="zh-Hans-CN"),
        Literal("7", datatype=XSD.nonNegativeInteger),
        Literal("1.50", datatype=XSD.decimal),
        Literal("x", datatype=XSD.string),
        BNode("b1"),
    ):
        g.add((s, p, obj))
    g.add((BNode("b2"), p, s))
    expected = ox.serialize(
        [ox.Triple(to_ox(a), to_ox(b), to_ox(c)) for a, b, c in g], format=ox.RdfFormat.N_TRIPLES
    )
    assert sorted_ntriples(g) == b"\n".join(sorted(line for line in expected.split(b"\n") if line)) + b"\n"
    assert sorted_ntriples(Graph()) == b""
