"""``chainkg push``: load the graph into any SPARQL server over the Graph Store Protocol."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.options import CONTEXT, SEEDS_OPTION

__all__ = ["COMMANDS", "push"]


def _with_ontology(lines: list[bytes]) -> list[bytes]:
    """Add the ontology, as local queries see it (:func:`graph.build.source.load_graph`), so a server answers
    the same."""
    from graph.rdf.fastio import ntriples_lines
    from graph.rdf.ontology import load_ontology

    return sorted(set(lines) | set(ntriples_lines(load_ontology())))


@click.command(context_settings=CONTEXT)
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="图存储协议地址 SPARQL 1.1 Graph Store URL, e.g. http://127.0.0.1:7878/store (Oxigraph).",
)
@click.option(
    "--graph",
    "graph_iri",
    metavar="IRI",
    help="命名图 named graph to load into (default: the default graph).",
)
@click.option("--replace", is_flag=True, help="替换 replace the graph's content instead of adding to it.")
@SEEDS_OPTION
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="推送此 RDF 文件 push this RDF file (e.g. out/kg.nt) instead of building --seeds.",
)
@click.option(
    "--national",
    "national_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="推送全国数据集 push the national dataset read from this folder instead.",
)
@click.option(
    "--chunk",
    type=click.IntRange(min=1),
    default=50_000,
    show_default=True,
    help="每块三元组数 triples per request.",
)
def push(
    endpoint: str,
    graph_iri: str | None,
    replace: bool,
    seeds_dir: Path,
    data: Path | None,
    national_dir: Path | None,
    chunk: int,
) -> None:
    """推送到服务器 Load the graph (plus the ontology) into a SPARQL server over the Graph Store Protocol.

    Sends sorted N-Triples in chunks, retrying transient errors. A login comes only from the environment
    variables CHAINKG_ENDPOINT_USER and CHAINKG_ENDPOINT_PASSWORD (HTTP Basic or Digest), never from the
    command line. If a chunk fails, the error says how far it got; run the same command again to finish.

    \b
    Example:
        chainkg push --endpoint http://127.0.0.1:7878/store --replace
        chainkg push --endpoint http://127.0.0.1:7878/store --graph https://example.org/kg --data out/kg.nt
        CHAINKG_ENDPOINT_USER=dba CHAINKG_ENDPOINT_PASSWORD=… chainkg push \\
            --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth --graph https://example.org/kg --replace
    """
    from graph.cli.options import UserError
    from graph.rdf.fastio import ntriples_lines
    from graph.sparql.client import check_endpoint
    from graph.sparql.push import push_lines, read_lines

    check_endpoint(endpoint)
    if data is not None and national_dir is not None:
        raise UserError("--data 与 --national 只能选一个 give --data or --national, not both")
    if national_dir is not None:
        from graph.inputs.national.rdf import national_ntriples
        from graph.inputs.national.read import read_national

        nt = national_ntriples(read_national(national_dir))
        lines = _with_ontology([line for line in nt.split(b"\n") if line])
    elif data is not None:
        lines = _with_ontology(read_lines(data))
    else:
        from graph.build.source import load_graph

        lines = ntriples_lines(load_graph(seeds_dir=seeds_dir))  # already holds the ontology
    result = push_lines(lines, endpoint, graph=graph_iri, replace=replace, chunk=chunk)
    click.echo(result.line())


COMMANDS = [push]
