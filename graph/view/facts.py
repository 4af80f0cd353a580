"""Sourced facts per node and the article texts, in the plain form the HTML view's side panel shows.

Each fact is a dict ``{"p", "pe", "o", "oe", "ref", "ev"}``: the property in Chinese and English, the value in
Chinese and English, the local id of the value when it is a node, and its evidence: article spans
``{"q", "doc", "s", "e"}`` (quote, article id, code-point offsets, end exclusive) or named sources
``{"src", "note"}``. :mod:`graph.analysis.digraph` stores them on the networkx nodes as JSON text (GraphML takes only scalars).
"""

from __future__ import annotations

import json
from collections import defaultdict

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, QB, RDF, RDFS, SKOS

from graph.seeds.model import qualify
from graph.vocab.labels import local_name
from graph.vocab.namespaces import CKG, OA, SCHEMA, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE
from graph.vocab.units import UNITS

__all__ = ["node_facts", "article_texts", "facts_json", "add_facts", "PREDICATES", "TOP_TARGETS"]

TOP_TARGETS = 5  # ranked targets (招商目标) a gap's panel lists

# Property -> (zh, en, sort order) for the facts the panel shows.
PREDICATES: dict[URIRef, tuple[str, str, int]] = {
    RDFS.label: ("名称", "name", 0),
    CKG.status: ("状态", "status", 1),
    CKG.signingDate: ("签约日期", "signing date", 1),
    CKG.constructionStart: ("开工日期", "construction start", 1),
    CKG.productionStart: ("投产日期", "production start", 1),
    CKG.investor: ("投资方", "investor", 2),
    CKG.inSegment: ("所属环节", "segment", 3),
    ORG.hasSite: ("落户园区", "site in the zone", 4),
    CKG.projectSite: ("项目地点", "project site", 5),
    SCHEMA.containedInPlace: ("所在地", "located in", 6),
    CKG.awardedTo: ("荣誉", "honour", 8),
}
_FIGURE_ORDER = 7
_STATUS_LABELS = {
    CKG.signed: ("签约", "signed"),
    CKG.underConstruction: ("在建", "under construction"),
    CKG.inProduction: ("投产", "in production"),
}
_UNIT_SYMBOLS = {unit.iri: unit.symbol for unit in UNITS.values()}
_QUALIFIER_KEYS = {
    CKG.lowerBound: "lower-bound",
    CKG.moreThan: "more-than",
    CKG.approximately: "approx",
    CKG.planned: "planned",
    CKG.forecast: "forecast",
}


def _labels(g: Graph, node: URIRef) -> tuple[str, str]:
    """The zh and en labels of ``node`` (rdfs:label, then skos:prefLabel); en falls back to zh."""
    by_lang: dict[str, list[str]] = defaultdict(list)
    for prop in (RDFS.label, SKOS.prefLabel):
        for o in g.objects(node, prop):
            if isinstance(o, Literal):
                by_lang[o.language or ""].append(str(o))
    zh = min(by_lang.get("zh") or by_lang.get("") or by_lang.get("en") or [local_name(node)])
    return zh, min(by_lang.get("en") or [zh])


def _evidence(g: Graph, ev: URIRef) -> dict:
    if (ev, RDF.type, CKG.ArticleSpan) in g:
        item: dict = {"doc": local_name(g.value(ev, OA.hasSource) or "")}
        for sel in g.objects(ev, OA.hasSelector):
            if g.value(sel, OA.exact) is not None:
                item["q"] = str(g.value(sel, OA.exact))
            if g.value(sel, OA.start) is not None:
                item["s"], item["e"] = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))
        return item
    source = g.value(ev, OA.hasSource)
    return {
        "src": _labels(g, source)[0] if isinstance(source, URIRef) else "",
        "note": str(g.value(ev, RDFS.comment) or ""),
    }


def _evidence_list(g: Graph, node: URIRef) -> list[dict]:
    items = [_evidence(g, ev) for ev in g.objects(node, PROV.wasDerivedFrom) if isinstance(ev, URIRef)]
    return sorted(items, key=lambda e: json.dumps(e, ensure_ascii=False, sort_keys=True))


def _value(g: Graph, o: URIRef | Literal) -> tuple[str, str, str]:
    """(zh, en, ref) for a fact's object."""
    if o in _STATUS_LABELS:
        return (*_STATUS_LABELS[o], "")
    if isinstance(o, URIRef):
        return (*_labels(g, o), local_name(o))
    return str(o), str(o), ""


def _figure(g: Graph, obs: URIRef) -> dict:
    """An observation as a fact: indicator, then value, unit and period, with the text's qualifiers (超, 余, 约, 规划,
    预计: graph.seeds.model.qualify)."""
    indicator = g.value(obs, CKG.indicator)
    p, pe = _labels(g, indicator) if isinstance(indicator, URIRef) else ("指标", "figure")
    value = g.value(obs, SDMX_MEASURE.obsValue)
    number = f"{float(value.toPython()):g}" if value is not None else "?"
    unit = _UNIT_SYMBOLS.get(g.value(obs, SDMX_ATTR.unitMeasure), "")
    qualifiers = [_QUALIFIER_KEYS[q] for q in g.objects(obs, CKG.qualifier) if q in _QUALIFIER_KEYS]
    if not qualifiers and g.value(obs, CKG.approximate):  # a graph made before ckg:qualifier existed
        qualifiers = ["approx"]
    period = g.value(obs, SDMX_DIM.refPeriod)
    when = f" ({_labels(g, period)[0]})" if isinstance(period, URIRef) else ""
    ranks = sorted(
        f"{g.value(r, CKG.rankScope)}第{g.value(r, CKG.rankPosition)}" for r in g.subjects(CKG.rankOf, obs)
    )
    zh, en = qualify(f"{number} {unit}".strip(), qualifiers)
    tail = when + ("；" + "；".join(ranks) if ranks else "")
    return {
        "p": p,
        "pe": pe,
        "o": zh + tail,
        "oe": en + tail,
        "ref": "",
        "ev": _evidence_list(g, obs),
        "_order": _FIGURE_ORDER,
    }


