"""``chainkg diff`` reports: text, Markdown and JSON of a :class:`graph.diff.Diff`, Chinese first, English beside."""

from __future__ import annotations

import json

from graph.analysis.diff import SECTIONS, Change, Diff

__all__ = ["FORMATS", "render_diff"]

FORMATS = ("text", "md", "json")
_MARKS = {
    "added": "+",
    "removed": "−",
    "opened": "+",
    "closed": "−",
    "merged": "~",
    "split": "~",
    "changed": "~",
    "same": "=",
}
_WORDS = {
    "added": "新增 added",
    "removed": "删除 removed",
    "opened": "新缺口 opened",
    "closed": "已补上 closed",
    "merged": "并入整段缺口 merged into a whole-stage gap",
    "split": "由整段缺口拆出 split from a whole-stage gap",
    "changed": "变化 changed",
    "same": "未变 unchanged",
}
_BUILD = {"as_of": "时点 as of", "seeds_sha256": "种子哈希 seeds hash", "version": "版本 version"}


def _short(key: str, value: str) -> str:
    return value[:12] if key == "seeds_sha256" else value or "—"


def _line(c: Change) -> str:
    if not c.before and not c.after:  # an enterprise, project or placement added or removed
        return f"{_MARKS[c.change]} {c.label} ({c.id})"
    word = f" [{_WORDS[c.change]}]" if c.section == "gaps" else ""
    return f"{_MARKS[c.change]} {c.label}{word}: {c.before or '—'} → {c.after or '—'}"


def _summary(d: Diff) -> str:
    if d.equal:
        return f"chainkg diff: 无变化 no change ({d.old} = {d.new})"
    return (
        f"chainkg diff: {len(d.changes)} 处变化 changes, 三元组 triples +{len(d.added)} −{len(d.removed)} "
        f"({d.old} → {d.new})"
    )


def _sections(d: Diff) -> list[tuple[str, list[Change]]]:
    """Each section's title and rows; coverage and anchors list every chain and anchor, changed or not."""
    result = []
    for key, (zh, en) in SECTIONS.items():
        rows = d.coverage if key == "coverage" else d.anchors if key == "anchors" else None
        if rows is None:
            rows = [c for c in d.changes if c.section == key]
        if rows or key == "gaps":  # "no gap changed" is news too (a status change may change no gap)
            result.append((f"{zh} {en}", rows))
    return result


def _text(d: Diff) -> str:
    lines = [_summary(d)]
    lines += [f"  {_BUILD[k]}: {_short(k, a)} → {_short(k, b)}" for k, (a, b) in d.build.items()]
    for title, rows in _sections(d):
        lines += ["", f"{title}:"] + ([f"  {_line(c)}" for c in rows] or ["  无变化 no change"])
    if d.added or d.removed:
        lines += ["", f"附录 appendix: 三元组 triples (+{len(d.added)} −{len(d.removed)})"]
        lines += [f"  + {t}" for t in d.added] + [f"  − {t}" for t in d.removed]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(d: Diff) -> str:
    lines = [f"# {_cell(_summary(d))}", "", "| 项 item | 旧 old | 新 new |", "|---|---|---|"]
    lines += [
        f"| {_BUILD[k]} | {_cell(_short(k, a))} | {_cell(_short(k, b))} |" for k, (a, b) in d.build.items()
    ]
    for title, rows in _sections(d):
        lines += [
            "",
            f"## {title}",
            "",
            "| 变化 change | 对象 item | 旧 before | 新 after |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {_WORDS[c.change]} | {_cell(c.label)} (`{_cell(c.id)}`) | {_cell(c.before)} | {_cell(c.after)} |"
            for c in rows
        ] or ["| 无变化 no change | | | |"]
    if d.added or d.removed:
        lines += ["", f"## 附录 appendix: 三元组 triples (+{len(d.added)} −{len(d.removed)})", "", "```diff"]
        lines += [f"+ {t}" for t in d.added] + [f"- {t}" for t in d.removed] + ["```"]
    return "\n".join(lines) + "\n"


def _json(d: Diff) -> str:
    def rows(items: list[Change]) -> list[dict[str, str]]:
        return [
            {"change": c.change, "id": c.id, "label": c.label, "before": c.before, "after": c.after}
            for c in items
        ]

    record = {
        "equal": d.equal,
        "old": d.old,
        "new": d.new,
        "build": {k: {"old": a, "new": b} for k, (a, b) in d.build.items()},
        "sections": {
            key: rows(
                d.coverage
                if key == "coverage"
                else d.anchors
                if key == "anchors"
                else [c for c in d.changes if c.section == key]
            )
            for key in SECTIONS
        },  # fmt: skip
        "triples": {"added": d.added, "removed": d.removed},
    }
    return json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_diff(d: Diff, fmt: str = "text") -> str:
    """Return the report of ``d`` as ``text``, ``md`` (Markdown) or ``json``."""
    return {"text": _text, "md": _markdown, "json": _json}[fmt](d)
