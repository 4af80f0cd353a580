"""Load a seeds folder into :class:`graph.seeds.model.Seeds`, reporting every problem at once.

The layout and every field are described in ``docs/seeds.md``. Reading is in two passes: each file is parsed into
model objects (field checks, evidence spans), then :func:`graph.seeds.checks.check_references` checks ids across files.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from graph.errors import SeedError
from graph.seeds.checks import Refs, check_references
from graph.seeds.evidence import span_problem
from graph.seeds.fields import article_text, in_range, is_date, type_problem
from graph.seeds.model import (
    STATUSES,
    Article,
    Chain,
    Edge,
    Enterprise,
    Evidence,
    Honour,
    Indicator,
    Link,
    Observation,
    Period,
    Person,
    Place,
    Placement,
    Project,
    Rank,
    Role,
    Seeds,
    Segment,
    Source,
    Stage,
    Zone,
)
from graph.seeds.yamlio import LineDict, Problems, read_yaml
from graph.text import did_you_mean
from graph.vocab.namespaces import is_slug
from graph.vocab.units import UNITS

__all__ = ["load_seeds", "template_dir", "SEED_FILES"]

log = logging.getLogger(__name__)

SEED_FILES = (
    "sources.yaml",
    "zone.yaml",
    "periods.yaml",
    "indicators.yaml",
    "enterprises.yaml",
    "projects.yaml",
    "people.yaml",
    "observations.yaml",
    "honours.yaml",
)
SOURCE_KINDS = ("domain", "registry", "report", "import")


class _Reader:
    """Field-level reading of one seeds folder; problems accumulate in ``self.problems``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems = Problems()
        self.articles: dict[str, Article] = {}
        self.refs = Refs()
        self.unreadable_articles: set[str] = set()  # reported once; their quotes are not checked again
        # "FILE:LINE: id" of machine proposals not yet reviewed (docs/zone.md)
        self.unreviewed: list[str] = []

    # -- generic fields ---------------------------------------------------------------------------------------
    def fields(
        self,
        path: Path,
        rec: Any,
        what: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...],
        kind: str = "",
    ) -> bool:
        """Check a record's field names and required fields; with ``kind``, define its id even if it is incomplete."""
        if not isinstance(rec, LineDict):
            line = getattr(rec, "line", 1)
            self.problems.add(path, line, what, f"expected a mapping with fields {', '.join(required)}")
            return False
        wrong = set()
        for key in rec:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed)
                self.problems.add(path, rec.line_of(key), str(key), f"unknown field{hint}")
            elif problem := type_problem(str(key), rec[key]):
                self.problems.add(path, rec.line_of(key), str(key), problem)
                wrong.add(key)
        for key in wrong:
            rec[key] = None
        if kind and rec.get("id") is not None:
            self.ident(path, rec, kind)
        ok = not (wrong & set(required))
        for key in required:
            if rec.get(key) in (None, "") and key not in wrong:
                self.problems.add(path, rec.line, what, f'has no "{key}"')
                ok = False
        return ok

    def text(self, path: Path, rec: LineDict, key: str) -> str | None:
        value = rec.get(key)
        if value is None:
            return None
        if isinstance(value, bool | dict | list):
            self.problems.add(path, rec.line_of(key), key, f"expected text, got {value!r}")
            return None
        return str(value)

    def texts(self, path: Path, rec: LineDict, key: str) -> tuple[str, ...]:
        value = rec.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
            self.problems.add(path, rec.line_of(key), key, "expected a list of texts")
            return ()
        return tuple(str(v) for v in value)

    def flag(self, path: Path, rec: LineDict, key: str, default: bool = False) -> bool:
        value = rec.get(key, default)
        if not isinstance(value, bool):
            self.problems.add(path, rec.line_of(key), key, f"expected true or false, got {value!r}")
            return default
        return value

    def ident(self, path: Path, rec: LineDict, kind: str, key: str = "id") -> str | None:
        value = rec.get(key)
        if value is None:
            return None
        value = str(value)
        if not is_slug(value):
            self.problems.add(
                path, rec.line_of(key), key, f'"{value}" is not a valid id (lower-case a-z, 0-9 and "-")'
            )
        self.refs.define(kind, value, path, rec.line_of(key))
        return value

    def ref(self, path: Path, rec: LineDict, key: str, kinds: tuple[str, ...]) -> str | None:
        value = rec.get(key)
        if value is None:
            return None
        self.refs.use(kinds, str(value), path, rec.line_of(key), key)
        return str(value)

    # -- evidence -----------------------------------------------------------------------------------------------
    def evidence(self, path: Path, rec: LineDict, key: str = "evidence", required: bool = True) -> tuple:
        raw = rec.get(key)
        if raw is None:
            if required:
                self.problems.add(path, rec.line, key, "missing: every fact needs evidence (docs/seeds.md)")
            return ()
        items = raw if isinstance(raw, list) else [raw]
        lines = getattr(raw, "lines", None) or [rec.line_of(key)] * len(items)
        result = []
        for item, line in zip(items, lines, strict=True):
            ev = self._one_evidence(path, item, line)
            if ev is not None:
                result.append(ev)
        if required and not items:
            self.problems.add(path, rec.line_of(key), key, "empty: every fact needs evidence")
        return tuple(result)

    def _one_evidence(self, path: Path, item: Any, line: int) -> Evidence | None:
        if not isinstance(item, LineDict):
            self.problems.add(path, line, "evidence", "expected {doc, quote, start, end} or {source, note}")
            return None
        line = item.line
        if "source" in item:
            if not self.fields(path, item, "evidence", ("source", "note"), ("source",)):
                return None
            self.refs.use(("source",), str(item["source"]), path, line, "evidence.source")
            return Evidence(source=str(item["source"]), note=self.text(path, item, "note"))
        if not self.fields(path, item, "evidence", ("doc", "quote", "start", "end"), ("doc", "quote")):
            return None
        doc, quote = str(item["doc"]), str(item["quote"])
        start, end = item.get("start"), item.get("end")
        article = self.articles.get(doc)
        if doc in self.unreadable_articles:
            return None
        if article is None:
            hint = did_you_mean(doc, self.articles)
            self.problems.add(path, item.line_of("doc"), "evidence.doc", f'unknown article "{doc}"{hint}')
            return None
        problem = span_problem(article.text, quote, start, end, article.path)
        if problem:
            self.problems.add(path, line, *problem)
            return None
        return Evidence(doc=doc, quote=quote, start=start, end=end)

    def placements(self, path: Path, rec: LineDict) -> tuple[Placement, ...]:
        raw = rec.get("segments") or []
        if not isinstance(raw, list):
            self.problems.add(
                path, rec.line_of("segments"), "segments", "expected a list of {segment, evidence}"
            )
            return ()
        result = []
        for item in raw:
            if not self.fields(path, item, "segments", ("segment", "evidence"), ("segment",)):
                continue
            seg = self.ref(path, item, "segment", ("segment",))
            result.append(Placement(segment=str(seg), evidence=self.evidence(path, item)))
        return tuple(result)

    def links(self, path: Path, rec: LineDict, key: str, kinds: tuple[str, ...]) -> tuple[Link, ...]:
        raw = rec.get(key) or []
        if not isinstance(raw, list):
            self.problems.add(path, rec.line_of(key), key, "expected a list of {org, evidence}")
            return ()
        result = []
        for item in raw:
            if self.fields(path, item, key, ("org", "evidence"), ("org",)):
                target = self.ref(path, item, "org", kinds)
                result.append(Link(target=str(target), evidence=self.evidence(path, item)))
        return tuple(result)

    def records(self, name: str) -> tuple[Path, list]:
        path = self.folder / name
        if not path.exists():
            return path, []
        data = read_yaml(path, self.problems)
        if data is None:
            return path, []
        if not isinstance(data, list):
            self.problems.add(path, getattr(data, "line", 1), "", "expected a list of entries")
            return path, []
        return path, data


