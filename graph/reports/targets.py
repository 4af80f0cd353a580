"""Write a target ranking (招商目标清单) as a table, Markdown, CSV, JSON or an Excel workbook, or by province."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

from graph.analysis.targets import Ranking, Target
from graph.cells import csv_text, safe_cell
from graph.errors import ExportError
from graph.files import write_bytes, write_text
from graph.inputs.pool import Pool
from graph.reports.targetmap import by_province, check_regions, dumps_by_province, render_province_chart

__all__ = [
    "FORMATS",
    "COLUMNS",
    "dumps_targets",
    "xlsx_bytes",
    "write_ranking",
    "workbook_about",
    "put_cell",
    "sheet_header",
    "KIND_ZH",
    "WORKBOOK_DATE",
    "stable_zip",
    "notes_for",
]

FORMATS = ("table", "md", "csv", "json", "xlsx")
# (key, header) of the officer's list, in column order
COLUMNS = (
    ("rank", "排名 rank"),
    ("name", "企业 company"),
    ("code", "代码 code"),
    ("region", "地区 region"),
    ("matched_product", "匹配产品 product"),
    ("share", "主营占比 share"),
    ("industry", "申万行业 industry"),
    ("score", "得分 score"),
    ("reason", "理由 reason"),
    ("source", "来源 source"),
)
WORKBOOK_DATE = datetime(2000, 1, 1)  # fixed document dates: the same ranking gives the same bytes
_MODIFIED = re.compile(
    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)"
)  # workbook metadata date: the same ranking gives the same bytes


def _cell(t: Target, key: str) -> object:
    if key == "share":
        return "" if t.share is None else f"{t.share:.1%}"
    if key == "region":
        return t.region + (" (同省)" if t.near else "")
    return getattr(t, key)


def notes_for(r: Ranking, segment: str) -> list[str]:
    """What the list of one segment leaves out and why: anchors' competitors, and a pool shortfall."""
    notes = []
    rivals = r.rivals.get(segment, ())
    if rivals:
        notes.append(
            "排除链主竞争者 left out as an anchor's competitor: "
            + "、".join(f"{name}（与{anchor}同做{seg}）" for name, anchor, seg in rivals)
        )
    if segment in r.shortfalls and r.counts.get(segment, 0) < 3:
        notes.append(f"候选不足3家 fewer than 3 makers: {r.shortfalls[segment]}")
    return notes


def _table(r: Ranking, *, markdown: bool) -> str:
    lines = [
        f"招商目标 targets: {len(r.targets)} 家 for {len(r.needs)} 个环节 segments; "
        f"已在园区而排除 excluded as already in the zone: {len(r.excluded)}"
        + (f" ({'、'.join(r.excluded)})" if r.excluded else "")
    ]
    if r.dropped:
        lines.append(
            "退市或风险警示而排除 left out as delisted or risk-warned: "
            + "、".join(f"{name}（{status}）" for name, status in r.dropped)
        )
    for need in r.needs:
        rows = [t for t in r.targets if t.segment == need.segment]
        label = r.labels.get(need.segment, ("", need.segment))[1]
        kind = f" [{KIND_ZH.get(need.kind, need.kind)}]" if need.kind else ""
        notes = notes_for(r, need.segment)
        if not rows:
            lines.append(
                f"{'- ' if markdown else ''}{label} ({need.segment}){kind}: 池中无匹配企业 no company in the pool matches"
            )
            lines += [f"    {n}" for n in notes]
            continue
        lines.append("")
        lines.append(
            f"{'## ' if markdown else ''}{label} ({need.segment}){kind}: {r.counts.get(need.segment, 0)} 家匹配 matches"
        )
        if markdown:
            lines += [
                "",
                "| # | 企业 company | 代码 code | 产品 product | 占比 share | 得分 score | 理由 reason |",
            ]
            lines.append("| --- | --- | --- | --- | --- | --- | --- |")
            for t in rows:
                cells = [
                    t.rank,
                    t.name,
                    t.code,
                    t.matched_product,
                    _cell(t, "share"),
                    f"{t.score:.3f}",
                    t.reason,
                ]
                lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
        else:
            for t in rows:
                place = " ".join(x for x in (t.province, t.city if t.city != t.province else "") if x)
                lines.append(f"  {t.rank:>2}. {t.score:.3f}  {t.reason}" + (f"  [{place}]" if place else ""))
        lines += [f"\n> {n}" if markdown else f"  {n}" for n in notes]
    return "\n".join(lines) + "\n"


