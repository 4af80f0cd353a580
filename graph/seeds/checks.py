"""Cross-file checks on seeds: unique ids, references that resolve, an acyclic upstream graph."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from graph.seeds.model import Seeds
from graph.seeds.yamlio import Problems
from graph.text import did_you_mean

__all__ = ["Refs", "check_references"]


@dataclass
class Refs:
    """Ids defined in the seeds (by kind, with where) and every place one is used."""

    defined: dict[str, list[tuple[str, Path, int]]] = field(default_factory=lambda: defaultdict(list))
    used: list[tuple[tuple[str, ...], str, Path, int, str]] = field(default_factory=list)

    def define(self, kind: str, ident: str, path: Path, line: int) -> None:
        if (kind, path, line) not in self.defined[ident]:
            self.defined[ident].append((kind, path, line))

    def use(self, kinds: tuple[str, ...], ident: str, path: Path, line: int, where: str) -> None:
        self.used.append((kinds, ident, path, line, where))


def _kind_names(kinds: tuple[str, ...]) -> str:
    return " or ".join(kinds)


def check_references(seeds: Seeds, refs: Refs, problems: Problems) -> None:
    """Add a problem for each duplicate id, unresolved reference, unplaced player or upstream cycle."""
    for ident, places in refs.defined.items():
        if len(places) > 1:
            first_kind, first_path, first_line = places[0]
            for _, path, line in places[1:]:
                problems.add(
                    path,
                    line,
                    "id",
                    f'duplicate id "{ident}" (already defined as {first_kind} at {first_path}:{first_line})',
                )
    for kinds, ident, path, line, where in refs.used:
        found = [kind for kind, _, _ in refs.defined.get(ident, [])]
        if not found:
            candidates = [i for i, defs in refs.defined.items() if any(k in kinds for k, _, _ in defs)]
            problems.add(
                path,
                line,
                where,
                f'unknown {_kind_names(kinds)} id "{ident}"{did_you_mean(ident, candidates)}',
            )
        elif not any(kind in kinds for kind in found):
            problems.add(path, line, where, f'"{ident}" is a {found[0]}, expected a {_kind_names(kinds)}')
    _check_players(seeds, refs, problems)
    _check_cycles(seeds, refs, problems)


def _where(refs: Refs, ident: str) -> tuple[Path, int]:
    _, path, line = refs.defined[ident][0]
    return path, line


def _check_players(seeds: Seeds, refs: Refs, problems: Problems) -> None:
    """A local player must sit in a segment, or say why it sits in none (``unplaced``)."""
    for player in seeds.players:
        if not player.segments and not player.unplaced and player.id in refs.defined:
            path, line = _where(refs, player.id)
            problems.add(
                path, line, "segments", f'"{player.id}" has no segment; add one or say why under "unplaced"'
            )


def _check_cycles(seeds: Seeds, refs: Refs, problems: Problems) -> None:
    """Upstream edges must form a DAG; recycling loops belong under ``feedback``."""
    G = nx.DiGraph((e.up, e.down) for e in seeds.edges if not e.feedback)
    try:
        cycle = nx.find_cycle(G)
    except nx.NetworkXNoCycle:
        return
    ring = " → ".join([u for u, _ in cycle] + [cycle[0][0]])
    # Point at the edge that closes the ring, as written in its chain file.
    up, down = cycle[-1]
    at_up = {(p, n) for _, i, p, n, w in refs.used if i == up and w == "edges"}
    at_down = {(p, n) for _, i, p, n, w in refs.used if i == down and w == "edges"}
    path, line = min(at_up & at_down, default=(Path(seeds.folder) / "chains", 1))
    message = f"upstream edges form a cycle: {ring} (put recycling loops under feedback)"
    problems.add(path, line, "edges", message)
