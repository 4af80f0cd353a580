"""The networkx view read from an Oxigraph store as columns equals the one made through rdflib, and so do the gaps."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.analysis.digraph import to_digraph
from graph.analysis.gaps import chain_coverage, find_gaps
from graph.analysis.supply import anchor_supply
from graph.build.pipeline import make_build
from graph.rdf.oxterms import to_store
from graph.seeds.load import load_seeds
from graph.sparql.engines import OxigraphEngine, view_graph
from graph.sparql.storeview import has_sourced_facts, store_digraph, view_digraph

from conftest import DATASET

ROOT = Path(__file__).resolve().parent.parent
# Built from facts, evidence and sources, which only the rdflib path reads (the seeds have them)
SOURCED = {
    "facts",
    "quotes",
    "anchor_basis",
    "anchor_rule",
    "value_share",
    "value_share_of",
    "value_share_text",
    "value_share_source",
}


def _synthetic_store(n_triples: int) -> ox.Store:
    """The benchmark's seeded synthetic zone (scripts/bench.py), loaded into a store."""
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    def lit(text, lang, datatype):
        if lang:
            return ox.Literal(text, language=lang)
        return ox.Literal(text, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(text)

    store = ox.Store()
    triples = bench.synthetic_triples(n_triples, ox.NamedNode, lit)
    store.bulk_extend(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in triples)
    return store


def _same_view(store: ox.Store, skip: set[str] | frozenset[str] = frozenset()) -> None:
    A = to_digraph(view_graph(OxigraphEngine(store)))
    B = store_digraph(store)
    assert sorted(A) == sorted(B)
    for n in A:
        a = {k: v for k, v in A.nodes[n].items() if k not in skip}
        b = {k: v for k, v in B.nodes[n].items() if k not in skip}
        assert a == b, n
    assert sorted(A.edges(data="kind")) == sorted(B.edges(data="kind"))
    if skip:
        return  # the rules read some of the skipped attributes (anchor basis, value shares)
    assert A.graph == B.graph
    assert find_gaps(A) == find_gaps(B)
    assert anchor_supply(A) == anchor_supply(B)
    assert chain_coverage(A) == chain_coverage(B)


def test_seeds_same_view_and_gaps():
    store = to_store(make_build(load_seeds(ROOT / "seeds")).g)
    _same_view(store, SOURCED)
    # the seeds carry sourced facts, which only the rdflib path reads: view_digraph takes it, same gaps
    assert has_sourced_facts(store)
    G = view_digraph(OxigraphEngine(store))
    gaps = find_gaps(G)
    assert gaps and gaps == find_gaps(to_digraph(view_graph(OxigraphEngine(store))))
    assert any(d["quotes"] for _, d in G.nodes(data=True))


@pytest.mark.parametrize("size", [3000, 40000])
def test_synthetic_same_view_and_gaps(size):
    store = _synthetic_store(size)
    _same_view(store)
    assert not has_sourced_facts(store)
    G = store_digraph(store)
    assert anchor_supply(G) and any(a.inputs for a in anchor_supply(G))


def test_gap_and_attributes_from_the_store():
    """Stored gaps, anchors, statuses and investments reach the node attributes the rules and the view read."""
    G = store_digraph(to_store(make_build(load_seeds(ROOT / "seeds")).g))
    kinds = {d["kind"] for _, d in G.nodes(data=True)}
    assert {"chain", "stage", "segment", "enterprise", "project"} <= kinds
    assert any(d.get("gap") for _, d in G.nodes(data=True))
    assert any(d.get("anchor") for _, d in G.nodes(data=True))
    assert any(d.get("status") for _, d in G.nodes(data=True))
    assert any("investment_yi" in d for _, d in G.nodes(data=True))


@pytest.mark.slow
@pytest.mark.skipif(not DATASET.is_dir(), reason="national dataset not present in ../shared")
def test_national_same_view_and_gaps():
    from graph.inputs.national.rdf import national_store
    from graph.inputs.national.read import read_national

    _same_view(national_store(read_national(DATASET)))
