"""Chain gaps for investment promotion (补链 / 强链 / 延链 / 待核实), from the graph.

Everything is computed from the networkx view (:func:`graph.analysis.digraph.to_digraph`);
``graph/sparql/queries/gaps-*.rq`` state the same rules in SPARQL. ``docs/gaps.md`` explains them with a worked
example.

- **Local players** and **firms** as :mod:`graph.analysis.chainindex` finds them (a project folds into the local
  enterprise, or group, that invests in it). An in-zone enterprise counts as producing; a standalone project only
  when its status is 投产. Firms of a segment declared the same or overlapping in another chain
  (``skos:exactMatch`` / ``skos:closeMatch``) count for it too.
- **Coverage** (:mod:`graph.analysis.coverage`): present, present-unnamed, absent (a complete roster lists nobody), unknown.
- **missing (补链)**: an absent segment. **weak (强链)**: a present segment held by one named firm, or only by firms
  not yet producing. **extend (延链)**: an absent stage at either end of its chain (only absent stages between it
  and the end). **verify (待核实)**: an unknown segment, or a whole stage when the stage itself is unknown; each
  says what would settle it. Present-unnamed segments and stages are never gaps.
- **Buyers** are the firms in directly downstream segments (``ckg:upstreamOf`` and the recycling
  ``ckg:feedsBackTo`` edges), **suppliers** those directly upstream; for a stage both count.
- **Score**: the parts of :mod:`graph.analysis.priority` (kind, demand, 链主, value share, maturity), weights in
  ``graph/analysis/priority.yaml``. Equal scores are ordered by the parts; gaps whose parts are all equal are marked tied.

Anchor local supply is :mod:`graph.analysis.supply`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph

from graph.analysis.chainindex import ChainIndex, as_digraph, zh_status
from graph.analysis.coverage import STATE_LABELS, Coverage, claims_of, settle_text
from graph.analysis.digraph import seed_id
from graph.analysis.priority import ScorePart, parts_text, score_parts, tie_key, weights
from graph.errors import GraphError
from graph.seeds.model import Seeds
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
    "ChainCoverage",
    "GapError",
    "find_gaps",
    "find_coverage",
    "chain_coverage",
    "resolve_chain",
    "check_kind",
]

KINDS = ("missing", "weak", "extend", "verify")
KIND_LABELS = {"missing": "补链", "weak": "强链", "extend": "延链", "verify": "待核实"}
WEIGHTS = {k: float(v) for k, v in weights()["kind"].items()}
PARTNER_POINTS = float(weights()["buyer"])  # per local buyer (or, for a stage, supplier) firm
ANCHOR_POINTS = float(weights()["anchor"])  # per anchor firm among them


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


def _by_label(ix: ChainIndex, firms: set[str] | list[str]) -> list[str]:
    return sorted(set(firms), key=lambda f: (ix.label(f), f))


def _partner_text(ix: ChainIndex, partners: dict[str, list[str]], arrow: str) -> str:
    parts = []
    for seg, firms in partners.items():
        names = "、".join(ix.label(f) + ("（链主）" if ix.anchor(f) else "") for f in firms)
        parts.append(f"{arrow}{ix.label(seg)}：{names}")
    return "；".join(parts)


def _claim_text(ix: ChainIndex, claim_ids: tuple[str, ...]) -> str:
    claims = {c.id: c for c in claims_of(ix.G)}
    quotes = [f"「{q.replace(chr(10), '')}」[{s}–{e}]" for cid in claim_ids for q, s, e in claims[cid].quotes]
    notes = [n for cid in claim_ids for n in claims[cid].sources]
    return "；".join(quotes + notes)


def _maturity(ix: ChainIndex, firms: list[str]) -> str:
    order = ("none", "signed", "unknown", "under_construction", "in_production")
    return max((ix.status(f) for f in firms), key=order.index, default="none")


def _gap(ix: ChainIndex, node: str, segs: list[str], kind: str, firms: dict[str, list[str]]) -> Gap:
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
            ix.label(f) + ("" if G.nodes[f]["kind"] == "enterprise" else f"（{zh_status(ix.status(f))}）")
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
        chain=seed_id(a.get("chain", "")),
        chain_label=ix.label(a.get("chain", "")),
        stage=seed_id(node if is_stage else a.get("stage", "")),
        stage_label=ix.label(node if is_stage else a.get("stage", "")),
        segment="" if is_stage else seed_id(node),
        segment_label="" if is_stage else name,
        kind=kind,
        score=score,
        reason=reason,
        players=ix.labels([p for ps in firms.values() for p in ps]),
        buyers=ix.labels(buyers),
        anchors=ix.labels(anchors),
        suppliers=ix.labels(suppliers),
        stage_index=int(a.get("level", 0)),
        state=cov.state,
        parts=parts,
        settle=settle,
    )


def _end_stages(ix: ChainIndex, chain: str, state: str) -> list[str]:
    """Stages in ``state`` at either end of ``chain`` (with only such stages between them and that end)."""
    order = ix.stage_order(chain)
    result = set()
    for seq in (order, list(reversed(order))):
        for st in seq:
            if ix.coverage[st].state != state:
                break
            result.add(st)
    return sorted(result)


def _chain_gaps(ix: ChainIndex, ch: str) -> list[Gap]:
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
    chains = {seed_id(n): a for n, a in G.nodes(data=True) if a.get("kind") == "chain"}
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
    ix = ChainIndex(G)
    gaps = [g for ch in ix.chains if wanted in (None, seed_id(ch)) for g in _chain_gaps(ix, ch)]
    return _rank([g for g in gaps if kind is None or g.kind == kind])


def find_coverage(source: Seeds | Graph | nx.DiGraph) -> dict[str, Coverage]:
    """Return the coverage state of every chain, stage and segment, by seed id (see :mod:`graph.analysis.coverage`)."""
    ix = ChainIndex(as_digraph(source))
    return {seed_id(n): c for n, c in sorted(ix.coverage.items())}


def chain_coverage(source: Seeds | Graph | nx.DiGraph) -> list[ChainCoverage]:
    """Return, per chain (by id), how many segments are present, present-unnamed, absent and unknown."""
    ix = ChainIndex(as_digraph(source))
    result = []
    for ch in ix.chains:
        segs = [s for st in ix.stage_order(ch) for s in ix.stage_segments[st]]
        count = {s: sum(1 for x in segs if ix.coverage[x].state == s) for s in STATE_LABELS}
        result.append(
            ChainCoverage(
                seed_id(ch),
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
