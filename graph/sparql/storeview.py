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

import json
from collections import defaultdict

import networkx as nx

from graph.analysis.digraph import _EDGES, _STATUS, _TO_YI, KINDS, local_name, to_digraph
from graph.analysis.gcpause import paused_gc
from graph.sparql.columns import Columns
from graph.sparql.engines import OxigraphEngine, view_graph
from graph.vocab.namespaces import CKG, PREFIXES, SCHEMA

__all__ = ["store_digraph", "view_digraph", "has_sourced_facts"]

_CONTAINED = SCHEMA.containedInPlace
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "positiveInteger")}


def _first_query(prop: str) -> str:
    """Subject, value and the value's datatype of one property (a prefixed name or ``<IRI>``)."""
    return f"SELECT ?s ?v (DATATYPE(?v) AS ?dt) WHERE {{ ?s {prop} ?v }}"


def _pairs_query(prop: str) -> str:
    """Subject and object of one property (a prefixed name or ``<IRI>``)."""
    return f"SELECT ?s ?o WHERE {{ ?s {prop} ?o }}"


_LABELS = "SELECT ?s ?l (LANG(?l) AS ?lang) WHERE { ?s rdfs:label ?l }"
_FLAGS = ("ckg:isAnchor", "ckg:status", "ckg:reviewed")
_INVESTMENTS = (
    "SELECT ?about ?value ?unit ?ind WHERE { ?obs a qb:Observation ; ckg:indicator ?ind ; "
    "schema:observationAbout ?about ; sdmx-measure:obsValue ?value ; sdmx-attribute:unitMeasure ?unit }"
)
_SKELETON = ("ckg:stageIndex", "skos:topConceptOf", "skos:broader")
_MATCHES = (("same_as", "skos:exactMatch"), ("overlaps", "skos:closeMatch"))
_COVERAGE = "SELECT ?s ?state WHERE { ?s ckg:coverageState ?state }"
_GAPS = (
    "SELECT ?gap ?kind ?seg ?stage ?score ?reason WHERE { ?gap a ckg:Gap . OPTIONAL { ?gap ckg:gapKind ?kind } "
    "OPTIONAL { ?gap ckg:gapSegment ?seg } OPTIONAL { ?gap ckg:gapStage ?stage } "
    "OPTIONAL { ?gap ckg:score ?score } OPTIONAL { ?gap ckg:reason ?reason } } ORDER BY ?gap"
)


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


