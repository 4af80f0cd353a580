"""Whom to attract (招商目标清单): match pool companies to chain segments and rank them for each gap, with reasons.

Matching a product name to a segment uses the segment's ``keywords`` and ``exclude`` (negative keywords) from
``seeds/chains/*.yaml``: a product matches when it contains a keyword and no exclude word. Exactness is 1.0 when
the product *is* a keyword (or the segment name), 0.7 when it only contains one, and 0.4 when the product is a
产品小类 (subcategory) of a matching product (the pool's product→product links; only for companies whose industry
agrees, since a link alone is weak evidence: 电控柜 is a 产品小类 of 电控). A company's match is its best product.

Score (0–1, every part shown in the output) = 0.4 × revenue share of the matched product (clamped to 0–1; unknown
counts 0) + 0.3 × exactness + 0.2 × industry agreement (1 when the company's 申万 industry is one of the
segment's codes in ``seeds/pool/industries.yaml``, 0.5 when only the level-2 parent agrees) + 0.1 × local demand
(local buyer firms in the directly downstream segments plus anchors among them, capped at 4). Companies already
in the zone (in-zone enterprises, their parent groups and investors of zone projects) are left out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from graph.analysis.targetrules import (
    HomeIndex,
    anchor_segments,
    downstream,
    rival_of,
    skip_listing,
    upstream,
)
from graph.errors import GraphError
from graph.inputs.pool import Company, Pool
from graph.inputs.regions import PROVINCES, parse_region
from graph.seeds.model import Seeds, Segment
from graph.text import did_you_mean

__all__ = [
    "rank_for_gaps",
    "WEIGHTS",
    "PROVINCES",
    "TargetError",
    "Need",
    "Target",
    "Ranking",
    "Matcher",
    "match_company",
    "buyers_of",
    "zone_names",
    "zone_province",
    "resolve_segment",
    "needs_from_gaps",
    "demand_text",
    "share_text",
    "rank_targets",
]

WEIGHTS = {"share": 0.4, "exact": 0.3, "industry": 0.2, "demand": 0.1}
EXACT, CONTAINS, LINKED = 1.0, 0.7, 0.4
DEMAND_CAP = 4


class TargetError(GraphError):
    """A segment that does not exist, or an industry-code file that cannot be read."""


@dataclass(frozen=True)
class Need:
    """A segment to find targets for: a gap (``kind`` missing / weak / extend) or one asked for (``kind`` '')."""

    segment: str
    kind: str = ""
    score: float = 0.0
    reason: str = ""


@dataclass(frozen=True)
class Target:
    """One ranked candidate for one segment, with the parts of its score and its reason."""

    chain: str
    chain_label: str
    segment: str
    segment_label: str
    gap_kind: str
    rank: int
    name: str
    name_full: str
    code: str
    region: str
    near: bool  # same province as the zone, where the pool gives a region
    matched_product: str
    share: float | None
    via: str  # the parent product when matched through a product link
    industry: str
    score: float
    parts: dict[str, float]
    reason: str
    source: str
    url: str = ""
    province: str = ""
    city: str = ""
    region_source: str = ""
    listing: str = ""
    data_date: str = ""
    tie: str = ""  # the candidate it ties with when nothing in the data separates them

    def row(self) -> dict[str, object]:
        """A flat dict for JSON/CSV (keys sorted on output)."""
        return {
            "chain": self.chain,
            "segment": self.segment,
            "segment_label": self.segment_label,
            "gap_kind": self.gap_kind,
            "rank": self.rank,
            "name": self.name,
            "name_full": self.name_full,
            "code": self.code,
            "region": self.region,
            "province": self.province,
            "city": self.city,
            "region_source": self.region_source,
            "listing": self.listing,
            "data_date": self.data_date,
            "tie": self.tie,
            "same_province": self.near,
            "matched_product": self.matched_product,
            "share": self.share,
            "via": self.via,
            "industry": self.industry,
            "score": self.score,
            **{f"score_{k}": v for k, v in self.parts.items()},
            "reason": self.reason,
            "source": self.source,
        }


@dataclass(frozen=True)
class Ranking:
    """Targets per need, the needs answered, and the pool companies left out as already in the zone."""

    targets: tuple[Target, ...]
    needs: tuple[Need, ...]
    counts: dict[str, int] = field(default_factory=dict)  # segment -> matching candidates (before --top)
    excluded: tuple[str, ...] = ()
    province: str = ""
    labels: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # segment -> (chain label, segment label)
    rivals: dict[str, tuple[tuple[str, str, str], ...]] = field(
        default_factory=dict
    )  # segment -> (company, anchor it competes with, the anchor's segment label)
    dropped: tuple[tuple[str, str], ...] = ()  # (company, listing status): matched, but delisted or ST
    shortfalls: dict[str, str] = field(
        default_factory=dict
    )  # segment -> why the pool has fewer than 3 makers
    demand: dict[str, str] = field(default_factory=dict)  # segment -> its local buyers (demand_text)


def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    words = tuple(w for w in words if w)
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))) if words else None


class Matcher:
    """Product name → exactness for one segment (0 when it does not match); results are cached per name.

    Example:
        >>> from graph.seeds.model import Segment
        >>> f = Matcher(Segment("s", "隔膜", "c", "st", keywords=("锂电池隔膜", "湿法隔膜"), exclude=("隔膜泵",)))
        >>> f("锂电池隔膜"), f("湿法隔膜产品"), f("隔膜泵"), f("隔膜")
        (1.0, 0.7, 0.0, 1.0)
    """

    def __init__(self, segment: Segment) -> None:
        self.keep, self.drop = _pattern(segment.keywords), _pattern(segment.exclude)
        self.exact = set(segment.keywords) | {segment.name}
        self.cache: dict[str, float] = {}

    def excluded(self, product: str) -> bool:
        return bool(self.drop and self.drop.search(product))

    def __call__(self, product: str) -> float:
        value = self.cache.get(product)
        if value is None:
            if product in self.exact:
                value = EXACT
            elif self.keep is None or not self.keep.search(product) or self.excluded(product):
                value = 0.0
            else:
                value = CONTAINS
            self.cache[product] = value
        return value


def match_company(
    company: Company, match: Matcher, parents: dict[str, tuple[str, ...]]
) -> tuple[float, str, float | None, str]:
    """Return the company's best match as (exactness, product, share, via); exactness 0 when nothing matches.

    The best product has the highest share and exactness contribution; a product whose own name does not match
    may still match as a 产品小类 (subcategory) of a matching product, at exactness 0.4, unless an exclude word
    is in its name.
    """
    best: tuple[float, str, float | None, str] = (0.0, "", None, "")
    best_key = -1.0
    for p in sorted(company.products, key=lambda p: p.name):
        exact, via = match(p.name), ""
        if not exact:
            linked = sorted(q for q in parents.get(p.name, ()) if match(q))
            if not linked or match.excluded(p.name):
                continue
            exact, via = LINKED, linked[0]
        key = WEIGHTS["share"] * min(max(p.share or 0.0, 0.0), 1.0) + WEIGHTS["exact"] * exact
        if key > best_key:
            best, best_key = (exact, p.name, p.share, via), key
    return best


def _players(seeds: Seeds) -> dict[str, list[tuple[str, bool]]]:
    """Segment id → local players as (name, anchor), enterprises first; projects of a local investor fold into it."""
    local = {e.id: e for e in seeds.enterprises if e.in_zone}
    result: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for e in local.values():
        for pl in e.segments:
            result[pl.segment].append((e.name, e.anchor))
    for p in seeds.projects:
        owners = [local[i.target] for i in p.investors if i.target in local]
        for pl in p.segments:
            if not any(pl.segment in {s.segment for s in o.segments} for o in owners):
                result[pl.segment].append((p.name, False))
    return {k: list(dict.fromkeys(v)) for k, v in result.items()}


def buyers_of(seeds: Seeds, segment: str) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Directly downstream segments that buy from ``segment``, with their local players (recycling loops left out).

    Example:
        >>> from graph.seeds.load import load_seeds
        >>> buyers_of(load_seeds("tests/data/tiny"), "bat-electrolyte")
        [('电芯', [('乙电池', True)])]
    """
    players = _players(seeds)
    names = {s.id: s.name for s in seeds.segments}
    return [(names[d], players[d]) for d in downstream(seeds, segment) if players.get(d)]