def _read_articles(r: _Reader) -> tuple[Article, ...]:
    result = []
    folder = r.folder / "articles"
    for meta_path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        meta = read_yaml(meta_path, r.problems)
        allowed = ("id", "title", "authors", "photographers", "issued", "issued_note", "origin")
        if meta is None or not r.fields(meta_path, meta, "article", allowed, ("id", "title")):
            continue
        ident = str(meta["id"])
        text_path = meta_path.with_suffix(".txt")
        if ident != meta_path.stem:
            r.problems.add(
                meta_path, meta.line_of("id"), "id", f'"{ident}" must equal the file name "{meta_path.stem}"'
            )
        if not text_path.exists():
            r.problems.add(meta_path, meta.line, "article", f"its text {text_path.name} is missing")
            continue
        text, problem = article_text(text_path)
        if problem:
            r.problems.add(meta_path, meta.line, "article", problem)
        if text is None:
            r.unreadable_articles.add(ident)
            continue
        r.ident(meta_path, meta, "article")
        article = Article(
            id=ident,
            title=str(meta["title"]),
            text=text,
            path=str(text_path),
            authors=r.texts(meta_path, meta, "authors"),
            photographers=r.texts(meta_path, meta, "photographers"),
            issued=r.text(meta_path, meta, "issued"),
            issued_note=r.text(meta_path, meta, "issued_note"),
            origin=r.text(meta_path, meta, "origin"),
        )
        r.articles[ident] = article
        result.append(article)
    return tuple(result)


