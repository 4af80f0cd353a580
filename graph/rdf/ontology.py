"""The chainkg ontology and SHACL shapes (package data in ``graph/vocab``), and the graph queries see."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from rdflib import Graph

from graph.errors import ValidationError
from graph.rdf.formats import read_rdf
from graph.vocab.namespaces import PREFIXES

__all__ = ["ontology_path", "load_ontology", "load_shapes", "with_ontology"]


def ontology_path(name: str) -> Path:
    """Path of a packaged vocabulary file: ``chainkg.ttl`` (the ontology) or ``shapes.ttl`` (SHACL)."""
    return Path(str(resources.files("graph.vocab") / name))


@cache
def _packaged(name: str) -> Graph:
    return read_rdf(ontology_path(name), error=ValidationError)


def load_ontology(path: Path | None = None) -> Graph:
    """Read the chainkg ontology (default: the packaged ``chainkg.ttl``); a fresh graph the caller may change."""
    if path is not None:
        return read_rdf(path, error=ValidationError)
    g = Graph()
    g += _packaged("chainkg.ttl")
    return g


def load_shapes(path: Path | None = None) -> Graph:
    """Read the SHACL shapes (default: the packaged ``shapes.ttl``)."""
    if path is not None:
        return read_rdf(path, error=ValidationError)
    g = Graph()
    g += _packaged("shapes.ttl")
    return g


def with_ontology(g: Graph) -> Graph:
    """The graph SPARQL queries and the endpoint see: ``g`` plus the ontology, chainkg's prefixes bound.

    Adds to ``g`` in place and returns it.
    """
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    g += _packaged("chainkg.ttl")
    return g