def zone_names(seeds: Seeds) -> set[str]:
    """Names, full names, aliases and 6-digit stock codes of companies already in the zone.

    In-zone enterprises, their parent groups, and the investors of the zone's projects count as already there.
    """
    by_id = {e.id: e for e in seeds.enterprises}
    ids = {e.id for e in seeds.enterprises if e.in_zone}
    ids |= {e.parent for e in seeds.enterprises if e.in_zone and e.parent}
    ids |= {i.target for p in seeds.projects for i in p.investors}
    names: set[str] = set()
    for ident in ids & set(by_id):
        e = by_id[ident]
        names |= {e.name, *(e.aliases or ())} | ({e.name_full} if e.name_full else set())
        names |= {v[:6] for _k, v in e.codes if v[:6].isdigit()}
    return names


def zone_province(seeds: Seeds) -> str:
    """The zone's province, read from the registered names of its in-zone enterprises (江西彩虹光伏… → 江西)."""
    votes: dict[str, int] = defaultdict(int)
    texts = [e.name_full or e.name for e in seeds.enterprises if e.in_zone]
    texts += [ev.note or "" for ev in (seeds.zone.evidence if seeds.zone else ())]
    for text in texts:
        for prov in PROVINCES:
            if text.startswith(prov) or f"{prov}省" in text or f"{prov}市" in text:
                votes[prov] += 1
    return max(sorted(votes), key=lambda p: votes[p]) if votes else ""


