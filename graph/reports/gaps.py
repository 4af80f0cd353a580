"""Render gaps and anchor supply as a terminal table, Markdown, CSV or JSON (Chinese first, English beside).

Every renderer is a pure function returning text that ends with a newline; :func:`write_gap_files` writes the
build outputs ``gaps.json``, ``gaps.csv`` and ``gaps.md``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from graph.analysis.gaps import (
    ANCHOR_POINTS,
    KIND_LABELS,
    KINDS,
    PARTNER_POINTS,
    WEIGHTS,
    AnchorSupply,
    ChainCoverage,
    Gap,
)
from graph.cells import csv_text
from graph.files import write_text
from graph.text import text_table

__all__ = [
    "FORMATS",
    "SCORING_RULE",
    "gap_rows",
    "render_gaps",
    "render_anchors",
    "summary_lines",
    "write_gap_files",
]

FORMATS = ("table", "md", "csv", "json")
SCORING_RULE = (
    f"得分 = 类型权重（补链 {WEIGHTS['missing']:g}、延链 {WEIGHTS['extend']:g}、强链 {WEIGHTS['weak']:g}）"
    f"+ {PARTNER_POINTS:g} × 本地下游买家企业数（延链另计上游供应企业）+ {ANCHOR_POINTS:g} × 其中链主数 / "
    f"score = kind weight (missing {WEIGHTS['missing']:g}, extend {WEIGHTS['extend']:g}, weak "
    f"{WEIGHTS['weak']:g}) + {PARTNER_POINTS:g} × local buyer firms downstream (for extend also suppliers "
    f"upstream) + {ANCHOR_POINTS:g} × anchors among them"
)
_COLUMNS = ("score", "kind", "chain", "stage", "segment", "reason")
_LIST_FIELDS = ("players", "buyers", "anchors", "suppliers")


def gap_rows(gaps: list[Gap]) -> list[dict[str, object]]:
    """Gaps as plain dicts (the JSON rows), with ``kind_label`` added."""
    return [
        {**asdict(g), "kind_label": KIND_LABELS[g.kind]} | {k: list(getattr(g, k)) for k in _LIST_FIELDS}
        for g in gaps
    ]


def summary_lines(coverage: list[ChainCoverage], gaps: list[Gap]) -> list[str]:
    """One line per chain: segments covered / total and the number of gaps of each kind."""
    lines = []
    for c in coverage:
        counts = [sum(1 for g in gaps if g.chain == c.chain and g.kind == k) for k in KINDS]
        kinds = ", ".join(f"{KIND_LABELS[k]} {k} {n}" for k, n in zip(KINDS, counts, strict=True))
        lines.append(
            f"{c.chain_label} {c.chain}: 覆盖 covered {c.covered}/{c.total} 细分环节 segments; {kinds}"
        )
    return lines


def _where(g: Gap) -> tuple[str, str, str]:
    seg = f"{g.segment_label} {g.segment}" if g.segment else "（整段 whole stage）"
    return f"{g.chain_label} {g.chain}", f"{g.stage_label} {g.stage}", seg


def _csv(header: list[str], rows: list[list[object]]) -> str:
    return csv_text([header, *rows])  # cells neutralised: names come from seeds and pools


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_gaps(
    gaps: list[Gap], coverage: list[ChainCoverage], fmt: str = "table", *, totals: list[Gap] | None = None
) -> str:
    """Return the gap report in ``fmt`` (one of :data:`FORMATS`): summary per chain, then the ranked gaps.

    ``totals`` (default ``gaps``) are the gaps counted in the summary lines, so a ``--kind`` filter still shows
    every kind's count.
    """
    if fmt == "json":
        doc = {"chains": [asdict(c) for c in coverage], "gaps": gap_rows(gaps), "scoring": SCORING_RULE}
        return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "csv":
        header = ["rank", "score", "kind", "chain", "chain_label", "stage", "stage_label", "segment",
                  "segment_label", "reason", *_LIST_FIELDS]  # fmt: skip
        rows = [
            [
                i,
                f"{g.score:g}",
                g.kind,
                g.chain,
                g.chain_label,
                g.stage,
                g.stage_label,
                g.segment,
                g.segment_label,
                g.reason,
                *("、".join(getattr(g, k)) for k in _LIST_FIELDS),
            ]  # fmt: skip
            for i, g in enumerate(gaps, start=1)
        ]
        return _csv(header, rows)
    summary = summary_lines(coverage, gaps if totals is None else totals)
    if fmt == "md":
        lines = ["# 产业链缺口 Chain gaps", "", *(f"- {line}" for line in summary), "", f"{SCORING_RULE}", ""]
        lines += [
            "| # | 得分 score | 类型 kind | 产业链 chain | 环节 stage | 细分 segment | 本地企业 players | 理由 reason |",
            "| ---: | ---: | --- | --- | --- | --- | --- | --- |",
        ]
        for i, g in enumerate(gaps, start=1):
            chain, stage, seg = _where(g)
            cells = [str(i), f"{g.score:g}", f"{KIND_LABELS[g.kind]} {g.kind}", chain, stage, seg,
                     "、".join(g.players) or "—", g.reason]  # fmt: skip
            lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
        return "\n".join(lines) + "\n"
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")
    header = ["#", "得分 score", "类型 kind", "产业链 chain", "环节 stage", "细分 segment", "理由 reason"]
    rows = [
        [str(i), f"{g.score:g}", f"{KIND_LABELS[g.kind]} {g.kind}", *_where(g), g.reason]
        for i, g in enumerate(gaps, start=1)
    ]
    body = text_table(header, rows) if rows else ["无缺口 no gaps"]
    return "\n".join([*summary, "", *body]) + "\n"


def _rate(a: AnchorSupply) -> str:
    return f"{a.rate:.0%}" if a.rate is not None else "—"


def render_anchors(anchors: list[AnchorSupply], fmt: str = "table") -> str:
    """Return each anchor's inputs, local suppliers per input and local supply rate in ``fmt``."""
    if fmt == "json":
        return json.dumps([asdict(a) for a in anchors], ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    rows = [
        [
            a.anchor_label,
            a.anchor,
            i.segment_label,
            i.segment,
            "、".join(i.suppliers),
            f"{a.supplied}/{a.total}",
            _rate(a),
        ]
        for a in anchors
        for i in a.inputs
    ]
    if fmt == "csv":
        header = ["anchor_label", "anchor", "input_label", "input", "suppliers", "supplied", "rate"]
        return _csv(header, rows)
    if fmt not in ("table", "md"):
        raise ValueError(f"unknown format {fmt!r}")
    lines = []
    for a in anchors:
        head = f"{a.anchor_label} {a.anchor}（{'、'.join(a.segments)}）: 本地配套率 local supply rate {_rate(a)} ({a.supplied}/{a.total})"
        if fmt == "md":
            lines += [f"## {head}", "", "| 投入环节 input | 本地供应 local suppliers |", "| --- | --- |"]
            lines += [
                f"| {_md_cell(i.segment_label)} | {_md_cell('、'.join(i.suppliers) or '—（缺 none）')} |"
                for i in a.inputs
            ]
        else:
            lines.append(head)
            lines += [
                f"  {'✓' if i.suppliers else '✗'} {i.segment_label}: {'、'.join(i.suppliers) or '本地无 none'}"
                for i in a.inputs
            ]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n" if lines else "无链主 no anchors\n"


def write_gap_files(
    gaps: list[Gap], coverage: list[ChainCoverage], anchors: list[AnchorSupply], folder: Path
) -> list[str]:
    """Write ``gaps.json``, ``gaps.csv`` and ``gaps.md`` (with the anchor supply section) into ``folder``."""
    folder = Path(folder)
    write_text(folder / "gaps.json", render_gaps(gaps, coverage, "json"))
    # A byte-order mark lets Excel on Chinese Windows read the UTF-8 file instead of guessing GBK.
    write_text(folder / "gaps.csv", "\ufeff" + render_gaps(gaps, coverage, "csv"))
    md = (
        render_gaps(gaps, coverage, "md")
        + "\n# 链主本地配套 Anchor local supply\n\n"
        + render_anchors(anchors, "md")
    )
    write_text(folder / "gaps.md", md)
    return ["gaps.csv", "gaps.json", "gaps.md"]
