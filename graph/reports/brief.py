"""The 招商简报 (investment-promotion brief) as data: per chain 一图一表一清单, the anchors' local supply, where the
candidates are, the caveats and the sources. :mod:`graph.briefpdf` and :mod:`graph.briefdocx` lay it out.

Everything here is plain data built from the gaps, the target ranking and the chain-map pictures; no file is read
or written, so the same inputs give the same brief.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.analysis.coverage import STATE_LABELS
from graph.analysis.gaps import ChainCoverage, Gap
from graph.analysis.supply import AnchorSupply
from graph.analysis.targets import Ranking, Target, share_text
from graph.reports.targetmap import ProvinceRow
from graph.reports.targets import notes_for

__all__ = [
    "KIND_ZH",
    "GapRow",
    "TargetCard",
    "TargetGroup",
    "ChainBrief",
    "Brief",
    "build_brief",
    "state_label",
    "coverage_text",
    "supply_text",
]

# gap kind → label an officer reads (补链 fill, 强链 strengthen, 延链 extend, 待核实 verify)
KIND_ZH = {
    "missing": "补链 missing",
    "weak": "强链 weak",
    "extend": "延链 extend",
    "verify": "待核实 to verify",
}
TOP_GAPS = 8  # gaps per chain that get a target list in the brief


@dataclass(frozen=True)
class GapRow:
    """One line of 一表: the gap, its state, priority (score) and the reason with its score parts."""

    rank: int
    segment: str  # segment label, or the stage label for a whole-stage gap
    stage: str
    kind: str  # KIND_ZH label
    state: str  # coverage state where the gap analysis gives one
    score: float
    reason: str
    segment_id: str = ""


@dataclass(frozen=True)
class TargetCard:
    """One row of 一清单: a candidate for one gap, with what it makes, where it is and why it fits."""

    segment: str
    rank: int
    name: str
    code: str
    place: str  # 省 市, or 未知
    place_note: str  # where the place comes from
    listing: str
    product: str
    share: str  # share with the data's date, or 占比未知
    why: str
    source: str
    score: float


@dataclass(frozen=True)
class TargetGroup:
    """一清单 for one gap segment: who buys it locally, the candidates, and what the list leaves out or lacks."""

    segment: str
    kind: str
    demand: str
    cards: tuple[TargetCard, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ChainBrief:
    """Everything the brief says about one chain."""

    chain: str
    label: str
    coverage: str
    map_png: bytes
    gaps: tuple[GapRow, ...]
    groups: tuple[TargetGroup, ...]


@dataclass(frozen=True)
class Brief:
    """The whole brief: zone, as-of date, sources, caveats, chains, anchors' supply and the province view."""

    zone: str
    as_of: str
    sources: tuple[str, ...]
    caveats: tuple[str, ...]
    basis: str  # one line: what the chain pages rest on (the articles)
    chains: tuple[ChainBrief, ...]
    anchors: tuple[AnchorSupply, ...]
    provinces: tuple[ProvinceRow, ...]
    province_png: bytes = b""
    pool_note: str = ""
    dropped: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    lists: dict[str, bytes] = field(
        default_factory=dict
    )  # file name -> workbook bytes (targets.xlsx, gaps.xlsx)


def _card(t: Target) -> TargetCard:
    place = " ".join(p for p in (t.province, t.city if t.city != t.province else "") if p) or "未知 unknown"
    return TargetCard(
        segment=t.segment_label,
        rank=t.rank,
        name=t.name,
        code=t.code or "—",
        place=place,
        place_note=t.region_source,
        listing=t.listing or "—",
        product=t.matched_product + (f"（∈ {t.via}）" if t.via else ""),
        share=share_text(t.share, t.data_date),
        why="；".join(
            x
            for x in (
                "同省 same province" if t.near else "",
                f"与{t.tie}同分，按名称排序 tie, by name" if t.tie else "",
            )
            if x
        )
        or "—",
        source=t.source,
        score=t.score,
    )


def state_label(state: str) -> str:
    """A coverage state as an officer reads it: 未知 unknown, 确认空白 confirmed absent …; '' when none."""
    zh, en = STATE_LABELS.get(state, ("", ""))
    return f"{zh} {en}".strip()