def _read_sources(r: _Reader) -> tuple[Source, ...]:
    path, recs = r.records("sources.yaml")
    result = []
    for rec in recs:
        allowed = ("id", "name", "name_en", "kind", "cited_in", "site", "date", "url", "note")
        if not r.fields(path, rec, "source", allowed, ("id", "name", "kind"), "source"):
            continue
        kind = str(rec["kind"])
        if kind not in SOURCE_KINDS:
            hint = did_you_mean(kind, SOURCE_KINDS)
            r.problems.add(
                path, rec.line_of("kind"), "kind", f'"{kind}" is not one of {", ".join(SOURCE_KINDS)}{hint}'
            )
        detail = "; ".join(str(rec[k]) for k in ("site", "date", "url", "note") if rec.get(k))
        result.append(
            Source(
                id=str(r.ident(path, rec, "source")),
                name=str(rec["name"]),
                kind=kind,
                cited_in=r.text(path, rec, "cited_in"),
                detail=detail or None,
            )
        )
    return tuple(result)


def _read_chains(
    r: _Reader,
) -> tuple[tuple[Chain, ...], tuple[Stage, ...], tuple[Segment, ...], tuple[Edge, ...]]:
    chains, stages, segments, edges = [], [], [], []
    folder = r.folder / "chains"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        rec = read_yaml(path, r.problems)
        allowed = ("id", "name", "name_en", "evidence", "sources", "stages", "edges", "feedback")
        if rec is None or not r.fields(path, rec, "chain", allowed, ("id", "name", "stages"), "chain"):
            continue
        chain_id = str(r.ident(path, rec, "chain"))
        stage_ids = []
        for index, st in enumerate(rec["stages"] if isinstance(rec["stages"], list) else [], start=1):
            if not r.fields(
                path, st, "stage", ("id", "name", "name_en", "segments"), ("id", "name"), "stage"
            ):
                continue
            stage_id = str(r.ident(path, st, "stage"))
            seg_ids = []
            for sg in st.get("segments") or []:
                allowed_seg = ("id", "name", "name_en", "keywords", "exclude", "gbt4754", "note")
                if not r.fields(path, sg, "segment", allowed_seg, ("id", "name"), "segment"):
                    continue
                seg_id = str(r.ident(path, sg, "segment"))
                seg_ids.append(seg_id)
                segments.append(
                    Segment(
                        id=seg_id,
                        name=str(sg["name"]),
                        chain=chain_id,
                        stage=stage_id,
                        name_en=r.text(path, sg, "name_en"),
                        keywords=r.texts(path, sg, "keywords"),
                        exclude=r.texts(path, sg, "exclude"),
                        gbt4754=r.text(path, sg, "gbt4754"),
                    )
                )
            stage_ids.append(stage_id)
            stages.append(
                Stage(stage_id, str(st["name"]), chain_id, index, tuple(seg_ids), r.text(path, st, "name_en"))
            )
        for key, feedback in (("edges", False), ("feedback", True)):
            raw = rec.get(key) or []
            for pair, line in zip(raw, getattr(raw, "lines", []), strict=False):
                if not (isinstance(pair, list) and len(pair) == 2):
                    r.problems.add(path, line, key, f"expected a pair [upstream, downstream], got {pair!r}")
                    continue
                up, down = (str(x) for x in pair)
                for end in (up, down):
                    r.refs.use(("segment",), end, path, line, key)
                edges.append(Edge(up, down, feedback))
        chains.append(
            Chain(
                id=chain_id,
                name=str(rec["name"]),
                stages=tuple(stage_ids),
                name_en=r.text(path, rec, "name_en"),
                evidence=r.evidence(path, rec, required=False),
                sources=r.evidence(path, rec, "sources", required=False),
            )
        )
    return tuple(chains), tuple(stages), tuple(segments), tuple(edges)


