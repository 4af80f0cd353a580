"""The gap list ready for Excel (gaps.xlsx): a 汇总 summary sheet and one sheet per chain, every chain included.

Sheets are headed by the zone, the as-of date and the sources, have a frozen, filtered column header, Chinese
labels for kinds (补链/强链/延链/待核实) and numbers stored as numbers. Cells are written through
:func:`graph.targetreport.put_cell`, the one place that writes workbook cells.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment

from graph.analysis.gaps import ChainCoverage, Gap
from graph.reports.brief import state_label
from graph.reports.targets import KIND_ZH, WORKBOOK_DATE, put_cell, sheet_header, stable_zip

__all__ = ["GAP_COLUMNS", "gaps_xlsx_bytes"]

GAP_COLUMNS = (
    ("#", 5, "0"),
    ("阶段 stage", 12, None),
    ("环节 segment", 18, None),
    ("类型 kind", 11, None),
    ("状态 state", 12, None),
    ("优先级 score", 9, "0.##"),
    ("本地企业 local firms", 24, None),
    ("下游本地买家 local buyers", 24, None),
    ("理由 reason", 80, None),
)
SUMMARY = (
    ("产业链 chain", 12, None),
    ("已有 present", 9, "0"),
    ("已有·未具名 unnamed", 11, "0"),
    ("确认空白 absent", 10, "0"),
    ("未知 unknown", 9, "0"),
    ("环节总数 segments", 10, "0"),
    ("补链 missing", 9, "0"),
    ("强链 weak", 9, "0"),
    ("延链 extend", 9, "0"),
    ("待核实 to verify", 10, "0"),
    ("首要缺口 top gap", 24, None),
)


def _row(rank: int, g: Gap) -> list[object]:
    return [
        rank,
        g.stage_label,
        g.segment_label or "（整段 whole stage）",
        KIND_ZH.get(g.kind, g.kind),
        state_label(g.state),
        float(g.score),
        "、".join(g.players),
        "、".join(g.buyers),
        g.reason,
    ]


def gaps_xlsx_bytes(
    gaps: list[Gap], coverage: list[ChainCoverage], *, about: list[str], zone: str = ""
) -> bytes:
    """Return the gaps workbook; chains come from ``coverage`` (so a chain without gaps still has its sheet)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总 summary"
    row = sheet_header(ws, f"{zone} 产业链缺口 gaps — 汇总 summary".strip(), about, SUMMARY)
    for cov in coverage:
        mine = sorted((g for g in gaps if g.chain == cov.chain), key=lambda g: -g.score)
        count = {k: sum(1 for g in mine if g.kind == k) for k in ("missing", "weak", "extend", "verify")}
        top = mine[0].segment_label or mine[0].stage_label if mine else ""
        values = [
            cov.chain_label,
            cov.covered,
            cov.unnamed,
            cov.absent,
            cov.unknown,
            cov.total,
            *count.values(),
            top,
        ]
        row += 1
        for col, (value, (_h, _w, fmt)) in enumerate(zip(values, SUMMARY, strict=True), 1):
            put_cell(ws, row, col, value, fmt)
    for cov in coverage:
        ws = wb.create_sheet(title=cov.chain_label[:31])
        row = sheet_header(ws, f"{zone} {cov.chain_label} 缺口 gaps".strip(), about, GAP_COLUMNS)
        mine = sorted((g for g in gaps if g.chain == cov.chain), key=lambda g: -g.score)
        if not mine:
            put_cell(ws, row + 1, 1, "本链无缺口 no gaps")
        for rank, g in enumerate(mine, 1):
            row += 1
            for col, (value, (_h, _w, fmt)) in enumerate(zip(_row(rank, g), GAP_COLUMNS, strict=True), 1):
                put_cell(ws, row, col, value, fmt).alignment = Alignment(wrap_text=col == 9, vertical="top")
    wb.properties.created = wb.properties.modified = WORKBOOK_DATE
    wb.properties.creator = "chainkg"
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue())
