"""The seed model: plain frozen dataclasses that the loader fills and the RDF builder reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

__all__ = [
    "STATUSES",
    "Evidence",
    "Article",
    "Source",
    "Chain",
    "Stage",
    "Segment",
    "ValueShare",
    "Edge",
    "CLAIM_KINDS",
    "QUALIFIERS",
    "CoverageClaim",
    "qualify",
    "Placement",
    "Link",
    "Enterprise",
    "Project",
    "ProjectDate",
    "MILESTONES",
    "Role",
    "Person",
    "Zone",
    "Place",
    "Period",
    "Indicator",
    "Rank",
    "Observation",
    "Honour",
    "Seeds",
]

# Project status id -> (zh label, en label)
STATUSES: dict[str, tuple[str, str]] = {
    "signed": ("签约", "signed"),
    "under_construction": ("在建", "under construction"),
    "in_production": ("投产", "in production"),
}

# Project pipeline milestone id -> (zh label, en label), in pipeline order (签约 → 开工 → 投产).
MILESTONES: dict[str, tuple[str, str]] = {
    "signed": ("签约", "signed"),
    "started": ("开工", "construction started"),
    "in_production": ("投产", "in production"),
}

# Coverage claim kind -> (zh, en): what a source says about a chain, stage or segment in the zone.
CLAIM_KINDS: dict[str, tuple[str, str]] = {
    "present": ("已有·未具名", "present, no firm named"),
    "complete": ("名录完整", "roster complete"),
}

# Figure qualifier -> (zh prefix shown before the number, en): the words the text puts around a number.
QUALIFIERS: dict[str, tuple[str, str]] = {
    "lower-bound": ("超", "at least"),  # 突破, 超过, 以上
    "more-than": ("逾", "more than"),  # 余, 多
    "approx": ("约", "about"),  # 约, 近
    "planned": ("规划", "planned"),  # 规划, 计划
    "forecast": ("预计", "forecast"),  # 将, 有望, 预计
}


def qualify(number: str, qualifiers: tuple[str, ...] | list[str]) -> tuple[str, str]:
    """Return ``number`` with the text's qualifiers put back, in Chinese and in English.

    Example:
        >>> qualify("1200 亿元", ("forecast", "lower-bound"))
        ('预计超1200 亿元', 'forecast: at least 1200 亿元')
        >>> qualify("300 家", ("more-than",))[0]
        '300余 家'
    """
    zh, en = number, number
    if "more-than" in qualifiers:
        head, _, tail = number.partition(" ")
        zh, en = f"{head}余 {tail}".strip(), f"more than {number}"
    for key in ("approx", "lower-bound", "planned", "forecast"):
        if key in qualifiers:
            zh = QUALIFIERS[key][0] + zh
            en = f"{QUALIFIERS[key][1]}{':' if key in ('planned', 'forecast') else ''} {en}"
    return zh, en


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: a span of an article, or a named source with a note."""

    doc: str | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    source: str | None = None
    note: str | None = None

    @property
    def is_article(self) -> bool:
        return self.doc is not None


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    text: str
    path: str
    authors: tuple[str, ...] = ()
    photographers: tuple[str, ...] = ()
    issued: str | None = None
    issued_note: str | None = None
    origin: str | None = None


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    kind: str
    cited_in: str | None = None
    detail: str | None = None
    date: str | None = None  # when the source was published, as written (YYYY, YYYY-MM or YYYY-MM-DD)


@dataclass(frozen=True)
class Segment:
    id: str
    name: str
    chain: str
    stage: str
    name_en: str | None = None
    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    gbt4754: str | None = None  # GB/T 4754-2017 industry code, where a source gives one
    same_as: tuple[str, ...] = ()  # segments of other chains that are the same product (skos:exactMatch)
    overlaps: tuple[str, ...] = ()  # segments of other chains that overlap it (skos:closeMatch)
    value_share: ValueShare | None = None  # its share in the downstream product, with a source


@dataclass(frozen=True)
class ValueShare:
    """A segment's share of its downstream product's cost, as a source states it."""

    percent: Decimal  # the figure used for scoring (the midpoint when the source gives a range)
    of: str  # what it is a share of, as the source says (e.g. "电芯成本 cell cost")
    evidence: tuple[Evidence, ...]
    text: str = ""  # the figure as the source prints it ("35–40%")


@dataclass(frozen=True)
class CoverageClaim:
    """What a source says about the zone's coverage of a chain: present (names no firm) or a complete roster."""

    id: str
    kind: str  # a key of CLAIM_KINDS
    chain: str
    covers: tuple[str, ...]  # chain, stage or segment ids the claim speaks of
    basis: str  # why it covers them, in the claim's own words
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    chain: str
    index: int  # 1-based position in the chain, upstream first
    segments: tuple[str, ...]
    name_en: str | None = None


