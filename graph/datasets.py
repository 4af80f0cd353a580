"""Datasets with named graphs: the N-Quads snapshot ``chainkg serve`` gives its workers, and engines over N-Quads or
TriG files.

A dataset keeps which graph each triple came from (the zone's data, the ontology, or a file's own graphs), so a
SPARQL endpoint can offer them as named graphs; the default graph is their union.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from rdflib import URIRef

from graph.engines import AUTO_BYTES, OxigraphEngine, memoized, to_ox
from graph.errors import GraphError, QueryError
from graph.namespaces import ONTOLOGY_IRI
from graph.sparql import RdflibEngine
from graph.validate import load_ontology

__all__ = ["QUAD_FORMATS", "open_dataset", "write_dataset"]

QUAD_FORMATS = {".nq": "nquads", ".trig": "trig"}


def open_dataset(path: Path | str, engine: str = "auto") -> RdflibEngine | OxigraphEngine:
    """An engine over an N-Quads or TriG file that keeps its named graphs, plus the ontology in its own graph
    (:data:`graph.namespaces.ONTOLOGY_IRI`); the default graph is the union of all graphs.

    Raises:
        QueryError: the file cannot be read.
    """
    import pyoxigraph as ox
    from rdflib import Dataset

    path = Path(path)
    fmt = QUAD_FORMATS[path.suffix.lower()]
    if engine == "oxigraph" or (engine == "auto" and path.stat().st_size >= AUTO_BYTES):
        store = ox.Store()
        try:
            store.bulk_load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix[1:]))
        except SyntaxError as err:
            raise QueryError(f"{path}: cannot read {fmt} ({str(err).splitlines()[0]})") from err
        conv, onto = memoized(to_ox), ox.NamedNode(ONTOLOGY_IRI)
        store.bulk_extend(ox.Quad(conv(s), conv(p), conv(o), onto) for s, p, o in load_ontology())
        return OxigraphEngine(store, union=True)
    ds = Dataset(default_union=True)
    try:
        ds.parse(path, format=fmt)
    except Exception as err:  # rdflib raises several unrelated types for bad RDF
        raise QueryError(
            f"{path}: cannot read {fmt} ({str(err).splitlines()[0] if str(err) else err})"
        ) from err
    onto = ds.graph(URIRef(ONTOLOGY_IRI))
    onto += load_ontology()
    return RdflibEngine(ds)


def write_dataset(
    path: Path | str,
    *,
    data: Path | str | None = None,
    seeds_dir: Path | str | None = None,
    data_graph: str,
) -> nx.DiGraph:
    """Write the dataset the workers read as N-Quads and return the graph the view is drawn from.

    The zone's data (built from ``seeds_dir``, or a triple file ``data``) goes into ``data_graph`` and the ontology
    into its own graph; an N-Quads or TriG ``data`` file keeps its graphs. Lines are sorted, so the file is the same
    for the same input.

    Raises:
        SeedError: bad seeds.
        GraphError: ``data`` cannot be read.
    """
    from rdflib import Dataset, Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from graph.digraph import to_digraph

    ds = Dataset()
    if data is not None and Path(data).suffix.lower() in QUAD_FORMATS:
        try:
            ds.parse(data, format=QUAD_FORMATS[Path(data).suffix.lower()])
        except Exception as err:  # rdflib raises several unrelated types for bad RDF
            raise GraphError(
                f"{data}: cannot read ({str(err).splitlines()[0] if str(err) else err})"
            ) from err
        view = Graph()
        for s, p, o, _ in ds.quads():
            view.add((s, p, o))
        view += load_ontology()
    else:
        if data is not None:
            from graph.sparql import load_graph

            view = load_graph(data=data)  # with the ontology, as chainkg serve has always drawn a data file
            zone_triples = view - load_ontology()
        else:
            from graph.build import make_build
            from graph.seeds import load_seeds

            view = zone_triples = make_build(load_seeds(seeds_dir if seeds_dir is not None else "seeds")).g
        zone = ds.graph(URIRef(data_graph))
        zone += zone_triples
    onto = ds.graph(URIRef(ONTOLOGY_IRI))
    onto += load_ontology()
    lines: list[str] = []
    for g in ds.graphs():
        label = "" if g.identifier == DATASET_DEFAULT_GRAPH_ID else f" <{g.identifier}>"
        for line in g.serialize(format="nt").splitlines():
            if line.endswith(" ."):
                lines.append(f"{line[:-2]}{label} .\n")
    lines.sort()
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)
    return to_digraph(view)
