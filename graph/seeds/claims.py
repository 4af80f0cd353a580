"""Seed fields that say how much a source vouches for: coverage claims, value shares, 链主 basis, figure qualifiers.

Read by :mod:`graph.seeds` with its field reader (``r``), which collects every problem; the layout is in
``docs/seeds.md`` and the rules that use these fields in ``docs/gaps.md``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from graph.seeds.model import CLAIM_KINDS, QUALIFIERS, CoverageClaim, Evidence, ValueShare
from graph.seeds.yamlio import LineDict
from graph.text import did_you_mean

__all__ = ["COVERAGE_FILE", "read_claims", "read_value_share", "read_anchor_basis", "read_qualifier"]

COVERAGE_FILE = "coverage.yaml"


def read_claims(r: Any) -> tuple[CoverageClaim, ...]:
    """Read ``coverage.yaml``: each claim has id, kind (present | complete), chain, covers, basis and evidence."""
    path, recs = r.records(COVERAGE_FILE)
    allowed = ("id", "kind", "chain", "covers", "basis", "evidence", "note")
    result = []
    for rec in recs:
        if not r.fields(path, rec, "claim", allowed, ("id", "kind", "chain", "basis"), "claim"):
            continue
        kind = str(rec["kind"])
        if kind not in CLAIM_KINDS:
            valid = ", ".join(CLAIM_KINDS)
            r.problems.add(
                path,
                rec.line_of("kind"),
                "kind",
                f'unknown claim kind "{kind}"{did_you_mean(kind, CLAIM_KINDS)}; valid: {valid}',
            )
        chain = str(r.ref(path, rec, "chain", ("chain",)))
        covers = r.texts(path, rec, "covers") or (chain,)
        for target in covers:
            r.refs.use(("chain", "stage", "segment"), target, path, rec.line_of("covers"), "covers")
        result.append(
            CoverageClaim(
                id=str(r.ident(path, rec, "claim")),
                kind=kind,
                chain=chain,
                covers=covers,
                basis=str(rec["basis"]),
                evidence=r.evidence(path, rec),
            )
        )
    return tuple(result)


def read_value_share(r: Any, path: Path, seg: LineDict) -> ValueShare | None:
    """Read a segment's ``value_share: {percent, text, of, evidence}`` (a share of the downstream product's cost)."""
    raw = seg.get("value_share")
    if raw is None:
        return None
    if not r.fields(path, raw, "value_share", ("percent", "text", "of", "evidence"), ("percent", "of")):
        return None
    try:
        percent = Decimal(str(raw["percent"]))
        if isinstance(raw["percent"], bool) or not 0 <= percent <= 100:
            raise InvalidOperation
    except InvalidOperation:
        r.problems.add(
            path,
            raw.line_of("percent"),
            "value_share.percent",
            f"expected a number 0–100, got {raw['percent']!r}",
        )
        return None
    return ValueShare(percent, str(raw["of"]), r.evidence(path, raw), r.text(path, raw, "text") or "")


def read_anchor_basis(r: Any, path: Path, rec: LineDict) -> tuple[tuple[Evidence, ...], str | None]:
    """Read ``anchor_basis: {evidence: […]}`` or ``{rule: "…"}``; an anchor without one is a problem."""
    raw = rec.get("anchor_basis")
    anchor = rec.get("anchor") is True
    if raw is None:
        if anchor:
            r.problems.add(
                path, rec.line_of("anchor"), "anchor",
                'a 链主 needs "anchor_basis": {evidence: [...]} naming it the leading enterprise, or {rule: "..."}',
            )  # fmt: skip
        return (), None
    if not anchor:
        r.problems.add(path, rec.line_of("anchor_basis"), "anchor_basis", "given without anchor: true")
    if not r.fields(path, raw, "anchor_basis", ("evidence", "rule"), ()):
        return (), None
    evidence = r.evidence(path, raw, required=False)
    rule = r.text(path, raw, "rule")
    if not evidence and not rule:
        r.problems.add(path, raw.line, "anchor_basis", "needs evidence or a rule")
    return evidence, rule


def read_qualifier(r: Any, path: Path, rec: LineDict) -> tuple[str, ...]:
    """Read an observation's ``qualifier`` (one or a list of lower-bound, more-than, approx, planned, forecast);
    ``approx: true`` is the older spelling of ``qualifier: approx``."""
    values = r.texts(path, rec, "qualifier")
    for value in values:
        if value not in QUALIFIERS:
            valid = ", ".join(QUALIFIERS)
            hint = did_you_mean(value, QUALIFIERS)
            r.problems.add(
                path,
                rec.line_of("qualifier"),
                "qualifier",
                f'unknown qualifier "{value}"{hint}; valid: {valid}',
            )
    if not values and r.flag(path, rec, "approx"):
        return ("approx",)
    return tuple(v for v in values if v in QUALIFIERS)