def _read_zone(r: _Reader) -> tuple[Zone | None, tuple[Place, ...]]:
    path = r.folder / "zone.yaml"
    before = len(r.problems.items)
    data = read_yaml(path, r.problems) if path.exists() else None
    if data is None:
        if not path.exists():
            r.problems.add(path, 1, "", "missing: a seeds folder needs zone.yaml (docs/seeds.md)")
        elif len(r.problems.items) == before:
            r.problems.add(
                path, 1, "zone", "empty: zone.yaml needs a zone with id, name and evidence (docs/seeds.md)"
            )
        return None, ()
    if not r.fields(path, data, "zone.yaml", ("zone", "places"), ("zone",)):
        return None, ()
    z = data["zone"]
    zone = None
    allowed = ("id", "name", "name_full", "name_en", "evidence")
    if r.fields(path, z, "zone", allowed, ("id", "name"), "zone"):
        zone = Zone(
            id=str(r.ident(path, z, "zone")),
            name=str(z["name"]),
            evidence=r.evidence(path, z),
            name_full=r.text(path, z, "name_full"),
            name_en=r.text(path, z, "name_en"),
        )
    places = []
    for rec in data.get("places") or []:
        if not r.fields(
            path, rec, "place", ("id", "name", "name_en", "within", "evidence"), ("id", "name"), "place"
        ):
            continue
        places.append(
            Place(
                id=str(r.ident(path, rec, "place")),
                name=str(rec["name"]),
                within=str(r.ref(path, rec, "within", ("zone", "place")) or (zone.id if zone else "")),
                evidence=r.evidence(path, rec),
                name_en=r.text(path, rec, "name_en"),
            )
        )
    return zone, tuple(places)


def _read_periods(r: _Reader) -> tuple[Period, ...]:
    path, recs = r.records("periods.yaml")
    result = []
    for rec in recs:
        allowed = ("id", "name", "begin", "end", "note", "evidence")
        if r.fields(path, rec, "period", allowed, ("id", "name", "begin", "end"), "period"):
            begin, end = str(rec["begin"]), str(rec["end"])
            for key, value in (("begin", begin), ("end", end)):
                if not is_date(value):
                    r.problems.add(path, rec.line_of(key), key, f'"{value}" is not a date such as 2023-01-01')
            if begin > end:
                r.problems.add(path, rec.line_of("end"), "end", f"{end} is before begin {begin}")
            ident = str(r.ident(path, rec, "period"))
            evidence = r.evidence(path, rec, required=False)
            result.append(Period(ident, str(rec["name"]), begin, end, r.text(path, rec, "note"), evidence))
    return tuple(result)


def _read_indicators(r: _Reader) -> tuple[Indicator, ...]:
    path, recs = r.records("indicators.yaml")
    result = []
    for rec in recs:
        if r.fields(path, rec, "indicator", ("id", "name", "name_en", "note"), ("id", "name"), "indicator"):
            ident = str(r.ident(path, rec, "indicator"))
            result.append(Indicator(ident, str(rec["name"]), r.text(path, rec, "name_en")))
    return tuple(result)


