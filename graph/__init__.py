"""chainkg: industry-chain knowledge graphs (产业链知识图谱) from curated seeds.

The pipeline is ``load_seeds`` → ``build_graph`` (rdflib) → ``to_digraph`` (networkx) → gaps and views.
"""

from __future__ import annotations

__version__ = "0.1.0"

from graph.analysis.digraph import to_digraph
from graph.errors import ExportError, GraphError, QueryError, SeedError, ValidationError
from graph.rdf.builder import build_graph
from graph.rdf.formats import FORMATS
from graph.rdf.serialize import dump, dumps
from graph.seeds.load import load_seeds

__all__ = [
    "__version__",
    "load_seeds",
    "build_graph",
    "to_digraph",
    "dumps",
    "dump",
    "FORMATS",
    "GraphError",
    "SeedError",
    "QueryError",
    "ExportError",
    "ValidationError",
]
