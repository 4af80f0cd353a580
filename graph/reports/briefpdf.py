"""The 招商简报 as PDF: the brief's HTML page set by WeasyPrint, with the Noto CJK fonts embedded (subset).

WeasyPrint (https://doc.courtbouillon.org/weasyprint/) finds fonts through fontconfig, so Debian's
``fonts-noto-cjk`` is used and embedded. The page fetches nothing: its fetcher allows only inline ``data:``
pictures (``URLFetcher(allowed_protocols=...)``), so the PDF is made offline.
"""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher

__all__ = ["pdf_bytes"]


def pdf_bytes(html: str) -> bytes:
    """Return the PDF of one self-contained HTML page (same page, same bytes)."""
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher, base_url="data:,").write_pdf()
