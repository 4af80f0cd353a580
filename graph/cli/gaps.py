"""``chainkg gaps`` and ``chainkg anchors``: ranked chain gaps and anchor local supply, from a seeds folder."""

from __future__ import annotations

from pathlib import Path

import click

from graph.analysis.chainindex import as_digraph
from graph.analysis.coverage import coverage_detail
from graph.analysis.gaps import (
    chain_coverage,
    check_kind,
    find_coverage,
    find_gaps,
    resolve_chain,
)
from graph.analysis.provenance import about
from graph.analysis.supply import anchor_supply
from graph.cli.options import CONTEXT, ENDPOINT_OPTION, GRAPH_OPTION, SEEDS_OPTION, format_option
from graph.reports.gaps import FORMATS, render_anchors, render_gaps
from graph.seeds.load import load_seeds
from graph.sparql.engines import RemoteEngine, view_graph

__all__ = ["COMMANDS", "gaps", "anchors"]

_FORMAT = format_option(FORMATS)


def _source(seeds_dir: Path, endpoint: str | None, graph_iri: str | None) -> object:
    # On a SPARQL server (docs/scaling.md): one CONSTRUCT fetches what the rules read, then the same rules run here.
    if endpoint is None:
        return load_seeds(seeds_dir)
    return view_graph(RemoteEngine(endpoint, graph=graph_iri))


@click.command(context_settings=CONTEXT)
@SEEDS_OPTION
@click.option("--chain", help="只看一条产业链 only this chain (id or name, e.g. liion or 新能源锂电).")
@click.option(
    "--kind", help="只看一类 only this kind: missing (补链) | weak (强链) | extend (延链) | verify (待核实)."
)
@_FORMAT
@click.option("--check", is_flag=True, help="有缺口时退出码为 1 exit 1 when any gap is found.")
@ENDPOINT_OPTION
@GRAPH_OPTION
def gaps(
    seeds_dir: Path,
    chain: str | None,
    kind: str | None,
    fmt: str,
    check: bool,
    endpoint: str | None,
    graph_iri: str | None,
) -> None:
    """产业链缺口 Rank the chain gaps (补链 missing, 强链 weak, 延链 extend) and what is still to verify (待核实).

    Prints what the report rests on (zone, as-of date, sources, caveat), one line per chain (segments per coverage
    state: 已有 present, 已有·未具名 present-unnamed, 确认空白 absent, 未知 unknown), then the gaps and, apart,
    the unknown segments to verify, highest score first. Rules and score: docs/gaps.md.

    \b
    Example:
        chainkg gaps
        chainkg gaps --chain liion --kind missing
        chainkg gaps --format json > gaps.json
        chainkg gaps --kind verify  # what no source has checked yet
        chainkg gaps --check        # exit 1 when any gap (not counting 待核实) exists
        chainkg gaps --endpoint http://127.0.0.1:7878/query   # on a server (after chainkg push)
    """
    G = as_digraph(_source(seeds_dir, endpoint, graph_iri))
    if kind is not None:
        check_kind(kind)  # before computing: a bad --kind is an error even when there are no gaps
    everything = find_gaps(G, chain=chain)
    found = [g for g in everything if kind in (None, g.kind)]
    coverage = chain_coverage(G)
    if chain is not None:
        wanted = resolve_chain(G, chain)
        coverage = [c for c in coverage if c.chain == wanted]
    states = find_coverage(G)
    unknown = sum(1 for c in states.values() if c.level == "segment" and c.state == "unknown")
    detail = coverage_detail(G, {c.node: c for c in states.values()})
    text = render_gaps(
        found, coverage, fmt, totals=everything, detail=detail, about=about(G, unknown=unknown)
    )
    click.echo(text, nl=False)
    if check and [g for g in found if g.kind != "verify"]:
        raise SystemExit(1)


@click.command(context_settings=CONTEXT)
@SEEDS_OPTION
@_FORMAT
@ENDPOINT_OPTION
@GRAPH_OPTION
def anchors(seeds_dir: Path, fmt: str, endpoint: str | None, graph_iri: str | None) -> None:
    """链主配套 Show each anchor enterprise's inputs, local suppliers and local supply rate (本地配套率).

    An anchor's inputs are the segments directly upstream of its own; the rate is supplied inputs / inputs.

    \b
    Example:
        chainkg anchors
        chainkg anchors --format csv > anchors.csv
        chainkg anchors --endpoint http://127.0.0.1:7878/query
    """
    click.echo(render_anchors(anchor_supply(_source(seeds_dir, endpoint, graph_iri)), fmt), nl=False)


COMMANDS = [gaps, anchors]
