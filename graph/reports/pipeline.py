"""The project pipeline (项目进度): projects by status with their 签约 / 开工 / 投产 dates and how long each step took.

Dates come only from the seeds (each with evidence); a duration is given in whole months when both of its dates
say at least the month, and is left empty otherwise (a year alone is too coarse to count months).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from graph.seeds.model import MILESTONES, STATUSES, Seeds
from graph.text import text_table
from graph.vocab.dates import months_between

__all__ = ["PipelineRow", "FORMATS", "pipeline_rows", "render_pipeline"]

FORMATS = ("table", "json")
_ORDER = (*STATUSES, "")


@dataclass(frozen=True)
class PipelineRow:
    """One project in the pipeline."""

    id: str
    name: str
    investors: tuple[str, ...]
    status: str  # a STATUSES key, or "" when no source says
    signed: str
    started: str
    in_production: str
    months_to_start: int | None  # 签约 → 开工
    months_to_production: int | None  # 开工 → 投产 (or 签约 → 投产 when no start date)
    months_at_status: int | None  # from the latest milestone date to the as-of date


def pipeline_rows(seeds: Seeds, *, as_of: str | None = None, status: str | None = None) -> list[PipelineRow]:
    """Return the projects of ``seeds`` in pipeline order (签约, 在建, 投产, then unknown status), by name.

    Args:
        seeds: the loaded seeds.
        as_of: the date to count ``months_at_status`` to (``None``: not counted).
        status: only projects with this status.
    """
    names = {e.id: e.name for e in seeds.enterprises}
    rows = []
    for p in seeds.projects:
        if status is not None and p.status != status:
            continue
        when = {d.milestone: d.value for d in p.dates}
        signed, started, made = (when.get(m, "") for m in MILESTONES)
        latest = max(when.values(), default="")
        rows.append(
            PipelineRow(
                id=p.id,
                name=p.name,
                investors=tuple(names.get(link.target, link.target) for link in p.investors),
                status=p.status or "",
                signed=signed,
                started=started,
                in_production=made,
                months_to_start=months_between(signed, started) if signed and started else None,
                months_to_production=(
                    months_between(started or signed, made) if (started or signed) and made else None
                ),
                months_at_status=months_between(latest, as_of) if latest and as_of else None,
            )
        )
    return sorted(rows, key=lambda r: (_ORDER.index(r.status), r.name, r.id))


def _months(value: int | None) -> str:
    return "" if value is None else f"{value}个月 mo"


def render_pipeline(rows: list[PipelineRow], fmt: str = "table", *, as_of: str | None = None) -> str:
    """Return the pipeline as a text table grouped by status, or as JSON rows."""
    if fmt == "json":
        record = {
            "as_of": as_of or "",
            "projects": [asdict(r) | {"investors": list(r.investors)} for r in rows],
        }
        return json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    header = ["项目 project", "投资方 investor", "签约 signed", "开工 started", "投产 in production",
              "签约→开工", "开工→投产", "最近日期→时点 latest → as-of"]  # fmt: skip
    lines = [
        f"项目进度 project pipeline: {len(rows)} 个项目 projects" + (f", 时点 as of {as_of}" if as_of else "")
    ]
    for key in _ORDER:
        group = [r for r in rows if r.status == key]
        if not group:
            continue
        zh, en = STATUSES.get(key, ("状态未知", "status unknown"))
        body = [
            [r.name, "、".join(r.investors), r.signed, r.started, r.in_production, _months(r.months_to_start),
             _months(r.months_to_production), _months(r.months_at_status)]
            for r in group
        ]  # fmt: skip
        lines += ["", f"{zh} {en} ({len(group)})"] + ["  " + line for line in text_table(header, body)]
    return "\n".join(lines) + "\n"
