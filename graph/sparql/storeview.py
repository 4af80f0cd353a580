"""The networkx view of a big graph, read from a pyoxigraph ``Store`` as columns instead of through rdflib.

:func:`graph.analysis.digraph.to_digraph` walks an rdflib graph; for a store that means first turning the chain part of it
into an rdflib graph (a ``CONSTRUCT``), which at a million triples costs more than the rules themselves (the
profiles are in docs/benchmarks.md). :func:`store_digraph` asks the store for the same facts as a few ``SELECT``
queries, reads their CSV results as plain text columns, and builds the same nodes, attributes and edges, so
:func:`graph.analysis.gaps.find_gaps` and the view run on it unchanged (tests/test_storeview.py compares the
two paths).

Quotes (and the view's sourced facts, :mod:`graph.view.facts`) come from ``ckg:Fact`` nodes and their evidence; a
store that holds any ``ckg:Fact`` or ``schema:NewsArticle`` (the curated seeds, small) is read the rdflib way.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator

import networkx as nx
import pyoxigraph as ox

from graph.analysis.digraph import _EDGES, _STATUS, _TO_YI, KINDS, local_name, to_digraph
from graph.analysis.gcpause import paused_gc
from graph.sparql.engines import OxigraphEngine, view_graph
from graph.vocab.namespaces import CKG, PREFIXES, SCHEMA

__all__ = ["store_digraph", "view_digraph", "has_sourced_facts"]

_CONTAINED = SCHEMA.containedInPlace
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "positiveInteger")}


def _rows(store: object, text: str) -> Iterator[list[str]]:
    """The rows of a SELECT as lists of strings (IRIs and literals' lexical forms; "" when unbound)."""
    result = store.query(text, prefixes=PREFIXES)  # type: ignore[attr-defined]
    data = result.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8")
    rows = csv.reader(io.StringIO(data, newline=""))
    next(rows, None)  # the header
    return rows


# What only the rdflib path reads: facts with evidence, articles, named sources, coverage claims, anchors' rules
# and value shares (their quotes and sources are assembled from evidence nodes by graph.analysis.digraph).
_SOURCED = (
    "ASK { { ?f a ckg:Fact } UNION { ?d a schema:NewsArticle } UNION { ?n a ckg:NamedSource } "
    "UNION { ?c a ckg:CoverageClaim } UNION { ?a ckg:anchorRule ?r } UNION { ?s ckg:valueShare ?v } }"
)
_STATES = {str(CKG.present): "present", str(CKG.presentUnnamed): "present-unnamed", str(CKG.absent): "absent",
           str(CKG.unknown): "unknown"}  # fmt: skip
_NO_CLAIMS = json.dumps([], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_NO_SOURCES = json.dumps(
    {"articles": [], "named": []}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
)


def has_sourced_facts(store: object) -> bool:
    """True when the store holds facts with evidence, articles, named sources, coverage claims, anchor rules or
    value shares, which only the rdflib path turns into view attributes."""
    return bool(store.query(_SOURCED, prefixes=PREFIXES))  # type: ignore[attr-defined]


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


def _first(store: object, prop: str, names: set[str]) -> dict[str, tuple[str, str]]:
    """Subject IRI (of ``names``) → (value, datatype IRI) of one property, the smallest when there are several.

    Every query is one triple pattern and the subjects are filtered here: joining them with their classes in
    SPARQL took longer than reading the whole column (a million-triple graph, docs/benchmarks.md).
    """
    out: dict[str, tuple[str, str]] = {}
    for s, v, dt in _rows(store, f"SELECT ?s ?v (DATATYPE(?v) AS ?dt) WHERE {{ ?s {prop} ?v }}"):
        if s in names and (s not in out or (v, dt) < out[s]):
            out[s] = (v, dt)
    return out


def _labels(store: object, names: set[str]) -> dict[tuple[str, str], str]:
    """(subject IRI, "zh" | "en") → its smallest rdfs:label in that language."""
    out: dict[tuple[str, str], str] = {}
    q = 'SELECT ?s ?l (LANG(?l) AS ?lang) WHERE { ?s rdfs:label ?l FILTER(LANG(?l) IN ("zh", "en")) }'
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

    Nodes get ``kind``, ``iri``, ``label``, ``label_en``, ``aliases``, ``quotes`` (empty: a store with sourced
    facts goes the rdflib way, see :func:`has_sourced_facts`), ``anchor`` / ``in_zone`` on enterprises,
    ``status`` on projects, ``reviewed`` on both, ``investment_yi``, ``chain`` / ``stage`` / ``level`` on the chain
    skeleton and ``gap`` / ``gap_score`` / ``gap_reason`` from stored ``ckg:Gap`` nodes; edges get ``kind``.
    """
    with paused_gc():  # plain dicts and strings only: no cycles for the collector to find
        return _store_digraph(store)


def _store_digraph(store: object) -> nx.DiGraph:
    """The body of :func:`store_digraph`."""
    G = nx.DiGraph()
    typed = _typed_nodes(store)
    names = {s for nodes in typed.values() for s in nodes}
    labels = _labels(store, names)
    pref = _first(store, "skos:prefLabel", names)
    aliases: dict[str, list[str]] = defaultdict(list)
    for s, a in _rows(store, "SELECT ?s ?a WHERE { ?s skos:altLabel ?a }"):
        if s in names:
            aliases[s].append(a)
    anchor, status, reviewed = (_first(store, f"ckg:{p}", names) for p in ("isAnchor", "status", "reviewed"))
    sites = [
        (s, site) for s, site in _rows(store, "SELECT ?s ?site WHERE { ?s org:hasSite ?site }") if s in names
    ]
    sited = {s for s, _ in sites}
    investments = _investments(store)
    statuses = {str(k): v for k, v in _STATUS.items()}
    new: list[tuple[str, dict]] = []
    keys: dict[str, str] = {}  # subject IRI → its node name, computed once and reused for every edge
    for kind in KINDS.values():
        for node in typed.get(kind, []):
            attrs: dict[str, object] = {
                "kind": kind,
                "iri": node,
                "label": labels.get((node, "zh")) or (pref[node][0] if node in pref else local_name(node)),
                "label_en": labels.get((node, "en"), ""),
                "aliases": "|".join(sorted(aliases[node])) if node in aliases else "",
                "quotes": "",
            }
            if kind == "enterprise":
                attrs["anchor"] = node in anchor and _truthy(*anchor[node])
                if attrs["anchor"]:  # no rule and no sourced fact names it (has_sourced_facts)
                    attrs["anchor_basis"], attrs["anchor_rule"] = "", False
                attrs["in_zone"] = node in sited
            if kind == "project":
                attrs["status"] = statuses.get(status[node][0], "") if node in status else ""
            if kind in ("enterprise", "project"):
                attrs["reviewed"] = reviewed.get(node) != ("false", _XSD + "boolean")
            if node in investments:
                attrs["investment_yi"] = investments[node]
            key = keys.get(node) or keys.setdefault(node, node[max(node.rfind("/"), node.rfind("#")) + 1 :])
            new.append((key, attrs))
    _add_direct(
        G, new, ()
    )  # a node of two classes gets both attribute sets, the later class winning, as there
    G.graph["claims"], G.graph["sources"] = _NO_CLAIMS, _NO_SOURCES
    _skeleton(store, G, typed, names)
    _matches(store, G, typed)
    for node, state in _rows(store, "SELECT ?s ?state WHERE { ?s ckg:coverageState ?state }"):
        name = local_name(node)
        if name in G and state in _STATES:
            G.nodes[name]["coverage"] = _STATES[state]
    _gaps(store, G)
    _add_direct(G, (), _edges(store, G, keys, sites))
    return G


def _add_direct(
    G: nx.DiGraph, nodes: Iterable[tuple[str, dict]], edges: Iterable[tuple[str, str, str]]
) -> None:
    """Add nodes (name, attributes) and then edges (u, v, kind) by filling the DiGraph's own dicts.

    This does what ``G.add_nodes_from(nodes)`` and ``G.add_edges_from([(u, v)], kind=kind)`` do, minus their
    per-item checks and factory calls (1.4 s of the 1M view, docs/benchmarks.md). ``G._node``, ``G._succ`` (=
    ``G._adj``) and ``G._pred`` are the data structure networkx documents ("Reporting / Data structure" in the
    networkx reference: node → attribute dict; node → neighbour → edge attribute dict, the same dict object in both
    directions). A node seen again has its attributes updated; a repeated pair keeps its place and takes the later
    kind, as networkx does; both ends of every edge must be nodes already. ``G`` is fresh
    (nothing cached on it), so no networkx cache needs clearing.
    """
    node, succ, pred = G._node, G._succ, G._pred
    for name, attrs in nodes:
        if name in node:
            node[name].update(attrs)
        else:
            node[name], succ[name], pred[name] = attrs, {}, {}
    for u, v, kind in edges:  # both ends are nodes already: _edges yields only nodes' names
        data = succ[u].get(v)
        if data is None:
            succ[u][v] = pred[v][u] = {"kind": kind}
        else:
            data["kind"] = kind


def _skeleton(store: object, G: nx.DiGraph, typed: dict[str, list[str]], names: set[str]) -> None:
    """Stage index and chain on stages, then stage, chain and level on segments."""
    index, top, broader = (
        _first(store, prop, names) for prop in ("ckg:stageIndex", "skos:topConceptOf", "skos:broader")
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


def _matches(store: object, G: nx.DiGraph, typed: dict[str, list[str]]) -> None:
    """``same_as`` / ``overlaps`` on every segment: the segments of other chains it is the same as or overlaps
    (``skos:exactMatch`` / ``skos:closeMatch``, read in both directions)."""
    for key, prop in (("same_as", "skos:exactMatch"), ("overlaps", "skos:closeMatch")):
        others: dict[str, set[str]] = defaultdict(set)
        for s, o in _rows(store, f"SELECT ?s ?o WHERE {{ ?s {prop} ?o }}"):
            others[s].add(local_name(o))
            others[o].add(local_name(s))
        for node in typed.get("segment", []):
            G.nodes[local_name(node)][key] = "|".join(sorted(others.get(node, ())))


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


def _edges(
    store: object, G: nx.DiGraph, keys: dict[str, str], sites: list[tuple[str, str]]
) -> Iterator[tuple[str, str, str]]:
    """The edges (u, v, kind) between view nodes, property by property (a later property's kind wins, as in
    to_digraph), then enterprise → place through the enterprise's ``org:Site``.

    Edges come in the store's result order, not sorted: the rules and the view sort what they read.
    """
    places: dict[str, list[str]] = defaultdict(list)
    nodes = G._node  # the names of the nodes (a dict: membership as fast as a set, without copying it)
    for prop, kind in _EDGES.items():
        contained = prop == _CONTAINED
        for s, o in _rows(store, f"SELECT ?s ?o WHERE {{ ?s <{prop}> ?o }}"):
            if contained:
                places[s].append(o)
            u = keys.get(s)  # only typed subjects (the view's nodes) have a key
            if u is not None:
                v = keys.get(o)
                if v is None:  # an untyped object whose local name is still a node's name
                    v = o[max(o.rfind("/"), o.rfind("#")) + 1 :]
                    if v not in nodes:
                        continue
                yield u, v, kind
    for org, site in sites:
        for place in places.get(site, ()):
            v = keys.get(place) or local_name(place)
            if v in nodes:
                yield keys[org], v, "located_in"


def view_digraph(engine: object) -> nx.DiGraph:
    """The networkx view of what an engine holds: from columns for an Oxigraph store without sourced facts,
    otherwise through one ``CONSTRUCT`` (:func:`graph.engines.view_graph`, also what a remote server answers)."""
    if isinstance(engine, OxigraphEngine) and not has_sourced_facts(engine.store):
        return store_digraph(engine.store)
    return to_digraph(view_graph(engine))  # type: ignore[arg-type]