def _targets(g: Graph) -> dict[str, list[dict]]:
    """The top ranked targets (``ckg:Recommendation``) of each gap segment, as facts with ``t`` = rank.

    The reason is the ranking's own sentence, which names the candidate's matched product and its source.
    """
    result: dict[str, list[dict]] = defaultdict(list)
    for rec in g.subjects(RDF.type, CKG.Recommendation):
        gap, cand, rank = g.value(rec, CKG.forGap), g.value(rec, CKG.candidate), g.value(rec, CKG.rank)
        segment = g.value(gap, CKG.gapSegment) if gap is not None else None
        if segment is None or cand is None or rank is None or int(rank) > TOP_TARGETS:
            continue
        name, name_en = _labels(g, cand)
        code = g.value(cand, CKG.stockCode)
        item = {
            "p": "招商目标",
            "pe": "target",
            "o": name,
            "oe": name_en,
            "ref": "",
            "ev": [],
            "t": int(rank),
            "why": str(g.value(rec, CKG.reason) or ""),
            "_order": 9,
        }
        if code is not None:
            item["code"] = str(code)
        result[local_name(segment)].append(item)
    return result


def node_facts(g: Graph) -> dict[str, list[dict]]:
    """Return the sourced facts and figures about each node, keyed by the node's local id, in a stable order.

    Example:
        >>> from rdflib import Graph, Literal
        >>> from graph.vocab.namespaces import CKD
        >>> g = Graph()
        >>> _ = g.add((CKD["fact-1"], RDF.type, CKG.Fact)).add((CKD["fact-1"], RDF.subject, CKD["org-a"]))
        >>> _ = g.add((CKD["fact-1"], RDF.predicate, RDFS.label)).add((CKD["fact-1"], RDF.object, Literal("甲")))
        >>> [(f["p"], f["o"]) for f in node_facts(g)["org-a"]]
        [('名称', '甲')]
    """
    facts: dict[str, list[dict]] = defaultdict(list)
    for fact in g.subjects(RDF.type, CKG.Fact):
        s, p, o = g.value(fact, RDF.subject), g.value(fact, RDF.predicate), g.value(fact, RDF.object)
        if not isinstance(s, URIRef) or p not in PREDICATES or o is None:
            continue
        zh, en, order = PREDICATES[p]
        if p == CKG.awardedTo:  # the honour is the subject; the panel shows it on the recipient
            s, o = o, s
        oz, oe, ref = _value(g, o)
        item = {
            "p": zh,
            "pe": en,
            "o": oz,
            "oe": oe,
            "ref": ref,
            "ev": _evidence_list(g, fact),
            "_order": order,
        }
        facts[local_name(s)].append(item)
    for obs in g.subjects(RDF.type, QB.Observation):
        about = g.value(obs, SCHEMA.observationAbout)
        if isinstance(obs, URIRef) and isinstance(about, URIRef):
            facts[local_name(about)].append(_figure(g, obs))
    for segment, items in _targets(g).items():
        facts[segment].extend(items)
    result = {}
    for node, items in facts.items():
        items.sort(key=lambda f: (f.pop("_order"), f["p"], f["o"], json.dumps(f["ev"], ensure_ascii=False)))
        result[node] = items
    return result


def article_texts(g: Graph) -> dict[str, dict[str, str]]:
    """Return ``{article id: {"title", "text"}}`` for every article in ``g`` (what evidence offsets point into)."""
    result = {}
    for doc in sorted(g.subjects(RDF.type, SCHEMA.NewsArticle)):
        text = g.value(doc, SCHEMA.text)
        if isinstance(doc, URIRef) and text is not None:
            result[local_name(doc)] = {"title": str(g.value(doc, SCHEMA.headline) or ""), "text": str(text)}
    return result


def facts_json(value: object) -> str:
    """Deterministic compact JSON text for a node attribute (GraphML stores only scalars)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def add_facts(G: nx.DiGraph, g: Graph) -> nx.DiGraph:
    """Give every node of ``G`` its sourced facts (``facts``, JSON text: GraphML takes only scalars) and ``G`` the
    article texts the side panel highlights quotes in (``G.graph["articles"]``); returns ``G``.

    ``facts`` is placed right after ``quotes`` in each node's attributes, where the GraphML keys have always been,
    so ``graph.graphml`` keeps its byte layout.
    """
    facts = node_facts(g)
    G.graph["articles"] = facts_json(article_texts(g))
    for node, attrs in G.nodes(data=True):
        items = list(attrs.items())
        attrs.clear()
        for key, value in items:
            attrs[key] = value
            if key == "quotes":
                attrs["facts"] = facts_json(facts.get(node, []))
    return G
