"""Targets in ``chainkg build``: ``ckg:Recommendation`` nodes for the RDF, and ``targets.xlsx``."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import ORG, RDF, RDFS, XSD

from graph.analysis.targets import Ranking
from graph.build.result import Build
from graph.files import write_bytes
from graph.reports.targets import workbook_about, xlsx_bytes
from graph.vocab.namespaces import CKG, DEFAULT_BASE, data_iri, digest_id

__all__ = ["add_recommendations", "write_targets"]


def add_recommendations(g: Graph, r: Ranking, *, base: str = DEFAULT_BASE) -> int:
    """Add one ``ckg:Recommendation`` per target whose gap node (``ckg:gapSegment``) is in ``g``; return the count.

    A candidate is an ``org:Organization`` with its Chinese label and stock code, ``ckd:cand-<code or hash>``.
    """
    gap_of = {}
    for gap, seg in g.subject_objects(CKG.gapSegment):
        gap_of[str(seg)] = gap
    added = 0
    for t in r.targets:
        gap = gap_of.get(str(data_iri("seg", t.segment, base)))
        if gap is None:
            continue
        key = t.code[:6] if t.code[:6].isdigit() else digest_id(t.name)
        cand = data_iri("cand", key, base)
        rec = data_iri("rec", f"{t.segment}-{t.rank}", base)
        g.add((cand, RDF.type, ORG.Organization))
        g.add((cand, RDFS.label, Literal(t.name, lang="zh")))
        if t.code:
            g.add((cand, CKG.stockCode, Literal(t.code)))
        g.add((rec, RDF.type, CKG.Recommendation))
        g.add((rec, CKG.forGap, gap))
        g.add((rec, CKG.candidate, cand))
        g.add((rec, CKG.rank, Literal(t.rank, datatype=XSD.positiveInteger)))
        g.add((rec, CKG.score, Literal(f"{t.score:.3f}", datatype=XSD.decimal)))
        g.add((rec, CKG.reason, Literal(t.reason, lang="zh")))
        added += 1
    return added


def write_targets(b: Build, folder: Path) -> list[str]:
    """Write ``targets.xlsx`` (a summary, a 依据 sheet and one sheet per chain) when the build ranked a pool."""
    if b.ranking is None:
        return []
    zone, lines, chains = workbook_about(b.seeds)
    if b.about is not None:  # what the lists rest on: each sheet's header and the 依据 sheet
        zone, lines = b.about.zone, b.about.lines()
    write_bytes(folder / "targets.xlsx", xlsx_bytes(b.ranking, chains=chains, about=lines, zone=zone))
    return ["targets.xlsx"]
