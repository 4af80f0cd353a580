"""Units a figure may carry in the seeds, and the IRI each one maps to.

QUDT has no 亿元 or 万元, so chainkg mints them as scaled CNY (``ontology/chainkg.ttl``); counts such as 家 or 人
are minted as counting units. Multipliers convert to the base unit (yuan for money), so SPARQL can compare amounts.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from graph.vocab.namespaces import CKGU, CUR, UNIT

__all__ = ["Unit", "UNITS"]


@dataclass(frozen=True)
class Unit:
    """A unit of measure as written in the seeds."""

    symbol: str
    iri: URIRef
    name_en: str
    to_yuan: float | None = None  # multiplier to CNY for money units, None otherwise


UNITS: dict[str, Unit] = {
    u.symbol: u
    for u in (
        Unit("亿元", CKGU.YiYuan, "100 million yuan", 1e8),
        Unit("万元", CKGU.WanYuan, "10 thousand yuan", 1e4),
        Unit("元", CUR.CNY, "yuan", 1.0),
        Unit("%", UNIT.PERCENT, "percent"),
        Unit("家", CKGU.Jia, "enterprises (count)"),
        Unit("人", CKGU.Ren, "people (count)"),
        Unit("个", CKGU.Ge, "items (count)"),
        Unit("项", CKGU.Xiang, "items of work (count)"),
        Unit("件", CKGU.Jian, "cases (count)"),
        Unit("座", CKGU.Zuo, "installations (count)"),
        Unit("位", CKGU.Wei, "rank position"),
        Unit("年", UNIT.YR, "years"),
        Unit("平方公里", UNIT.KiloM2, "square kilometres"),
        Unit("公里", UNIT.KiloM, "kilometres"),
        Unit("米", UNIT.M, "metres"),
        Unit("万米/天", CKGU.WanMPerDay, "10 thousand metres per day"),
        Unit("亩", CKGU.Mu, "mu (1/15 hectare)"),
        Unit("GW", UNIT.GigaW, "gigawatts"),
        Unit("GWh", UNIT["GigaW-HR"], "gigawatt hours"),
        Unit("万吨", CKGU.WanTonne, "10 thousand tonnes"),
    )
}
