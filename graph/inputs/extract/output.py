"""The YAML that ``chainkg extract`` writes: proposals in the seed format, every entry ``reviewed: false``."""

from __future__ import annotations

import yaml

from graph.inputs.extract.propose import Entity, Proposals
from graph.inputs.extract.rules import LEGAL_SUFFIXES, clause_bounds
from graph.vocab.namespaces import digest_id

__all__ = ["dumps_proposals"]


def _ev(text: str, doc: str, start: int, end: int) -> dict:
    return {"doc": doc, "quote": text[start:end], "start": start, "end": end}


def _entity_record(e: Entity, text: str, doc: str) -> dict:
    rec: dict = {"id": e.ident, "name": e.name}
    legal = sorted(n for n in e.names if n.endswith(LEGAL_SUFFIXES) and n != e.name)
    if legal and e.kind == "enterprise":
        rec["name_full"] = legal[0]
    aliases = sorted(n for n in e.names if n != e.name and n not in legal)
    if aliases:
        rec["aliases"] = aliases
    if e.same_as:
        rec["same_as"] = e.same_as
    if e.kind == "enterprise":
        rec["in_zone"] = None  # the reviewer says: true (in the zone) or false (an outside firm)
    rec["reviewed"] = False
    if e.kind == "project":
        if e.investor:
            s, end = min(e.spans)
            rec["investors"] = [{"org": e.investor, "evidence": [_ev(text, doc, s, end)]}]
        if e.status:
            value, s, end = e.status
            rec["status"] = {"value": value, "evidence": [_ev(text, doc, s, end)]}
    rec["evidence"] = [_ev(text, doc, s, end) for s, end in sorted(e.spans)]
    if e.segments:
        rec["segments"] = [
            {"segment": seg, "evidence": [_ev(text, doc, *span)]} for seg, span in sorted(e.segments.items())
        ]
    return rec


def dumps_proposals(p: Proposals, *, doc: str, article: str = "") -> str:
    """Render proposals as YAML in the seed format (docs/seeds.md), each entry marked ``reviewed: false``.

    Example:
        >>> from graph.inputs.extract.propose import extract
        >>> p = extract("总投资5亿元的恒钧新材料项目签约落户。")
        >>> text = dumps_proposals(p, doc="demo")
        >>> "name: 恒钧新材料项目" in text, text.count("reviewed: false")
        (True, 3)
    """
    figures = []
    for f in p.figures:
        left, right = clause_bounds(p.text, f.start, f.end)
        rec = {
            "id": f"f-{digest_id(doc, f.start, f.value, f.unit)[:8]}",
            "about": f.about or "zone",
            "indicator": f.indicator,
            "value": float(f.value) if f.value != f.value.to_integral() else int(f.value),
            "unit": f.unit,
        }
        if f.period:
            rec["period"] = f.period
        if f.approx:
            rec["approx"] = True
        rec["reviewed"] = False
        rec["evidence"] = [_ev(p.text, doc, left, right)]
        figures.append(rec)
    data = {
        "article": article,
        "doc": doc,
        "zone": p.zone,
        "enterprises": [_entity_record(e, p.text, doc) for e in p.enterprises],
        "projects": [_entity_record(e, p.text, doc) for e in p.projects],
        "figures": figures,
    }
    head = (
        "# chainkg extract: 待审核的提议 proposals to review. Nothing here is a fact until a person checks it:\n"
        "# delete what is wrong, fill in_zone, set reviewed: true, then run: chainkg accept FILE --seeds DIR\n"
    )
    # libyaml's dumper when PyYAML has it: the pure-Python one takes ~20 s for the 20,000 figures of a 1 MB text
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return head + yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)
