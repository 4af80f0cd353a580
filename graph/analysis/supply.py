"""Anchor local supply (链主配套): each in-zone anchor enterprise's direct inputs and how many are supplied locally.

An anchor's inputs are the segments directly upstream of its own segments (its own segments and
segments the same as them are not inputs; an input and the segments the same as it are one row); an input is
supplied when it has a local firm other than the anchor; the local supply rate (本地配套率) is supplied inputs /
inputs, given twice: counting any supplier, and counting only suppliers in production.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from rdflib import Graph

from graph.analysis.chainindex import ChainIndex, as_digraph, same_segments, zh_status
from graph.analysis.coverage import matched_segments
from graph.analysis.digraph import seed_id
from graph.seeds.model import Seeds

__all__ = ["AnchorInput", "AnchorSupply", "anchor_supply"]


@dataclass(frozen=True)
class AnchorInput:
    """One input segment of an anchor, with its local suppliers (empty: not supplied locally) and their status."""

    segment: str
    segment_label: str
    chain: str
    suppliers: tuple[str, ...]
    statuses: tuple[str, ...] = ()  # per supplier: 投产 / 在建 / 签约 / 状态未知 (zh)
    state: str = ""  # coverage state of the input segment
    producing: bool = False  # a supplier is in production


@dataclass(frozen=True)
class AnchorSupply:
    """An anchor enterprise's direct inputs and its local supply rate (``None`` when it has no inputs)."""

    anchor: str
    anchor_label: str
    segments: tuple[str, ...]  # labels of its own segments
    inputs: tuple[AnchorInput, ...]
    supplied: int
    total: int
    rate: float | None
    producing: int = 0  # inputs with a supplier in production
    rate_producing: float | None = None
    basis: str = ""  # why it is a 链主: the quote, or the curators' rule (marked as such)


def anchor_supply(source: Seeds | Graph | nx.DiGraph) -> list[AnchorSupply]:
    """Return each in-zone anchor enterprise's direct inputs, local suppliers and local supply rate (by label)."""
    G = as_digraph(source)
    ix = ChainIndex(G)
    result = []
    anchors = [
        n
        for n, a in G.nodes(data=True)
        if a.get("kind") == "enterprise" and a.get("anchor") and a.get("in_zone")
    ]
    for anchor in anchors:
        own = sorted(v for v in G.successors(anchor) if G.edges[anchor, v].get("kind") == "in_segment")
        own_all = set(own) | {m for s in own for m in matched_segments(G, s) if m in same_segments(G, s)}
        inputs = sorted({u for s in own for u in ix.flows(s, downstream=False)} - own_all)
        rows, seen = [], set()
        for seg in inputs:
            if seg in seen:
                continue
            same = [m for m in same_segments(G, seg) if m in inputs]
            seen |= {seg, *same}
            firms = {f: ps for f, ps in ix.firms(seg).items() if f != anchor}
            players = sorted((p for ps in firms.values() for p in ps), key=lambda n: (ix.label(n), n))
            label = " ≡ ".join(ix.label(s) for s in [seg, *same])
            rows.append(
                AnchorInput(
                    seed_id(seg),
                    label,
                    seed_id(G.nodes[seg].get("chain", "")),
                    ix.labels(players),
                    tuple(zh_status(ix.status(p)) for p in dict.fromkeys(players)),
                    ix.coverage[seg].state,
                    any(ix.status(f) == "in_production" for f in firms),
                )  # fmt: skip
            )
        supplied = sum(1 for r in rows if r.suppliers)
        producing = sum(1 for r in rows if r.producing)
        result.append(
            AnchorSupply(
                anchor=seed_id(anchor),
                anchor_label=ix.label(anchor),
                segments=tuple(ix.label(s) for s in own),
                inputs=tuple(rows),
                supplied=supplied,
                total=len(rows),
                rate=supplied / len(rows) if rows else None,
                producing=producing,
                rate_producing=producing / len(rows) if rows else None,
                basis=ix.anchor_basis(anchor),
            )
        )
    return sorted(result, key=lambda a: (a.anchor_label, a.anchor))
