"""Chain gaps for investment promotion (补链 / 强链 / 延链 / 待核实) and anchor local supply (链主配套), from the graph.

Everything is computed from the networkx view (:func:`graph.analysis.digraph.to_digraph`);
``graph/sparql/queries/gaps-*.rq`` state the same rules in SPARQL. ``docs/gaps.md`` explains them with a worked
example.

- **Local players** are in-zone enterprises (``org:hasSite``) and all investment projects. A project folds into a
  local enterprise of the same segment when that enterprise, or its parent group, invests in it: a **firm** is a
  local enterprise with its folded projects, or a standalone project. An in-zone enterprise counts as producing; a
  standalone project only when its status is 投产. Firms of a segment declared the same or overlapping in another
  chain (``skos:exactMatch`` / ``skos:closeMatch``) count for it too.
- **Coverage** (:mod:`graph.analysis.coverage`): present, present-unnamed, absent (a complete roster lists nobody), unknown.
- **missing (补链)**: an absent segment. **weak (强链)**: a present segment held by one named firm, or only by firms
  not yet producing. **extend (延链)**: an absent stage at either end of its chain (only absent stages between it
  and the end). **verify (待核实)**: an unknown segment, or a whole stage when the stage itself is unknown; each
  says what would settle it. Present-unnamed segments and stages are never gaps.
- **Buyers** are the firms in directly downstream segments (``ckg:upstreamOf`` and the recycling
  ``ckg:feedsBackTo`` edges), **suppliers** those directly upstream; for a stage both count.
- **Score**: the parts of :mod:`graph.analysis.priority` (kind, demand, 链主, value share, maturity), weights in
  ``graph/analysis/priority.yaml``. Equal scores are ordered by the parts; gaps whose parts are all equal are marked tied.

Anchor supply: an anchor's inputs are the segments directly upstream of its own segments (its own segments and
segments the same as them are not inputs; an input and the segments the same as it are one row); an input is
supplied when it has a local firm other than the anchor; the local supply rate (本地配套率) is supplied inputs /
inputs, given twice: counting any supplier, and counting only suppliers in production.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph

from graph.analysis.coverage import (
    STATE_LABELS,
    Coverage,
    claims_of,
    coverage_states,
    matched_segments,
    settle_text,
)
from graph.analysis.digraph import to_digraph
from graph.analysis.gcpause import paused_gc
from graph.analysis.priority import ScorePart, parts_text, score_parts, tie_key, weights
from graph.errors import GraphError
from graph.rdf.builder import build_graph
from graph.seeds.model import STATUSES, Seeds
from graph.text import did_you_mean

__all__ = [
    "mark_gaps",
    "mark_coverage",
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
    "find_coverage",
    "anchor_supply",
    "chain_coverage",
    "resolve_chain",
    "check_kind",
]

KINDS = ("missing", "weak", "extend", "verify")
KIND_LABELS = {"missing": "补链", "weak": "强链", "extend": "延链", "verify": "待核实"}
WEIGHTS = {k: float(v) for k, v in weights()["kind"].items()}
PARTNER_POINTS = float(weights()["buyer"])  # per local buyer (or, for a stage, supplier) firm
ANCHOR_POINTS = float(weights()["anchor"])  # per anchor firm among them
_FLOWS = ("upstream_of", "feeds_back")
_OUT_KINDS = ("investor", "subsidiary_of")  # the out-edges the firm rules read (graph.analysis.digraph kinds)


class GapError(GraphError):
    """A chain or gap kind that does not exist."""


@dataclass(frozen=True)
class Gap:
    """One gap: a segment (missing / weak / verify) or a whole stage (extend / verify, ``segment == ""``)."""

    chain: str
    chain_label: str
    stage: str
    stage_label: str
    segment: str
    segment_label: str
    kind: str
    score: float
    reason: str
    players: tuple[str, ...] = ()  # local enterprises and projects in the segment (or a same segment)
    buyers: tuple[str, ...] = ()  # local firms in directly downstream segments
    anchors: tuple[str, ...] = ()  # anchor firms among the partners that depend on it
    suppliers: tuple[str, ...] = ()  # local firms in directly upstream segments
    stage_index: int = 0
    state: str = ""  # coverage state of the segment or stage (graph.analysis.coverage.STATES)
    parts: tuple[ScorePart, ...] = ()  # the score, part by part, each with its source
    settle: str = ""  # verify: what would settle it
    tie: str = ""  # when its parts equal those of its neighbours: with whom it is tied


@dataclass(frozen=True)
class AnchorInput:
    """One input segment of an anchor, with its local suppliers (empty: not supplied locally) and their status."""

    segment: str
    segment_label: str
    chain: str
    suppliers: tuple[str, ...]
    statuses: tuple[str, ...] = ()  # per supplier: 投产 / 在建 / 签约 / 状态未知 (zh)
    state: str = ""  # coverage state of the input segment
    producing: bool = False  # a supplier is in production


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
    producing: int = 0  # inputs with a supplier in production
    rate_producing: float | None = None
    basis: str = ""  # why it is a 链主: the quote, or the curators' rule (marked as such)


@dataclass(frozen=True)
class ChainCoverage:
    """How many of a chain's segments are in each coverage state (``covered`` = present, named firm)."""

    chain: str
    chain_label: str
    covered: int
    total: int
    unnamed: int = 0
    absent: int = 0
    unknown: int = 0
    state: str = ""


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
                if any(m in result for m in matched_segments(self.G, other) if m in _same(self.G, other)):
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


