"""Building the RDF graph: asserted facts, statement nodes with evidence, observations, determinism."""

from __future__ import annotations

from decimal import Decimal

from rdflib import BNode, Literal
from rdflib.namespace import ORG, PROV, RDF, RDFS, SKOS, XSD

from graph import build_graph
from graph.rdf.serialize import dumps
from graph.vocab.namespaces import CKD, CKG, CKGU, OA, SCHEMA, SDMX_MEASURE


def test_facts_are_asserted_with_statement_nodes(tiny_graph):
    g = tiny_graph
    assert (CKD["org-jia"], CKG.inSegment, CKD["seg-bat-cathode"]) in g
    assert (CKD["proj-yi-cells"], CKG.status, CKG.inProduction) in g
    assert (CKD["proj-yi-cells"], CKG.investor, CKD["org-yi"]) in g
    facts = [f for f in g.subjects(RDF.subject, CKD["org-jia"]) if (f, RDF.predicate, CKG.inSegment) in g]
    (fact,) = facts
    (ev,) = g.objects(fact, PROV.wasDerivedFrom)
    assert (ev, RDF.type, CKG.ArticleSpan) in g
    selectors = set(g.objects(ev, OA.hasSelector))
    exact = {str(g.value(s, OA.exact)) for s in selectors if g.value(s, OA.exact)}
    assert exact == {"年产正极材料5万吨"}
    starts = {int(g.value(s, OA.start)) for s in selectors if g.value(s, OA.start) is not None}
    assert starts == {18}


def test_chain_structure(tiny_graph):
    g = tiny_graph
    assert (CKD["stage-bat-raw"], CKG.nextStage, CKD["stage-bat-cells"]) in g
    assert g.value(CKD["stage-bat-cells"], CKG.stageIndex) == Literal(2, datatype=XSD.positiveInteger)
    assert (CKD["seg-bat-cathode"], SKOS.broader, CKD["stage-bat-raw"]) in g
    assert (CKD["seg-bat-cathode"], CKG.upstreamOf, CKD["seg-bat-cell"]) in g
    # recycling is a feedback loop, never an upstream edge
    assert (CKD["seg-bat-recycling"], CKG.feedsBackTo, CKD["seg-bat-cathode"]) in g
    assert (CKD["seg-bat-recycling"], CKG.upstreamOf, None) not in g


def test_observation_carries_value_unit_and_evidence(tiny_graph):
    g = tiny_graph
    obs = CKD["obs-yi-cells-investment"]
    assert g.value(obs, SCHEMA.observationAbout) == CKD["proj-yi-cells"]
    assert g.value(obs, SDMX_MEASURE.obsValue).toPython() == Decimal("50")
    assert (obs, None, CKGU.YiYuan) in g
    assert g.value(obs, PROV.wasDerivedFrom) is not None


def test_local_enterprises_have_a_site_in_the_zone(tiny_graph):
    g = tiny_graph
    site = g.value(CKD["org-jia"], ORG.hasSite)
    assert g.value(site, SCHEMA.containedInPlace) == CKD["zone-demo-zone"]
    assert g.value(CKD["org-bing"], ORG.hasSite) is None  # an outside investor


def test_labels_are_language_tagged(tiny_graph):
    labels = set(tiny_graph.objects(CKD["org-jia"], RDFS.label))
    assert labels == {Literal("甲材料", lang="zh"), Literal("Jia Materials", lang="en")}


def test_no_blank_nodes(real_graph):
    assert not any(isinstance(term, BNode) for triple in real_graph for term in triple)


def test_same_seeds_same_bytes(real_seeds):
    assert dumps(build_graph(real_seeds), "turtle") == dumps(build_graph(real_seeds), "turtle")


def test_data_base_iri_is_configurable(tiny_seeds):
    g = build_graph(tiny_seeds, base="https://zone.example.org/kg/")
    assert any(str(s).startswith("https://zone.example.org/kg/org-jia") for s in g.subjects())
    assert dict(g.namespaces())["ckd"].startswith("https://zone.example.org/kg/")
