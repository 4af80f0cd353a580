"""Spreadsheet cells are data: neutralise text a spreadsheet would run as a formula, in every CSV and xlsx chainkg
writes.

The rule is OWASP's (https://owasp.org/www-community/attacks/CSV_Injection): a text cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, which spreadsheets show as text. Real numbers
stay numbers (``-3.5`` is a number, not a formula), in CSV and xlsx alike; xlsx text cells are typed as strings.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

__all__ = ["TRIGGERS", "safe_cell", "safe_row", "csv_text", "append_row"]

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """Return ``value`` safe for a spreadsheet cell: numbers as they are, formula-like text prefixed with ``'``.

    Example:
        >>> safe_cell('=HYPERLINK("http://evil.example")'), safe_cell("@SUM(A1)"), safe_cell("甲材料")
        ('\\'=HYPERLINK("http://evil.example")', "'@SUM(A1)", '甲材料')
        >>> safe_cell(-3.5), safe_cell("-3.5"), safe_cell("-3.5+A1"), safe_cell(None)
        (-3.5, '-3.5', "'-3.5+A1", '')
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(values: Iterable[object]) -> list[object]:
    """:func:`safe_cell` of each value."""
    return [safe_cell(v) for v in values]


def csv_text(rows: Iterable[Sequence[object]], *, lineterminator: str = "\n") -> str:
    """Return ``rows`` as CSV text, every cell neutralised (the first row is usually the header).

    Example:
        >>> csv_text([["name", "score"], ["=1+1", -0.5]])
        "name,score\\n'=1+1,-0.5\\n"
    """
    buf = io.StringIO()
    csv.writer(buf, lineterminator=lineterminator).writerows(safe_row(r) for r in rows)
    return buf.getvalue()


def append_row(ws: Any, values: Iterable[object]) -> None:
    """Append one neutralised row to an openpyxl worksheet; its text cells are typed as strings, never formulas."""
    ws.append(safe_row(values))
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