def _read_enterprises(r: _Reader) -> tuple[Enterprise, ...]:
    path, recs = r.records("enterprises.yaml")
    allowed = (
        "id", "name", "name_full", "name_en", "aliases", "in_zone", "anchor", "codes", "parent", "place",
        "evidence", "segments", "unplaced", "reviewed", "note",
    )  # fmt: skip
    result = []
    for rec in recs:
        if not r.fields(path, rec, "enterprise", allowed, ("id", "name"), "org"):
            continue
        codes = rec.get("codes") or {}
        if not isinstance(codes, dict):
            r.problems.add(
                path, rec.line_of("codes"), "codes", "expected a mapping such as {stock: 688223.SH}"
            )
            codes = {}
        result.append(
            Enterprise(
                id=str(r.ident(path, rec, "org")),
                name=str(rec["name"]),
                evidence=r.evidence(path, rec),
                in_zone=r.flag(path, rec, "in_zone"),
                name_full=r.text(path, rec, "name_full"),
                name_en=r.text(path, rec, "name_en"),
                aliases=r.texts(path, rec, "aliases"),
                anchor=r.flag(path, rec, "anchor"),
                codes=tuple(sorted((str(k), str(v)) for k, v in codes.items())),
                parent=r.ref(path, rec, "parent", ("org",)),
                place=r.ref(path, rec, "place", ("place", "zone")),
                segments=r.placements(path, rec),
                unplaced=r.text(path, rec, "unplaced"),
                reviewed=_reviewed(r, path, rec, "enterprise"),
            )
        )
    return tuple(result)


def _reviewed(r: _Reader, path: Path, rec: LineDict, what: str) -> bool:
    """Read ``reviewed`` (default true) and remember where an unreviewed proposal sits."""
    reviewed = r.flag(path, rec, "reviewed", default=True)
    if not reviewed:
        r.unreviewed.append(
            f'{path}:{rec.line_of("reviewed")}: reviewed: {what} "{rec.get("id")}" ({rec.get("name")})'
        )
    return reviewed


def _read_projects(r: _Reader) -> tuple[Project, ...]:
    path, recs = r.records("projects.yaml")
    allowed = (
        "id", "name", "name_en", "aliases", "investors", "status", "place", "evidence", "segments", "unplaced",
        "reviewed", "note",
    )  # fmt: skip
    result = []
    for rec in recs:
        if not r.fields(path, rec, "project", allowed, ("id", "name"), "project"):
            continue
        status, status_ev = None, ()
        raw = rec.get("status")
        if raw is not None and r.fields(path, raw, "status", ("value", "evidence"), ("value",)):
            status = str(raw["value"])
            if status not in STATUSES:
                hint = did_you_mean(status, STATUSES)
                choices = ", ".join(f"{k} ({v[0]})" for k, v in STATUSES.items())
                r.problems.add(
                    path, raw.line_of("value"), "status", f'"{status}" is not one of {choices}{hint}'
                )
            status_ev = r.evidence(path, raw)
        result.append(
            Project(
                id=str(r.ident(path, rec, "project")),
                name=str(rec["name"]),
                evidence=r.evidence(path, rec),
                name_en=r.text(path, rec, "name_en"),
                aliases=r.texts(path, rec, "aliases"),
                investors=r.links(path, rec, "investors", ("org",)),
                status=status,
                status_evidence=status_ev,
                place=r.ref(path, rec, "place", ("place", "zone")),
                segments=r.placements(path, rec),
                unplaced=r.text(path, rec, "unplaced"),
                reviewed=_reviewed(r, path, rec, "project"),
            )
        )
    return tuple(result)


def _read_people(r: _Reader) -> tuple[Person, ...]:
    path, recs = r.records("people.yaml")
    result = []
    for rec in recs:
        if not r.fields(path, rec, "person", ("id", "name", "name_en", "roles"), ("id", "name"), "person"):
            continue
        roles = []
        for role in rec.get("roles") or []:
            if r.fields(path, role, "roles", ("title", "org", "evidence"), ("title",)):
                org = r.ref(path, role, "org", ("org", "project", "zone"))
                roles.append(Role(str(role["title"]), r.evidence(path, role), org))
        ident = str(r.ident(path, rec, "person"))
        result.append(Person(ident, str(rec["name"]), tuple(roles), r.text(path, rec, "name_en")))
    return tuple(result)


