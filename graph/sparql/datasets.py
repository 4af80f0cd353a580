"""Datasets with named graphs for ``chainkg serve``: reading an N-Quads or TriG file, and writing the N-Quads snapshot
the query workers load.

A dataset keeps which graph each triple came from (the zone's data, the ontology, or a file's own graphs), so the
endpoint can offer them as named graphs; its default graph is their union (:mod:`graph.sparql.engines`).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import ConjunctiveGraph, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graph.errors import QueryError
from graph.rdf.ontology import load_ontology
from graph.sparql.engines import QUAD_FORMATS
from graph.vocab.namespaces import DEFAULT_BASE, ONTOLOGY_IRI

__all__ = ["DATA_GRAPH", "is_quads", "read_dataset", "union_graph", "write_snapshot"]

DATA_GRAPH = DEFAULT_BASE + "graph"  # the named graph holding the zone's data


def is_quads(path: Path | str) -> bool:
    """Whether ``path`` is an N-Quads or TriG file (by its extension)."""
    return Path(path).suffix.lower() in QUAD_FORMATS


def read_dataset(path: Path | str) -> Dataset:
    """Read an N-Quads or TriG file, keeping its graphs.

    Raises:
        QueryError: the file does not parse.
    """
    path = Path(path)
    fmt = QUAD_FORMATS[path.suffix.lower()]
    ds = Dataset()
    try:
        ds.parse(path, format=fmt)
    except Exception as err:  # rdflib raises several unrelated types for bad RDF
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise QueryError(f"{path}: cannot read {fmt} ({first})") from err
    return ds


def union_graph(ds: ConjunctiveGraph) -> Graph:
    """Every triple of every graph of ``ds`` in one graph."""
    g = Graph()
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    return g


def write_snapshot(path: Path | str, full: Graph, *, data_graph: str = DATA_GRAPH) -> None:
    """Write ``full`` as sorted N-Quads: a dataset keeps its graphs; a plain graph (data plus ontology) goes into
    ``data_graph``, without the ontology, which gets its own graph (:data:`ONTOLOGY_IRI`)."""
    ontology = load_ontology()
    ds = Dataset()
    if isinstance(full, ConjunctiveGraph):
        for s, p, o, c in full.quads():
            ds.add((s, p, o, c))
    else:
        zone = ds.graph(URIRef(data_graph))
        zone += full - ontology
    onto = ds.graph(URIRef(ONTOLOGY_IRI))
    onto += ontology
    lines: list[str] = []
    for g in ds.graphs():
        label = "" if g.identifier == DATASET_DEFAULT_GRAPH_ID else f" <{g.identifier}>"
        lines.extend(
            f"{line[:-2]}{label} .\n" for line in g.serialize(format="nt").splitlines() if line.endswith(" .")
        )
    lines.sort()
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)
