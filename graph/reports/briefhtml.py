"""The 招商简报 as one self-contained HTML page (pictures inlined as data: URIs), laid out for A4 landscape print.

:mod:`graph.briefpdf` turns it into a PDF; the page itself needs no network and no file besides itself. Every
name and reason is escaped.
"""

from __future__ import annotations

import base64
from html import escape

from graph.reports.brief import Brief, ChainBrief, supply_text

__all__ = ["CSS", "brief_html", "TITLE"]

TITLE = "产业链招商简报 Investment-promotion brief"
CSS = """
@page { size: A4 landscape; margin: 12mm 12mm 14mm 12mm;
  @top-left { content: string(head); font-size: 8pt; color: #666; }
  @bottom-right { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font-size: 8pt; color: #666; } }
body { font-family: "Noto Sans CJK SC", "Noto Sans CJK", sans-serif; font-size: 9.5pt; color: #222; }
.head { string-set: head content(); display: none; }
h1 { font-size: 22pt; margin: 0 0 4mm 0; }
h2 { font-size: 15pt; margin: 0 0 2mm 0; border-bottom: 2px solid #c62828; padding-bottom: 1mm; }
h3 { font-size: 11.5pt; margin: 4mm 0 1.5mm 0; color: #8e1c1c; }
.chain { page-break-before: always; }
.meta { color: #555; font-size: 9pt; margin: 0 0 2mm 0; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm 0; }
th, td { border: 0.5pt solid #bbb; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #f3e5e5; font-weight: bold; }
td.num { text-align: right; white-space: nowrap; }
tr { page-break-inside: avoid; }
.map { max-width: 100%; max-height: 150mm; border: 0.5pt solid #ddd; display: block; margin: 0 auto; }
table.targets td { font-size: 8pt; }
table.targets td:nth-child(1) { width: 4mm; } table.targets td:nth-child(4) { width: 16mm; }
table.targets td:nth-child(9) { width: 70mm; font-size: 7pt; color: #444; }
tr.group td { background: #fbf3e0; font-size: 8.5pt; }
.small { font-size: 8pt; color: #555; }
.note { font-size: 8.5pt; color: #6d4c00; margin: 0.5mm 0; }
ul { margin: 1mm 0 1mm 5mm; padding: 0; }
"""


