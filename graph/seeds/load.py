"""Load a seeds folder into :class:`graph.seeds.model.Seeds`, reporting every problem at once.

The layout and every field are described in ``docs/seeds.md``. Reading is in two passes: each file is parsed into
model objects (field checks, evidence spans), then :func:`graph.seeds.checks.check_references` checks ids across files.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from graph.errors import SeedError
from graph.seeds.checks import check_references
from graph.seeds.claims import read_anchor_basis, read_claims, read_qualifier, read_value_share
from graph.seeds.fields import article_text, in_range, is_date
from graph.seeds.milestones import read_project_dates, source_date
from graph.seeds.model import (
    STATUSES,
    Article,
    Chain,
    Edge,
    Enterprise,
    Honour,
    Indicator,
    Observation,
    Period,
    Person,
    Place,
    Project,
    Rank,
    Role,
    Seeds,
    Segment,
    Source,
    Stage,
    Zone,
)
from graph.seeds.reader import Reader
from graph.seeds.yamlio import LineDict, read_yaml
from graph.text import did_you_mean
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
    "coverage.yaml",
)
SOURCE_KINDS = ("domain", "registry", "report", "import")


def _read_articles(r: Reader) -> tuple[Article, ...]:
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


def _read_sources(r: Reader) -> tuple[Source, ...]:
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
                date=source_date(rec),
            )
        )
    return tuple(result)


def _read_chains(
    r: Reader,
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
                allowed_seg = ("id", "name", "name_en", "keywords", "exclude", "gbt4754", "note", "same_as",
                               "overlaps", "value_share")  # fmt: skip
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
                        same_as=_segment_refs(r, path, sg, "same_as"),
                        overlaps=_segment_refs(r, path, sg, "overlaps"),
                        value_share=read_value_share(r, path, sg),
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


def _segment_refs(r: Reader, path: Path, rec: LineDict, key: str) -> tuple[str, ...]:
    """Segment ids of other chains named in ``key`` (``same_as`` / ``overlaps``), checked later as references."""
    ids = r.texts(path, rec, key)
    for ident in ids:
        r.refs.use(("segment",), ident, path, rec.line_of(key), key)
    return ids


def _read_zone(r: Reader) -> tuple[Zone | None, tuple[Place, ...]]:
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


def _read_periods(r: Reader) -> tuple[Period, ...]:
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


def _read_indicators(r: Reader) -> tuple[Indicator, ...]:
    path, recs = r.records("indicators.yaml")
    result = []
    for rec in recs:
        if r.fields(path, rec, "indicator", ("id", "name", "name_en", "note"), ("id", "name"), "indicator"):
            ident = str(r.ident(path, rec, "indicator"))
            result.append(Indicator(ident, str(rec["name"]), r.text(path, rec, "name_en")))
    return tuple(result)


def _read_enterprises(r: Reader) -> tuple[Enterprise, ...]:
    path, recs = r.records("enterprises.yaml")
    allowed = (
        "id", "name", "name_full", "name_en", "aliases", "in_zone", "anchor", "anchor_basis", "codes", "parent",
        "place", "evidence", "segments", "unplaced", "reviewed", "note",
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
        anchor_evidence, anchor_rule = read_anchor_basis(r, path, rec)
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
                anchor_evidence=anchor_evidence,
                anchor_rule=anchor_rule,
                codes=tuple(sorted((str(k), str(v)) for k, v in codes.items())),
                parent=r.ref(path, rec, "parent", ("org",)),
                place=r.ref(path, rec, "place", ("place", "zone")),
                segments=r.placements(path, rec),
                unplaced=r.text(path, rec, "unplaced"),
                reviewed=_reviewed(r, path, rec, "enterprise"),
            )
        )
    return tuple(result)


def _reviewed(r: Reader, path: Path, rec: LineDict, what: str) -> bool:
    """Read ``reviewed`` (default true) and remember where an unreviewed proposal sits."""
    reviewed = r.flag(path, rec, "reviewed", default=True)
    if not reviewed:
        r.unreviewed.append(
            f'{path}:{rec.line_of("reviewed")}: reviewed: {what} "{rec.get("id")}" ({rec.get("name")})'
        )
    return reviewed


def _read_projects(r: Reader) -> tuple[Project, ...]:
    path, recs = r.records("projects.yaml")
    allowed = (
        "id", "name", "name_en", "aliases", "investors", "status", "dates", "place", "evidence", "segments",
        "unplaced", "reviewed", "note",
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
                dates=read_project_dates(r, path, rec),
                place=r.ref(path, rec, "place", ("place", "zone")),
                segments=r.placements(path, rec),
                unplaced=r.text(path, rec, "unplaced"),
                reviewed=_reviewed(r, path, rec, "project"),
            )
        )
    return tuple(result)


def _read_people(r: Reader) -> tuple[Person, ...]:
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


def _read_observations(r: Reader) -> tuple[Observation, ...]:
    path, recs = r.records("observations.yaml")
    allowed = ("id", "about", "indicator", "value", "unit", "period", "approx", "qualifier", "evidence", "ranks",
               "note")  # fmt: skip
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
                qualifiers=read_qualifier(r, path, rec),
                ranks=tuple(ranks),
            )
        )
    return tuple(result)


def _read_honours(r: Reader) -> tuple[Honour, ...]:
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
    r = Reader(folder)
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
        claims=read_claims(r),
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
                '"reviewed: false", or build them as a preview with unreviewed entries included (docs/extraction.md)',
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
