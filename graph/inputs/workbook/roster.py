"""An investment office's enterprise roster (规上企业名录) → enterprises placed on segments, and completeness claims.

A roster row gives a firm's name, 统一社会信用代码 (where known), products or industry and address. Each firm is
placed on the segments whose chain-template keywords its products contain (and none of the segment's exclude
words, the rule of :class:`graph.analysis.targets.Matcher`); such a
placement is marked rule-made (``rule`` in the seed, ``ckg:placementRule`` in the graph) until a curator reviews it
and deletes the mark. A firm whose products match no keyword is listed as unplaced. A chain named in the column
名录完整 (complete for) makes the roster a complete list for that chain: a coverage claim of kind ``complete``,
which turns that chain's unknown segments into present or absent (:mod:`graph.analysis.coverage`).
"""

from __future__ import annotations

import re

from graph.seeds.model import Seeds, Segment
from graph.text import did_you_mean
from graph.vocab.namespaces import digest_id

__all__ = ["ROSTER_SHEET", "ROSTER_COLUMNS", "CREDIT_CODE", "roster_to_seeds"]

ROSTER_SHEET = "名录"
ROSTER_COLUMNS = (
    ("编号", "id", "id"),
    ("企业名称", "name", "name"),
    ("统一社会信用代码", "credit code", "credit_code"),
    ("产品/行业", "products", "products"),
    ("地址", "address", "address"),
    ("名录完整", "complete for chain", "complete_for"),
    ("来源", "source", "source"),
)
# GB 32100-2015: 18 characters from 0-9 and the capital letters without I, O, Z, S, V
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_SPLIT = re.compile(r"[、,，;；|/]")


def _matches(seg: Segment, product: str) -> bool:
    """The product is the segment's name, or contains one of its keywords and none of its exclude words."""
    if product == seg.name:
        return True
    return any(k in product for k in seg.keywords if k) and not any(x in product for x in seg.exclude if x)


def _segment_matches(base: Seeds, products: list[str]) -> list[tuple[str, str]]:
    """(segment id, the product word that matched its keywords), in template order, one per segment."""
    found: dict[str, str] = {}
    for seg in base.segments:
        word = next((p for p in products if _matches(seg, p)), None)
        if word is not None:
            found.setdefault(seg.id, word)
    return list(found.items())


def roster_to_seeds(
    rows: list[tuple[int, dict[str, str], dict[str, str]]], fname: str, source: str, base: Seeds
) -> tuple[list[dict], list[dict], list[str], list[str]]:
    """Check every roster row and build its seed entries.

    Args:
        rows: (row number, {key: text}, {key: column letter}) of sheet 名录.
        fname: the workbook's file name, for messages and evidence notes.
        source: the import's source id.
        base: the seeds the roster is added to (chain templates, existing enterprises).

    Returns:
        (enterprise entries, coverage-claim entries, unplaced firms as "row: name (products)", problems as
        ``FILE:名录!CELL: problem``).
    """
    problems: list[str] = []
    own = {
        e.id for e in base.enterprises if any(ev.source == source for ev in e.evidence)
    }  # a re-import's own
    known = {
        n: e.id for e in base.enterprises if e.id not in own for n in (e.name, e.name_full, *e.aliases) if n
    }
    chains = {c.name: c.id for c in base.chains} | {c.id: c.id for c in base.chains}
    enterprises: list[dict] = []
    complete: dict[str, int] = {}
    unplaced: list[str] = []
    seen: dict[str, int] = {}

    def bad(row: int, cols: dict[str, str], key: str, message: str) -> None:
        problems.append(f"{fname}:{ROSTER_SHEET}!{cols.get(key, 'A')}{row}: {message}")

    for row, rec, cols in rows:
        for chain in filter(None, (w.strip() for w in _SPLIT.split(rec.get("complete_for", "")))):
            if chain in chains:
                complete.setdefault(chains[chain], row)
            else:
                bad(row, cols, "complete_for", f'chain "{chain}" unknown{did_you_mean(chain, chains)}')
        name = rec.get("name", "")
        if not name:
            if set(rec) - {"complete_for", "source"}:
                bad(row, cols, "name", 'has no "企业名称 name"')
            continue
        code = rec.get("credit_code", "").upper()
        if code and not CREDIT_CODE.match(code):
            bad(
                row,
                cols,
                "credit_code",
                f'统一社会信用代码 "{code}" is not 18 characters of 0-9 and A-Z (GB 32100)',
            )
        key = code or name
        if key in seen:
            bad(row, cols, "name", f'duplicate of row {seen[key]} ("{name}")')
            continue
        seen[key] = row
        if name in known:  # already a seed: the roster confirms it, nothing new to write
            continue
        ident = rec.get("id") or ("e-" + code.lower() if code else f"e-{digest_id('roster', name)[:8]}")
        note = f"{fname}:{ROSTER_SHEET}!{row}" + (f"; 地址 {rec['address']}" if rec.get("address") else "")
        note += f"; 来源 {rec['source']}" if rec.get("source") else ""
        evidence = [{"source": source, "note": note}]
        products = [p.strip() for p in _SPLIT.split(rec.get("products", "")) if p.strip()]
        entry: dict = {"id": ident, "name": name, "in_zone": True, "evidence": evidence}
        if code:
            entry["codes"] = {"credit": code}
        segments = [
            {
                "segment": seg,
                "rule": f"名录产品关键词 roster product keyword: {word}",
                "evidence": [{"source": source, "note": f"{note}; 产品 products: {'、'.join(products)}"}],
            }
            for seg, word in _segment_matches(base, products)
        ]
        entry["segments"] = segments
        if not segments:
            why = "、".join(products) or "未填产品 no products given"
            entry["unplaced"] = (
                f"名录产品未匹配任何细分关键词 roster products match no segment keyword: {why}"
            )
            unplaced.append(f"{ROSTER_SHEET}!{row}: {name}（{why}）")
        enterprises.append(entry)
    claims = [
        {
            "id": f"{source}-complete-{chain}",
            "kind": "complete",
            "chain": chain,
            "basis": f"{fname} 声明为该产业链的完整企业名录 declares itself the complete roster of this chain "
            f"({ROSTER_SHEET}!{row})",
            "evidence": [
                {"source": source, "note": f"{fname}:{ROSTER_SHEET}!{row}: 名录完整 complete for {chain}"}
            ],
        }
        for chain, row in sorted(complete.items())
    ]
    return enterprises, claims, unplaced, sorted(set(problems))
