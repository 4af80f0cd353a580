"""Rows of a filled workbook → seed entries, with every bad cell reported as ``zone.xlsx:企业!F7: …``."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from graph.seeds.model import MILESTONES, STATUSES, Seeds
from graph.text import did_you_mean
from graph.vocab.dates import DATE_FORMS, normalise_date
from graph.vocab.namespaces import digest_id, is_slug
from graph.vocab.units import UNITS

__all__ = ["IN_ZONE", "rows_to_seeds", "slug"]

IN_ZONE = {"在园": True, "园外": False}
_SPLIT = re.compile(r"[、,，;；|]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def slug(text: str) -> str:
    """An id from a name: ASCII words when there are some, else a short hash (no pinyin guessing).

    Example:
        >>> slug("Zone A 2024"), len(slug("上饶经开区"))
        ('zone-a-2024', 8)
    """
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value if value and is_slug(value) else digest_id(text)[:8]


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _value(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral() else float(value)


class _Rows:
    def __init__(self, fname: str, source: str, base: Seeds) -> None:
        self.fname, self.source, self.base = fname, source, base
        self.problems: list[str] = []
        self.bad_rows: set[tuple[str, int]] = set()
        own = lambda e: any(ev.source == source for ev in e.evidence)  # noqa: E731 - this import's own entries
        self.orgs = {
            n: e.id
            for e in base.enterprises
            if not own(e)
            for n in (e.id, e.name, e.name_full, *e.aliases)
            if n
        }
        self.projs = {n: p.id for p in base.projects if not own(p) for n in (p.id, p.name, *p.aliases) if n}
        self.taken = set(self.orgs.values()) | set(self.projs.values())
        self.segments = {s.name: s for s in base.segments} | {s.id: s for s in base.segments}
        self.chains = {c.name: c.id for c in base.chains} | {c.id: c.id for c in base.chains}
        self.statuses = {v[0]: k for k, v in STATUSES.items()} | {k: k for k in STATUSES}

    def bad(self, sheet: str, row: int, col: str, message: str) -> None:
        self.problems.append(f"{self.fname}:{sheet}!{col}{row}: {message}")
        self.bad_rows.add((sheet, row))

    def ev(self, sheet: str, row: int, rec: dict) -> list[dict]:
        note = f"{self.fname}:{sheet}!{row}" + (f"; 来源 {rec['source']}" if rec.get("source") else "")
        return [{"source": self.source, "note": note}]

    def ident(self, sheet: str, row: int, rec: dict, cols: dict, prefix: str, seen: dict) -> str:
        ident = rec.get("id") or f"{prefix}-{digest_id(prefix, rec.get('name', ''))[:8]}"
        if not is_slug(ident):
            self.bad(sheet, row, cols["id"], f'id "{ident}" is not valid (lower-case a-z, 0-9 and "-")')
        elif ident in seen:
            self.bad(
                sheet, row, cols.get("name", "A"), f'duplicate of row {seen[ident]} ("{rec.get("name")}")'
            )
        elif ident in self.taken:
            self.bad(sheet, row, cols["id"], f'id "{ident}" is already used by a seed outside this workbook')
        seen.setdefault(ident, row)
        return ident

    def placements(self, sheet: str, row: int, rec: dict, cols: dict) -> list[dict]:
        chain = None
        if rec.get("chain"):
            chain = self.chains.get(rec["chain"])
            if chain is None:
                hint = did_you_mean(rec["chain"], self.chains)
                self.bad(sheet, row, cols["chain"], f'chain "{rec["chain"]}" unknown{hint}')
        result = []
        for word in filter(None, (w.strip() for w in _SPLIT.split(rec.get("segment", "")))):
            seg = self.segments.get(word)
            if seg is None:
                self.bad(
                    sheet,
                    row,
                    cols["segment"],
                    f'segment "{word}" unknown{did_you_mean(word, self.segments)}',
                )
            elif chain and seg.chain != chain:
                self.bad(sheet, row, cols["segment"], f'segment "{word}" is not in chain "{rec["chain"]}"')
            else:
                result.append({"segment": seg.id, "evidence": self.ev(sheet, row, rec)})
        return result

    def amount(self, sheet: str, row: int, rec: dict, cols: dict, about: str) -> list[dict]:
        if not rec.get("investment"):
            return []
        value = _number(rec["investment"])
        if value is None:
            self.bad(
                sheet,
                row,
                cols["investment"],
                f'investment "{rec["investment"]}" is not a number (write 106, not "106亿元")',
            )
            return []
        return [{"id": f"{about}-investment", "about": about, "indicator": "total-investment", "value": _value(value),
                 "unit": "亿元", "evidence": self.ev(sheet, row, rec)}]  # fmt: skip


def _entity(r: _Rows, sheet: str, row: int, rec: dict, cols: dict, prefix: str, seen: dict) -> dict | None:
    if not rec.get("name"):
        r.bad(sheet, row, cols["name"], 'has no "名称 name"')
        return None
    known = r.orgs if prefix == "e" else r.projs
    if rec["name"] in known:
        r.bad(
            sheet,
            row,
            cols["name"],
            f'"{rec["name"]}" is already seed "{known[rec["name"]]}"; drop the row or edit that seed',
        )
    entry: dict = {"id": r.ident(sheet, row, rec, cols, prefix, seen), "name": rec["name"]}
    if rec.get("name_en"):
        entry["name_en"] = rec["name_en"]
    aliases = [a.strip() for a in _SPLIT.split(rec.get("aliases", "")) if a.strip()]
    if aliases:
        entry["aliases"] = aliases
    return entry


def _place_and_keep(
    r: _Rows, sheet: str, row: int, rec: dict, cols: dict, entry: dict, target: list, names: dict
) -> list:
    """Finish an enterprise or project row: evidence, segments (or why none), its amounts. A row without problems
    joins ``target`` and its names map to its id in ``names``; returns its investment observations (none if bad)."""
    entry["evidence"] = r.ev(sheet, row, rec)
    entry["segments"] = r.placements(sheet, row, rec, cols)
    if not entry["segments"]:
        entry["unplaced"] = "工作簿未填环节 no segment given in the workbook"
    amounts = r.amount(sheet, row, rec, cols, entry["id"])
    if (sheet, row) in r.bad_rows:
        return []
    target.append(entry)
    for name in (entry["name"], entry["id"], *entry.get("aliases", [])):
        names[name] = entry["id"]
    return amounts


def rows_to_seeds(sheets: dict, fname: str, source: str, base: Seeds) -> tuple[dict, dict, list]:
    """Check every row and build the seed entries of each file; bad rows are left out and listed."""
    r = _Rows(fname, source, base)
    out: dict[str, list] = {name: [] for name in ("sources.yaml", "zone.yaml", "indicators.yaml", "periods.yaml",
                                                  "enterprises.yaml", "projects.yaml", "observations.yaml")}  # fmt: skip
    out["sources.yaml"].append({"id": source, "name": f"{fname} (chainkg import)", "kind": "import"})
    zone_id = base.zone.id if base.zone else None
    for row, rec, _cols in sheets.get("园区", [])[:1]:
        if rec.get("name"):
            zone_id = rec.get("id") or slug(rec.get("name_en") or rec["name"])
            zone = {
                "id": zone_id,
                "name": rec["name"],
                "name_full": rec.get("name_full"),
                "name_en": rec.get("name_en"),
            }
            zone = {k: v for k, v in zone.items() if v} | {"evidence": r.ev("园区", row, rec)}
            out["zone.yaml"].append({"zone": zone})
    if zone_id is None:
        r.problems.append(f"{fname}:园区!B2: the zone's name is missing (a new seeds folder needs it)")
    orgs, projs, obs, seen = {}, {}, [], {}
    for row, rec, cols in sheets.get("企业", []):
        entry = _entity(r, "企业", row, rec, cols, "e", seen)
        if entry is None:
            continue
        state = rec.get("status", "在园")
        if state not in IN_ZONE:
            r.bad(
                "企业",
                row,
                cols["status"],
                f'status "{state}" is not one of 在园, 园外{did_you_mean(state, IN_ZONE)}',
            )
        entry["in_zone"] = IN_ZONE.get(state, True)
        obs += _place_and_keep(r, "企业", row, rec, cols, entry, out["enterprises.yaml"], orgs)
    for row, rec, cols in sheets.get("项目", []):
        entry = _entity(r, "项目", row, rec, cols, "p", seen)
        if entry is None:
            continue
        if rec.get("investor"):
            org = orgs.get(rec["investor"]) or r.orgs.get(rec["investor"])
            if org is None:
                hint = did_you_mean(rec["investor"], list(orgs) + list(r.orgs))
                r.bad(
                    "项目",
                    row,
                    cols["investor"],
                    f'investor "{rec["investor"]}" is not in sheet 企业 nor in the seeds{hint}',
                )
            entry["investors"] = [{"org": org, "evidence": r.ev("项目", row, rec)}]
        if rec.get("status"):
            status = r.statuses.get(rec["status"])
            if status is None:
                choices = ", ".join(v[0] for v in STATUSES.values())
                r.bad(
                    "项目",
                    row,
                    cols["status"],
                    f'status "{rec["status"]}" is not one of {choices}{did_you_mean(rec["status"], r.statuses)}',
                )
            entry["status"] = {"value": status, "evidence": r.ev("项目", row, rec)}
        dates = {}
        for key in MILESTONES:  # 签约 / 开工 / 投产 dates, each sourced by its row
            if rec.get(key):
                value = normalise_date(rec[key])
                if value is None:
                    r.bad("项目", row, cols[key], f'date "{rec[key]}" is not a date ({DATE_FORMS})')
                else:
                    dates[key] = {"value": value, "evidence": r.ev("项目", row, rec)}
        if dates:
            entry["dates"] = dates
        obs += _place_and_keep(r, "项目", row, rec, cols, entry, out["projects.yaml"], projs)
    indicators = {i.name: i.id for i in base.indicators} | {i.id: i.id for i in base.indicators}
    periods = {p.name: p.id for p in base.periods} | {p.id: p.id for p in base.periods}
    if obs and "total-investment" not in indicators:
        out["indicators.yaml"].append(
            {"id": "total-investment", "name": "总投资", "name_en": "Total investment"}
        )
        indicators["total-investment"] = "total-investment"
    for row, rec, cols in sheets.get("指标", []):
        obs += _figure(r, row, rec, cols, zone_id, orgs | projs, indicators, periods, out)
    out["observations.yaml"] = obs
    counts = {
        "enterprises": len(out["enterprises.yaml"]),
        "projects": len(out["projects.yaml"]),
        "observations": len(obs),
    }
    return out, counts, sorted(set(r.problems))


def _figure(
    r: _Rows,
    row: int,
    rec: dict,
    cols: dict,
    zone_id,
    names: dict,
    indicators: dict,
    periods: dict,
    out: dict,
) -> list:
    sheet = "指标"
    about = (
        zone_id
        if not rec.get("about")
        else names.get(rec["about"]) or r.orgs.get(rec["about"]) or r.projs.get(rec["about"])
    )
    if about is None:
        r.bad(
            sheet,
            row,
            cols["about"],
            f'about "{rec["about"]}" is not an enterprise or project{did_you_mean(rec["about"], names)}',
        )
    for key in ("indicator", "value", "unit"):
        if not rec.get(key):
            r.bad(sheet, row, cols[key], f'has no "{key}"')
    value = _number(rec.get("value", "0"))
    if value is None:
        r.bad(sheet, row, cols["value"], f'value "{rec["value"]}" is not a number')
    unit = rec.get("unit", "")
    if unit and unit not in UNITS:
        r.bad(sheet, row, cols["unit"], f'unit "{unit}" unknown{did_you_mean(unit, UNITS)}')
    indicator = indicators.get(rec.get("indicator", ""))
    if indicator is None and rec.get("indicator"):
        indicator = indicators[rec["indicator"]] = f"i-{digest_id(rec['indicator'])[:8]}"
        out["indicators.yaml"].append({"id": indicator, "name": rec["indicator"]})
    entry = {"id": rec.get("id") or f"o-{digest_id(about, rec.get('indicator'), rec.get('period'))[:8]}",
             "about": about, "indicator": indicator, "value": _value(value or Decimal(0)), "unit": unit}  # fmt: skip
    if rec.get("period"):
        period = periods.get(rec["period"])
        if period is None:
            dates = [rec.get("begin", ""), rec.get("end", "")]
            if not all(_DATE.fullmatch(d) for d in dates):
                r.bad(
                    sheet,
                    row,
                    cols["begin"],
                    f'new period "{rec["period"]}" needs begin and end dates such as 2024-01-01',
                )
            else:
                period = periods[rec["period"]] = f"t-{digest_id(rec['period'])[:8]}"
                out["periods.yaml"].append({"id": period, "name": rec["period"], "begin": dates[0], "end": dates[1],
                                            "evidence": r.ev(sheet, row, rec)})  # fmt: skip
        entry["period"] = period
    entry["evidence"] = r.ev(sheet, row, rec)
    return [] if (sheet, row) in r.bad_rows else [entry]
