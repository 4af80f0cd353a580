"""Which graph a command reads: the one place that decides between seeds, a data file, a store and an endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from graph.analysis.digraph import to_digraph
from graph.analysis.targets import rank_for_gaps
from graph.build.pipeline import load_build, make_build
from graph.errors import QueryError
from graph.inputs.pool import load_shortfalls, read_default_pool
from graph.rdf.formats import read_rdf
from graph.rdf.ontology import with_ontology
from graph.reports.targetpage import map_page, no_map_page
from graph.seeds.load import load_seeds
from graph.sparql.datasets import is_quads, read_dataset, union_graph
from graph.sparql.engine import Engine, RdflibEngine
from graph.sparql.engines import OxigraphEngine, RemoteEngine, choose_engine, open_data
from graph.view.facts import add_facts
from graph.view.page import to_html

__all__ = ["Source", "load_graph", "open_engine", "load_for_serving", "Served", "load_pages_for_serving"]

DEFAULT_SEEDS = Path("seeds")


@dataclass(frozen=True)
class Source:
    """Where a command's graph comes from: exactly one of a seeds folder, a data file or store, or an endpoint."""

    seeds_dir: Path | str | None = None
    data: Path | str | None = None
    endpoint: str | None = None
    graph: str | None = None  # a named graph at ``endpoint``


def load_graph(*, seeds_dir: Path | str | None = None, data: Path | str | None = None) -> Graph:
    """The rdflib graph queries see: the graph ``chainkg build`` writes from ``seeds_dir`` (gaps, and the targets of
    its pool when it has one) or read from ``data``, plus the ontology.

    Raises:
        SeedError: bad seeds.
        QueryError: ``data`` cannot be read as RDF.
    """
    if data is not None:
        g = read_rdf(data, error=QueryError)
    else:
        g = load_build(seeds_dir if seeds_dir is not None else DEFAULT_SEEDS).g
    return with_ontology(g)


def open_engine(
    *,
    seeds_dir: Path | str | None = None,
    data: Path | str | None = None,
    engine: str = "oxigraph",
    endpoint: str | None = None,
    graph: str | None = None,
) -> Engine:
    """Open the engine a command queries.

    Args:
        seeds_dir: build the graph from this seeds folder (default ``seeds``) when ``data`` is not given.
        data: a Turtle, N-Triples, JSON-LD or RDF/XML file such as ``out/kg.ttl``, or an Oxigraph store folder.
        engine: ``oxigraph`` (the default: complete SPARQL 1.1 and fast at every size) or ``rdflib``.
        endpoint: a SPARQL 1.1 query URL; the server answers and nothing is read locally.
        graph: with ``endpoint``, the named graph to query.

    Raises:
        QueryError: an unknown engine or unreadable data.
        SeedError: bad seeds.
    """
    if endpoint is not None:
        return RemoteEngine(endpoint, graph=graph)
    name = choose_engine(0, engine)
    if data is not None:
        return open_data(data, engine=name)
    g = load_graph(seeds_dir=seeds_dir)
    return OxigraphEngine.from_graph(g) if name == "oxigraph" else RdflibEngine(g)


@dataclass(frozen=True)
class Served:
    """What ``chainkg serve`` answers from: the graph (data plus ontology) and its pages."""

    full: Graph
    view: str
    map_page: str  # the 招商地图 page at /map


def load_pages_for_serving(*, seeds_dir: Path | str | None = None, data: Path | str | None = None) -> Served:
    """The graph ``chainkg serve`` answers from, its view page and its 招商地图 page.

    The map ranks the seeds' own pool (``<seeds>/pool``) for the seeds' gaps, as ``chainkg targets`` does, without
    adding the recommendations to the served graph (the endpoint serves what it served before). A data file has no
    pool, so its map page says why it is empty.

    Raises:
        SeedError: bad seeds.
        PoolError: a bad pool.
        QueryError: unreadable data.
    """
    no_pool = no_map_page(
        "从数据文件启动时没有候选池；从种子启动（含 pool 文件夹）才有招商地图 "
        "served from a data file, which has no candidate pool; serve from seeds with a pool folder for the map"
    )
    if data is not None and is_quads(data):  # N-Quads / TriG: served with its own named graphs
        full = read_dataset(data)
        shown = with_ontology(union_graph(full))
        G = add_facts(to_digraph(shown), shown)
        return Served(full, to_html(G), no_pool)
    if data is not None:
        full = load_graph(data=data)
        G = to_digraph(full)
        page = no_pool
    else:
        folder = Path(seeds_dir if seeds_dir is not None else DEFAULT_SEEDS)
        # the pool is read once: the build ranks it, and so does the map (with its shortfalls)
        pool = read_default_pool(folder)
        b = make_build(load_seeds(folder), pool=pool)
        G, full = b.G, with_ontology(b.g + Graph())
        if pool is None:
            page = no_map_page(f"种子没有候选池 the seeds have no candidate pool ({folder / 'pool'})")
        else:
            ranking = rank_for_gaps(
                b.seeds,
                pool[0],
                b.gaps,
                industries=pool[1],
                shortfalls=load_shortfalls(folder / "pool" / "shortfalls.yaml"),
            )
            page = map_page(ranking, b.about, pool=pool[0].path)
    add_facts(G, full)
    return Served(full, to_html(G), page)


def load_for_serving(
    *, seeds_dir: Path | str | None = None, data: Path | str | None = None
) -> tuple[Graph, str]:
    """The graph ``chainkg serve`` answers from (data plus ontology) and its view page (see
    :func:`load_pages_for_serving` for the map page too).

    Raises:
        SeedError: bad seeds.
        QueryError: unreadable data.
    """
    s = load_pages_for_serving(seeds_dir=seeds_dir, data=data)
    return s.full, s.view
