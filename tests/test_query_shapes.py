"""Named queries rewritten for speed at a million triples keep their answers, on a small graph where each case occurs.

anchor-suppliers, single-player-segments and facts-without-evidence are written for Oxigraph's planner (sub-selects,
nested EXISTS, a numeric sort key); the graph below holds the cases those shapes must still tell apart, and both
engines must give the same rows in the same order.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import ORG, RDF

from graph.sparql.engines import engine_for
from graph.sparql.named import get_named_query
from graph.vocab.namespaces import CKD, CKG, PREFIXES

_TTL = """
ckd:chain-x a ckg:IndustryChain ; rdfs:label "链"@zh .
ckd:stage-x a ckg:ChainStage ; ckg:stageIndex 1 ; skos:topConceptOf ckd:chain-x .
ckd:seg-s0 a ckg:ChainSegment ; skos:inScheme ckd:chain-x ; skos:broader ckd:stage-x ; ckg:upstreamOf ckd:seg-s2 .
ckd:seg-s1 a ckg:ChainSegment ; skos:inScheme ckd:chain-x ; skos:broader ckd:stage-x ; ckg:upstreamOf ckd:seg-s2 .
ckd:seg-s2 a ckg:ChainSegment ; skos:inScheme ckd:chain-x ; skos:broader ckd:stage-x .
ckd:seg-s3 a ckg:ChainSegment ; skos:inScheme ckd:chain-x ; skos:broader ckd:stage-x ; ckg:upstreamOf ckd:seg-s2 .
ckd:seg-s4 a ckg:ChainSegment ; skos:inScheme ckd:chain-x ; skos:broader ckd:stage-x .
# the anchor also works in its own upstream segment s1, alone there
ckd:org-a a ckg:Enterprise ; ckg:isAnchor true ; org:hasSite ckd:site-a ; ckg:inSegment ckd:seg-s2, ckd:seg-s1 .
ckd:org-b a ckg:Enterprise ; org:hasSite ckd:site-b ; ckg:inSegment ckd:seg-s0 .
ckd:org-c a ckg:Enterprise ; ckg:inSegment ckd:seg-s0, ckd:seg-s3, ckd:seg-s4 .
ckd:proj-p a ckg:InvestmentProject ; ckg:inSegment ckd:seg-s0 .
ckd:org-d a ckg:Enterprise ; org:hasSite ckd:site-d1, ckd:site-d2 ; ckg:inSegment ckd:seg-s4 .
# one placement with evidence, one fact without any
ckd:fact-1 a ckg:Fact ; rdf:subject ckd:org-b ; rdf:predicate ckg:inSegment ; rdf:object ckd:seg-s0 ;
  prov:wasDerivedFrom ckd:doc-1 .
ckd:fact-2 a ckg:Fact ; rdf:subject ckd:org-c ; rdf:predicate ckg:inSegment ; rdf:object ckd:seg-s0 .
"""


@pytest.fixture(scope="module")
def graph() -> Graph:
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    return Graph().parse(data=head + _TTL, format="turtle")


def _rows(graph: Graph, engine: str, name: str) -> list[tuple]:
    return engine_for(graph, engine).query(get_named_query(name).bind({})).rows


def _n(local: str) -> URIRef:
    return CKD[local]


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_anchor_suppliers_cases(graph, engine):
    a, s2 = _n("org-a"), _n("seg-s2")
    # s0: a local firm and a project without a site (both local), a firm without a site (not local);
    # s1: only the anchor itself, so no supplier; s3: only a firm without a site, so no supplier
    assert _rows(graph, engine, "anchor-suppliers") == [
        (a, s2, _n("seg-s0"), _n("org-b")),
        (a, s2, _n("seg-s0"), _n("proj-p")),
        (a, s2, _n("seg-s1"), None),
        (a, s2, _n("seg-s3"), None),
    ]


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_single_player_segments_cases(graph, engine):
    chain = _n("chain-x")
    # s0 has two local players, s3 none; s4's second player has no site; d has two sites but is one player
    assert _rows(graph, engine, "single-player-segments") == [
        (chain, _n("seg-s1"), _n("org-a")),
        (chain, _n("seg-s2"), _n("org-a")),
        (chain, _n("seg-s4"), _n("org-d")),
    ]


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_facts_without_evidence_order_and_evidence(graph, engine):
    rows = _rows(graph, engine, "facts-without-evidence")
    assert rows == sorted(rows, key=lambda r: tuple(str(t) for t in (r[1], r[0], r[2])))
    assert rows[0][1] == ORG.hasSite  # http://www.w3.org/ns/org# sorts before https://w3id.org/chainkg/
    triples = {(s, p, o) for s, p, o in rows}
    assert (_n("org-b"), CKG.inSegment, _n("seg-s0")) not in triples  # its fact has evidence
    assert (_n("org-c"), CKG.inSegment, _n("seg-s0")) in triples  # a fact without evidence does not count
    assert len(rows) == len([t for t in graph if t[1] in (ORG.hasSite, CKG.inSegment)]) - 1
    assert RDF.type not in {p for _, p, _ in rows}


_CLAIMS_TTL = """
ckd:chain-y a ckg:IndustryChain .
ckd:stage-y a ckg:ChainStage ; ckg:stageIndex 1 ; skos:topConceptOf ckd:chain-y .
ckd:seg-y0 a ckg:ChainSegment ; skos:inScheme ckd:chain-y ; skos:broader ckd:stage-y .
ckd:seg-y1 a ckg:ChainSegment ; skos:inScheme ckd:chain-y ; skos:broader ckd:stage-y .
ckd:seg-y2 a ckg:ChainSegment ; skos:inScheme ckd:chain-y ; skos:broader ckd:stage-y .
ckd:seg-y3 a ckg:ChainSegment ; skos:inScheme ckd:chain-y ; skos:broader ckd:stage-y .
ckd:org-y a ckg:Enterprise ; org:hasSite ckd:site-y ; ckg:inSegment ckd:seg-y0 .
ckd:claim-p a ckg:CoverageClaim ; ckg:claimKind ckg:claimsPresence ; skos:inScheme ckd:chain-y ;
  ckg:covers ckd:seg-y1 .
# a complete roster that names y2: it covers y2 but claims no presence there
ckd:claim-c a ckg:CoverageClaim ; ckg:claimKind ckg:claimsComplete ; skos:inScheme ckd:chain-y ;
  ckg:covers ckd:chain-y, ckd:seg-y2 .
"""


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_coverage_states_tell_the_claim_kinds_apart(engine):
    """The presence test looks the segment's claims up and then their kind (nested, for rdflib's join order): a claim
    of another kind covering the segment is not a presence claim."""
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    g = Graph().parse(data=head + _CLAIMS_TTL, format="turtle")
    states = [(r[2], str(r[4])) for r in _rows(g, engine, "empty-segments")]
    assert states == [(_n("seg-y1"), "present-unnamed"), (_n("seg-y2"), "absent"), (_n("seg-y3"), "absent")]
    (row,) = _rows(g, engine, "chain-coverage")
    assert row[0] == _n("chain-y") and [int(v) for v in row[1:6]] == [1, 1, 2, 0, 4]