def _short(name: str) -> str:
    """A segment name without its bracketed detail: 锂盐(碳酸锂/氢氧化锂) → 锂盐."""
    return re.split(r"[(（]", name, maxsplit=1)[0].strip()


def resolve_segment(seeds: Seeds, name: str) -> str:
    """Return the segment id for an id or a Chinese/English segment name (the part before brackets will do).

    Raises:
        TargetError: no such segment; the message gives the closest names.
    """
    for s in seeds.segments:
        if name in (s.id, s.name, s.name_en, _short(s.name)):
            return s.id
    labels = [s.id for s in seeds.segments] + [_short(s.name) for s in seeds.segments]
    close = did_you_mean(name, labels)
    raise TargetError(
        f'segment: unknown segment "{name}"{close}; 用 segment id 或中文名 use a segment id or name, '
        f"e.g. {', '.join(s.id for s in seeds.segments[:3])}"
    )


def needs_from_gaps(seeds: Seeds, gaps) -> list[Need]:
    """Turn :class:`graph.analysis.gaps.Gap` objects into needs; a stage gap (延链) stands for each of its segments."""
    needs: dict[str, Need] = {}
    for gap in gaps:
        segs = [gap.segment] if gap.segment else [s.id for s in seeds.segments if s.stage == gap.stage]
        for seg in segs:
            needs.setdefault(seg, Need(seg, gap.kind, float(gap.score), gap.reason))
    return list(needs.values())


def _industry(company: Company, codes: tuple[str, ...]) -> tuple[float, str]:
    for code, name in company.industries:
        if code in codes:
            return 1.0, f"{code} {name}".strip()
    for code, name in company.industries:
        if any(code[:4] == c[:4] for c in codes):
            return 0.5, f"{code} {name}".strip()
    return 0.0, " ".join(f"{c} {n}".strip() for c, n in company.industries[:1])