def _first(cols: Columns, prop: str, nodes: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Subject IRI → (value, datatype IRI) of one property, the smallest when there are several.

    Every query is one triple pattern and only the view's ``nodes`` (IRIs) are looked up in the result: joining
    the subjects with their classes in SPARQL took longer than reading the whole column (a million-triple graph,
    docs/benchmarks.md). A column with one value per subject is the answer as it stands (a dict made at C speed).
    """
    cells = cols.cells(_first_query(prop), 3)
    subjects, values, types = cells[0::3], cells[1::3], cells[2::3]
    if len(set(subjects)) == len(subjects):
        return dict(zip(subjects, zip(values, types, strict=True), strict=True))
    out: dict[str, tuple[str, str]] = {}
    for s, v, dt in zip(subjects, values, types, strict=True):
        if s in nodes:
            old = out.get(s)
            if old is None or (v, dt) < old:
                out[s] = (v, dt)
    return out


def _labels(cols: Columns) -> tuple[dict[str, str], dict[str, str]]:
    """Subject IRI → its smallest rdfs:label in Chinese, and in English.

    The language is picked here: a ``FILTER`` on it cost Oxigraph more than the whole column (0.34 s against
    0.23 s for 193,420 labels). When every label is in one language and no subject has two, the column is the
    answer as it stands (a dict made at C speed).
    """
    cells = cols.cells(_LABELS, 3)
    subjects, labels, langs = cells[0::3], cells[1::3], cells[2::3]
    for lang in ("zh", "en"):
        if langs.count(lang) == len(langs):
            only = dict(zip(subjects, labels, strict=True))
            if len(only) == len(subjects):
                return (only, {}) if lang == "zh" else ({}, only)
    zh: dict[str, str] = {}
    en: dict[str, str] = {}
    for s, label, lang in zip(subjects, labels, langs, strict=True):
        out = zh if lang == "zh" else en if lang == "en" else None
        if out is not None:
            old = out.get(s)
            if old is None or label < old:
                out[s] = label
    return zh, en


def _investments(cols: Columns) -> dict[str, float]:
    """Total investment in 亿元 per subject IRI (graph.digraph reads the same observations)."""
    to_yi = {str(k): v for k, v in _TO_YI.items()}
    out: dict[str, float] = {}
    for about, value, unit, ind in sorted(cols.rows(_INVESTMENTS)):
        if local_name(ind).endswith("total-investment") and unit in to_yi:
            try:
                out[about] = float(value) * to_yi[unit]
            except ValueError:
                continue
    return out


def _typed_nodes(cols: Columns) -> dict[str, list[str]]:
    """Kind → sorted IRIs of that class (blank nodes left out), one single-pattern query per class."""
    by_kind: dict[str, list[str]] = {}
    for cls, kind in KINDS.items():
        nodes = cols.cells(f"SELECT ?s WHERE {{ ?s a <{cls}> }}", 1)
        if nodes:
            by_kind[kind] = sorted(n for n in nodes if not n.startswith("_:"))  # CSV writes a blank node _:id
    return by_kind


def store_digraph(store: object) -> nx.DiGraph:
    """Return the networkx view (as :func:`graph.digraph.to_digraph` makes it) of a pyoxigraph ``Store``.

    Nodes get ``kind``, ``iri``, ``label``, ``label_en``, ``aliases``, ``quotes`` (empty: a store with sourced
    facts goes the rdflib way, see :func:`has_sourced_facts`), ``anchor`` / ``in_zone`` on enterprises,
    ``status`` on projects, ``reviewed`` on both, ``investment_yi``, ``chain`` / ``stage`` / ``level`` on the chain
    skeleton and ``gap`` / ``gap_score`` / ``gap_reason`` from stored ``ckg:Gap`` nodes; edges get ``kind``.
    """
    # plain dicts and strings only: no cycles for the collector to find
    with paused_gc():
        return _store_digraph(Columns(store))


def _store_digraph(cols: Columns) -> nx.DiGraph:
    """The body of :func:`store_digraph`."""
    G = nx.DiGraph()
    typed = _typed_nodes(cols)
    # subject IRI → its node name (its local name), computed once and reused for every edge; also the set of
    # the view's nodes by IRI
    keys = {
        node: node[max(node.rfind("/"), node.rfind("#")) + 1 :] for nodes in typed.values() for node in nodes
    }
    zh, en = _labels(cols)
    pref = _first(cols, "skos:prefLabel", keys)
    aliases: dict[str, list[str]] = {}
    it = iter(cols.cells(_pairs_query("skos:altLabel"), 2))
    for s, a in zip(it, it, strict=False):
        aliases.setdefault(s, []).append(a)
    anchor, status, reviewed = (_first(cols, p, keys) for p in _FLAGS)
    it = iter(cols.cells(_pairs_query("org:hasSite"), 2))
    sites = [(s, site) for s, site in zip(it, it, strict=False) if s in keys]
    sited = {s for s, _ in sites}
    investments = _investments(cols)
    statuses = {str(k): v for k, v in _STATUS.items()}
    not_reviewed = ("false", _XSD + "boolean")
    node_attrs, succ, pred = G._node, G._succ, G._pred  # the dicts networkx documents, see _add_edges
    for kind in KINDS.values():
        firm, project = kind == "enterprise", kind == "project"
        for node in typed.get(kind, ()):
            name = keys[node]
            attrs: dict[str, object] = {
                "kind": kind,
                "iri": node,
                "label": zh.get(node) or (pref[node][0] if node in pref else name),
                "label_en": en.get(node, ""),
                "aliases": "|".join(sorted(aliases[node])) if node in aliases else "",
                "quotes": "",
            }
            if firm:
                attrs["anchor"] = node in anchor and _truthy(*anchor[node])
                if attrs["anchor"]:  # no rule and no sourced fact names it (has_sourced_facts)
                    attrs["anchor_basis"], attrs["anchor_rule"] = "", False
                attrs["in_zone"] = node in sited
                attrs["reviewed"] = reviewed.get(node) != not_reviewed
            elif project:
                attrs["status"] = statuses.get(status[node][0], "") if node in status else ""
                attrs["reviewed"] = reviewed.get(node) != not_reviewed
            if node in investments:
                attrs["investment_yi"] = investments[node]
            if name in node_attrs:  # a node of two classes gets both attribute sets, the later class winning
                node_attrs[name].update(attrs)
            else:  # what G.add_node(name, **attrs) does, minus its checks and factory calls
                node_attrs[name], succ[name], pred[name] = attrs, {}, {}
    G.graph["claims"], G.graph["sources"] = _NO_CLAIMS, _NO_SOURCES
    _skeleton(cols, G, typed, keys)
    _matches(cols, G, typed)
    for node, state in cols.rows(_COVERAGE):
        name = local_name(node)
        if name in G and state in _STATES:
            G.nodes[name]["coverage"] = _STATES[state]
    _gaps(cols, G)
    _add_edges(cols, G, keys, sites)
    return G


def _skeleton(cols: Columns, G: nx.DiGraph, typed: dict[str, list[str]], keys: dict[str, str]) -> None:
    """Stage index and chain on stages, then stage, chain and level on segments."""
    index, top, broader = (_first(cols, prop, keys) for prop in _SKELETON)
    for node in typed.get("stage", []):
        level = int(index[node][0]) if node in index else 0
        G.nodes[local_name(node)].update(level=level, chain=local_name(top[node][0]) if node in top else "")
    for node in typed.get("segment", []):
        attrs = G.nodes[local_name(node)]
        stage = local_name(broader[node][0]) if node in broader else None
        if stage is not None and stage in G:
            attrs.update(stage=stage, chain=G.nodes[stage].get("chain", ""))
            attrs["level"] = G.nodes[stage].get("level", 0)


def _matches(cols: Columns, G: nx.DiGraph, typed: dict[str, list[str]]) -> None:
    """``same_as`` / ``overlaps`` on every segment: the segments of other chains it is the same as or overlaps
    (``skos:exactMatch`` / ``skos:closeMatch``, read in both directions)."""
    for key, prop in _MATCHES:
        others: dict[str, set[str]] = defaultdict(set)
        for s, o in cols.rows(_pairs_query(prop)):
            others[s].add(local_name(o))
            others[o].add(local_name(s))
        for node in typed.get("segment", []):
            G.nodes[local_name(node)][key] = "|".join(sorted(others.get(node, ())))


def _gaps(cols: Columns, G: nx.DiGraph) -> None:
    """Computed gaps (``ckg:Gap``) mark their segment or stage, as in :func:`graph.digraph.to_digraph`."""
    for _, kind, seg, stage, score, reason in cols.rows(_GAPS):
        target = seg or stage
        if kind and target and local_name(target) in G:
            attrs = G.nodes[local_name(target)]
            attrs["gap"] = local_name(kind)
            attrs["gap_score"] = float(score) if score else 0.0
            attrs["gap_reason"] = reason


def _add_edges(cols: Columns, G: nx.DiGraph, keys: dict[str, str], sites: list[tuple[str, str]]) -> None:
    """Add the edges between view nodes, property by property (a later property's kind wins, as in to_digraph),
    then enterprise → place through the enterprise's ``org:Site``.

    Edges come in the store's result order, not sorted: the rules and the view sort what they read. They go
    straight into the DiGraph's own dicts, as ``G.add_edges_from([(u, v)], kind=kind)`` would put them, minus its
    per-item checks and factory calls (1.4 s of the 1M view, docs/benchmarks.md): ``G._node``, ``G._succ`` (=
    ``G._adj``) and ``G._pred`` are the data structure networkx documents ("Reporting / Data structure" in the
    networkx reference: node → attribute dict; node → neighbour → edge attribute dict, the same dict object in
    both directions). A repeated pair keeps its place and takes the later kind, as networkx does. ``G`` is fresh
    (nothing cached on it), so no networkx cache needs clearing.
    """
    places: dict[str, list[str]] = defaultdict(list)
    succ, pred = G._succ, G._pred
    for prop, kind in _EDGES.items():
        cells = cols.cells(_pairs_query(f"<{prop}>"), 2)
        subjects, objects = cells[0::2], cells[1::2]
        if prop == _CONTAINED:
            for s, o in zip(subjects, objects, strict=True):
                places[s].append(o)
        _put(succ, pred, *_named(subjects, objects, keys, succ), kind)
    orgs, targets = [], []
    for org, site in sites:
        for place in places.get(site, ()):
            v = keys.get(place) or local_name(place)
            if v in succ:
                orgs.append(keys[org])
                targets.append(v)
    _put(succ, pred, orgs, targets, "located_in")


def _named(
    subjects: list[str], objects: list[str], keys: dict[str, str], nodes: dict[str, dict]
) -> tuple[list[str], list[str]]:
    """The (u, v) node names of the rows whose subject is a view node and whose object is one or has a view
    node's local name, as two lists; looked up column by column with ``map`` (a dict's get at C speed)."""
    us, vs = list(map(keys.get, subjects)), list(map(keys.get, objects))
    if None not in us and None not in vs:  # every row an edge between typed nodes: nothing to check per row
        return us, vs
    named = [(u, v if v is not None else o[max(o.rfind("/"), o.rfind("#")) + 1 :])
             for u, v, o in zip(us, vs, objects, strict=True) if u is not None]  # fmt: skip
    named = [(u, v) for u, v in named if v in nodes]
    return [u for u, _ in named], [v for _, v in named]


def _put(succ: dict[str, dict], pred: dict[str, dict], us: list[str], vs: list[str], kind: str) -> None:
    """Add the edges u → v of ``kind`` straight into a DiGraph's successor and predecessor dicts (see
    :func:`_add_edges`); a pair already there keeps its place and takes ``kind``."""
    for u, v in zip(us, vs, strict=True):
        out = succ[u]
        if v in out:
            out[v]["kind"] = kind
        else:
            out[v] = pred[v][u] = {"kind": kind}


def view_digraph(engine: object) -> nx.DiGraph:
    """The networkx view of what an engine holds: from columns for an Oxigraph store without sourced facts,
    otherwise through one ``CONSTRUCT`` (:func:`graph.engines.view_graph`, also what a remote server answers)."""
    if isinstance(engine, OxigraphEngine) and not has_sourced_facts(engine.store):
        return store_digraph(engine.store)
    return to_digraph(view_graph(engine))  # type: ignore[arg-type]
