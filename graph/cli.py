"""The ``chainkg`` command line: thin click commands over the library.

Errors meant for users (:class:`graph.errors.GraphError`) become one ``Error: …`` message on stderr with exit code 2;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import click

from graph import __version__
from graph.errors import GraphError

__all__ = ["cli", "UserError", "SEEDS_OPTION", "ENDPOINT_OPTION", "GRAPH_OPTION", "OUT_DEFAULT"]

OUT_DEFAULT = Path("out")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}


class UserError(click.ClickException):
    """A user-facing error: exit code 2, as for bad usage."""

    exit_code = 2


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except GraphError as err:
            lines = str(err).splitlines() or [type(err).__name__]
            if len(lines) > 1:
                lines = [f"{len(lines)} problems 个问题:", *(f"  {line}" for line in lines)]
            raise UserError("\n".join(lines)) from err


def SEEDS_OPTION(func):  # noqa: N802 - reads as a decorator constant
    return click.option(
        "--seeds",
        "seeds_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("seeds"),
        show_default=True,
        help="种子目录 seeds folder.",
    )(func)


# Commands that can read the graph from a SPARQL server instead of --seeds (query, gaps, anchors) share these.
ENDPOINT_OPTION = click.option(
    "--endpoint",
    metavar="URL",
    help="远程 SPARQL 端点 use this SPARQL 1.1 query endpoint instead of --seeds (see chainkg push).",
)
GRAPH_OPTION = click.option(
    "--graph", "graph_iri", metavar="IRI", help="端点上的命名图 named graph at --endpoint."
)


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="chainkg")
@click.option("-v", "--verbose", is_flag=True, help="显示日志 show log messages.")
def cli(verbose: bool) -> None:
    """chainkg 产业链知识图谱: industry-chain knowledge graphs for development zones.

    \b
    Example:
        chainkg build            # seeds/ → out/ (RDF, GraphML, index.html)
        chainkg validate         # SHACL check of the built graph
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


def _as_of(value: str | None) -> str | None:
    """Check ``--as-of``: a year, a month or a day (2023, 2023-12, 2023-12-31)."""
    if value is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise click.BadParameter(f'"{value}" is not a date such as 2023-12-31, 2023-12 or 2023')
    return value


@cli.command(context_settings=CONTEXT)
@SEEDS_OPTION
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=OUT_DEFAULT,
    show_default=True,
    help="输出目录 output folder (replaced only when the whole build succeeds).",
)
@click.option(
    "--base", default=None, help="数据 IRI 前缀 data IRI base (default https://w3id.org/chainkg/id/)."
)
@click.option(
    "--include-unreviewed",
    is_flag=True,
    help="纳入未审核提议 also build proposals marked reviewed: false (marked ckg:reviewed false).",
)
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    callback=lambda _ctx, _param, value: _as_of(value),
    help="数据截至日期 the as-of date the outputs state (default: the latest issue date of the articles).",
)
def build(seeds_dir: Path, out: Path, base: str | None, include_unreviewed: bool, as_of: str | None) -> None:
    """构建图谱 Build the knowledge graph and its outputs from a seeds folder.

    Writes kg.ttl, kg.nt, kg.jsonld, graph.graphml, index.html, gaps.json/csv/md, chain-<id>.svg/png,
    targets.xlsx and build.json (as-of date, seeds hash, version, sources) into --out. Bad seeds are all reported at once (FILE:LINE: field: problem) and nothing is written.

    \b
    Example:
        chainkg build
        chainkg build --seeds my-zone/seeds --out my-zone/out
        chainkg build --as-of 2024-06-30
    """
    from graph.build import build as run_build
    from graph.namespaces import DEFAULT_BASE

    summary = run_build(
        seeds_dir, out, base=base or DEFAULT_BASE, include_unreviewed=include_unreviewed, as_of=as_of
    )
    click.echo("\n".join(summary.lines()))


@cli.command(context_settings=CONTEXT)
@SEEDS_OPTION
@click.argument("data", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--shapes", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="SHACL 形状 shapes file."
)
def validate(seeds_dir: Path, data: Path | None, shapes: Path | None) -> None:
    """校验 Check the graph against the SHACL shapes (exit 0 conforms, 1 violations, 2 bad input).

    Validates the graph built from --seeds, or DATA (a Turtle file such as out/kg.ttl) when given.

    \b
    Example:
        chainkg validate
        chainkg validate out/kg.ttl
    """
    from rdflib import Graph

    from graph.build import make_build
    from graph.seeds import load_seeds
    from graph.validate import load_shapes
    from graph.validate import validate as run_validate

    if data is not None:
        try:
            g = Graph().parse(data, format="turtle")
        except Exception as err:  # rdflib raises many types for bad Turtle
            raise UserError(f"{data}: cannot read Turtle ({err})") from err
    else:
        g = make_build(load_seeds(seeds_dir)).g  # the graph `chainkg build` writes, gaps and targets included
    report = run_validate(g, shapes=load_shapes(shapes) if shapes else None)
    if report.conforms:
        click.echo(f"符合 conforms: {len(g)} triples, 0 violations")
        return
    for violation in report.violations:
        click.echo(violation.line())
    click.echo(f"不符合 does not conform: {len(report.violations)} violation(s)")
    raise SystemExit(1)


# Feature commands live in graph/commands/<feature>.py; each module is imported and its commands added here.
_FEATURES: tuple[str, ...] = ("gaps", "targets", "query", "scale", "zone", "diff", "pipeline")


def _register() -> None:
    import importlib

    for name in _FEATURES:
        module = importlib.import_module(f"graph.commands.{name}")
        for command in module.COMMANDS:
            cli.add_command(command)


_register()