def share_text(share: float | None, date: str = "") -> str:
    """A revenue share as the reason shows it, with the data's date where known.

    Example:
        >>> share_text(0.41, "2023"), share_text(None), share_text(0.001)
        ('主营 41%（2023）', '占比未知 share n/a', '占比未知 share n/a')
    """
    if share is None or share < 0.005:  # the national data writes 0.001 for "listed, share not given"
        return "占比未知 share n/a"
    text = f"主营 >100%, 数据原值 raw {share:.2f}" if share > 1 else f"主营 {share:.0%}"
    return text + (f"（{date}）" if date else "")


def demand_text(buyers: list[tuple[str, list[tuple[str, bool]]]]) -> str:
    """Who buys the segment's product locally: ``→ 电芯: 蜂巢能源（链主）、…`` per downstream segment."""
    if not buyers:
        return "→ 下游本地暂无买家 no local buyer downstream"
    return "；".join(
        f"→ {seg}: " + "、".join(n + ("（链主）" if anchor else "") for n, anchor in players)
        for seg, players in buyers
    )


def _reason(company: Company, product: str, share: float | None, via: str, buyers, near: bool) -> str:
    head = f"{company.name} — {product} ({share_text(share, company.data_date)})" + (
        f" ∈ {via}" if via else ""
    )
    return f"{head} {demand_text(buyers)}" + ("；同省 same province" if near else "")


def _mark_ties(rows: list[tuple]) -> list[str]:
    """For each ranked row, a neighbour it ties with when score, share and same-province flag are equal ('' otherwise)."""
    ties = []
    for i, row in enumerate(rows):
        key = (row[0], row[1], row[8])
        same = [r for j, r in enumerate(rows) if j != i and (r[0], r[1], r[8]) == key]
        ties.append(same[0][2].name if same else "")
    return ties


