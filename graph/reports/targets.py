"""Write a target ranking (招商目标清单) as a table, Markdown, CSV, JSON or an Excel workbook."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime

from graph.analysis.targets import Ranking, Target
from graph.cells import append_row, csv_text
from graph.errors import ExportError

__all__ = [
    "FORMATS",
    "COLUMNS",
    "dumps_targets",
    "xlsx_bytes",
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
_FIXED = datetime(2000, 1, 1)
_MODIFIED = re.compile(
    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)"
)  # workbook metadata date: the same ranking gives the same bytes


def _cell(t: Target, key: str) -> object:
    if key == "share":
        return "" if t.share is None else f"{t.share:.1%}"
    if key == "region":
        return t.region + (" (同省)" if t.near else "")
    return getattr(t, key)


def _table(r: Ranking, *, markdown: bool) -> str:
    lines = [
        f"招商目标 targets: {len(r.targets)} 家 for {len(r.needs)} 个环节 segments; "
        f"已在园区而排除 excluded as already in the zone: {len(r.excluded)}"
        + (f" ({'、'.join(r.excluded)})" if r.excluded else "")
    ]
    for need in r.needs:
        rows = [t for t in r.targets if t.segment == need.segment]
        label = r.labels.get(need.segment, ("", need.segment))[1]
        kind = f" [{need.kind}]" if need.kind else ""
        if not rows:
            lines.append(
                f"{'- ' if markdown else ''}{label} ({need.segment}){kind}: 池中无匹配企业 no company in the pool matches"
            )
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
                lines.append(f"  {t.rank:>2}. {t.score:.3f}  {t.reason}")
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


def _stable_zip(data: bytes) -> bytes:
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


def xlsx_bytes(r: Ranking, gaps: list | None = None) -> bytes:
    """Return an Excel workbook: one sheet per chain (the 招商目标清单 with reasons) and a 缺口 gaps sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    chains = sorted({(t.chain, t.chain_label) for t in r.targets})
    for chain, label in chains:
        ws = wb.create_sheet(title=f"{label}"[:31])
        append_row(ws, ["环节 segment", "缺口 gap", *(h for _k, h in COLUMNS)])
        for t in (t for t in r.targets if t.chain == chain):
            append_row(ws, [t.segment_label, t.gap_kind, *(_cell(t, k) for k, _h in COLUMNS)])
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        ws.column_dimensions["K"].width = 80
        for row in ws.iter_rows(min_row=2, min_col=11, max_col=11):
            row[0].alignment = Alignment(wrap_text=True)
    ws = wb.create_sheet(title="缺口 gaps")
    append_row(
        ws,
        [
            "产业链 chain",
            "环节 segment",
            "缺口 gap",
            "缺口得分 gap score",
            "候选数 matches",
            "首选 top target",
            "缺口理由 gap reason",
        ],
    )
    labels = r.labels
    for need in r.needs:
        top = next((t.name for t in r.targets if t.segment == need.segment and t.rank == 1), "")
        chain_label, seg_label = labels.get(need.segment, ("", need.segment))
        append_row(
            ws,
            [chain_label, seg_label, need.kind, need.score, r.counts.get(need.segment, 0), top, need.reason],
        )
    for cell in ws[1]:
        cell.font = bold
    wb.properties.created = wb.properties.modified = _FIXED
    wb.properties.creator = "chainkg"
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_zip(buf.getvalue())
