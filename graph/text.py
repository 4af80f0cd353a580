"""Plain-text helpers every layer may use: did-you-mean hints, terminal display width, and text tables."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence

__all__ = ["did_you_mean", "display_width", "pad", "text_table"]


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """Return ``' (did you mean "X"?)'`` for the closest choice, or ``''``.

    Example:
        >>> did_you_mean("liion-catode", ["liion-cathode", "pv-cell"])
        ' (did you mean "liion-cathode"?)'
    """
    close = difflib.get_close_matches(str(value), sorted(set(choices)), n=1, cutoff=0.5)
    return f' (did you mean "{close[0]}"?)' if close else ""


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two).

    Example:
        >>> display_width("晶科 ab")
        7
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns."""
    return text + " " * (width - display_width(text))


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, rule: bool = False) -> list[str]:
    """Left-aligned columns sized by display width, one string per line, trailing spaces stripped.

    ``rule`` adds a line of dashes under the header.

    Example:
        >>> print("\\n".join(text_table(["名称", "n"], [["晶科", "3"]], rule=True)))
        名称  n
        ----  -
        晶科  3
    """
    all_rows = [list(header), *(list(r) for r in rows)]
    widths = [max(display_width(r[i]) for r in all_rows) for i in range(len(header))]
    lines = ["  ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in all_rows]
    if rule:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return lines
