"""The networkx view of the knowledge graph: chains, stages, segments, enterprises, projects and places as nodes.

Node ids are the IRIs' local names (``org-jinko``); every node has ``kind``, ``label`` (zh) and ``label_en``;
chain nodes also carry ``chain``, ``stage`` and ``level`` (stage index) so views can lay them out in stage order;
segments and stages with a computed gap carry ``gap`` (missing | weak | extend), ``gap_score`` and ``gap_reason``.
Enterprises and projects carry ``reviewed`` (False for unreviewed proposals). The view adds each node's sourced
facts and the article texts (:func:`graph.view.facts.add_facts`).
Edges carry ``kind``: ``next_stage``, ``in_stage``, ``upstream_of``, ``feeds_back``, ``in_segment``, ``investor``,
``subsidiary_of``, ``located_in``.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, RDFS, SKOS

from graph.vocab.labels import local_name
from graph.vocab.namespaces import CKG, OA, SCHEMA, SDMX_ATTR, SDMX_MEASURE
from graph.vocab.units import UNITS

__all__ = ["to_digraph", "local_name", "KINDS"]

KINDS = {
    CKG.IndustryChain: "chain",
    CKG.ChainStage: "stage",
    CKG.ChainSegment: "segment",
    CKG.Enterprise: "enterprise",
    CKG.InvestmentProject: "project",
    CKG.DevelopmentZone: "zone",
    SCHEMA.Place: "place",
}
_EDGES = {
    CKG.nextStage: "next_stage",
    SKOS.broader: "in_stage",
    CKG.upstreamOf: "upstream_of",
    CKG.feedsBackTo: "feeds_back",
    CKG.inSegment: "in_segment",
    CKG.investor: "investor",
    ORG.subOrganizationOf: "subsidiary_of",
    SCHEMA.containedInPlace: "located_in",
    CKG.projectSite: "located_in",
}
_STATUS = {
    CKG.signed: "signed",
    CKG.underConstruction: "under_construction",
    CKG.inProduction: "in_production",
}
_TO_YI = {unit.iri: unit.to_yuan / 1e8 for unit in UNITS.values() if unit.to_yuan}


def _label(g: Graph, node: URIRef, lang: str) -> str:
    values = sorted(
        str(o) for o in g.objects(node, RDFS.label) if isinstance(o, Literal) and o.language == lang
    )
    return values[0] if values else ""


def _quotes(g: Graph) -> dict[URIRef, list[str]]:
    """Article quotes behind the facts about each subject, for hover text."""
    quotes: dict[URIRef, set[str]] = defaultdict(set)
    for fact in g.subjects(RDF.type, CKG.Fact):
        subject = g.value(fact, RDF.subject)
        for ev in g.objects(fact, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")):
            for sel in g.objects(ev, OA.hasSelector):
                exact = g.value(sel, OA.exact)
                if exact is not None and isinstance(subject, URIRef):
                    quotes[subject].add(str(exact).replace("\n", ""))
    return {s: sorted(q) for s, q in quotes.items()}


def _investments(g: Graph) -> dict[URIRef, float]:
    """Total investment in 亿元 per subject, from ``total-investment`` observations."""
    result: dict[URIRef, float] = {}
    for obs in g.subjects(RDF.type, URIRef("http://purl.org/linked-data/cube#Observation")):
        indicator = g.value(obs, CKG.indicator)
        if indicator is None or not local_name(indicator).endswith("total-investment"):
            continue
        about, value, unit = (
            g.value(obs, SCHEMA.observationAbout),
            g.value(obs, SDMX_MEASURE.obsValue),
            g.value(obs, SDMX_ATTR.unitMeasure),
        )
        if isinstance(about, URIRef) and value is not None and unit in _TO_YI:
            result[about] = float(value.toPython()) * _TO_YI[unit]
    return result


def to_digraph(g: Graph) -> nx.DiGraph:
    """Return the networkx view of ``g`` (see the module docstring for node and edge attributes).

    Example:
        >>> from rdflib import Graph, Namespace, Literal
        >>> from rdflib.namespace import RDF, RDFS
        >>> from graph.vocab.namespaces import CKG
        >>> D = Namespace("https://w3id.org/chainkg/id/")
        >>> g = Graph()
        >>> for s in ("seg-a", "seg-b", "seg-c"):
        ...     _ = g.add((D[s], RDF.type, CKG.ChainSegment)).add((D[s], RDFS.label, Literal(s, lang="zh")))
        >>> _ = g.add((D["seg-a"], CKG.upstreamOf, D["seg-b"])).add((D["seg-b"], CKG.upstreamOf, D["seg-c"]))
        >>> G = to_digraph(g)
        >>> sorted(G.edges), G.nodes["seg-a"]["kind"]
        ([('seg-a', 'seg-b'), ('seg-b', 'seg-c')], 'segment')
    """
    G = nx.DiGraph()
    quotes, investments = _quotes(g), _investments(g)
    for cls, kind in KINDS.items():
        for node in sorted(g.subjects(RDF.type, cls)):
            if not isinstance(node, URIRef):
                continue
            attrs = {
                "kind": kind,
                "iri": str(node),
                "label": _label(g, node, "zh") or str(g.value(node, SKOS.prefLabel) or local_name(node)),
                "label_en": _label(g, node, "en"),
                "aliases": "|".join(sorted(str(a) for a in g.objects(node, SKOS.altLabel))),
                "quotes": "\n".join(quotes.get(node, [])),
            }
            if kind == "enterprise":
                attrs["anchor"] = bool(g.value(node, CKG.isAnchor))
                attrs["in_zone"] = g.value(node, ORG.hasSite) is not None
            if kind == "project":
                attrs["status"] = _STATUS.get(g.value(node, CKG.status), "")
            if kind in ("enterprise", "project"):
                # false only for machine proposals admitted into a build unreviewed (docs/zone.md)
                attrs["reviewed"] = g.value(node, CKG.reviewed) != Literal(False)
            if node in investments:
                attrs["investment_yi"] = investments[node]
            G.add_node(local_name(node), **attrs)
    for node in sorted(g.subjects(RDF.type, CKG.ChainStage)):
        index = g.value(node, CKG.stageIndex)
        chain = g.value(node, SKOS.topConceptOf)
        G.nodes[local_name(node)].update(
            level=int(index) if index is not None else 0, chain=local_name(chain or "")
        )
    for node in sorted(g.subjects(RDF.type, CKG.ChainSegment)):
        stage = g.value(node, SKOS.broader)
        attrs = G.nodes[local_name(node)]
        if stage is not None and local_name(stage) in G:
            attrs.update(stage=local_name(stage), chain=G.nodes[local_name(stage)].get("chain", ""))
            attrs["level"] = G.nodes[local_name(stage)].get("level", 0)
    # Computed gaps (ckg:Gap, see graph.analysis.gaps) mark their segment or stage: gap = missing | weak | extend.
    for gap in sorted(g.subjects(RDF.type, CKG.Gap)):
        kind = g.value(gap, CKG.gapKind)
        target = g.value(gap, CKG.gapSegment) or g.value(gap, CKG.gapStage)
        if kind is not None and target is not None and local_name(target) in G:
            attrs = G.nodes[local_name(target)]
            attrs["gap"] = local_name(kind)
            score = g.value(gap, CKG.score)
            attrs["gap_score"] = float(score) if score is not None else 0.0
            attrs["gap_reason"] = str(g.value(gap, CKG.reason) or "")
    for prop, kind in _EDGES.items():
        for s, o in sorted(g.subject_objects(prop)):
            u, v = local_name(s), local_name(o)
            if u in G and v in G:
                G.add_edge(u, v, kind=kind)
    # An enterprise is located through its org:Site; the view skips the site node and links to the place.
    for org, site in sorted(g.subject_objects(ORG.hasSite)):
        for place in g.objects(site, SCHEMA.containedInPlace):
            if local_name(org) in G and local_name(place) in G:
                G.add_edge(local_name(org), local_name(place), kind="located_in")
    return G