def dumps_targets(r: Ranking, fmt: str) -> str:
    """Return the ranking as ``table``, ``md``, ``csv`` or ``json`` text (xlsx: :func:`xlsx_bytes`)."""
    if fmt in ("table", "md"):
        return _table(r, markdown=fmt == "md")
    rows = [t.row() for t in r.targets]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "csv":
        keys = sorted(rows[0]) if rows else ["rank", "name", "segment"]
        return csv_text([keys, *([row.get(k) for k in keys] for row in rows)])  # pool names are untrusted
    raise ExportError(f'unknown format "{fmt}"; choose one of {", ".join(FORMATS)}')


def stable_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry times and order: openpyxl stamps the current time into every entry."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = src.read(name)
            if name == "docProps/core.xml":  # save() stamps dcterms:modified with the current time
                data = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            dst.writestr(info, data)
    return out.getvalue()


KIND_ZH = {
    "missing": "补链 missing",
    "weak": "强链 weak",
    "extend": "延链 extend",
    "verify": "待核实 to verify",
}
# (header, width, number format) of a chain sheet's columns; numbers stay numbers so Excel can sort and sum them
SHEET_COLUMNS = (
    ("环节 segment", 16, None),
    ("缺口 gap", 11, None),
    ("排名 rank", 7, "0"),
    ("企业 company", 12, None),
    ("代码 code", 11, None),
    ("省份 province", 8, None),
    ("城市 city", 8, None),
    ("上市 listing", 11, None),
    ("匹配产品 product", 18, None),
    ("主营占比 share", 10, "0.0%"),
    ("数据日期 data date", 11, None),
    ("申万行业 industry", 16, None),
    ("得分 score", 8, "0.000"),
    ("理由 reason", 60, None),
    ("来源 source", 50, None),
)
SUMMARY_COLUMNS = (
    ("产业链 chain", 12, None),
    ("环节 segment", 16, None),
    ("缺口 gap", 11, None),
    ("缺口优先级 gap score", 10, "0.##"),
    ("候选数 matches", 9, "0"),
    ("首选 top target", 12, None),
    ("说明 notes", 50, None),
    ("缺口理由 gap reason", 70, None),
)