def _zh_status(status: str) -> str:
    return STATUSES[status][0] if status in STATUSES else "状态未知"


def _names(ix: _Chains, nodes: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ix.label(n) for n in nodes))


def _by_label(ix: _Chains, firms: set[str] | list[str]) -> list[str]:
    return sorted(set(firms), key=lambda f: (ix.label(f), f))


def _partner_text(ix: _Chains, partners: dict[str, list[str]], arrow: str) -> str:
    parts = []
    for seg, firms in partners.items():
        names = "、".join(ix.label(f) + ("（链主）" if ix.anchor(f) else "") for f in firms)
        parts.append(f"{arrow}{ix.label(seg)}：{names}")
    return "；".join(parts)


def _claim_text(ix: _Chains, claim_ids: tuple[str, ...]) -> str:
    claims = {c.id: c for c in claims_of(ix.G)}
    quotes = [f"「{q.replace(chr(10), '')}」[{s}–{e}]" for cid in claim_ids for q, s, e in claims[cid].quotes]
    notes = [n for cid in claim_ids for n in claims[cid].sources]
    return "；".join(quotes + notes)


def _maturity(ix: _Chains, firms: list[str]) -> str:
    order = ("none", "signed", "unknown", "under_construction", "in_production")
    return max((ix.status(f) for f in firms), key=order.index, default="none")


def _gap(ix: _Chains, node: str, segs: list[str], kind: str, firms: dict[str, list[str]]) -> Gap:
    """A gap on ``node`` (a segment, or a stage made of ``segs``), with its partners, score parts and reason."""
    G = ix.G
    a = G.nodes[node]
    is_stage = a.get("kind") == "stage"
    down = {s: [f for f in fs if f not in firms] for s, fs in ix.partners(segs, downstream=True).items()}
    down = {s: fs for s, fs in down.items() if fs}  # a firm is not its own buyer
    up = ix.partners(segs, downstream=False)
    buyers = _by_label(ix, {f for fs in down.values() for f in fs})
    suppliers = _by_label(ix, {f for fs in up.values() for f in fs})
    partners = _by_label(ix, set(buyers) | set(suppliers)) if is_stage else buyers
    anchors = [f for f in partners if ix.anchor(f)]
    share = None if is_stage else ix.share(node)
    held = list(firms)
    parts = score_parts(kind, len(partners), [(ix.label(f), ix.anchor_basis(f, short=True)) for f in anchors], share,
                        _maturity(ix, held))  # fmt: skip
    name = ix.label(node)
    cov = ix.coverage[node]
    links = "；".join(
        t for t in (_partner_text(ix, up, "← ") if is_stage else "", _partner_text(ix, down, "→ ")) if t
    )
    links = links or ("相邻环节本地无已知企业" if is_stage else "下游本地无已知买家")
    where = f"{name}（{'、'.join(ix.label(s) for s in segs)}）" if is_stage else name
    settle = ""
    if kind == "missing":
        head = f"{where} 确认空白：{_claim_text(ix, cov.claims)} 完整名录中无企业 / confirmed absent (complete roster)"
    elif kind == "extend":
        head = f"{where} 整段确认空白 / whole end stage confirmed absent：{_claim_text(ix, cov.claims)}"
    elif kind == "verify":
        settle = settle_text(ix.label(a.get("chain", "")), name)
        head = f"{where} 未知：无来源点名本地企业，也无完整名录 / unknown: no source names a local firm, no complete roster"
    else:
        listed = "、".join(
            ix.label(f) + ("" if G.nodes[f]["kind"] == "enterprise" else f"（{_zh_status(ix.status(f))}）")
            for f in held
        )
        via = f"（经同一/关联细分 via {'、'.join(ix.label(m) for m in cov.via)}）" if cov.via else ""
        if len(held) == 1:
            head = f"{name} 仅一家已知本地企业或项目：{listed}{via} / only one known local firm"
        else:
            head = f"{name} 仅有未投产项目：{listed}{via} / only projects not yet producing"
    score = round(sum(p.points for p in parts), 2)
    reason = f"{head}；{links}。得分 score {score:g} = {parts_text(parts)}"
    return Gap(
        chain=_strip(a.get("chain", "")),
        chain_label=ix.label(a.get("chain", "")),
        stage=_strip(node if is_stage else a.get("stage", "")),
        stage_label=ix.label(node if is_stage else a.get("stage", "")),
        segment="" if is_stage else _strip(node),
        segment_label="" if is_stage else name,
        kind=kind,
        score=score,
        reason=reason,
        players=_names(ix, [p for ps in firms.values() for p in ps]),
        buyers=_names(ix, buyers),
        anchors=_names(ix, anchors),
        suppliers=_names(ix, suppliers),
        stage_index=int(a.get("level", 0)),
        state=cov.state,
        parts=parts,
        settle=settle,
    )


