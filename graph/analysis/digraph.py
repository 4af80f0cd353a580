"""The networkx view of the knowledge graph: chains, stages, segments, enterprises, projects and places as nodes.

Node ids are the IRIs' local names (``org-jinko``); every node has ``kind``, ``label`` (zh) and ``label_en``;
chain nodes also carry ``chain``, ``stage`` and ``level`` (stage index) so views can lay them out in stage order;
segments and stages with a computed gap carry ``gap`` (missing | weak | extend), ``gap_score`` and ``gap_reason``.
Segments carry ``same_as`` / ``overlaps`` (``|``-joined node ids of the same or overlapping segments of other
chains, both directions) and ``value_share`` / ``value_share_of`` / ``value_share_source`` when the template gives
one; anchors carry ``anchor_basis`` (the quote naming them, or the curators' rule) and ``anchor_rule`` (True for a
rule). ``G.graph["claims"]`` holds the coverage claims and ``G.graph["sources"]`` the sources the graph rests on, as
JSON text (see :mod:`graph.analysis.coverage`); chains, stages and segments carry ``coverage`` once a build added
the states. Enterprises and projects carry ``reviewed`` (False for unreviewed proposals). The view adds each node's
sourced facts and the article texts (:func:`graph.view.facts.add_facts`).
Edges carry ``kind``: ``next_stage``, ``in_stage``, ``upstream_of``, ``feeds_back``, ``in_segment``, ``investor``,
``subsidiary_of``, ``located_in``.
"""

from __future__ import annotations

import json
from collections import defaultdict

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS

from graph.vocab.labels import local_name
from graph.vocab.namespaces import CKG, OA, SCHEMA, SDMX_ATTR, SDMX_MEASURE
from graph.vocab.units import UNITS

__all__ = ["to_digraph", "local_name", "seed_id", "KINDS"]

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


def seed_id(node: str) -> str:
    """The seed id of a node id: what follows its kind prefix (``seg-liion-cathode`` → ``liion-cathode``)."""
    return node.split("-", 1)[1] if "-" in node else node


def _strip_kind(name: str) -> str:
    """Seed id of a source or article node id (``src-s1`` → ``s1``)."""
    return name.split("-", 1)[1] if name.startswith(("src-", "doc-")) else name


def _evidence_texts(g: Graph, node: URIRef) -> list[dict[str, object]]:
    """Quotes (with offsets) and source notes of the evidence ``node`` was derived from, sorted."""
    result = []
    for ev in g.objects(node, PROV.wasDerivedFrom):
        source = g.value(ev, OA.hasSource)
        item: dict[str, object] = {"source": _strip_kind(local_name(source)) if source is not None else ""}
        for sel in g.objects(ev, OA.hasSelector):
            if g.value(sel, OA.exact) is not None:
                item["quote"] = str(g.value(sel, OA.exact))
            if g.value(sel, OA.start) is not None:
                item["start"], item["end"] = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))
        if g.value(ev, RDFS.comment) is not None:
            item["note"] = str(g.value(ev, RDFS.comment))
        result.append(item)
    return sorted(
        result, key=lambda i: (str(i.get("source")), int(i.get("start", -1)), str(i.get("note", "")))
    )


def _claims(g: Graph) -> list[dict[str, object]]:
    """Coverage claims (``ckg:CoverageClaim``) as plain records, sorted by id."""
    result = []
    for node in sorted(g.subjects(RDF.type, CKG.CoverageClaim)):
        result.append(
            {
                "id": local_name(node).removeprefix("claim-"),
                "kind": "complete" if g.value(node, CKG.claimKind) == CKG.claimsComplete else "present",
                "chain": local_name(g.value(node, SKOS.inScheme) or ""),
                "covers": sorted(local_name(t) for t in g.objects(node, CKG.covers)),
                "basis": str(g.value(node, CKG.basis) or ""),
                "evidence": _evidence_texts(g, node),
            }
        )
    return result


def _sources(g: Graph) -> dict[str, object]:
    """What the graph rests on: its articles (id, title, issue date) and the named sources actually cited."""
    articles = []
    for doc in sorted(g.subjects(RDF.type, SCHEMA.NewsArticle)):
        issued = g.value(doc, DCTERMS.issued)
        title = g.value(doc, SCHEMA.headline)
        articles.append(
            {"id": _strip_kind(local_name(doc)), "title": str(title or ""), "issued": str(issued or "")}
        )
    cited = {o for o in g.objects(None, OA.hasSource)}
    named = sorted(_strip_kind(local_name(s)) for s in g.subjects(RDF.type, CKG.NamedSource) if s in cited)
    return {"articles": articles, "named": named}


def _anchor_basis(g: Graph, node: URIRef) -> tuple[str, bool]:
    """The quote naming ``node`` the leading enterprise, or the curators' rule (second item True)."""
    rule = g.value(node, CKG.anchorRule)
    if rule is not None:
        return str(rule), True
    for fact in sorted(g.subjects(RDF.subject, node)):
        if g.value(fact, RDF.predicate) == CKG.isAnchor:
            quotes = [str(e.get("quote") or e.get("note") or "") for e in _evidence_texts(g, fact)]
            return "；".join(q for q in quotes if q), False
    return "", False


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
    # JSON text: GraphML takes only scalars
    G.graph["claims"] = json.dumps(_claims(g), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    G.graph["sources"] = json.dumps(_sources(g), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
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
                if attrs["anchor"]:
                    attrs["anchor_basis"], attrs["anchor_rule"] = _anchor_basis(g, node)
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
        # same / overlapping segments of other chains (SKOS mapping properties are symmetric)
        for key, prop in (("same_as", SKOS.exactMatch), ("overlaps", SKOS.closeMatch)):
            others = {local_name(o) for o in g.objects(node, prop)} | {
                local_name(s) for s in g.subjects(prop, node)
            }
            attrs[key] = "|".join(sorted(others))
        share = g.value(node, CKG.valueShare)
        if share is not None and g.value(share, CKG.sharePercent) is not None:
            attrs["value_share"] = float(g.value(share, CKG.sharePercent))
            attrs["value_share_of"] = str(g.value(share, CKG.shareOf) or "")
            attrs["value_share_text"] = str(g.value(share, RDFS.label) or "")
            sources = _evidence_texts(g, share)
            attrs["value_share_source"] = "；".join(str(e["source"]) for e in sources)
    # Computed coverage states (graph.analysis.coverage, added by chainkg build) mark chains, stages and segments.
    states = {CKG.present: "present", CKG.presentUnnamed: "present-unnamed", CKG.absent: "absent",
              CKG.unknown: "unknown"}  # fmt: skip
    for node, state in sorted(g.subject_objects(CKG.coverageState)):
        if local_name(node) in G and state in states:
            G.nodes[local_name(node)]["coverage"] = states[state]
    # Computed gaps (ckg:Gap, see graph.analysis.gaps) mark their segment or stage: gap = missing | weak | extend | verify.
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
