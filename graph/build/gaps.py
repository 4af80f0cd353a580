"""Gaps in ``chainkg build``: ``ckg:Gap`` nodes for the RDF, and the gap file and chain-map writers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, XSD

from graph.analysis.coverage import Coverage
from graph.analysis.gaps import KIND_LABELS, Gap
from graph.build.result import Build
from graph.rdf.builder import decimal_lexical
from graph.reports.chainmap import write_chain_maps as write_maps
from graph.reports.gaps import write_gap_files
from graph.vocab.namespaces import CKG, DEFAULT_BASE, data_iri

__all__ = ["add_gaps", "add_coverage", "write_gaps", "write_chain_maps", "KIND_IRIS", "STATE_IRIS"]

KIND_IRIS = {"missing": CKG.missing, "weak": CKG.weak, "extend": CKG.extend, "verify": CKG.verify}
STATE_IRIS = {
    "present": CKG.present,
    "present-unnamed": CKG.presentUnnamed,
    "absent": CKG.absent,
    "unknown": CKG.unknown,
}
_LEVEL_KIND = {"segment": "seg", "stage": "stage", "chain": "chain"}


def add_coverage(g: Graph, states: dict[str, Coverage], *, base: str = DEFAULT_BASE) -> None:
    """Add ``ckg:coverageState`` to every chain, stage and segment, and ``prov:wasDerivedFrom`` its claims."""
    for ident, cov in sorted(states.items()):
        node = data_iri(_LEVEL_KIND[cov.level], ident, base)
        g.add((node, CKG.coverageState, STATE_IRIS[cov.state]))
        for claim in cov.claims:
            g.add((node, CKG.settledBy, data_iri("claim", claim, base)))


def add_gaps(g: Graph, gaps: list[Gap], *, base: str = DEFAULT_BASE) -> None:
    """Add one ``ckg:Gap`` node per gap to ``g``: kind, chain, stage, segment (when any), score and reason."""
    for gap in gaps:
        target = gap.segment or gap.stage
        node = data_iri("gap", target, base)
        g.add((node, RDF.type, CKG.Gap))
        name = gap.segment_label or gap.stage_label
        g.add((node, RDFS.label, Literal(f"{KIND_LABELS[gap.kind]}：{name}", lang="zh")))
        g.add((node, CKG.gapKind, KIND_IRIS[gap.kind]))
        g.add((node, CKG.gapChain, data_iri("chain", gap.chain, base)))
        g.add((node, CKG.gapStage, data_iri("stage", gap.stage, base)))
        if gap.segment:
            g.add((node, CKG.gapSegment, data_iri("seg", gap.segment, base)))
        score = decimal_lexical(Decimal(str(gap.score)))
        g.add((node, CKG.score, Literal(score, datatype=XSD.decimal)))
        # One literal with both languages (Chinese first), so readers taking a single value get the whole reason.
        g.add((node, CKG.reason, Literal(gap.reason)))
        if gap.settle:
            g.add((node, CKG.basis, Literal(gap.settle)))


def write_gaps(b: Build, folder: Path) -> list[str]:
    """Write ``gaps.json``, ``gaps.csv`` and ``gaps.md``."""
    return write_gap_files(
        b.gaps, b.coverage, b.anchor_supply, folder, detail=b.coverage_detail, about=b.about
    )


def write_chain_maps(b: Build, folder: Path) -> list[str]:
    """Write ``chain-<id>.svg`` and ``chain-<id>.png`` for every chain."""
    return write_maps(b.G, b.gaps, folder, about=b.about)
