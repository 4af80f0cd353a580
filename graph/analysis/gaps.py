"""Chain gaps for investment promotion (补链 / 强链 / 延链) and anchor local supply (链主配套), from the graph.

Everything is computed from the networkx view (:func:`graph.analysis.digraph.to_digraph`); ``graph/sparql/queries/gaps-*.rq`` state
the same rules in SPARQL. The rules:

- **Local players** are in-zone enterprises (``org:hasSite``) and all investment projects. A project folds into a
  local enterprise of the same segment when that enterprise, or its parent group, invests in it (晶科能源“智慧大工厂”
  is 晶科能源's own expansion): a **firm** is a local enterprise with its folded projects, or a standalone project.
  An in-zone enterprise counts as producing; a standalone project only when its status is 投产 (in production).
- **missing (补链)**: a segment with no local player. **weak (强链)**: a segment held by exactly one firm, or only by
  firms not yet producing (签约 / 在建 / status unknown). **extend (延链)**: a stage with no local player that sits
  at either end of its chain (with only empty stages between it and the end); its segments are then not also
  reported as missing. An empty stage in the middle of a chain yields missing segments instead.
- **Buyers** are the firms in directly downstream segments (``ckg:upstreamOf`` and the recycling
  ``ckg:feedsBackTo`` edges), **suppliers** those directly upstream. For an extend gap both count, since an empty
  end stage has local partners only on its inner side.
- **Score** = kind weight (missing 3, extend 2, weak 1) + 2 × partner firms (buyers; for extend also suppliers)
  + 3 × anchor firms among them. Ties go by chain id, stage index, segment id.

Anchor supply: an anchor's inputs are the segments directly upstream of its own segments (its own segments are
not inputs); an input is supplied when it has a local player other than the anchor; the local supply rate
(本地配套率) is supplied inputs / inputs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph

from graph.analysis.digraph import to_digraph
from graph.errors import GraphError
from graph.rdf.builder import build_graph
from graph.seeds.model import STATUSES, Seeds
from graph.text import did_you_mean

__all__ = [
    "mark_gaps",
    "KINDS",
    "KIND_LABELS",
    "WEIGHTS",
    "PARTNER_POINTS",
    "ANCHOR_POINTS",
    "Gap",
    "AnchorInput",
    "AnchorSupply",
    "ChainCoverage",
    "GapError",
    "as_digraph",
    "find_gaps",
    "anchor_supply",
    "chain_coverage",
    "resolve_chain",
    "check_kind",
]

KINDS = ("missing", "weak", "extend")
KIND_LABELS = {"missing": "补链", "weak": "强链", "extend": "延链"}
WEIGHTS = {"missing": 3.0, "extend": 2.0, "weak": 1.0}
PARTNER_POINTS = 2.0  # per local buyer (or, for extend, supplier) firm
ANCHOR_POINTS = 3.0  # per anchor firm among them
_FLOWS = ("upstream_of", "feeds_back")


class GapError(GraphError):
    """A chain or gap kind that does not exist."""


@dataclass(frozen=True)
class Gap:
    """One gap: a segment (missing / weak) or a whole end stage (extend, ``segment == ""``)."""

    chain: str
    chain_label: str
    stage: str
    stage_label: str
    segment: str
    segment_label: str
    kind: str
    score: float
    reason: str
    players: tuple[str, ...] = ()  # local enterprises and projects in the segment
    buyers: tuple[str, ...] = ()  # local firms in directly downstream segments
    anchors: tuple[str, ...] = ()  # anchor firms among the partners that depend on it
    suppliers: tuple[str, ...] = ()  # local firms in directly upstream segments
    stage_index: int = 0


@dataclass(frozen=True)
class AnchorInput:
    """One input segment of an anchor, with its local suppliers (empty: not supplied locally)."""

    segment: str
    segment_label: str
    chain: str
    suppliers: tuple[str, ...]


@dataclass(frozen=True)
class AnchorSupply:
    """An anchor enterprise's direct inputs and its local supply rate (``None`` when it has no inputs)."""

    anchor: str
    anchor_label: str
    segments: tuple[str, ...]  # labels of its own segments
    inputs: tuple[AnchorInput, ...]
    supplied: int
    total: int
    rate: float | None


@dataclass(frozen=True)
class ChainCoverage:
    """How many of a chain's segments have at least one local player."""

    chain: str
    chain_label: str
    covered: int
    total: int


def as_digraph(source: Seeds | Graph | nx.DiGraph) -> nx.DiGraph:
    """Return the networkx view of seeds, an rdflib graph, or a view already made."""
    if isinstance(source, nx.DiGraph):
        return source
    if isinstance(source, Seeds):
        source = build_graph(source)
    return to_digraph(source)


