"""Figures in a zone report: number + unit (亿元, %, 家, GWh, 万吨 …), with the indicator, period and subject near them."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal

from graph.inputs.extract.rules import APPROX_WORDS, FIGURE, PERIOD, clause_bounds, cn_number

__all__ = ["Figure", "find_figures", "describe_figures"]


@dataclass
class Figure:
    value: Decimal
    unit: str
    start: int  # the number's span
    end: int
    approx: bool = False
    indicator: str = ""
    period: str | None = None
    about: str | None = None  # entity ident, or None for the zone


def find_figures(text: str) -> list[Figure]:
    """Every figure (number + unit) in ``text``; dates, ordinals and rhetoric (三个创新视角) left out.

    Example:
        >>> [(str(f.value), f.unit, f.approx) for f in find_figures("完成约1668.6亿元,同比增长16.6%,用2至3年")]
        [('1668.6', '亿元', True), ('16.6', '%', False), ('2', '年', False), ('3', '年', False)]
    """
    figures = []
    for m in FIGURE.finditer(text):
        unit = {"％": "%", "亿余元": "亿元", "万余元": "万元"}.get(m["unit"], m["unit"])
        before, after = text[max(0, m.start() - 6) : m.start()], text[m.end() : m.end() + 4]
        chinese = not m["value"][0].isdigit()
        if before.endswith("第") or (unit == "个" and after[:1] in "月个") or after.startswith(("号", "期")):
            continue
        if chinese and unit in ("个", "项", "件", "座", "人", "条"):
            continue  # 三个创新视角, 一个个: rhetoric, not figures
        if unit == "年" and ((not chinese and len(m["value"]) == 4) or m["value"] == "一"):
            continue  # 2006年 is a date; 这一年 is rhetoric
        if unit == "万米":
            per_day = any(
                w in text[max(0, m.start() - 30) : m.start()] for w in ("全天", "每天", "每日", "日产")
            )
            unit = "万米/天" if per_day else "米"
        approx = (
            bool(m["more"])
            or "余" in m["unit"]
            or before.endswith(APPROX_WORDS)
            or after.startswith(("以上", "左右"))
        )
        for key in ("value", "value2"):
            if m[key]:
                value = cn_number(m[key])
                if unit == "米" and value is not None:
                    value *= 10000
                if value is not None:
                    figures.append(Figure(value, unit, m.start(key), m.end(key), approx))
    for m in re.finditer(r"([一二三四五六七八九十两]|\d+)大(?:主导|特色|支柱|重点|新兴|优势)?产业", text):
        figures.append(Figure(cn_number(m[1]) or Decimal(0), "个", m.start(1), m.end(1)))
    return sorted(figures, key=lambda f: f.start)


_VERBS = re.compile(r"(完成|实现|达到|达|为|突破|超过|超|约|共|累计|有望|将|计|总量|规划|保持在)+$")


def describe_figures(figures: list[Figure], text: str, zone: str | None, entities: list) -> None:
    """Fill each figure's indicator (the words before it), period (nearest period phrase) and subject."""
    last = ""
    mentions = sorted(((s, e, ent) for ent in entities for s, e in ent.spans), key=lambda m: (m[0], m[1]))
    starts = [m[0] for m in mentions]  # bisect into the mentions near a figure: linear in the text
    names = [zone or "", "该经开区", "全区", "该区"] + [n for ent in entities for n in ent.names]
    for fig in figures:
        left, _ = clause_bounds(text, fig.start, fig.end)
        pre = text[left : fig.start]
        for name in names:
            if name and name in pre:
                pre = pre[pre.rindex(name) + len(name) :]
        pre = _VERBS.sub("", re.sub(r"[“”\s]", "", pre))
        pre = re.sub(r"^(实现|完成|累计|其中|已|共)+", "", pre)
        if "同比" in pre or "增长" in pre:
            fig.indicator = f"{last}同比增长" if last else "同比增长"
        else:
            fig.indicator = pre[-12:] or re.sub(r"[^\u4e00-\u9fff]", "", text[fig.end + 1 : fig.end + 9])
            last = fig.indicator
        sentence = max(text.rfind(c, max(0, fig.start - 1000), fig.start) for c in "。！？\n") + 1
        periods = [
            p for p in PERIOD.finditer(text, sentence, fig.start) if p.group(0) != text[fig.start : p.end()]
        ]
        fig.period = periods[-1].group(0) if periods else None
        window = mentions[bisect_left(starts, sentence) : bisect_left(starts, fig.start)]
        near = [ent for s, e, ent in window if e <= fig.start]
        fig.about = near[-1].ident if near and near[-1].kind == "project" else None
        # 总投资125亿元的蜂巢能源上饶基地: the amount is about what follows 的
        window = mentions[bisect_left(starts, fig.end + 2) : bisect_right(starts, fig.end + 5)]
        after = [ent for s, _, ent in window if re.fullmatch(r"\D{1,4}的", text[fig.end : s])]
        if after:  # the project rather than its investor, when both start there
            fig.about = min(after, key=lambda ent: ent.kind != "project").ident