def rank_targets(
    seeds: Seeds,
    pool: Pool,
    needs: list[Need],
    *,
    top: int | None = 5,
    industries: dict[str, tuple[str, ...]] | None = None,
    province: str | None = None,
    shortfalls: dict[str, str] | None = None,
) -> Ranking:
    """Rank pool companies for each need; ``top`` limits each list (None: all matches).

    Anchors' competitors, delisted and ST companies, and matches through a product that belongs to another
    segment are left out (:mod:`graph.targetrules`); the first two are listed in the ranking with their reason.

    Returns:
        A :class:`Ranking` whose targets keep the order of ``needs`` and, within a need, rank 1 first (score,
        then share, then same province first, then name; a tie that only the name breaks is marked on the target).
    """
    industries = industries or {}
    province = zone_province(seeds) if province is None else province
    here = zone_names(seeds)
    segments = {s.id: s for s in seeds.segments}
    chains = {c.id: c.name for c in seeds.chains}
    matchers = {s.id: Matcher(s) for s in seeds.segments}
    homes = HomeIndex(list(seeds.segments), matchers)
    anchors = anchor_segments(seeds)
    pool_left = [c for c in pool.companies if not ({c.name, c.name_full, c.code[:6]} & here)]
    excluded = sorted(c.name for c in pool.companies if {c.name, c.name_full, c.code[:6]} & here)
    dropped: set[tuple[str, str]] = set()
    targets: list[Target] = []
    counts: dict[str, int] = {}
    rivals: dict[str, tuple[tuple[str, str, str], ...]] = {}
    demand_by_segment: dict[str, str] = {}
    for need in needs:
        seg = segments[need.segment]
        match = matchers[seg.id]
        buyers = buyers_of(seeds, seg.id)
        neighbours = downstream(seeds, seg.id) + upstream(seeds, seg.id)
        n_buyers = len({n for _s, ps in buyers for n, _a in ps})
        n_anchors = len({n for _s, ps in buyers for n, a in ps if a})
        demand = min(1.0, (n_buyers + n_anchors) / DEMAND_CAP)
        rows, seg_rivals = [], []
        for company in pool_left:
            ind, ind_text = _industry(company, industries.get(seg.id, ()))
            # a 产品小类 link is weak evidence: it counts only for a company whose industry agrees
            exact, product, share, via = match_company(company, match, pool.parents if ind else {})
            if not exact or homes.elsewhere(product, seg.id, exact):
                continue
            if skip_listing(company):
                dropped.add((company.name, skip_listing(company)))
                continue
            rival = rival_of(
                company,
                seg.id,
                anchors=anchors,
                neighbours=neighbours,
                matchers=matchers,
                matched_product=product,
            )
            if rival:
                seg_rivals.append((company.name, rival[0], segments[rival[1]].name))
                continue
            parts = {
                "share": round(min(max(share or 0.0, 0.0), 1.0), 3),
                "exact": exact,
                "industry": ind,
                "demand": round(demand, 3),
            }
            score = round(sum(WEIGHTS[k] * v for k, v in parts.items()), 3)
            near = bool(province and (company.province or parse_region(company.region).province) == province)
            rows.append((score, share or 0.0, company, product, share, via, ind_text, parts, near))
        rows.sort(key=lambda r: (-r[0], -r[1], not r[8], r[2].name, r[2].key))
        counts[seg.id] = len(rows)
        rivals[seg.id] = tuple(sorted(seg_rivals))
        demand_by_segment[seg.id] = demand_text(buyers)
        shown = rows[:top] if top else rows
        for rank, (row, tie) in enumerate(zip(shown, _mark_ties(shown), strict=True), 1):
            score, _s, company, product, share, via, ind_text, parts, near = row
            targets.append(
                Target(
                    chain=seg.chain,
                    chain_label=chains.get(seg.chain, seg.chain),
                    segment=seg.id,
                    segment_label=seg.name,
                    gap_kind=need.kind,
                    rank=rank,
                    name=company.name,
                    name_full=company.name_full,
                    code=company.code,
                    region=company.region,
                    near=near,
                    matched_product=product,
                    share=share,
                    via=via,
                    industry=ind_text,
                    score=score,
                    parts=parts,
                    reason=_reason(company, product, share, via, buyers, near)
                    + (
                        f"；与{tie}同分、数据无占比或规模可区分，按名称排序 tie, ordered by name"
                        if tie
                        else ""
                    ),
                    source=company.source,
                    url=company.url,
                    province=company.province,
                    city=company.city,
                    region_source=company.region_source,
                    listing=company.listing,
                    data_date=company.data_date,
                    tie=tie,
                )
            )
    labels = {n.segment: (chains.get(segments[n.segment].chain, ""), segments[n.segment].name) for n in needs}
    return Ranking(
        tuple(targets),
        tuple(needs),
        counts,
        tuple(excluded),
        province,
        labels,
        rivals,
        tuple(sorted(dropped)),
        shortfalls={k: v for k, v in (shortfalls or {}).items() if k in counts},
        demand=demand_by_segment,
    )


def rank_for_gaps(
    seeds: Seeds,
    pool: Pool,
    gaps: list,
    *,
    industries: dict[str, tuple[str, ...]] | None = None,
    top: int | None = 5,
    province: str | None = None,
    segment: str | None = None,
    shortfalls: dict[str, str] | None = None,
) -> Ranking:
    """Rank ``pool`` for the segments of ``gaps`` (:class:`graph.analysis.gaps.Gap`), or for one ``segment`` alone.

    The one ranking used by ``chainkg build`` (the recommendations in the graph and ``targets.xlsx``), by
    ``chainkg targets`` and by the brief; ``shortfalls`` says why the pool has fewer than three makers for a segment.
    """
    needs = needs_from_gaps(seeds, gaps)
    if segment is not None:
        needs = [next((n for n in needs if n.segment == segment), Need(segment))]
    return rank_targets(
        seeds, pool, needs, top=top, industries=industries, province=province, shortfalls=shortfalls
    )
