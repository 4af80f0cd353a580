"""What an output rests on: the zone, an as-of date taken from the sources' dates, the sources used, a caveat.

Every gap table, chain map, view and ``gaps.json`` carries one :class:`About`; the date never comes from the clock
(builds stay byte-identical), and a build option may set it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import networkx as nx

__all__ = ["About", "about"]


@dataclass(frozen=True)
class About:
    """The zone, the as-of date, the sources and, when some coverage is unknown, a one-line caveat."""

    zone: str
    as_of: str
    articles: tuple[str, ...]  # "title (issued)"
    named_sources: int
    caveat: str = ""

    def lines(self) -> list[str]:
        """The header lines of a text report (zh first, en beside)."""
        lines = [
            f"开发区 zone: {self.zone}；数据截至 as of: {self.as_of or '未知 unknown'}",
            f"来源 sources: {'；'.join(self.articles) or '—'}；另引 {self.named_sources} 个具名来源 named sources",
        ]
        return lines + ([f"注意 caveat: {self.caveat}"] if self.caveat else [])

    def as_dict(self) -> dict[str, object]:
        return {
            "zone": self.zone,
            "as_of": self.as_of,
            "articles": list(self.articles),
            "named_sources": self.named_sources,
            "caveat": self.caveat,
        }


def about(G: nx.DiGraph, *, as_of: str | None = None, unknown: int = 0) -> About:
    """Return what ``G`` rests on.

    Args:
        G: the networkx view (its ``sources`` graph attribute and zone node).
        as_of: overrides the date; by default the latest issue date among the articles.
        unknown: how many segments are in the unknown state (adds the caveat when > 0).

    Example:
        >>> G = nx.DiGraph(sources='{"articles": [{"id": "a", "title": "T", "issued": "2023-12"}], "named": ["s"]}')
        >>> G.add_node("zone-x", kind="zone", label="示范区")
        >>> about(G, unknown=2).lines()[0]
        '开发区 zone: 示范区；数据截至 as of: 2023-12'
    """
    info = json.loads(G.graph.get("sources") or "{}")
    articles = info.get("articles", [])
    zones = sorted(str(a.get("label", n)) for n, a in G.nodes(data=True) if a.get("kind") == "zone")
    dates = sorted(str(a["issued"]) for a in articles if a.get("issued"))
    caveat = (
        f"{unknown} 个细分未知（未点名≠不存在），见待核实 / {unknown} segment(s) unknown: not named is not absent, "
        "see to-verify"
        if unknown
        else ""
    )
    return About(
        zone="、".join(zones) or "未知 unknown",
        as_of=as_of or (dates[-1] if dates else ""),
        articles=tuple(f"{a['title']}（{a['issued'] or '日期未知'}）" for a in articles),
        named_sources=len(info.get("named", [])),
        caveat=caveat,
    )
