"""Project pipeline dates in ``projects.yaml``: ``dates: {signed|started|in_production: {value, evidence}}``.

A date is kept at the precision its source gives (a year, a month or a day, see :mod:`graph.vocab.dates`); every
milestone needs its own evidence. ``r`` is the seeds reader of :mod:`graph.seeds.load` (fields, evidence, problems).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.seeds.model import MILESTONES, ProjectDate
from graph.seeds.yamlio import LineDict
from graph.text import did_you_mean
from graph.vocab.dates import DATE_FORMS, normalise_date

__all__ = ["read_date", "read_project_dates", "source_date"]


def source_date(rec: LineDict) -> str | None:
    """A named source's ``date`` when it is a year, month or day; a range such as ``2021/2022`` stays in the
    source's note and gives no date to compare (it is not an error: sources are written as their pages give them)."""
    return normalise_date(rec.get("date"))


def read_date(r: Any, path: Path, rec: LineDict, key: str) -> str | None:
    """Read an optional date written as a year, month or day."""
    raw = rec.get(key)
    if raw is None:
        return None
    value = normalise_date(raw)
    if value is None:
        r.problems.add(path, rec.line_of(key), key, f'"{raw}" is not a date ({DATE_FORMS})')
    return value


def read_project_dates(r: Any, path: Path, rec: LineDict) -> tuple[ProjectDate, ...]:
    """Read ``dates: {signed|started|in_production: {value: DATE, evidence: [...]}}``, in pipeline order."""
    raw = rec.get("dates")
    if raw is None:
        return ()
    if not isinstance(raw, LineDict):
        r.problems.add(
            path, rec.line_of("dates"), "dates", f"expected a mapping with {', '.join(MILESTONES)}"
        )
        return ()
    result = []
    for key in raw:
        if key not in MILESTONES:
            hint = did_you_mean(str(key), MILESTONES)
            r.problems.add(path, raw.line_of(key), f"dates.{key}", f"unknown milestone{hint}")
    for key in MILESTONES:
        item = raw.get(key)
        if item is None or not r.fields(path, item, f"dates.{key}", ("value", "evidence"), ("value",)):
            continue
        value = read_date(r, path, item, "value")
        evidence = r.evidence(path, item)
        if value is not None:
            result.append(ProjectDate(key, value, evidence))
    return tuple(result)
