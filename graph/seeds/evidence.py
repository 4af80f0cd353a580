"""Article text and the spans that facts quote from it."""

from __future__ import annotations

from typing import Any

__all__ = ["find_quote", "nearest_quote", "span_problem"]


def find_quote(text: str, quote: str) -> list[int]:
    """Return every start offset (code points) where ``quote`` occurs in ``text``.

    Example:
        >>> find_quote("上饶经开区与上饶", "上饶")
        [0, 6]
    """
    hits: list[int] = []
    if not quote:
        return hits
    start = text.find(quote)
    while start != -1:
        hits.append(start)
        start = text.find(quote, start + 1)
    return hits


def nearest_quote(text: str, quote: str, start: int) -> int | None:
    """Return the occurrence of ``quote`` closest to ``start``, or None when it is absent.

    Example:
        >>> nearest_quote("ab ab ab", "ab", 4)
        3
    """
    hits = find_quote(text, quote)
    return min(hits, key=lambda h: (abs(h - start), h)) if hits else None


def span_problem(text: str, quote: str, start: Any, end: Any, where: str) -> tuple[str, str] | None:
    """What is wrong with the span ``start``-``end`` of ``quote`` in ``text`` (an article at ``where``), as
    ``(field, message)``, or None when ``text[start:end] == quote`` with ``0 ≤ start ≤ end ≤ len(text)``.

    Example:
        >>> span_problem("ab cd", "cd", 3, 5, "a.txt") is None
        True
        >>> span_problem("ab cd", "cd", -2, 5, "a.txt")[1]
        "offsets start: -2, end: 5 are not 0 ≤ start ≤ end ≤ 5 (the article's length) (the quote is at start: 3, end: 5)"
    """

    def at(found: int | None) -> str:
        return f" (the quote is at start: {found}, end: {found + len(quote)})" if found is not None else ""

    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        return "evidence", f"needs integer start and end offsets{at(nearest_quote(text, quote, 0))}"
    if not 0 <= start <= end <= len(text):
        found = nearest_quote(text, quote, max(start, 0))
        return "evidence", (
            f"offsets start: {start}, end: {end} are not 0 ≤ start ≤ end ≤ {len(text)} (the article's length)"
            f"{at(found)}"
        )
    if text[start:end] != quote:
        found = nearest_quote(text, quote, start)
        if found is None:
            place = f'the quote "{quote}" does not occur in {where}'
        else:
            place = f"it is at start: {found}, end: {found + len(quote)}"
        shown = text[start:end].replace("\n", "\\n")[:40]
        return "evidence.quote", f'not found at {start}-{end} (the text there is "{shown}"); {place}'
    return None
