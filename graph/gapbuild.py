"""Gaps in ``chainkg build``: the enricher that adds ``ckg:Gap`` nodes to the RDF, and the gap file writers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, XSD

from graph.gapreport import write_gap_files
from graph.gaps import KIND_LABELS, Gap, anchor_supply, chain_coverage, find_gaps
from graph.namespaces import CKG, DEFAULT_BASE, data_iri
from graph.rdf import decimal_lexical

if TYPE_CHECKING:
    from graph.build import Build

__all__ = ["add_gaps", "enrich_gaps", "write_gaps", "write_chain_maps", "KIND_IRIS"]

KIND_IRIS = {"missing": CKG.missing, "weak": CKG.weak, "extend": CKG.extend}


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


def enrich_gaps(b: Build) -> None:
    """Compute the gaps of the build's graph, add them to ``b.g`` and keep them in ``b.extras``.

    ``b.extras`` gets ``gaps`` (list of :class:`graph.gaps.Gap`), ``gap_coverage`` and ``anchor_supply``.
    """
    from graph.digraph import to_digraph

    G = to_digraph(b.g)
    gaps = find_gaps(G)
    b.extras["gaps"] = gaps
    b.extras["gap_coverage"] = chain_coverage(G)
    b.extras["anchor_supply"] = anchor_supply(G)
    base = dict(b.g.namespaces()).get("ckd", DEFAULT_BASE)
    add_gaps(b.g, gaps, base=str(base))


def write_gaps(b: Build, folder: Path) -> list[str]:
    """Write ``gaps.json``, ``gaps.csv`` and ``gaps.md``."""
    if "gaps" not in b.extras:
        enrich_gaps(b)
    return write_gap_files(b.extras["gaps"], b.extras["gap_coverage"], b.extras["anchor_supply"], folder)


def write_chain_maps(b: Build, folder: Path) -> list[str]:
    """Write ``chain-<id>.svg`` and ``chain-<id>.png`` for every chain."""
    from graph.chainmap import write_chain_maps as write_maps

    if "gaps" not in b.extras:
        enrich_gaps(b)
    return write_maps(b.G, b.extras["gaps"], folder)
