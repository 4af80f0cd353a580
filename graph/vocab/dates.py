"""Dates as sources write them: a year, a month or a day (``2023``, ``2023-12``, ``2023-12-16``), never the clock.

A source rarely gives a full day, so chainkg keeps a date at the precision it was written in and compares dates
as text (``"2023-12" < "2023-12-16" < "2024"``), which orders them correctly for these three forms.
"""

from __future__ import annotations

import datetime as dt
import re

from rdflib import Literal
from rdflib.namespace import XSD

__all__ = ["DATE_FORMS", "normalise_date", "date_literal", "months_between"]

DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def normalise_date(value: object) -> str | None:
    """Return ``value`` as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` text, or ``None`` when it is not such a date.

    YAML reads an unquoted ``2023-12-16`` as a date and ``2023`` as a number; both are accepted.

    Example:
        >>> normalise_date("2023-12"), normalise_date(2023), normalise_date(dt.date(2023, 12, 16))
        ('2023-12', '2023', '2023-12-16')
        >>> normalise_date("2023-13") is None, normalise_date("12月") is None
        (True, True)
    """
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    m = _DATE.match(text)
    if not m:
        return None
    year, month, day = (int(x) if x else None for x in m.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return text


def date_literal(text: str) -> Literal:
    """Return the typed literal of a date text: ``xsd:gYear``, ``xsd:gYearMonth`` or ``xsd:date``.

    Example:
        >>> date_literal("2023-12").datatype == XSD.gYearMonth
        True
    """
    dtype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(text)]
    return Literal(text, datatype=dtype)


def months_between(start: str, end: str) -> int | None:
    """Whole months from ``start`` to ``end`` when both give at least a month, else ``None`` (too coarse to say).

    Example:
        >>> months_between("2021-03-01", "2023-12"), months_between("2023", "2024-01")
        (33, None)
    """
    if len(start) < 7 or len(end) < 7:
        return None
    (y0, m0), (y1, m1) = (int(start[:4]), int(start[5:7])), (int(end[:4]), int(end[5:7]))
    return (y1 - y0) * 12 + (m1 - m0)
