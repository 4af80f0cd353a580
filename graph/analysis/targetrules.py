"""Rules that keep a target list worth calling: no anchor's competitor as its supplier, no delisted or ST firm,
no match through a product that belongs to another segment.

- **Competitor of an anchor.** A candidate for segment S competes with an anchor (链主) when one of its own products
  (matched by name, not through a product link, and not the product it would supply) is made in any segment of an
  anchor that plays next to S in the chain (directly up- or downstream: the anchor buys from S, or S is built on the
  anchor's product), or when the product it would supply is made in an anchor's segment (the same product in two chain templates, such
  as 动力电池系统 in 新能源汽车 and 电芯/模组 in 新能源锂电). Offering the anchor's rival as its supplier is not a lead,
  so such candidates are left out and listed with the anchor they compete with.
- **Listing status.** Delisted (…退) and risk-warned (ST, *ST) companies are left out, each with its status as the
  reason, so an officer can still look them up.
- **A product's home segment.** A Chinese product name ends with what the product *is* (储能逆变器 is an 逆变器 used
  for 储能). A product that only contains a keyword of S but ends with a keyword of another segment T, or *is* a
  keyword of T, belongs to T; matching it to S would give a reason that leads through an unrelated segment, so it
  does not count for S.
"""

from __future__ import annotations

from collections import defaultdict

from graph.inputs.pool import DELISTED, WARNED, Company
from graph.seeds.model import Seeds, Segment

__all__ = ["anchor_segments", "downstream", "upstream", "rival_of", "skip_listing", "HomeIndex"]


def anchor_segments(seeds: Seeds) -> dict[str, list[str]]:
    """Segment id → names of the in-zone anchors (链主) that play in it, their own projects folded in."""
    result: dict[str, list[str]] = defaultdict(list)
    anchors = {e.id: e for e in seeds.enterprises if e.in_zone and e.anchor}
    for e in anchors.values():
        for pl in e.segments:
            result[pl.segment].append(e.name)
    for p in seeds.projects:
        for inv in p.investors:
            if inv.target in anchors:
                for pl in p.segments:
                    result[pl.segment].append(anchors[inv.target].name)
    return {k: sorted(set(v)) for k, v in result.items()}


def downstream(seeds: Seeds, segment: str) -> list[str]:
    """Direct downstream segments that buy from ``segment`` (supply edges only; recycling loops left out).

    A retired battery going to a recycler is not a purchase, so ``feedback`` edges never make a buyer.
    """
    return sorted({e.down for e in seeds.edges if e.up == segment and e.down != segment and not e.feedback})


def upstream(seeds: Seeds, segment: str) -> list[str]:
    """Direct upstream segments that supply ``segment`` (supply edges only)."""
    return sorted({e.up for e in seeds.edges if e.down == segment and e.up != segment and not e.feedback})


class HomeIndex:
    """Which segments a product name belongs to: those it *is* a keyword of, else those whose keyword it ends with."""

    def __init__(self, segments: list[Segment], matchers: dict[str, object]) -> None:
        self.segments = segments
        self.matchers = matchers  # segment id -> Matcher
        self.cache: dict[str, frozenset[str]] = {}

    def homes(self, product: str) -> frozenset[str]:
        homes = self.cache.get(product)
        if homes is None:
            homes = frozenset(s.id for s in self.segments if self.matchers[s.id](product) >= 1.0)
            if not homes:
                ends = [
                    (len(k), s.id) for s in self.segments for k in s.keywords if k and product.endswith(k)
                ]
                longest = max((n for n, _ in ends), default=0)
                homes = frozenset(
                    sid for n, sid in ends if n == longest and not self.matchers[sid].excluded(product)
                )
            self.cache[product] = homes
        return homes

    def elsewhere(self, product: str, segment: str, exactness: float) -> str:
        """The segment ``product`` belongs to instead of ``segment`` ('' when it belongs here too).

        Example:
            >>> from graph.seeds.model import Segment
            >>> from graph.analysis.targets import Matcher
            >>> segs = [Segment("st", "储能系统", "c", "a", keywords=("储能",)),
            ...         Segment("inv", "逆变器", "c", "b", keywords=("逆变器", "光伏逆变器"))]
            >>> ix = HomeIndex(segs, {s.id: Matcher(s) for s in segs})
            >>> ix.elsewhere("储能逆变器", "st", 0.7), ix.elsewhere("电化学储能", "st", 0.7)
            ('inv', '')
        """
        if exactness >= 1.0:
            return ""
        homes = self.homes(product)
        return "" if not homes or segment in homes else sorted(homes)[0]


def rival_of(
    company: Company,
    segment: str,
    *,
    anchors: dict[str, list[str]],
    neighbours: list[str],
    matchers: dict[str, object],
    matched_product: str,
) -> tuple[str, str] | None:
    """Return ``(anchor name, segment id)`` when ``company`` competes with an anchor next to ``segment``.

    ``neighbours`` are the segments directly up- and downstream of ``segment`` (supply edges). An anchor playing
    in a neighbour is next to the segment; the candidate competes with it when one of its own products (not the
    one it would supply) is made in any segment of that anchor.
    """
    own = matchers[segment]
    near = sorted({a for seg in neighbours for a in anchors.get(seg, ())})
    for anchor in near:
        for seg in sorted(s for s, names in anchors.items() if anchor in names and s != segment):
            if any(matchers[seg](p.name) >= 0.7 and not own(p.name) for p in company.products):
                return anchor, seg
    for seg, names in sorted(anchors.items()):  # the same product in another chain's template
        if (
            seg != segment
            and matched_product
            and matchers[seg](matched_product) > max(own(matched_product), 0.69)
        ):
            return names[0], seg
    return None


def skip_listing(company: Company) -> str:
    """The listing status that keeps a company off the list (delisted, ST/*ST), or ''."""
    return company.listing if company.listing in (DELISTED, WARNED) else ""
