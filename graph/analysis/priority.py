"""The gap priority score: parts that each say where their number comes from, weights from ``priority.yaml``.

Parts: the kind (missing / extend / weak / verify), demand (local buyer firms and 链主 among them), the segment's
value share in its downstream product (chain template, with a source) and the maturity of what is already there
(签约 signed < 在建 under construction < 投产 in production). Ties between equal scores are broken by the parts
themselves (value share, then 链主, then buyers); only gaps whose parts are all equal stay tied, and their
reasons say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

__all__ = ["PRIORITY_FILE", "ScorePart", "weights", "score_parts", "parts_text", "tie_key", "MATURITY_ORDER"]

PRIORITY_FILE = Path(__file__).resolve().parent / "priority.yaml"
MATURITY_ORDER = ("none", "signed", "unknown", "under_construction", "in_production")
_MATURITY_ZH = {
    "none": "无",
    "signed": "签约",
    "unknown": "状态未知",
    "under_construction": "在建",
    "in_production": "投产",
}


@dataclass(frozen=True)
class ScorePart:
    """One part of a gap's score: its name, points, the number behind it and where that number comes from."""

    name: str  # kind | demand | anchors | value_share | maturity
    points: float
    detail: str  # e.g. "3 家本地买家 × 2"
    source: str  # where the number comes from


@cache
def weights() -> dict:
    """The weights in ``priority.yaml`` (read once)."""
    with open(PRIORITY_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


def score_parts(
    kind: str,
    buyers: int,
    anchors: list[tuple[str, str]],
    share: tuple[float, str, str, str] | None,
    maturity: str,
) -> tuple[ScorePart, ...]:
    """Return the score parts of one gap.

    Args:
        kind: missing, extend, weak or verify.
        buyers: local partner firms that need it.
        anchors: (name, basis) of the 链主 among them.
        share: (percent, what it is a share of, the figure as printed, source) or None when no figure was found.
        maturity: the most advanced status of the local firms already there (``none`` when there are none).

    Example:
        >>> [p.points for p in score_parts("missing", 2, [("甲", "规则")], (51.0, "电芯成本", "51%", "S1"), "none")]
        [3.0, 4.0, 3.0, 5.1, 2.0]
    """
    w = weights()
    file = PRIORITY_FILE.name
    parts = [
        ScorePart("kind", float(w["kind"][kind]), f"类型 kind {kind}", file),
        ScorePart("demand", w["buyer"] * buyers, f"需求 demand {buyers}×{w['buyer']:g}", "本图谱 this graph"),
        ScorePart(
            "anchors", w["anchor"] * len(anchors), f"链主 anchors {len(anchors)}×{w['anchor']:g}",
            "；".join(f"{name}: {basis}" for name, basis in anchors) or "—",
        ),
    ]  # fmt: skip
    if share is None:
        parts.append(ScorePart("value_share", 0.0, "价值占比 value share 无数据 none found", "—"))
    else:
        percent, of, text, source = share
        detail = f"价值占比 value share {text or f'{percent:g}%'}（占{of}）×{w['value_share']:g}"
        parts.append(ScorePart("value_share", round(w["value_share"] * percent, 2), detail, source))
    detail = f"成熟度 maturity {_MATURITY_ZH[maturity]} {maturity}"
    parts.append(ScorePart("maturity", float(w["maturity"][maturity]), detail, file))
    return tuple(parts)


def parts_text(parts: tuple[ScorePart, ...]) -> str:
    """The parts as one line: ``detail=points〔source〕`` joined by ``+``."""
    return " + ".join(f"{p.detail}={p.points:g}〔{p.source}〕" for p in parts)


def tie_key(parts: tuple[ScorePart, ...]) -> tuple[float, ...]:
    """Order among equal scores: higher value share, more 链主, more buyers, less mature (all descending)."""
    by = {p.name: p.points for p in parts}
    return (-by["value_share"], -by["anchors"], -by["demand"], -by["maturity"])
