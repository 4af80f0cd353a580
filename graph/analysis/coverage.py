"""Coverage states of every chain, stage and segment, decided by evidence (已有 / 已有·未具名 / 确认空白 / 未知).

The rules (``docs/gaps.md`` has a worked example):

- **present 已有**: a named local firm works in the segment (or in a segment of another chain declared the same
  or overlapping, ``skos:exactMatch`` / ``skos:closeMatch``);
- **present-unnamed 已有·未具名**: no named firm, but a coverage claim (``seeds/coverage.yaml``: 「完整产业链」,
  「300余家光电企业」) says the zone has it; the claim's quote, offsets and basis are kept;
- **absent 确认空白**: no firm and no claim, and a roster declared complete for the chain lists nobody there;
- **unknown 未知**: no source either way. Only absent segments are 补链 and absent end stages 延链; unknown ones
  are listed apart as 待核实 (to verify), each saying what would settle it.

A stage is present when one of its segments is, present-unnamed when a claim covers it (or one of its segments is
present-unnamed), absent when all its segments are, else unknown; a chain likewise from its stages.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from graph.analysis.digraph import seed_id

__all__ = [
    "STATES",
    "STATE_LABELS",
    "Claim",
    "Coverage",
    "claims_of",
    "matched_segments",
    "coverage_states",
    "settle_text",
    "coverage_detail",
]

STATES = ("present", "present-unnamed", "absent", "unknown")
STATE_LABELS = {
    "present": ("已有", "present"),
    "present-unnamed": ("已有·未具名", "present, no firm named"),
    "absent": ("确认空白", "confirmed absent"),
    "unknown": ("未知", "unknown"),
}


@dataclass(frozen=True)
class Claim:
    """A coverage claim as read from the graph: the chain, stage or segment ids it covers, why, and its quotes."""

    id: str
    kind: str  # present | complete
    chain: str  # chain node id
    covers: tuple[str, ...]  # node ids
    basis: str
    quotes: tuple[tuple[str, int, int], ...]  # (quote, start, end) in the article
    sources: tuple[str, ...]  # "source: note" for evidence that is not an article span


@dataclass(frozen=True)
class Coverage:
    """The state of one chain, stage or segment, with what decides it."""

    node: str  # node id (seg-…, stage-…, chain-…)
    level: str  # segment | stage | chain
    chain: str  # chain node id
    state: str  # one of STATES
    firms: tuple[str, ...] = ()  # firm node ids that make it present (segments only)
    via: tuple[str, ...] = ()  # same/overlapping segments whose firms count here
    claims: tuple[str, ...] = ()  # ids of the claims that decide it (present-unnamed, absent)

    @property
    def label(self) -> str:
        zh, en = STATE_LABELS[self.state]
        return f"{zh} {en}"


def claims_of(G: nx.DiGraph) -> list[Claim]:
    """The coverage claims stored on the view (``G.graph["claims"]``), sorted by id."""
    result = []
    for rec in json.loads(G.graph.get("claims") or "[]"):
        evidence = rec.get("evidence", [])
        quotes = tuple((e["quote"], e["start"], e["end"]) for e in evidence if "quote" in e)
        sources = tuple(
            f"{e['source']}: {e.get('note', '')}".rstrip(": ") for e in evidence if "quote" not in e
        )
        chain = rec["chain"]
        result.append(
            Claim(
                rec["id"], rec["kind"], chain, tuple(rec["covers"]) or (chain,), rec["basis"], quotes, sources
            )
        )
    return sorted(result, key=lambda c: c.id)


def matched_segments(G: nx.DiGraph, seg: str) -> tuple[str, ...]:
    """Segments of other chains declared the same as or overlapping ``seg`` (both directions), sorted."""
    a = G.nodes[seg]
    found = {m for key in ("same_as", "overlaps") for m in str(a.get(key) or "").split("|") if m}
    return tuple(sorted(m for m in found if m in G))


def coverage_states(
    G: nx.DiGraph,
    firms_of: dict[str, list[str]],
    stage_order: dict[str, list[str]],
    stage_segments: dict[str, list[str]],
) -> dict[str, Coverage]:
    """Return the coverage of every segment, stage and chain, by node id.

    Args:
        G: the networkx view.
        firms_of: segment node → its own local firms (without those of matched segments).
        stage_order: chain node → its stage nodes, upstream first.
        stage_segments: stage node → its segment nodes.
    """
    claims = claims_of(G)
    covered: dict[str, list[str]] = defaultdict(list)
    complete: dict[str, list[str]] = defaultdict(list)
    for c in claims:
        if c.kind == "complete":
            complete[c.chain].append(c.id)
        else:
            for target in c.covers:
                covered[target].append(c.id)
    result: dict[str, Coverage] = {}
    for chain, stages in stage_order.items():
        stage_states = []
        for stage in stages:
            seg_states = []
            for seg in stage_segments.get(stage, []):
                via = tuple(m for m in matched_segments(G, seg) if firms_of.get(m))
                firms = tuple(dict.fromkeys([*firms_of.get(seg, []), *(f for m in via for f in firms_of[m])]))
                if firms:
                    cov = Coverage(seg, "segment", chain, "present", firms, via)
                elif covered.get(seg):
                    cov = Coverage(seg, "segment", chain, "present-unnamed", claims=tuple(covered[seg]))
                elif complete.get(chain):
                    cov = Coverage(seg, "segment", chain, "absent", claims=tuple(complete[chain]))
                else:
                    cov = Coverage(seg, "segment", chain, "unknown")
                result[seg] = cov
                seg_states.append(cov)
            result[stage] = _roll_up(stage, "stage", chain, seg_states, covered, complete)
            stage_states.append(result[stage])
        result[chain] = _roll_up(chain, "chain", chain, stage_states, covered, complete)
    return result


def _roll_up(
    node: str, level: str, chain: str, parts: list[Coverage], covered: dict, complete: dict
) -> Coverage:
    states = {p.state for p in parts}
    if "present" in states:
        return Coverage(node, level, chain, "present")
    unnamed = [c for p in parts if p.state == "present-unnamed" for c in p.claims]
    if covered.get(node) or unnamed:
        return Coverage(
            node,
            level,
            chain,
            "present-unnamed",
            claims=tuple(dict.fromkeys([*covered.get(node, []), *unnamed])),
        )
    if parts and states == {"absent"}:
        return Coverage(node, level, chain, "absent", claims=tuple(complete.get(chain, [])))
    return Coverage(node, level, chain, "unknown")


def settle_text(chain_label: str, where: str) -> str:
    """What would settle an unknown: the chain's roster, declared complete (zh / en)."""
    return (
        f"导入{chain_label}产业链规上企业名录并声明完整，或找到点名{where}企业的来源 / import the zone's {chain_label} "
        f"roster marked complete for this chain, or a source naming a firm in {where}"
    )


def coverage_detail(G: nx.DiGraph, states: dict[str, Coverage]) -> dict[str, list[dict[str, object]]]:
    """Every state (chain, stage, segment) and every claim as JSON-ready records, for ``gaps.json`` and reports."""
    rows = []
    for node, c in sorted(
        states.items(), key=lambda kv: (kv[1].chain, G.nodes[kv[0]].get("level", 0), kv[0])
    ):
        rows.append(
            {
                "id": seed_id(node),
                "label": str(G.nodes[node].get("label", node)),
                "level": c.level,
                "chain": seed_id(c.chain),
                "state": c.state,
                "state_label": c.label,
                "firms": [str(G.nodes[f].get("label", f)) for f in c.firms],
                "via": [seed_id(v) for v in c.via],
                "claims": list(c.claims),
            }
        )
    claims = [
        {
            "id": c.id,
            "kind": c.kind,
            "chain": seed_id(c.chain),
            "covers": [seed_id(t) for t in c.covers],
            "basis": c.basis,
            "quotes": [{"quote": q, "start": s, "end": e} for q, s, e in c.quotes],
            "sources": list(c.sources),
        }
        for c in claims_of(G)
    ]
    return {"states": rows, "claims": claims}
