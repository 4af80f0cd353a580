"""Render gaps and anchor supply as a terminal table, Markdown, CSV or JSON (Chinese first, English beside).

Every renderer is a pure function returning text that ends with a newline; :func:`write_gap_files` writes the
build outputs ``gaps.json``, ``gaps.csv`` and ``gaps.md``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from graph.analysis.coverage import STATE_LABELS
from graph.analysis.gaps import (
    ANCHOR_POINTS,
    KIND_LABELS,
    KINDS,
    PARTNER_POINTS,
    WEIGHTS,
    ChainCoverage,
    Gap,
)
from graph.analysis.priority import PRIORITY_FILE, weights
from graph.analysis.provenance import About
from graph.analysis.supply import AnchorInput, AnchorSupply
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
_W = weights()
SCORING_RULE = (
    f"得分 = 类型（补链 {WEIGHTS['missing']:g}、延链 {WEIGHTS['extend']:g}、强链 {WEIGHTS['weak']:g}、待核实 "
    f"{WEIGHTS['verify']:g}）+ {PARTNER_POINTS:g} × 本地买家企业数（整段另计上游供应企业）+ {ANCHOR_POINTS:g} × 其中链主数"
    f" + {_W['value_share']:g} × 占下游产品成本百分点 + 成熟度（无 {_W['maturity']['none']:g}、签约 "
    f"{_W['maturity']['signed']:g}、在建 {_W['maturity']['under_construction']:g}、投产 "
    f"{_W['maturity']['in_production']:g}）；权重见 {PRIORITY_FILE.name} / score = kind + {PARTNER_POINTS:g} × local "
    f"buyer firms (for a whole stage also suppliers) + {ANCHOR_POINTS:g} × anchors among them + "
    f"{_W['value_share']:g} × value-share points + maturity of what is there; weights in {PRIORITY_FILE.name}. "
    "同分按价值占比、链主、需求、成熟度排；各项全同者注明并列 / equal scores are ordered by the parts; gaps with every "
    "part equal are marked tied"
)
_COLUMNS = ("score", "kind", "chain", "stage", "segment", "reason")
_LIST_FIELDS = ("players", "buyers", "anchors", "suppliers")
ACTIONABLE = ("missing", "extend", "weak")


def gap_rows(gaps: list[Gap]) -> list[dict[str, object]]:
    """Gaps as plain dicts (the JSON rows), with ``kind_label`` and ``state_label`` added."""
    return [
        {**asdict(g), "kind_label": KIND_LABELS[g.kind], "state_label": _state(g.state)}
        | {k: list(getattr(g, k)) for k in _LIST_FIELDS}
        | {"parts": [asdict(p) for p in g.parts]}
        for g in gaps
    ]


def _state(state: str) -> str:
    return " ".join(STATE_LABELS[state]) if state in STATE_LABELS else ""


def summary_lines(coverage: list[ChainCoverage], gaps: list[Gap]) -> list[str]:
    """One line per chain: segments in each coverage state and the number of gaps of each kind."""
    lines = []
    for c in coverage:
        counts = [sum(1 for g in gaps if g.chain == c.chain and g.kind == k) for k in KINDS]
        kinds = ", ".join(f"{KIND_LABELS[k]} {k} {n}" for k, n in zip(KINDS, counts, strict=True))
        states = (
            f"已有 present {c.covered}、已有·未具名 unnamed {c.unnamed}、确认空白 absent {c.absent}、未知 unknown "
            f"{c.unknown} / {c.total} 细分 segments"
        )
        lines.append(f"{c.chain_label} {c.chain}: {states}; {kinds}")
    return lines


def _where(g: Gap) -> tuple[str, str, str]:
    seg = f"{g.segment_label} {g.segment}" if g.segment else "（整段 whole stage）"
    return f"{g.chain_label} {g.chain}", f"{g.stage_label} {g.stage}", seg


def _csv(header: list[str], rows: list[list[object]]) -> str:
    return csv_text([header, *rows])  # cells neutralised: names come from seeds and pools


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_gaps(
    gaps: list[Gap],
    coverage: list[ChainCoverage],
    fmt: str = "table",
    *,
    totals: list[Gap] | None = None,
    detail: dict[str, list[dict[str, object]]] | None = None,
    about: About | None = None,
) -> str:
    """Return the gap report in ``fmt`` (one of :data:`FORMATS`): what it rests on, a summary per chain, then the
    ranked gaps and, apart, what is still to verify.

    ``totals`` (default ``gaps``) are the gaps counted in the summary lines, so a ``--kind`` filter still shows
    every kind's count. ``detail`` (:func:`graph.analysis.coverage.coverage_detail`) adds every coverage state and claim
    to the JSON and Markdown; ``about`` (:func:`graph.analysis.provenance.about`) the zone, date, sources and caveat.
    """
    if fmt == "json":
        doc = {"chains": [asdict(c) for c in coverage], "gaps": gap_rows(gaps), "scoring": SCORING_RULE}
        if detail is not None:
            doc["coverage"] = detail["states"]
            doc["claims"] = detail["claims"]
        if about is not None:
            doc["about"] = about.as_dict()
        return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "csv":
        header = ["rank", "score", "kind", "chain", "chain_label", "stage", "stage_label", "segment",
                  "segment_label", "state", "reason", "settle", *_LIST_FIELDS]  # fmt: skip
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
                g.state,
                g.reason,
                g.settle,
                *("、".join(getattr(g, k)) for k in _LIST_FIELDS),
            ]  # fmt: skip
            for i, g in enumerate(gaps, start=1)
        ]
        return _csv(header, rows)
    summary = summary_lines(coverage, gaps if totals is None else totals)
    sections = (
        ("产业链缺口 Chain gaps（补链 / 延链 / 强链）", [g for g in gaps if g.kind in ACTIONABLE], "无缺口 no gaps"),
        ("待核实 To verify（未知：无来源点名本地企业，也无完整名录 / unknown）", [g for g in gaps if g.kind == "verify"],
         "无待核实 nothing to verify"),
    )  # fmt: skip
    head = about.lines() if about is not None else []
    if fmt == "md":
        lines = ["# 产业链缺口 Chain gaps", "", *(f"> {line}  " for line in head), "" if head else None]
        lines = [x for x in lines if x is not None]
        lines += [*(f"- {line}" for line in summary), "", f"{SCORING_RULE}", ""]
        for title, rows, empty in sections:
            lines += [f"## {title}", ""]
            if not rows:
                lines += [empty, ""]
                continue
            lines += [
                "| # | 得分 score | 类型 kind | 产业链 chain | 环节 stage | 细分 segment | 本地企业 players | 理由 reason |",
                "| ---: | ---: | --- | --- | --- | --- | --- | --- |",
            ]
            for i, g in enumerate(rows, start=1):
                chain, stage, seg = _where(g)
                reason = g.reason + (f"。如何核实 settle: {g.settle}" if g.settle else "")
                cells = [str(i), f"{g.score:g}", f"{KIND_LABELS[g.kind]} {g.kind}", chain, stage, seg,
                         "、".join(g.players) or "—", reason]  # fmt: skip
                lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
            lines.append("")
        if detail is not None:
            lines += _md_coverage(detail)
        return "\n".join(lines).rstrip("\n") + "\n"
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")
    out = [*head, *summary]
    header = ["#", "得分 score", "类型 kind", "产业链 chain", "环节 stage", "细分 segment", "理由 reason"]
    for title, rows, empty in sections:
        out += ["", title]
        body = [[str(i), f"{g.score:g}", f"{KIND_LABELS[g.kind]} {g.kind}", *_where(g), g.reason]
                for i, g in enumerate(rows, start=1)]  # fmt: skip
        out += text_table(header, body) if body else [empty]
    return "\n".join(out) + "\n"


def _md_coverage(detail: dict[str, list[dict[str, object]]]) -> list[str]:
    """The coverage state of every stage and segment, and the claims behind the unnamed ones (Markdown)."""
    lines = ["## 覆盖状态 Coverage states", "", "| 产业链 chain | 环节/细分 stage/segment | 状态 state | 依据 basis |",
             "| --- | --- | --- | --- |"]  # fmt: skip
    for r in detail["states"]:
        if r["level"] == "chain":
            continue
        name = f"{'　' if r['level'] == 'segment' else ''}{r['label']} {r['id']}"
        basis = "、".join(r["firms"]) or "、".join(r["claims"]) or "—"  # type: ignore[arg-type]
        lines.append(f"| {r['chain']} | {_md_cell(name)} | {r['state_label']} | {_md_cell(basis)} |")
    lines += ["", "### 覆盖声明 Coverage claims", ""]
    for c in detail["claims"]:
        quotes = "；".join(f"「{q['quote']}」[{q['start']}–{q['end']}]" for q in c["quotes"])  # type: ignore[index]
        lines.append(
            f"- **{c['id']}** ({c['kind']}, covers {', '.join(c['covers'])}): {quotes} {c['basis']}".replace(
                "\n", ""
            )
        )  # type: ignore[arg-type]
    return lines + [""]


def _rate(a: AnchorSupply) -> str:
    if a.rate is None:
        return "—"
    producing = f"{a.rate_producing:.0%}" if a.rate_producing is not None else "—"
    return f"{a.rate:.0%} ({a.supplied}/{a.total})；仅计投产 in production only {producing} ({a.producing}/{a.total})"


def _suppliers(i: AnchorInput) -> str:
    if not i.suppliers:
        state = STATE_LABELS.get(i.state, ("", ""))
        return f"本地无已知企业 none known（{state[0]} {state[1]}）".strip()
    return "、".join(f"{n}（{s}）" for n, s in zip(i.suppliers, i.statuses, strict=False))


def _mark(i: AnchorInput) -> str:
    if i.producing:
        return "✓"
    return "◐" if i.suppliers else ("✗" if i.state == "absent" else "?")


def render_anchors(anchors: list[AnchorSupply], fmt: str = "table") -> str:
    """Return each anchor's basis, inputs, local suppliers (with status) and local supply rate in ``fmt``.

    Marks: ✓ a supplier in production, ◐ suppliers not yet producing, ✗ confirmed absent, ? unknown.
    """
    if fmt == "json":
        return json.dumps([asdict(a) for a in anchors], ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    rows = [
        [a.anchor_label, a.anchor, i.segment_label, i.segment, _suppliers(i), i.state, f"{a.supplied}/{a.total}",
         f"{a.producing}/{a.total}", f"{a.rate:.0%}" if a.rate is not None else "—"]
        for a in anchors
        for i in a.inputs
    ]  # fmt: skip
    if fmt == "csv":
        header = ["anchor_label", "anchor", "input_label", "input", "suppliers", "state", "supplied",
                  "producing", "rate"]  # fmt: skip
        return _csv(header, rows)
    if fmt not in ("table", "md"):
        raise ValueError(f"unknown format {fmt!r}")
    lines = []
    for a in anchors:
        head = (
            f"{a.anchor_label} {a.anchor}（{'、'.join(a.segments)}）: 本地配套率 local supply rate {_rate(a)}"
        )
        basis = f"链主依据 anchor basis: {a.basis}"
        if fmt == "md":
            lines += [f"## {head}", "", basis, "", "| | 投入环节 input | 本地供应 local suppliers（状态 status） |",
                      "| --- | --- | --- |"]  # fmt: skip
            lines += [
                f"| {_mark(i)} | {_md_cell(i.segment_label)} | {_md_cell(_suppliers(i))} |" for i in a.inputs
            ]
        else:
            lines += [head, f"  {basis}"]
            lines += [f"  {_mark(i)} {i.segment_label}: {_suppliers(i)}" for i in a.inputs]
        lines.append("")
    legend = (
        "✓ 有投产供应 supplier in production；◐ 仅未投产 not yet producing；✗ 确认空白 absent；? 未知 unknown"
    )
    return "\n".join([*lines, legend]) + "\n" if lines else "无链主 no anchors\n"


def write_gap_files(
    gaps: list[Gap],
    coverage: list[ChainCoverage],
    anchors: list[AnchorSupply],
    folder: Path,
    *,
    detail: dict[str, list[dict[str, object]]] | None = None,
    about: About | None = None,
) -> list[str]:
    """Write ``gaps.json``, ``gaps.csv`` and ``gaps.md`` (with the anchor supply section) into ``folder``."""
    folder = Path(folder)
    write_text(folder / "gaps.json", render_gaps(gaps, coverage, "json", detail=detail, about=about))
    # A byte-order mark lets Excel on Chinese Windows read the UTF-8 file instead of guessing GBK.
    write_text(folder / "gaps.csv", "\ufeff" + render_gaps(gaps, coverage, "csv"))
    md = (
        render_gaps(gaps, coverage, "md", detail=detail, about=about)
        + "\n# 链主本地配套 Anchor local supply\n\n"
        + render_anchors(anchors, "md")
    )
    write_text(folder / "gaps.md", md)
    return ["gaps.csv", "gaps.json", "gaps.md"]