@dataclass(frozen=True)
class Edge:
    """A direct segment edge: ``up``'s output is an input of ``down`` (or a recycling loop when ``feedback``)."""

    up: str
    down: str
    feedback: bool = False


@dataclass(frozen=True)
class Chain:
    id: str
    name: str
    stages: tuple[str, ...]
    name_en: str | None = None
    evidence: tuple[Evidence, ...] = ()
    sources: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Placement:
    """An enterprise or project working in a chain segment, with the evidence that says so."""

    segment: str
    evidence: tuple[Evidence, ...]
    rule: str | None = (
        None  # set when a rule placed it (a roster's product keyword), until a curator reviews it
    )


@dataclass(frozen=True)
class Link:
    """A reference to another seed entity, with evidence (e.g. a project's investor)."""

    target: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Enterprise:
    id: str
    name: str
    evidence: tuple[Evidence, ...]
    in_zone: bool
    name_full: str | None = None
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    anchor: bool = False
    anchor_evidence: tuple[Evidence, ...] = ()  # a source naming it the chain's leading enterprise
    anchor_rule: str | None = None  # or the curators' stated rule, shown as such
    codes: tuple[tuple[str, str], ...] = ()
    parent: str | None = None
    place: str | None = None
    segments: tuple[Placement, ...] = ()
    unplaced: str | None = None
    reviewed: bool = True


@dataclass(frozen=True)
class ProjectDate:
    """When a project reached a pipeline milestone (``MILESTONES``): a day, a month or a year, with evidence."""

    milestone: str
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source says
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    evidence: tuple[Evidence, ...]
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    investors: tuple[Link, ...] = ()
    status: str | None = None
    status_evidence: tuple[Evidence, ...] = ()
    dates: tuple[ProjectDate, ...] = ()  # pipeline milestones, in MILESTONES order
    place: str | None = None
    segments: tuple[Placement, ...] = ()
    unplaced: str | None = None
    reviewed: bool = True


@dataclass(frozen=True)
class Role:
    title: str
    evidence: tuple[Evidence, ...]
    org: str | None = None


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    roles: tuple[Role, ...] = ()
    name_en: str | None = None


@dataclass(frozen=True)
class Zone:
    id: str
    name: str
    evidence: tuple[Evidence, ...]
    name_full: str | None = None
    name_en: str | None = None


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    within: str
    evidence: tuple[Evidence, ...]
    name_en: str | None = None


@dataclass(frozen=True)
class Period:
    id: str
    name: str
    begin: str
    end: str
    note: str | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    name_en: str | None = None


@dataclass(frozen=True)
class Rank:
    scope: str
    position: int
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Observation:
    id: str
    about: str
    indicator: str
    value: Decimal
    unit: str
    evidence: tuple[Evidence, ...]
    period: str | None = None
    qualifiers: tuple[
        str, ...
    ] = ()  # keys of QUALIFIERS, as the text says them (将突破 → forecast, lower-bound)
    ranks: tuple[Rank, ...] = ()


@dataclass(frozen=True)
class Honour:
    id: str
    name: str
    recipient: str
    evidence: tuple[Evidence, ...]
    name_en: str | None = None


@dataclass(frozen=True)
class Seeds:
    """Everything in a seeds folder, checked and cross-referenced. Tuples keep the files' order."""

    articles: tuple[Article, ...] = ()
    sources: tuple[Source, ...] = ()
    chains: tuple[Chain, ...] = ()
    stages: tuple[Stage, ...] = ()
    segments: tuple[Segment, ...] = ()
    edges: tuple[Edge, ...] = ()
    zone: Zone | None = None
    places: tuple[Place, ...] = ()
    enterprises: tuple[Enterprise, ...] = ()
    projects: tuple[Project, ...] = ()
    people: tuple[Person, ...] = ()
    periods: tuple[Period, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    observations: tuple[Observation, ...] = ()
    honours: tuple[Honour, ...] = ()
    claims: tuple[CoverageClaim, ...] = ()
    folder: str = field(default="", compare=False)

    def segment(self, ident: str) -> Segment:
        return next(s for s in self.segments if s.id == ident)

    @property
    def players(self) -> tuple[Enterprise | Project, ...]:
        """Local players: enterprises in the zone and all projects (projects are sited in the zone)."""
        return tuple(e for e in self.enterprises if e.in_zone) + self.projects
