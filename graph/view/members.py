"""Where each node of the view belongs: its chains, stages and overview group, and the chains it is placed in.

A chain, stage or segment belongs to its own chain and stage; a player (an enterprise or project placed by
``in_segment`` edges) to those of its segments; any other node (an investor, a product, the zone) to those of its
neighbours that belong somewhere. On a big graph nearly every node is a player and almost all of them sit in the
same few segments, so a player's lists are computed once per distinct set of ``in_segment`` targets and shared by
every player with that set (the page's JSON writes each record's lists out in full all the same).
"""

from __future__ import annotations

import networkx as nx

__all__ = ["Memberships", "placements", "memberships"]

SKELETON = ("chain", "stage", "segment")

# node -> (chains, stages, own chains, group, member): sorted lists, possibly empty; member: placed in a segment,
# or heir to a neighbour that is (such a node passes its chains on; the skeleton's flag is not read)
Memberships = dict[str, tuple[list, list, list, str, bool]]


def placements(G: nx.DiGraph) -> dict[str, list[str]]:
    """Each node's ``in_segment`` targets, in adjacency order (nodes without any are left out).

    Example:
        >>> G = nx.DiGraph()
        >>> G.add_edge("firm", "seg", kind="in_segment"); G.add_edge("firm", "zone", kind="located_in")
        >>> placements(G)
        {'firm': ['seg']}
    """
    placed = {}
    for u, nbrs in G.adjacency():
        targets = [v for v, e in nbrs.items() if e.get("kind") == "in_segment"]
        if targets:
            placed[u] = targets
    return placed


def memberships(G: nx.DiGraph, order: list[str], placed: dict[str, list[str]]) -> Memberships:
    """Chains, stages, own chains and overview group of every node (``order``: the nodes, sorted).

    Chains and stages: its own for the skeleton, its segments' for players, and for the rest those of the
    neighbours that have some (taken in sorted order, so a node can inherit from one that inherited before it).
    Own chains: the ``chain`` of each node it is placed in (the chain filter's test). Group: a player's first
    segment, otherwise its first neighbour's group, otherwise ``group:<kind>``.

    Example:
        >>> G = nx.DiGraph()
        >>> G.add_node("c", kind="chain"); G.add_node("s", kind="segment", chain="c", stage="t")
        >>> G.add_node("f", kind="enterprise"); G.add_edge("f", "s", kind="in_segment")
        >>> memberships(G, sorted(G), placements(G))["f"]
        (['c'], ['t'], ['c'], 's', True)
    """
    nodes = G.nodes
    kinds = {n: d.get("kind") for n, d in nodes(data=True)}  # read once: a node view lookup costs a call
    # the skeleton's own chains and stages, as sets: an in_segment edge from a skeleton node adds to them
    chains: dict[str, set] = {}
    stages: dict[str, set] = {}
    for n, kind in kinds.items():
        if kind == "chain":
            chains[n] = {n}
        elif kind in ("stage", "segment"):
            d = nodes[n]  # the skeleton only: a few thousand look-ups, not one per node
            chains[n] = {d["chain"]} if d.get("chain") else set()
            stages[n] = {n if kind == "stage" else d.get("stage", "")} - {""}
    result: Memberships = {}
    # a player's in_segment targets -> its fields, the same tuple for every player with those targets
    shared: dict[tuple, tuple] = {}
    for u, targets in placed.items():  # adjacency order, as the edges were read before
        key = tuple(targets)
        got = shared.get(key)
        if got is None:
            segments = [v for v in key if kinds[v] == "segment"]
            found_c = set().union(*(chains.get(v, ()) for v in segments))
            found_s = set().union(*(stages.get(v, ()) for v in segments))
            own = sorted({c for v in key if (c := nodes[v].get("chain"))})
            member = bool(segments)  # in a segment, even one without a chain: not a neighbour's heir
            got = shared[key] = (
                sorted(found_c),
                sorted(found_s),
                own,
                min(segments) if member else "",
                member,
            )
        # a segment placed in a segment: the players read after it see its new chains
        if kinds[u] in SKELETON:
            chains.setdefault(u, set()).update(got[0])
            stages.setdefault(u, set()).update(got[1])
            shared.clear()
        result[u] = got
    for n in chains.keys() | stages.keys():  # the skeleton's final sets
        placed_got = result.get(n)
        own, group = (placed_got[2], placed_got[3]) if placed_got else ([], "")
        result[n] = (sorted(chains.get(n, ())), sorted(stages.get(n, ())), own, group, True)
    succ, pred = G.succ, G.pred
    for n in order:
        got = result.get(n)
        if (got is not None and got[4]) or kinds[n] in SKELETON:
            continue
        found = {  # neighbour -> its fields; players share their fields' tuple, so they are merged once each
            m: g
            for m in {*pred[n], *succ[n]}
            if kinds[m] not in SKELETON and (g := result.get(m)) is not None and g[4]
        }
        if found:
            merged = {id(g): g for g in found.values()}.values()  # (the zone of a 1M graph: 132,568 → 1,500)
            got = (
                sorted(set().union(*(g[0] for g in merged))),
                sorted(set().union(*(g[1] for g in merged))),
                got[2] if got else [],
                found[min(found)][3],  # only the first in sorted order names the group
                True,
            )
            result[n] = got
    for n, kind in kinds.items():
        if kind in SKELETON:
            continue
        got = result.get(n)
        if got is None:
            result[n] = ([], [], [], "group:" + str(nodes[n].get("kind", "other")), False)
        elif not got[3]:
            result[n] = (*got[:3], "group:" + str(nodes[n].get("kind", "other")), got[4])
    return result