def _end_stages(ix: _Chains, chain: str, state: str) -> list[str]:
    """Stages in ``state`` at either end of ``chain`` (with only such stages between them and that end)."""
    order = ix.stage_order(chain)
    result = set()
    for seq in (order, list(reversed(order))):
        for st in seq:
            if ix.coverage[st].state != state:
                break
            result.add(st)
    return sorted(result)


def _chain_gaps(ix: _Chains, ch: str) -> list[Gap]:
    extend = _end_stages(ix, ch, "absent")
    gaps = [_gap(ix, st, ix.stage_segments[st], "extend", {}) for st in extend]
    for st in ix.stage_order(ch):
        if st in extend:
            continue
        segs = ix.stage_segments[st]
        if segs and ix.coverage[st].state == "unknown":
            gaps.append(_gap(ix, st, segs, "verify", {}))
            continue
        for seg in segs:
            state, firms = ix.coverage[seg].state, ix.firms(seg)
            if state == "absent":
                gaps.append(_gap(ix, seg, [seg], "missing", {}))
            elif state == "unknown":
                gaps.append(_gap(ix, seg, [seg], "verify", {}))
            elif state == "present" and (
                len(firms) == 1 or all(ix.status(f) != "in_production" for f in firms)
            ):
                gaps.append(_gap(ix, seg, [seg], "weak", firms))
    return gaps


def _rank(gaps: list[Gap]) -> list[Gap]:
    """Sort by score, then by the parts (tie_key); mark gaps whose score and parts equal a neighbour's."""

    def key(g: Gap) -> tuple:
        return (-g.score, *tie_key(g.parts))

    gaps = sorted(gaps, key=lambda g: (*key(g), g.chain, g.stage_index, g.segment, g.kind))
    groups: dict[tuple, list[Gap]] = defaultdict(list)
    for g in gaps:
        groups[key(g)].append(g)
    result = []
    for g in gaps:
        peers = [p for p in groups[key(g)] if p is not g]
        if peers:
            names = "、".join(p.segment_label or p.stage_label for p in peers)
            tie = f"与{names}并列：各项得分相同，按产业链、环节、细分编号排列 / tied with {len(peers)}: every part equal, listed by id"
            g = Gap(**{**g.__dict__, "tie": tie, "reason": f"{g.reason}。{tie}"})
        result.append(g)
    return result


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
    raise GapError(f'chain: unknown chain "{name}"{hint}; 可选 valid: {valid}')


def check_kind(kind: str) -> str:
    """Return ``kind`` when it is a gap kind, else raise :class:`GapError` listing the valid kinds."""
    if kind not in KINDS:
        valid = ", ".join(f"{k} ({KIND_LABELS[k]})" for k in KINDS)
        raise GapError(f'kind: unknown gap kind "{kind}"{did_you_mean(kind, KINDS)}; 可选 valid: {valid}')
    return kind


