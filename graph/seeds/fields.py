"""The types the seed format names for each field (docs/seeds.md), and the checks of single values: numbers in
range, calendar dates, an article's text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from graph.seeds.yamlio import MAX_DIGITS

__all__ = [
    "LIST_FIELDS",
    "EVIDENCE_FIELDS",
    "TEXT_FIELDS",
    "type_problem",
    "in_range",
    "is_date",
    "article_text",
]

# Fields not listed here are checked where they are read (flags, offsets, numbers, codes, status). A field of the
# wrong type is one problem, then read as absent.
LIST_FIELDS = frozenset({"segments", "stages", "edges", "feedback", "investors", "roles", "ranks", "places"})
EVIDENCE_FIELDS = frozenset({"evidence", "sources"})  # one {…} or a list of them
TEXT_FIELDS = frozenset(
    {
        "id", "name", "name_full", "name_en", "title", "kind", "cited_in", "site", "date", "url", "note", "gbt4754",
        "unplaced", "issued", "issued_note", "origin", "parent", "place", "within", "about", "indicator", "period",
        "recipient", "org", "segment", "doc", "quote", "source", "scope", "begin", "unit",
    }
)  # fmt: skip
_MAX_VALUE = Decimal("1e300")  # below the largest float, so that every value converts


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return f"a list ({len(value)} items)"
    return "a mapping" if isinstance(value, dict) else repr(value)


def type_problem(key: str, value: Any) -> str | None:
    """What is wrong with the type of ``value`` under ``key``, or None.

    Example:
        >>> type_problem("segments", 5), type_problem("name", ["乙", "电池"]), type_problem("name", "乙电池")
        ('expected a list, got 5', 'expected text, got a list (2 items)', None)
    """
    if value is None:
        return None
    if key in TEXT_FIELDS and isinstance(value, bool | list | dict):
        hint = " (put it in quotes)" if isinstance(value, bool) else ""
        return f"expected text, got {_shown(value)}{hint}"
    if key in LIST_FIELDS and not isinstance(value, list):
        return f"expected a list, got {_shown(value)}"
    if key in EVIDENCE_FIELDS and not isinstance(value, list | dict):
        return (
            f"expected {{doc, quote, start, end}} or {{source, note}}, or a list of them; got {_shown(value)}"
        )
    return None


def in_range(value: Decimal) -> bool:
    """True for a finite number of at most :data:`MAX_DIGITS` digits that converts to a float.

    Example:
        >>> in_range(Decimal("-106.5")), in_range(Decimal("1e400")), in_range(Decimal("9" * 40))
        (True, False, False)
    """
    return value.is_finite() and len(value.as_tuple().digits) <= MAX_DIGITS and abs(value) <= _MAX_VALUE


def is_date(text: str) -> bool:
    """True for an ISO calendar date ``YYYY-MM-DD`` that exists (``xsd:date`` in the graph).

    Example:
        >>> is_date("2023-12-31"), is_date("2023"), is_date("2023-02-30")
        (True, False, False)
    """
    try:
        return len(text) == 10 and date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def article_text(path: Path) -> tuple[str | None, str | None]:
    """The article's text exactly as stored (``newline=""``: offsets count every code point), or None and why."""
    if not path.is_file():
        return None, f"{path} is a folder, not a text file"
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read(), None
    except UnicodeDecodeError as err:
        return None, f"{path.name} is not UTF-8 text ({err.reason} at byte {err.start}); save it as UTF-8"
    except OSError as err:
        return None, f"{path.name} cannot be read ({err.strerror})"
