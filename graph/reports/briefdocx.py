"""The 招商简报 as a Word file (.docx), A4 landscape, made with python-docx (https://python-docx.readthedocs.io).

Word does not carry fonts inside a .docx by default, so text is set in the fonts every Chinese office machine has
(宋体 for body text, 黑体 for headings, as in government documents); the PDF is the copy with fonts embedded.
Same brief, same bytes: the document's dates are fixed and the zip is rewritten with fixed entry times.
"""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from graph.reports.brief import Brief, ChainBrief, supply_text
from graph.reports.briefhtml import TITLE
from graph.reports.targets import stable_zip

__all__ = ["docx_bytes"]

BODY_FONT, HEAD_FONT = "宋体", "黑体"
_FIXED = datetime(2000, 1, 1)


def _font(run, name: str, size: float | None = None, bold: bool | None = None) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def _heading(doc, text: str, level: int) -> None:
    p = doc.add_heading(level=level)
    _font(p.add_run(text), HEAD_FONT, {0: 20, 1: 15, 2: 12}[level], True)


def _para(doc, text: str, size: float = 10, italic: bool = False) -> None:
    run = doc.add_paragraph().add_run(text)
    _font(run, BODY_FONT, size)
    run.italic = italic


def _table(doc, head: list[str], rows: list[list[object]], widths: list[float] | None = None) -> None:
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        _font(cell.paragraphs[0].add_run(text), HEAD_FONT, 8.5, True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _font(cell.paragraphs[0].add_run(str(value)), BODY_FONT, 8)
    if widths:
        for row in table.rows:
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = Cm(w)


def _chain(doc, b: Brief, c: ChainBrief, n: int) -> None:
    doc.add_page_break()
    _heading(doc, f"{n}. {c.label}产业链 {c.chain}", 1)
    _para(doc, f"{b.zone}；截至 as of {b.as_of or '未知'}；来源 sources: {b.basis}；{c.coverage}", 9, True)
    _heading(doc, "一图 产业链图谱 chain map", 2)
    if c.map_png:
        doc.add_picture(io.BytesIO(c.map_png), width=Cm(25))
    _heading(doc, "一表 缺口与优先级 gaps and priority", 2)
    _table(
        doc,
        ["#", "环节 segment", "类型 kind", "状态 state", "优先级 score", "理由 reason"],
        [[g.rank, g.segment, g.kind, g.state or "—", f"{g.score:g}", g.reason] for g in c.gaps],
        [0.8, 4, 2.2, 2.2, 1.6, 15],
    )
    _heading(doc, "一清单 招商目标 whom to attract", 2)
    for g in c.groups:
        _para(doc, f"{g.segment}（{g.kind}） {g.demand}", 9)
        if g.cards:
            _table(
                doc,
                [
                    "#",
                    "企业 company",
                    "代码 code",
                    "总部 HQ",
                    "上市",
                    "匹配产品",
                    "主营占比",
                    "说明",
                    "来源 source",
                ],
                [
                    [t.rank, t.name, t.code, t.place, t.listing, t.product, t.share, t.why, t.source]
                    for t in g.cards
                ],
                [0.7, 2.2, 2, 2, 1.8, 2.6, 2.2, 3, 10],
            )
        for note in g.notes:
            _para(doc, note, 8.5, True)


def docx_bytes(b: Brief, *, province_table: list[list[object]]) -> bytes:
    """Return the brief as .docx bytes."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    _heading(doc, f"{b.zone} {TITLE}", 0)
    _para(
        doc,
        f"数据截至 as of: {b.as_of or '未知 unknown'}；由 chainkg 自种子数据生成 made by chainkg from the curated seeds",
        9,
    )
    _heading(doc, "概览 overview", 2)
    _table(
        doc,
        ["产业链 chain", "覆盖 coverage", "缺口数 gaps", "首要缺口 top gap"],
        [[c.label, c.coverage, len(c.gaps), c.gaps[0].segment if c.gaps else "—"] for c in b.chains],
    )
    _heading(doc, "注意 caveats", 2)
    for text in b.caveats:
        _para(doc, f"• {text}", 9)
    for i, c in enumerate(b.chains, 1):
        _chain(doc, b, c, i)
    doc.add_page_break()
    _heading(doc, "链主本地配套 anchors' local supply", 1)
    _table(
        doc,
        ["链主 anchor", "所在环节", "本地配套率", "投入环节与本地供应 inputs"],
        [
            [
                a.anchor_label,
                "、".join(a.segments),
                "—" if a.rate is None else f"{a.supplied}/{a.total}（{a.rate:.0%}）",
                "；".join(supply_text(i) for i in a.inputs),
            ]
            for a in b.anchors
        ],
        [3, 4, 3, 16],
    )
    _heading(doc, "招商地图 where the candidates are", 1)
    _para(doc, b.pool_note, 8.5, True)
    if b.province_png:
        doc.add_picture(io.BytesIO(b.province_png), width=Cm(22))
    _table(doc, ["省份 province", "企业数", "城市 cities", "企业 companies"], province_table, [3, 1.6, 6, 15])
    doc.add_page_break()
    _heading(doc, "来源 sources", 1)
    for i, s in enumerate(b.sources, 1):
        _para(doc, f"{i}. {s}", 9)
    if b.dropped:
        _para(doc, "退市或风险警示而未列入: " + "、".join(f"{n}（{s}）" for n, s in b.dropped), 8.5, True)
    props = doc.core_properties
    props.author, props.title = "chainkg", f"{b.zone} {TITLE}"
    props.created = props.modified = props.last_printed = _FIXED
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue())
