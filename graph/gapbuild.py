"""Gaps in ``chainkg build``: the enricher that adds ``ckg:Gap`` nodes to the RDF, and the gap file writers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, XSD

from graph.coverage import Coverage, coverage_detail
from graph.gapreport import write_gap_files
from graph.gaps import KIND_LABELS, Gap, anchor_supply, chain_coverage, find_coverage, find_gaps
from graph.namespaces import CKG, DEFAULT_BASE, data_iri
from graph.provenance import about
from graph.rdf import decimal_lexical

if TYPE_CHECKING:
    from graph.build import Build

__all__ = [
    "add_gaps",
    "add_coverage",
    "enrich_gaps",
    "write_gaps",
    "write_chain_maps",
    "KIND_IRIS",
    "STATE_IRIS",
]

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


def enrich_gaps(b: Build) -> None:
    """Compute the gaps of the build's graph, add them to ``b.g`` and keep them in ``b.extras``.

    ``b.extras`` gets ``gaps`` (list of :class:`graph.gaps.Gap`), ``gap_coverage`` and ``anchor_supply``.
    """
    from graph.digraph import to_digraph

    G = to_digraph(b.g)
    gaps = find_gaps(G)
    states = find_coverage(G)
    b.extras["gaps"] = gaps
    b.extras["gap_coverage"] = chain_coverage(G)
    b.extras["anchor_supply"] = anchor_supply(G)
    b.extras["coverage"] = states
    b.extras["coverage_detail"] = coverage_detail(G, {c.node: c for c in states.values()})
    unknown = sum(1 for c in states.values() if c.level == "segment" and c.state == "unknown")
    b.extras["about"] = about(G, as_of=b.extras.get("as_of"), unknown=unknown)  # type: ignore[arg-type]
    base = dict(b.g.namespaces()).get("ckd", DEFAULT_BASE)
    add_gaps(b.g, gaps, base=str(base))
    add_coverage(b.g, states, base=str(base))


def write_gaps(b: Build, folder: Path) -> list[str]:
    """Write ``gaps.json``, ``gaps.csv`` and ``gaps.md``."""
    if "gaps" not in b.extras:
        enrich_gaps(b)
    return write_gap_files(
        b.extras["gaps"],
        b.extras["gap_coverage"],
        b.extras["anchor_supply"],
        folder,
        detail=b.extras["coverage_detail"],
        about=b.extras["about"],
    )


def write_chain_maps(b: Build, folder: Path) -> list[str]:
    """Write ``chain-<id>.svg`` and ``chain-<id>.png`` for every chain."""
    from graph.chainmap import write_chain_maps as write_maps

    if "gaps" not in b.extras:
        enrich_gaps(b)
    return write_maps(b.G, b.extras["gaps"], folder, about=b.extras["about"])  # type: ignore[arg-type]
