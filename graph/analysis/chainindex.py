"""The index the gap and supply rules read: a chain graph's segments, stages, local firms and coverage, once.

Built from the networkx view (:func:`graph.analysis.digraph.to_digraph`). **Local players** are in-zone enterprises
and all investment projects; a project folds into a local enterprise of the same segment when that enterprise, or
its parent group, invests in it: a **firm** is a local enterprise with its folded projects, or a standalone
project. Firms of a segment declared the same or overlapping in another chain count for it too.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib import Graph

from graph.analysis.coverage import Coverage, coverage_states, matched_segments
from graph.analysis.digraph import to_digraph
from graph.analysis.gcpause import paused_gc
from graph.rdf.builder import build_graph
from graph.seeds.model import STATUSES, Seeds

__all__ = ["ChainIndex", "as_digraph", "same_segments", "zh_status"]

_FLOWS = ("upstream_of", "feeds_back")
_OUT_KINDS = ("investor", "subsidiary_of")  # the out-edges the firm rules read (graph.analysis.digraph kinds)


def as_digraph(source: Seeds | Graph | nx.DiGraph) -> nx.DiGraph:
    """Return the networkx view of seeds, an rdflib graph, or a view already made."""
    if isinstance(source, nx.DiGraph):
        return source
    if isinstance(source, Seeds):
        source = build_graph(source)
    return to_digraph(source)


def same_segments(G: nx.DiGraph, seg: str) -> list[str]:
    """Segments declared the same as ``seg`` (``skos:exactMatch``, both directions)."""
    return sorted(m for m in str(G.nodes[seg].get("same_as") or "").split("|") if m in G)


def zh_status(status: str) -> str:
    """A player status in Chinese (投产, 在建 …), 状态未知 when it has none."""
    return STATUSES[status][0] if status in STATUSES else "状态未知"


class ChainIndex:
    """Index of the view: segments, stages, players, firms and coverage."""

    def __init__(self, G: nx.DiGraph) -> None:
        self.G = G
        with paused_gc():  # indexes of plain dicts and lists over every node of a big graph, no cycles
            self._index(G)

    def _index(self, G: nx.DiGraph) -> None:
        # node attributes and out-edges read once from plain dicts: at a million triples, asking networkx node by
        # node and edge by edge (a view object per call) was most of the rules' time
        self._attrs: dict[str, dict] = dict(G.nodes(data=True))
        attrs = self._attrs
        by_kind: dict[str, list[str]] = defaultdict(list)
        for n, a in attrs.items():
            by_kind[a.get("kind")].append(n)
        self.segments = sorted(by_kind["segment"])
        self.stages = sorted(by_kind["stage"])
        self.chains = sorted(by_kind["chain"])
        projects = set(by_kind["project"])
        local = projects | {n for n in by_kind["enterprise"] if attrs[n].get("in_zone")}
        segments = set(self.segments)
        # a segment's players, enterprises first, then projects (each list sorted by label and id below)
        self._firms: dict[str, list[str]] = defaultdict(list)
        self._projects: dict[str, list[str]] = defaultdict(list)
        # the firm rules ask each project's investors and each local enterprise's parents
        self._outs: dict[str, dict[str, list[str]]] = {k: defaultdict(list) for k in _OUT_KINDS}
        for u, nbrs in G.adjacency():
            for v, a in nbrs.items():
                kind = a.get("kind")
                if kind == "in_segment":
                    if v in segments and u in local:
                        (self._projects if u in projects else self._firms)[v].append(u)
                elif kind in self._outs:
                    self._outs[kind][u].append(v)
        # sorted by (label, id): by id, then stably by label, both keys C functions (a Python key function per
        # player was a quarter of the index's time at a million triples)
        lists = [*self._firms.values(), *self._projects.values()]
        label = {n: attrs[n]["label"] for players in lists for n in players}.__getitem__
        for players in lists:
            players.sort()
            players.sort(key=label)
        self.stage_segments: dict[str, list[str]] = defaultdict(list)
        for seg in self.segments:
            self.stage_segments[attrs[seg].get("stage", "")].append(seg)
        self._own = {seg: self._own_firms(seg) for seg in self.segments}
        order = {ch: self.stage_order(ch) for ch in self.chains}
        own = {s: list(f) for s, f in self._own.items()}
        self.coverage: dict[str, Coverage] = coverage_states(G, own, order, self.stage_segments)

    def label(self, node: str) -> str:
        return str(self.G.nodes[node].get("label", node)) if node in self.G else ""

    def labels(self, nodes: list[str]) -> tuple[str, ...]:
        """The nodes' labels, each once, in order."""
        return tuple(dict.fromkeys(self.label(n) for n in nodes))

    def _own_firms(self, seg: str) -> dict[str, list[str]]:
        """Firm node → its players in ``seg``; projects of a local enterprise (or its parent) fold into it.

        A project's owner is the first local enterprise (in player order) that is one of its investors or whose
        parent is: each enterprise and each of its parents points to the first enterprise it names, so a
        project looks up its investors instead of scanning every local enterprise.
        """
        local = self._firms.get(seg, [])
        result: dict[str, list[str]] = {e: [e] for e in local}
        first: dict[str, int] = {}
        parents, investors = self._outs["subsidiary_of"], self._outs["investor"]
        for i, e in enumerate(local):
            first.setdefault(e, i)
            for parent in parents.get(e, ()):
                first.setdefault(parent, i)
        for p in self._projects.get(seg, []):
            hits = [first[v] for v in investors.get(p, ()) if v in first]
            owner = local[min(hits)] if hits else None
            result.setdefault(owner or p, []).append(p)
        return result

    def firms(self, seg: str) -> dict[str, list[str]]:
        """Firm node → its players in ``seg`` or in a segment declared the same or overlapping."""
        result = {f: list(ps) for f, ps in self._own.get(seg, {}).items()}
        for other in matched_segments(self.G, seg):
            for f, ps in self._own.get(other, {}).items():
                result.setdefault(f, [])
                result[f] += [p for p in ps if p not in result[f]]
        return result

    def status(self, firm: str) -> str:
        """in_production for an in-zone enterprise; a project's own status (``unknown`` when none)."""
        a = self.G.nodes[firm]
        if a["kind"] == "enterprise":
            return "in_production"
        return a.get("status") or "unknown"

    def anchor(self, firm: str) -> bool:
        return bool(self.G.nodes[firm].get("anchor"))

    def anchor_basis(self, firm: str, *, short: bool = False) -> str:
        """Why ``firm`` is a 链主: 「the quote」, or the curators' rule (in full, or named only when ``short``)."""
        a = self.G.nodes[firm]
        if a.get("anchor_rule"):
            return "整理者规则 curators' rule" if short else str(a.get("anchor_basis"))
        return f"「{a.get('anchor_basis')}」" if a.get("anchor_basis") else "无依据 no basis"

    def flows(self, seg: str, downstream: bool) -> list[str]:
        edges = self.G.out_edges(seg, data=True) if downstream else self.G.in_edges(seg, data=True)
        return sorted({v if downstream else u for u, v, a in edges if a.get("kind") in _FLOWS})

    def partners(self, segs: list[str], downstream: bool) -> dict[str, list[str]]:
        """Neighbour segment → its firms, for segments next to ``segs`` (outside them) that have local firms."""
        result = {}
        inside = set(segs) | {m for s in segs for m in matched_segments(self.G, s)}
        for seg in segs:
            for other in self.flows(seg, downstream):
                # a segment the same as one already listed is the same partner: list it once
                if any(
                    m in result for m in matched_segments(self.G, other) if m in same_segments(self.G, other)
                ):
                    continue
                if other not in inside and self.firms(other):
                    result[other] = sorted(self.firms(other), key=lambda f: (self.label(f), f))
        return dict(sorted(result.items()))

    def stage_order(self, chain: str) -> list[str]:
        return sorted(
            (s for s in self.stages if self.G.nodes[s].get("chain") == chain),
            key=lambda s: (self.G.nodes[s].get("level", 0), s),
        )

    def share(self, seg: str) -> tuple[float, str, str, str] | None:
        a = self.G.nodes[seg]
        if a.get("value_share") is None:
            return None
        return (float(a["value_share"]), str(a.get("value_share_of", "")), str(a.get("value_share_text", "")),
                str(a.get("value_share_source", "")))  # fmt: skip
