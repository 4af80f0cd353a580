"""The networkx view of a big graph, read from a pyoxigraph ``Store`` as columns instead of through rdflib.

:func:`graph.digraph.to_digraph` walks an rdflib graph; for a store that means first turning the chain part of it
into an rdflib graph (a ``CONSTRUCT``), which at a million triples costs more than the rules themselves (the
profiles are in docs/benchmarks.md). :func:`store_digraph` asks the store for the same facts as a few ``SELECT``
queries, reads their CSV results as plain text columns, and builds the same nodes, attributes and edges, so
:func:`graph.gaps.find_gaps` and the view run on it unchanged (tests/test_storeview.py compares the two paths).

Sourced facts, quotes and articles (the view's side panel) are built by :mod:`graph.facts` from an rdflib graph;
a store that holds any ``ckg:Fact`` or ``schema:NewsArticle`` (the curated seeds, small) is read the rdflib way.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator

import networkx as nx

from graph.digraph import _EDGES, _STATUS, _TO_YI, KINDS, local_name
from graph.facts import facts_json
from graph.namespaces import PREFIXES

__all__ = ["store_digraph", "view_digraph", "has_sourced_facts"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
# The subjects the view reads: instances of graph.digraph's node classes (joined in each query, so the national
# dataset's 100,000 products and their links are never fetched).
_TYPED = "VALUES ?t { " + " ".join(f"<{cls}>" for cls in KINDS) + " } ?s a ?t ."
_NUMERIC = {_XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "positiveInteger")}


def _rows(store: object, text: str) -> Iterator[list[str]]:
    """The rows of a SELECT as lists of strings (IRIs and literals' lexical forms; "" when unbound)."""
    import pyoxigraph as ox

    result = store.query(text, prefixes=PREFIXES)  # type: ignore[attr-defined]
    data = result.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8")
    rows = csv.reader(io.StringIO(data, newline=""))
    next(rows, None)  # the header
    return rows


def has_sourced_facts(store: object) -> bool:
    """True when the store holds facts with evidence or article texts, which only the rdflib path shows."""
    return bool(store.query("ASK { { ?f a ckg:Fact } UNION { ?d a schema:NewsArticle } }", prefixes=PREFIXES))  # type: ignore[attr-defined]


def _truthy(value: str, datatype: str) -> bool:
    """``bool()`` of the rdflib literal: booleans by value, numbers non-zero, anything else non-empty."""
    if datatype == _XSD + "boolean":
        return value.lower() in ("true", "1")
    if datatype in _NUMERIC:
        try:
            return float(value) != 0
        except ValueError:
            return False
    return value != ""


def _first(store: object, prop: str) -> dict[str, tuple[str, str]]:
    """Subject IRI → (value, datatype IRI) of one property, the smallest value when there are several."""
    out: dict[str, tuple[str, str]] = {}
    for s, v, dt in _rows(
        store, f"SELECT DISTINCT ?s ?v (DATATYPE(?v) AS ?dt) WHERE {{ {_TYPED} ?s {prop} ?v }}"
    ):
        if s not in out or (v, dt) < out[s]:
            out[s] = (v, dt)
    return out


def _labels(store: object, names: set[str]) -> dict[tuple[str, str], str]:
    """(subject IRI, "zh" | "en") → its smallest rdfs:label in that language."""
    out: dict[tuple[str, str], str] = {}
    q = (
        "SELECT DISTINCT ?s ?l (LANG(?l) AS ?lang) WHERE { "
        + _TYPED
        + ' ?s rdfs:label ?l FILTER(LANG(?l) IN ("zh", "en")) }'
    )
    for s, label, lang in _rows(store, q):
        if s in names:
            key = (s, lang)
            if key not in out or label < out[key]:
                out[key] = label
    return out


def _investments(store: object) -> dict[str, float]:
    """Total investment in 亿元 per subject IRI (graph.digraph reads the same observations)."""
    q = (
        "SELECT ?about ?value ?unit ?ind WHERE { ?obs a qb:Observation ; ckg:indicator ?ind ; "
        "schema:observationAbout ?about ; sdmx-measure:obsValue ?value ; sdmx-attribute:unitMeasure ?unit }"
    )
    to_yi = {str(k): v for k, v in _TO_YI.items()}
    out: dict[str, float] = {}
    for about, value, unit, ind in sorted(_rows(store, q)):
        if local_name(ind).endswith("total-investment") and unit in to_yi:
            try:
                out[about] = float(value) * to_yi[unit]
            except ValueError:
                continue
    return out


def _typed_nodes(store: object) -> dict[str, list[str]]:
    """Kind → sorted subject IRIs of that class."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    kinds = {str(cls): kind for cls, kind in KINDS.items()}
    values = " ".join(f"<{cls}>" for cls in kinds)
    for s, t in _rows(store, f"SELECT ?s ?t WHERE {{ VALUES ?t {{ {values} }} ?s a ?t FILTER(isIRI(?s)) }}"):
        by_kind[kinds[t]].append(s)
    return {kind: sorted(nodes) for kind, nodes in by_kind.items()}


def store_digraph(store: object) -> nx.DiGraph:
    """Return the networkx view (as :func:`graph.digraph.to_digraph` makes it) of a pyoxigraph ``Store``.

    Nodes get ``kind``, ``iri``, ``label``, ``label_en``, ``aliases``, ``quotes`` and ``facts`` (both empty: a store
    with sourced facts goes the rdflib way, see :func:`has_sourced_facts`), ``anchor`` / ``in_zone`` on enterprises,
    ``status`` on projects, ``reviewed`` on both, ``investment_yi``, ``chain`` / ``stage`` / ``level`` on the chain
    skeleton and ``gap`` / ``gap_score`` / ``gap_reason`` from stored ``ckg:Gap`` nodes; edges get ``kind``.
    """
    G = nx.DiGraph()
    G.graph["articles"] = facts_json({})
    typed = _typed_nodes(store)
    names = {s for nodes in typed.values() for s in nodes}
    labels = _labels(store, names)
    pref = _first(store, "skos:prefLabel")
    aliases: dict[str, list[str]] = defaultdict(list)
    for s, a in _rows(store, f"SELECT DISTINCT ?s ?a WHERE {{ {_TYPED} ?s skos:altLabel ?a }}"):
        if s in names:
            aliases[s].append(a)
    anchor, status, reviewed = (
        _first(store, "ckg:isAnchor"),
        _first(store, "ckg:status"),
        _first(store, "ckg:reviewed"),
    )
    sited = {s for (s,) in _rows(store, f"SELECT DISTINCT ?s WHERE {{ {_TYPED} ?s org:hasSite ?x }}")}
    investments = _investments(store)
    no_facts = facts_json([])
    statuses = {str(k): v for k, v in _STATUS.items()}
    for kind in KINDS.values():
        for node in typed.get(kind, []):
            attrs: dict[str, object] = {
                "kind": kind,
                "iri": node,
                "label": labels.get((node, "zh")) or (pref[node][0] if node in pref else local_name(node)),
                "label_en": labels.get((node, "en"), ""),
                "aliases": "|".join(sorted(aliases.get(node, []))),
                "quotes": "",
                "facts": no_facts,
            }
            if kind == "enterprise":
                attrs["anchor"] = node in anchor and _truthy(*anchor[node])
                attrs["in_zone"] = node in sited
            if kind == "project":
                attrs["status"] = statuses.get(status[node][0], "") if node in status else ""
            if kind in ("enterprise", "project"):
                attrs["reviewed"] = reviewed.get(node) != ("false", _XSD + "boolean")
            if node in investments:
                attrs["investment_yi"] = investments[node]
            G.add_node(local_name(node), **attrs)
    _skeleton(store, G, typed)
    _gaps(store, G)
    _edges(store, G)
    return G


def _skeleton(store: object, G: nx.DiGraph, typed: dict[str, list[str]]) -> None:
    """Stage index and chain on stages, then stage, chain and level on segments."""
    index, top, broader = (
        _first(store, "ckg:stageIndex"),
        _first(store, "skos:topConceptOf"),
        _first(store, "skos:broader"),
    )
    for node in typed.get("stage", []):
        level = int(index[node][0]) if node in index else 0
        G.nodes[local_name(node)].update(level=level, chain=local_name(top[node][0]) if node in top else "")
    for node in typed.get("segment", []):
        attrs = G.nodes[local_name(node)]
        stage = local_name(broader[node][0]) if node in broader else None
        if stage is not None and stage in G:
            attrs.update(stage=stage, chain=G.nodes[stage].get("chain", ""))
            attrs["level"] = G.nodes[stage].get("level", 0)


def _gaps(store: object, G: nx.DiGraph) -> None:
    """Computed gaps (``ckg:Gap``) mark their segment or stage, as in :func:`graph.digraph.to_digraph`."""
    q = (
        "SELECT ?gap ?kind ?seg ?stage ?score ?reason WHERE { ?gap a ckg:Gap . OPTIONAL { ?gap ckg:gapKind ?kind } "
        "OPTIONAL { ?gap ckg:gapSegment ?seg } OPTIONAL { ?gap ckg:gapStage ?stage } "
        "OPTIONAL { ?gap ckg:score ?score } OPTIONAL { ?gap ckg:reason ?reason } } ORDER BY ?gap"
    )
    for _, kind, seg, stage, score, reason in _rows(store, q):
        target = seg or stage
        if kind and target and local_name(target) in G:
            attrs = G.nodes[local_name(target)]
            attrs["gap"] = local_name(kind)
            attrs["gap_score"] = float(score) if score else 0.0
            attrs["gap_reason"] = reason


def _edges(store: object, G: nx.DiGraph) -> None:
    """The edges between view nodes, property by property (a later property's kind wins, as in to_digraph).

    Edges are added in the store's result order, not sorted: the rules and the view sort what they read.
    """
    for prop, kind in _EDGES.items():
        rows = _rows(store, f"SELECT DISTINCT ?s ?o WHERE {{ {_TYPED} ?s <{prop}> ?o }}")
        G.add_edges_from(_between(G, rows), kind=kind)
    q = "SELECT DISTINCT ?org ?place WHERE { ?org org:hasSite ?site . ?site schema:containedInPlace ?place }"
    G.add_edges_from(_between(G, _rows(store, q)), kind="located_in")


def _between(G: nx.DiGraph, rows: Iterator[list[str]]) -> Iterator[tuple[str, str]]:
    nodes = set(G)
    for s, o in rows:
        u, v = s[max(s.rfind("/"), s.rfind("#")) + 1 :], o[max(o.rfind("/"), o.rfind("#")) + 1 :]
        if u in nodes and v in nodes:
            yield u, v


def view_digraph(engine: object) -> nx.DiGraph:
    """The networkx view of what an engine holds: from columns for an Oxigraph store without sourced facts,
    otherwise through one ``CONSTRUCT`` (:func:`graph.engines.view_graph`, also what a remote server answers)."""
    from graph.digraph import to_digraph
    from graph.engines import OxigraphEngine, view_graph

    if isinstance(engine, OxigraphEngine) and not has_sourced_facts(engine.store):
        return store_digraph(engine.store)
    return to_digraph(view_graph(engine))  # type: ignore[arg-type]
