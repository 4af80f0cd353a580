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
    "Edge",
    "Placement",
    "Link",
    "Enterprise",
    "Project",
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
    codes: tuple[tuple[str, str], ...] = ()
    parent: str | None = None
    place: str | None = None
    segments: tuple[Placement, ...] = ()
    unplaced: str | None = None
    reviewed: bool = True


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
    approx: bool = False
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
    folder: str = field(default="", compare=False)

    def segment(self, ident: str) -> Segment:
        return next(s for s in self.segments if s.id == ident)

    @property
    def players(self) -> tuple[Enterprise | Project, ...]:
        """Local players: enterprises in the zone and all projects (projects are sited in the zone)."""
        return tuple(e for e in self.enterprises if e.in_zone) + self.projects