def _strip(node: str) -> str:
    """Seed id of a node id (``seg-liion-cathode`` → ``liion-cathode``)."""
    return node.split("-", 1)[1] if "-" in node else node


class _Chains:
    """Index of the view: segments, stages, players and firms."""

    def __init__(self, G: nx.DiGraph) -> None:
        self.G = G
        nodes = G.nodes
        self.segments = sorted(n for n, a in nodes(data=True) if a.get("kind") == "segment")
        self.stages = sorted(n for n, a in nodes(data=True) if a.get("kind") == "stage")
        self.chains = sorted(n for n, a in nodes(data=True) if a.get("kind") == "chain")
        self.players: dict[str, list[str]] = defaultdict(list)
        for u, v, a in G.edges(data=True):
            if a.get("kind") == "in_segment" and v in self.segments and self._local(u):
                self.players[v].append(u)
        for seg in self.players:
            self.players[seg].sort(key=lambda n: (nodes[n]["kind"] == "project", nodes[n]["label"], n))
        self.stage_segments: dict[str, list[str]] = defaultdict(list)
        for seg in self.segments:
            self.stage_segments[nodes[seg].get("stage", "")].append(seg)

    def _local(self, node: str) -> bool:
        a = self.G.nodes[node]
        return a.get("kind") == "project" or (a.get("kind") == "enterprise" and bool(a.get("in_zone")))

    def label(self, node: str) -> str:
        return str(self.G.nodes[node].get("label", node)) if node in self.G else ""

    def _out(self, node: str, kind: str) -> list[str]:
        return [v for v in self.G.successors(node) if self.G.edges[node, v].get("kind") == kind]

    def firms(self, seg: str) -> dict[str, list[str]]:
        """Firm node → its players in ``seg``; projects of a local enterprise (or its parent) fold into it."""
        local = [p for p in self.players.get(seg, []) if self.G.nodes[p]["kind"] == "enterprise"]
        result: dict[str, list[str]] = {e: [e] for e in local}
        for p in self.players.get(seg, []):
            if self.G.nodes[p]["kind"] != "project":
                continue
            investors = set(self._out(p, "investor"))
            owner = next(
                (e for e in local if e in investors or investors & set(self._out(e, "subsidiary_of"))), None
            )
            result.setdefault(owner or p, []).append(p)
        return result

    def producing(self, firm: str) -> bool:
        a = self.G.nodes[firm]
        return a["kind"] == "enterprise" or a.get("status") == "in_production"

    def anchor(self, firm: str) -> bool:
        return bool(self.G.nodes[firm].get("anchor"))

    def flows(self, seg: str, downstream: bool) -> list[str]:
        edges = self.G.out_edges(seg, data=True) if downstream else self.G.in_edges(seg, data=True)
        return sorted({v if downstream else u for u, v, a in edges if a.get("kind") in _FLOWS})

    def partners(self, segs: list[str], downstream: bool) -> dict[str, list[str]]:
        """Neighbour segment → its firms, for segments next to ``segs`` (outside them) that have local firms."""
        result = {}
        for seg in segs:
            for other in self.flows(seg, downstream):
                if other not in segs and self.firms(other):
                    result[other] = sorted(self.firms(other), key=lambda f: (self.label(f), f))
        return dict(sorted(result.items()))

    def stage_order(self, chain: str) -> list[str]:
        return sorted(
            (s for s in self.stages if self.G.nodes[s].get("chain") == chain),
            key=lambda s: (self.G.nodes[s].get("level", 0), s),
        )


def _status(G: nx.DiGraph, node: str) -> str:
    status = G.nodes[node].get("status", "")
    return STATUSES[status][0] if status in STATUSES else "状态未知"


def _names(ix: _Chains, nodes: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ix.label(n) for n in nodes))


def _partner_text(ix: _Chains, partners: dict[str, list[str]], arrow: str) -> str:
    parts = []
    for seg, firms in partners.items():
        names = "、".join(ix.label(f) + ("（链主）" if ix.anchor(f) else "") for f in firms)
        parts.append(f"{arrow}{ix.label(seg)}：{names}")
    return "；".join(parts)


def _score(kind: str, firms: list[str], anchors: list[str]) -> float:
    return WEIGHTS[kind] + PARTNER_POINTS * len(firms) + ANCHOR_POINTS * len(anchors)