def _img(png: bytes, alt: str, cls: str = "map") -> str:
    if not png:
        return f'<p class="small">（无图 no picture: {escape(alt)}）</p>'
    data = base64.b64encode(png).decode("ascii")
    return f'<img class="{cls}" alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def _table(head: list[str], rows: list[list[object]], num: set[int] = frozenset()) -> str:
    out = ["<table><thead><tr>", *(f"<th>{escape(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        cells = "".join(
            f'<td class="num">{escape(str(c))}</td>' if i in num else f"<td>{escape(str(c))}</td>"
            for i, c in enumerate(row)
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _chain(b: Brief, c: ChainBrief, n: int) -> str:
    rests = f"{b.zone}；截至 as of {b.as_of or '未知 unknown'}；来源 sources: {b.basis}"
    parts = [
        f'<section class="chain"><h2>{n}. {escape(c.label)}产业链 {escape(c.chain)}</h2>',
        f'<p class="meta">{escape(rests)}；{escape(c.coverage)}</p>',
        "<h3>一图 产业链图谱 chain map</h3>",
        _img(c.map_png, f"{c.label} chain map"),
        "<h3>一表 缺口与优先级 gaps and priority</h3>",
    ]
    parts.append(
        _table(
            ["#", "环节 segment", "类型 kind", "状态 state", "优先级 score", "理由 reason"],
            [[g.rank, g.segment, g.kind, g.state or "—", f"{g.score:g}", g.reason] for g in c.gaps],
            {0, 4},
        )
        if c.gaps
        else '<p class="small">本链无缺口 no gaps.</p>'
    )
    parts.append("<h3>一清单 招商目标 whom to attract (top gaps)</h3>")
    parts.append(_targets(c))
    parts.append("</section>")
    return "".join(parts)


TARGET_HEAD = [
    "#",
    "企业 company",
    "代码 code",
    "总部 HQ",
    "上市 listing",
    "匹配产品 product",
    "主营占比 share",
    "说明 note",
    "来源 source",
]


def _targets(c: ChainBrief) -> str:
    """One table, a header row per gap segment (its local buyers), then its candidates."""
    if not c.groups:
        return '<p class="small">本链无需招商的缺口 no gap to attract for.</p>'
    out = [
        '<table class="targets"><thead><tr>',
        *(f"<th>{escape(h)}</th>" for h in TARGET_HEAD),
        "</tr></thead><tbody>",
    ]
    for g in c.groups:
        out.append(
            f'<tr class="group"><td colspan="{len(TARGET_HEAD)}"><b>{escape(g.segment)}</b>（{escape(g.kind)}）'
            f" {escape(g.demand)}</td></tr>"
        )
        for t in g.cards:
            cells = [t.rank, t.name, t.code, t.place, t.listing, t.product, t.share, t.why, t.source]
            out.append("<tr>" + "".join(f"<td>{escape(str(x))}</td>" for x in cells) + "</tr>")
        for note in g.notes:
            out.append(f'<tr><td colspan="{len(TARGET_HEAD)}" class="note">{escape(note)}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _anchors(b: Brief) -> str:
    rows = []
    for a in b.anchors:
        rate = "—" if a.rate is None else f"{a.supplied}/{a.total}（{a.rate:.0%}）"
        inputs = "；".join(supply_text(i) for i in a.inputs)
        rows.append([a.anchor_label, "、".join(a.segments), rate, inputs])
    return _table(
        ["链主 anchor", "所在环节 segments", "本地配套率 local supply", "投入环节与本地供应 inputs"], rows
    )


def brief_html(b: Brief, *, province_table: list[list[object]]) -> str:
    """Return the brief as one HTML document (UTF-8 text); ``province_table`` rows come from the province view."""
    summary = [
        [c.label, c.coverage, sum(1 for g in c.gaps), c.gaps[0].segment if c.gaps else "—"] for c in b.chains
    ]
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>{escape(b.zone)} {TITLE}</title><style>{CSS}</style></head><body>",
        f'<p class="head">{escape(b.zone)} · {TITLE} · 截至 {escape(b.as_of or "未知")}</p>',
        f"<h1>{escape(b.zone)} {TITLE}</h1>",
        f'<p class="meta">数据截至 as of: {escape(b.as_of or "未知 unknown")}；由 chainkg 自种子数据生成 made by chainkg '
        "from the curated seeds</p>",
        "<h3>概览 overview</h3>",
        _table(["产业链 chain", "覆盖 coverage", "缺口数 gaps", "首要缺口 top gap"], summary, {2}),
        "<h3>注意 caveats</h3><ul>",
        *(f"<li>{escape(c)}</li>" for c in b.caveats),
        "</ul>",
    ]
    parts += [_chain(b, c, i) for i, c in enumerate(b.chains, 1)]
    parts += [
        '<section class="chain"><h2>链主本地配套 anchors\' local supply</h2>',
        _anchors(b),
        "</section>",
        '<section class="chain"><h2>招商地图 where the candidates are</h2>',
        f'<p class="small">{escape(b.pool_note)}</p>',
        _img(b.province_png, "candidates by province", "map"),
        _table(["省份 province", "企业数 count", "城市 cities", "企业 companies"], province_table, {1}),
        "</section>",
        '<section class="chain"><h2>来源 sources</h2><ol>',
        *(f"<li>{escape(s)}</li>" for s in b.sources),
        "</ol>",
    ]
    if b.dropped:
        parts.append(
            '<p class="small">退市或风险警示而未列入 left out as delisted or risk-warned: '
            + escape("、".join(f"{n}（{s}）" for n, s in b.dropped))
            + "</p>"
        )
    parts.append("</section></body></html>")
    return "\n".join(parts)