def supply_text(i) -> str:
    """One input of an anchor: its local suppliers with their status, or its coverage state when none is named."""
    if i.suppliers:
        statuses = i.statuses or ("",) * len(i.suppliers)
        names = "、".join(n + (f"（{s}）" if s else "") for n, s in zip(i.suppliers, statuses, strict=False))
        return f"{i.segment_label}: {names}"
    return f"{i.segment_label}: {state_label(i.state) or '本地未点名 none named'}"


def coverage_text(c: ChainCoverage) -> str:
    """One line of a chain's coverage by state."""
    return (
        f"已有 present {c.covered}、已有·未具名 unnamed {c.unnamed}、确认空白 absent {c.absent}、"
        f"未知 unknown {c.unknown} / {c.total} 个细分环节 segments"
    )


def _gap_row(rank: int, g: Gap) -> GapRow:
    return GapRow(
        rank=rank,
        segment=g.segment_label or f"{g.stage_label}（整段 whole stage）",
        stage=g.stage_label,
        kind=KIND_ZH.get(g.kind, g.kind),
        state=state_label(g.state),
        score=float(g.score),
        reason=g.reason,
        segment_id=g.segment,
    )


def build_brief(
    *,
    zone: str,
    as_of: str,
    sources: list[str],
    caveats: list[str],
    basis: str,
    gaps: list[Gap],
    coverage: list[ChainCoverage],
    ranking: Ranking,
    maps: dict[str, bytes],
    anchors: list[AnchorSupply],
    provinces: list[ProvinceRow],
    province_png: bytes = b"",
    chains: list[str] | None = None,
    pool_note: str = "",
    lists: dict[str, bytes] | None = None,
) -> Brief:
    """Assemble the brief for ``chains`` (ids; all chains of ``coverage`` when None), gaps by priority.

    A chain's 一清单 covers its :data:`TOP_GAPS` highest gaps that are segments (a whole-stage gap stands for its
    segments, whose targets are listed under them).
    """
    wanted = [c for c in coverage if chains is None or c.chain in chains]
    result = []
    for cov in wanted:
        chain_gaps = sorted((g for g in gaps if g.chain == cov.chain), key=lambda g: -g.score)
        rows = tuple(_gap_row(i, g) for i, g in enumerate(chain_gaps, 1))
        top_segments = []
        for g in chain_gaps:
            segs = (
                [g.segment]
                if g.segment
                else [n.segment for n in ranking.needs if _stage_of(ranking, n.segment, g)]
            )
            for s in segs:
                if s and s not in top_segments:
                    top_segments.append(s)
            if len(top_segments) >= TOP_GAPS:
                break
        groups = []
        for s in top_segments:
            cards = tuple(_card(t) for t in ranking.targets if t.segment == s)
            notes = list(notes_for(ranking, s))
            if not cards:
                notes.insert(0, "池中无匹配企业 no company in the pool matches")
            need = next(n for n in ranking.needs if n.segment == s)
            groups.append(
                TargetGroup(
                    segment=ranking.labels.get(s, ("", s))[1],
                    kind=KIND_ZH.get(need.kind, need.kind),
                    demand=ranking.demand.get(s, ""),
                    cards=cards,
                    notes=tuple(notes),
                )
            )
        covered = coverage_text(cov)
        result.append(
            ChainBrief(cov.chain, cov.chain_label, covered, maps.get(cov.chain, b""), rows, tuple(groups))
        )
    wanted_ids = {c.chain for c in wanted}
    return Brief(
        zone=zone,
        as_of=as_of,
        sources=tuple(sources),
        caveats=tuple(caveats),
        basis=basis,
        chains=tuple(result),
        anchors=tuple(a for a in anchors if any(i.chain in wanted_ids for i in a.inputs) or chains is None),
        provinces=tuple(provinces),
        province_png=province_png,
        pool_note=pool_note,
        dropped=ranking.dropped,
        lists=dict(lists or {}),
    )


def _stage_of(ranking: Ranking, segment: str, gap: Gap) -> bool:
    """Whether ``segment`` belongs to the whole-stage ``gap`` (its needs carry the stage gap's kind and score)."""
    need = next((n for n in ranking.needs if n.segment == segment), None)
    return need is not None and need.kind == gap.kind and need.reason == gap.reason