def _segment_gap(ix: _Chains, seg: str) -> Gap | None:
    G = ix.G
    firms = ix.firms(seg)
    if len(firms) >= 2 and any(ix.producing(f) for f in firms):
        return None
    # A firm is not its own buyer: 晶科能源 making cells from its own wafers is no demand for another firm.
    down = {s: [f for f in fs if f not in firms] for s, fs in ix.partners([seg], downstream=True).items()}
    down = {s: fs for s, fs in down.items() if fs}
    up = ix.partners([seg], downstream=False)
    buyers = sorted({f for fs in down.values() for f in fs}, key=lambda f: (ix.label(f), f))
    anchors = [f for f in buyers if ix.anchor(f)]
    name = ix.label(seg)
    demand = _partner_text(ix, down, "→ ") if down else "下游本地无买家"
    demand_en = (
        f"{len(buyers)} local buyer(s) downstream ({len(anchors)} anchor)"
        if buyers
        else "no local buyer downstream"
    )
    if not firms:
        kind = "missing"
        reason = f"{name} {demand}；本地无企业或项目 / no local enterprise or project; {demand_en}"
    else:
        kind = "weak"
        held = "、".join(
            ix.label(f) + ("" if G.nodes[f]["kind"] == "enterprise" else f"（{_status(G, f)}）")
            for f in firms
        )
        if len(firms) == 1:
            zh, en = f"仅一家本地企业或项目：{held}", "only one local firm"
        else:
            zh, en = f"仅有未投产项目：{held}", "only projects not yet producing"
        reason = f"{name} {zh}；{demand} / {en}; {demand_en}"
    a = G.nodes[seg]
    stage = a.get("stage", "")
    return Gap(
        chain=_strip(a.get("chain", "")),
        chain_label=ix.label(a.get("chain", "")),
        stage=_strip(stage),
        stage_label=ix.label(stage),
        segment=_strip(seg),
        segment_label=name,
        kind=kind,
        score=_score(kind, buyers, anchors),
        reason=reason,
        players=_names(ix, [p for ps in firms.values() for p in ps]),
        buyers=_names(ix, buyers),
        anchors=_names(ix, anchors),
        suppliers=_names(ix, sorted({f for fs in up.values() for f in fs}, key=lambda f: (ix.label(f), f))),
        stage_index=int(a.get("level", 0)),
    )


def _end_stages(ix: _Chains, chain: str) -> list[str]:
    """Empty stages at either end of ``chain`` (with only empty stages between them and that end)."""
    order = ix.stage_order(chain)
    empty = [not any(ix.players.get(s) for s in ix.stage_segments[st]) for st in order]
    result = set()
    for seq in (list(range(len(order))), list(reversed(range(len(order))))):
        for i in seq:
            if not empty[i]:
                break
            result.add(order[i])
    return sorted(result)


def _stage_gap(ix: _Chains, stage: str) -> Gap:
    a = ix.G.nodes[stage]
    segs = ix.stage_segments[stage]
    down, up = ix.partners(segs, downstream=True), ix.partners(segs, downstream=False)
    buyers = sorted({f for fs in down.values() for f in fs}, key=lambda f: (ix.label(f), f))
    suppliers = sorted({f for fs in up.values() for f in fs}, key=lambda f: (ix.label(f), f))
    partners = sorted(set(buyers) | set(suppliers), key=lambda f: (ix.label(f), f))
    anchors = [f for f in partners if ix.anchor(f)]
    name = ix.label(stage)
    seg_names = "、".join(ix.label(s) for s in segs)
    links = "；".join(t for t in (_partner_text(ix, up, "← "), _partner_text(ix, down, "→ ")) if t)
    reason = (
        f"{name}（{seg_names}）整段本地空白；{links or '相邻环节本地也无企业'} / whole end stage with no local "
        f"presence; {len(partners)} local partner firm(s) next to it ({len(anchors)} anchor)"
    )
    return Gap(
        chain=_strip(a.get("chain", "")),
        chain_label=ix.label(a.get("chain", "")),
        stage=_strip(stage),
        stage_label=name,
        segment="",
        segment_label="",
        kind="extend",
        score=_score("extend", partners, anchors),
        reason=reason,
        buyers=_names(ix, buyers),
        anchors=_names(ix, anchors),
        suppliers=_names(ix, suppliers),
        stage_index=int(a.get("level", 0)),
    )


def resolve_chain(G: nx.DiGraph, name: str) -> str:
    """Return the chain id for an id, a Chinese or an English chain name.

    Raises:
        GapError: no such chain; the message lists the valid names.
    """
    chains = {_strip(n): a for n, a in G.nodes(data=True) if a.get("kind") == "chain"}
    for ident, a in chains.items():
        if name in (ident, a.get("label"), a.get("label_en")):
            return ident
    valid = ", ".join(f"{i} ({a.get('label', '')})" for i, a in sorted(chains.items()))
    hint = did_you_mean(name, list(chains) + [str(a.get("label", "")) for a in chains.values()])
    raise GapError(f'--chain: unknown chain "{name}"{hint}; 可选 valid: {valid}')


