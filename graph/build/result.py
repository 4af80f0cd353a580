"""What one build made: the seeds, the graph, its networkx view and the analysis results, handed to every writer."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
from rdflib import Graph

from graph.analysis.gaps import ChainCoverage, Gap
from graph.analysis.provenance import About
from graph.analysis.supply import AnchorSupply
from graph.analysis.targets import Ranking
from graph.build.info import BuildInfo
from graph.seeds.model import Seeds

__all__ = ["Build"]


@dataclass
class Build:
    """Everything one build made. ``ranking`` is None when the seeds have no candidate pool."""

    seeds: Seeds
    g: Graph
    G: nx.DiGraph = field(default_factory=nx.DiGraph)
    gaps: list[Gap] = field(default_factory=list)
    coverage: list[ChainCoverage] = field(default_factory=list)
    anchor_supply: list[AnchorSupply] = field(default_factory=list)
    ranking: Ranking | None = None
    coverage_detail: dict[str, list[dict[str, object]]] | None = None  # every coverage state and claim
    about: About | None = None  # what the outputs rest on: zone, as-of date, sources, caveat
    info: BuildInfo | None = (
        None  # the build's identity: as-of date, seeds hash, version, sources (build.json)
    )