def put_cell(ws, row: int, col: int, value: object, number_format: str | None = None):
    """Write one cell; every workbook cell goes through here: numbers as numbers, text neutralised
    (:func:`graph.cells.safe_cell`) and typed as a string, never a formula."""
    cell = ws.cell(row=row, column=col, value=safe_cell(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    if number_format and isinstance(value, int | float):
        cell.number_format = number_format
    return cell


def sheet_header(ws, title: str, about: list[str], columns) -> int:
    """Title, as-of and sources lines, then the bold column header with filter, frozen pane and widths.

    Returns:
        The row number of the column header.
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    put_cell(ws, 1, 1, title).font = Font(bold=True, size=13)
    for n, line in enumerate(about, 2):
        put_cell(ws, n, 1, line).font = Font(italic=True, color="555555")
    head = len(about) + 3
    for col, (name, width, _fmt) in enumerate(columns, 1):
        put_cell(ws, head, col, name).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    ws.auto_filter.ref = f"A{head}:{get_column_letter(len(columns))}{head}"
    ws.sheet_view.zoomScale = 100
    ws.cell(row=head, column=1).alignment = Alignment(vertical="top")
    return head


def _sheet_row(t: Target) -> list[object]:
    return [
        t.segment_label,
        KIND_ZH.get(t.gap_kind, t.gap_kind),
        t.rank,
        t.name,
        t.code,
        t.province or "未知",
        t.city,
        t.listing,
        t.matched_product + (f" ∈ {t.via}" if t.via else ""),
        None if t.share is None or t.share < 0.005 else t.share,
        t.data_date,
        t.industry,
        t.score,
        t.reason,
        t.source,
    ]


def xlsx_bytes(
    r: Ranking, *, chains: list[tuple[str, str]] | None = None, about: list[str] | None = None, zone: str = ""
) -> bytes:
    """Return the 招商目标清单 workbook: a 汇总 summary sheet, a 依据 about sheet (when ``about`` is given), then one
    sheet per chain (every chain in ``chains``, with a line saying so when it has no target); every sheet is headed
    by the zone, as-of date and sources (``about``, e.g. :meth:`graph.provenance.About.lines`).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    about = about or []
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总 summary"
    row = sheet_header(ws, f"{zone} 招商目标清单 targets — 汇总 summary".strip(), about, SUMMARY_COLUMNS)
    for need in r.needs:
        row += 1
        top = next((t.name for t in r.targets if t.segment == need.segment and t.rank == 1), "")
        chain_label, seg_label = r.labels.get(need.segment, ("", need.segment))
        values = [
            chain_label,
            seg_label,
            KIND_ZH.get(need.kind, need.kind),
            need.score,
            r.counts.get(need.segment, 0),
            top,
            "；".join(notes_for(r, need.segment)),
            need.reason,
        ]
        for col, (value, (_h, _w, fmt)) in enumerate(zip(values, SUMMARY_COLUMNS, strict=True), 1):
            put_cell(ws, row, col, value, fmt)
    if about:  # what the lists rest on, also as a sheet of its own for readers who skip sheet headers
        info = wb.create_sheet(title="依据 about")
        for n, line in enumerate(about, 1):
            put_cell(info, n, 1, line)
        info.column_dimensions["A"].width = 120
    all_chains = chains or sorted({(t.chain, t.chain_label) for t in r.targets})
    for chain, label in all_chains:
        ws = wb.create_sheet(title=label[:31])
        row = sheet_header(ws, f"{zone} {label} 招商目标 targets".strip(), about, SHEET_COLUMNS)
        rows = [t for t in r.targets if t.chain == chain]
        if not rows:
            put_cell(ws, row + 1, 1, "本链无缺口或池中无匹配企业 no gap, or no company in the pool matches")
        for t in rows:
            row += 1
            for col, (value, (_h, _w, fmt)) in enumerate(zip(_sheet_row(t), SHEET_COLUMNS, strict=True), 1):
                put_cell(ws, row, col, value, fmt).alignment = Alignment(wrap_text=col >= 14, vertical="top")
    wb.properties.created = wb.properties.modified = WORKBOOK_DATE
    wb.properties.creator = "chainkg"
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue())


def workbook_about(seeds) -> tuple[str, list[str], list[tuple[str, str]]]:
    """Zone name, the sheet-header lines (as-of date, sources) and every chain (id, label) of the seeds."""
    zone = seeds.zone.name if seeds.zone else ""
    dates = sorted(a.issued for a in seeds.articles if a.issued)
    about = [
        f"开发区 zone: {zone}；数据截至 as of: {dates[-1] if dates else '未知 unknown'}",
        "来源 sources: "
        + "；".join(f"{a.title}（{a.issued or '日期未知'}）" for a in seeds.articles)
        + f"；另引 {len(seeds.sources)} 个具名来源 named sources；候选企业来源见各行 per-company sources in each row",
    ]
    return zone, about, [(c.id, c.name) for c in seeds.chains]


def write_ranking(r: Ranking, pool: Pool, *, fmt: str, by: str, out: Path | None, seeds) -> str | Path | None:
    """Render a ranking as ``fmt``, by segment or by province; write it to ``out`` or return the text.

    Returns:
        The text when it is to be printed, else the path written (xlsx and png always go to a file).

    Raises:
        TargetError: by province with a pool where no company has a region.
    """
    if by == "province":
        check_regions(pool)
        rows = by_province(r)
        if fmt == "png":
            zone = seeds.zone.name if seeds.zone else ""
            footer = f"{zone}；候选池 pool: {pool.path}；按总部省份计数，不画地图轮廓 counted by province, no map outline (docs/targets.md)"
            out = out or Path("targets-by-province.png")
            write_bytes(
                out,
                render_province_chart(
                    rows, title=f"{zone} 招商候选企业总部分布 candidates by province", footer=footer
                ),
            )
            return out
        if fmt == "xlsx":
            raise ExportError("xlsx is written by segment; by province use table, md, csv, json or png")
        text = dumps_by_province(rows, fmt)
    elif fmt == "xlsx":
        out = out or Path("targets.xlsx")
        zone, about, chains = workbook_about(seeds)
        write_bytes(out, xlsx_bytes(r, chains=chains, about=about, zone=zone))
        return out
    elif fmt == "png":
        raise ExportError("png is the by-province chart")
    else:
        text = dumps_targets(r, fmt)
    if out is None:
        return text
    write_text(out, text)
    return out