def check_kind(kind: str) -> str:
    """Return ``kind`` when it is a gap kind, else raise :class:`GapError` listing the valid kinds."""
    if kind not in KINDS:
        valid = ", ".join(f"{k} ({KIND_LABELS[k]})" for k in KINDS)
        raise GapError(f'--kind: unknown gap kind "{kind}"{did_you_mean(kind, KINDS)}; 可选 valid: {valid}')
    return kind


def find_gaps(
    source: Seeds | Graph | nx.DiGraph, *, chain: str | None = None, kind: str | None = None
) -> list[Gap]:
    """Return the gaps of every chain (or of ``chain``, or of one ``kind``), highest score first.

    Args:
        source: seeds, the RDF graph, or its networkx view.
        chain: a chain id or name (``liion``, ``新能源锂电``).
        kind: ``missing``, ``weak`` or ``extend``.

    Returns:
        Gaps sorted by score (descending), then chain id, stage index and segment id.

    Raises:
        GapError: an unknown chain or kind.

    Example:
        >>> from pathlib import Path
        >>> from graph.seeds.load import load_seeds
        >>> tiny = Path(__file__).resolve().parents[2] / "tests" / "data" / "tiny"
        >>> gaps = find_gaps(load_seeds(tiny))
        >>> [(g.segment or g.stage, g.kind) for g in gaps][:2]
        [('bat-electrolyte', 'missing'), ('bat-cathode', 'weak')]
    """
    G = as_digraph(source)
    wanted = resolve_chain(G, chain) if chain is not None else None
    if kind is not None:
        check_kind(kind)
    ix = _Chains(G)
    gaps: list[Gap] = []
    for ch in ix.chains:
        if wanted is not None and _strip(ch) != wanted:
            continue
        ends = _end_stages(ix, ch)
        gaps.extend(_stage_gap(ix, st) for st in ends)
        for st in ix.stage_order(ch):
            if st not in ends:
                gaps.extend(g for g in (_segment_gap(ix, s) for s in ix.stage_segments[st]) if g)
    gaps = [g for g in gaps if kind is None or g.kind == kind]
    return sorted(gaps, key=lambda g: (-g.score, g.chain, g.stage_index, g.segment, g.kind))


def chain_coverage(source: Seeds | Graph | nx.DiGraph) -> list[ChainCoverage]:
    """Return, per chain (by id), how many segments have a local player."""
    ix = _Chains(as_digraph(source))
    result = []
    for ch in ix.chains:
        segs = [s for st in ix.stage_order(ch) for s in ix.stage_segments[st]]
        covered = sum(1 for s in segs if ix.players.get(s))
        result.append(ChainCoverage(_strip(ch), ix.label(ch), covered, len(segs)))
    return result


def anchor_supply(source: Seeds | Graph | nx.DiGraph) -> list[AnchorSupply]:
    """Return each in-zone anchor enterprise's direct inputs, local suppliers and local supply rate (by label)."""
    G = as_digraph(source)
    ix = _Chains(G)
    result = []
    anchors = [
        n
        for n, a in G.nodes(data=True)
        if a.get("kind") == "enterprise" and a.get("anchor") and a.get("in_zone")
    ]
    for anchor in anchors:
        own = sorted(v for v in G.successors(anchor) if G.edges[anchor, v].get("kind") == "in_segment")
        inputs = sorted({u for s in own for u in ix.flows(s, downstream=False)} - set(own))
        rows = []
        for seg in inputs:
            firms = {f: ps for f, ps in ix.firms(seg).items() if f != anchor}
            names = _names(
                ix, sorted((p for ps in firms.values() for p in ps), key=lambda n: (ix.label(n), n))
            )
            rows.append(AnchorInput(_strip(seg), ix.label(seg), _strip(G.nodes[seg].get("chain", "")), names))
        supplied = sum(1 for r in rows if r.suppliers)
        result.append(
            AnchorSupply(
                anchor=_strip(anchor),
                anchor_label=ix.label(anchor),
                segments=tuple(ix.label(s) for s in own),
                inputs=tuple(rows),
                supplied=supplied,
                total=len(rows),
                rate=supplied / len(rows) if rows else None,
            )
        )
    return sorted(result, key=lambda a: (a.anchor_label, a.anchor))


def mark_gaps(G: nx.DiGraph, gaps: list[Gap]) -> nx.DiGraph:
    """Mark each gap's segment (or stage) node in ``G`` with ``gap``, ``gap_score`` and ``gap_reason``; returns ``G``.

    The same marks :func:`graph.analysis.digraph.to_digraph` reads from ``ckg:Gap`` nodes, so a build need not
    convert its graph a second time after adding the gaps.
    """
    for gap in gaps:
        node = f"seg-{gap.segment}" if gap.segment else f"stage-{gap.stage}"
        if node in G:
            G.nodes[node].update(gap=gap.kind, gap_score=float(gap.score), gap_reason=gap.reason)
    return G