def _read_observations(r: _Reader) -> tuple[Observation, ...]:
    path, recs = r.records("observations.yaml")
    allowed = ("id", "about", "indicator", "value", "unit", "period", "approx", "evidence", "ranks", "note")
    result = []
    for rec in recs:
        if not r.fields(
            path, rec, "observation", allowed, ("id", "about", "indicator", "value", "unit"), "obs"
        ):
            continue
        raw_value = rec["value"]
        try:
            if isinstance(raw_value, bool):
                raise InvalidOperation
            value = Decimal(str(raw_value))
            if not in_range(value):
                r.problems.add(
                    path,
                    rec.line_of("value"),
                    "value",
                    f'"{str(raw_value)[:40]}" is beyond the range of numbers',
                )
                value = Decimal(0)
        except InvalidOperation:
            r.problems.add(
                path,
                rec.line_of("value"),
                "value",
                f'"{raw_value}" is not a number (write 106, not "106亿元")',
            )
            value = Decimal(0)
        unit = str(rec["unit"])
        if unit not in UNITS:
            r.problems.add(
                path, rec.line_of("unit"), "unit", f'unknown unit "{unit}"{did_you_mean(unit, UNITS)}'
            )
        ranks = []
        for rank in rec.get("ranks") or []:
            if r.fields(path, rank, "ranks", ("scope", "position", "evidence"), ("scope", "position")):
                position = rank["position"]
                if not isinstance(position, int) or isinstance(position, bool) or position < 1:
                    r.problems.add(
                        path,
                        rank.line_of("position"),
                        "position",
                        f"expected a whole number ≥ 1, got {position!r}",
                    )
                    position = 1
                ranks.append(Rank(str(rank["scope"]), position, r.evidence(path, rank)))
        result.append(
            Observation(
                id=str(r.ident(path, rec, "obs")),
                about=str(r.ref(path, rec, "about", ("zone", "place", "org", "project"))),
                indicator=str(r.ref(path, rec, "indicator", ("indicator",))),
                value=value,
                unit=unit,
                evidence=r.evidence(path, rec),
                period=r.ref(path, rec, "period", ("period",)),
                approx=r.flag(path, rec, "approx"),
                ranks=tuple(ranks),
            )
        )
    return tuple(result)


def _read_honours(r: _Reader) -> tuple[Honour, ...]:
    path, recs = r.records("honours.yaml")
    result = []
    for rec in recs:
        allowed = ("id", "name", "name_en", "recipient", "evidence", "note")
        if r.fields(path, rec, "honour", allowed, ("id", "name", "recipient"), "honour"):
            result.append(
                Honour(
                    id=str(r.ident(path, rec, "honour")),
                    name=str(rec["name"]),
                    recipient=str(r.ref(path, rec, "recipient", ("zone", "org", "project", "place"))),
                    evidence=r.evidence(path, rec),
                    name_en=r.text(path, rec, "name_en"),
                )
            )
    return tuple(result)


def load_seeds(folder: Path | str, *, include_unreviewed: bool = False) -> Seeds:
    """Read and check every seed file in ``folder``.

    Args:
        folder: a seeds folder laid out as ``docs/seeds.md`` describes.
        include_unreviewed: accept enterprises and projects marked ``reviewed: false`` (machine proposals);
            by default they are refused, each listed as ``FILE:LINE``.

    Returns:
        The checked :class:`Seeds`.

    Raises:
        SeedError: listing every problem found, one ``FILE:LINE: field: problem`` per line.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SeedError([f"{folder}: seeds folder not found"])
    r = _Reader(folder)
    articles = _read_articles(r)
    sources = _read_sources(r)
    chains, stages, segments, edges = _read_chains(r)
    zone, places = _read_zone(r)
    seeds = Seeds(
        articles=articles,
        sources=sources,
        chains=chains,
        stages=stages,
        segments=segments,
        edges=edges,
        zone=zone,
        places=places,
        periods=_read_periods(r),
        indicators=_read_indicators(r),
        enterprises=_read_enterprises(r),
        projects=_read_projects(r),
        people=_read_people(r),
        observations=_read_observations(r),
        honours=_read_honours(r),
        folder=str(folder),
    )
    if not r.problems.unreadable:
        check_references(seeds, r.refs, r.problems)
    if r.problems:
        raise SeedError(r.problems.lines())
    if r.unreviewed and not include_unreviewed:
        raise SeedError(
            [
                f"{len(r.unreviewed)} 条未审核的提议 unreviewed proposal(s): review them and delete "
                '"reviewed: false", or build with --include-unreviewed',
                *sorted(r.unreviewed),
            ]
        )
    log.info(
        "loaded %d enterprises, %d projects from %s", len(seeds.enterprises), len(seeds.projects), folder
    )
    return seeds


def template_dir() -> Path:
    """The packaged starting point for a new zone: the chain templates, the sources they cite, and the zone file
    they are loaded with (package data, linked to the repository's ``seeds/``)."""
    return Path(str(resources.files("graph.seeds") / "template"))