def find_gaps(
    source: Seeds | Graph | nx.DiGraph, *, chain: str | None = None, kind: str | None = None
) -> list[Gap]:
    """Return the gaps of every chain (or of ``chain``, or of one ``kind``), highest score first.

    Args:
        source: seeds, the RDF graph, or its networkx view.
        chain: a chain id or name (``liion``, ``新能源锂电``).
        kind: ``missing``, ``weak``, ``extend`` or ``verify``.

    Returns:
        Gaps sorted by score (descending), then by their score parts, then chain id, stage index and segment id.

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
    gaps = [g for ch in ix.chains if wanted in (None, _strip(ch)) for g in _chain_gaps(ix, ch)]
    return _rank([g for g in gaps if kind is None or g.kind == kind])


def find_coverage(source: Seeds | Graph | nx.DiGraph) -> dict[str, Coverage]:
    """Return the coverage state of every chain, stage and segment, by seed id (see :mod:`graph.analysis.coverage`)."""
    ix = _Chains(as_digraph(source))
    return {_strip(n): c for n, c in sorted(ix.coverage.items())}


def chain_coverage(source: Seeds | Graph | nx.DiGraph) -> list[ChainCoverage]:
    """Return, per chain (by id), how many segments are present, present-unnamed, absent and unknown."""
    ix = _Chains(as_digraph(source))
    result = []
    for ch in ix.chains:
        segs = [s for st in ix.stage_order(ch) for s in ix.stage_segments[st]]
        count = {s: sum(1 for x in segs if ix.coverage[x].state == s) for s in STATE_LABELS}
        result.append(
            ChainCoverage(
                _strip(ch),
                ix.label(ch),
                count["present"],
                len(segs),
                count["present-unnamed"],
                count["absent"],
                count["unknown"],
                ix.coverage[ch].state,
            )  # fmt: skip
        )
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
        own_all = set(own) | {m for s in own for m in matched_segments(G, s) if m in _same(G, s)}
        inputs = sorted({u for s in own for u in ix.flows(s, downstream=False)} - own_all)
        rows, seen = [], set()
        for seg in inputs:
            if seg in seen:
                continue
            same = [m for m in _same(G, seg) if m in inputs]
            seen |= {seg, *same}
            firms = {f: ps for f, ps in ix.firms(seg).items() if f != anchor}
            players = sorted((p for ps in firms.values() for p in ps), key=lambda n: (ix.label(n), n))
            label = " ≡ ".join(ix.label(s) for s in [seg, *same])
            rows.append(
                AnchorInput(
                    _strip(seg),
                    label,
                    _strip(G.nodes[seg].get("chain", "")),
                    _names(ix, players),
                    tuple(_zh_status(ix.status(p)) for p in dict.fromkeys(players)),
                    ix.coverage[seg].state,
                    any(ix.status(f) == "in_production" for f in firms),
                )  # fmt: skip
            )
        supplied = sum(1 for r in rows if r.suppliers)
        producing = sum(1 for r in rows if r.producing)
        result.append(
            AnchorSupply(
                anchor=_strip(anchor),
                anchor_label=ix.label(anchor),
                segments=tuple(ix.label(s) for s in own),
                inputs=tuple(rows),
                supplied=supplied,
                total=len(rows),
                rate=supplied / len(rows) if rows else None,
                producing=producing,
                rate_producing=producing / len(rows) if rows else None,
                basis=ix.anchor_basis(anchor),
            )
        )
    return sorted(result, key=lambda a: (a.anchor_label, a.anchor))


def _same(G: nx.DiGraph, seg: str) -> list[str]:
    """Segments declared the same as ``seg`` (``skos:exactMatch``, both directions)."""
    return sorted(m for m in str(G.nodes[seg].get("same_as") or "").split("|") if m in G)


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


def mark_coverage(G: nx.DiGraph, states: dict[str, Coverage]) -> nx.DiGraph:
    """Mark each chain, stage and segment node in ``G`` with its ``coverage`` state (as
    :func:`graph.analysis.digraph.to_digraph` reads it from ``ckg:coverageState``); returns ``G``."""
    for cov in states.values():
        if cov.node in G:
            G.nodes[cov.node]["coverage"] = cov.state
    return G
