"""Article text and the spans that facts quote from it."""

from __future__ import annotations

__all__ = ["find_quote", "nearest_quote"]


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
