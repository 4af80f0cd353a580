"""``chainkg build`` (seeds → graph → every output) and ``chainkg validate`` (SHACL check)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from graph.cli.options import CONTEXT, OUT_DEFAULT, SEEDS_OPTION

__all__ = ["COMMANDS", "build", "validate"]


def _as_of(value: str | None) -> str | None:
    """Check ``--as-of``: a year, a month or a day (2023, 2023-12, 2023-12-31)."""
    if value is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise click.BadParameter(f'"{value}" is not a date such as 2023-12-31, 2023-12 or 2023')
    return value


@click.command(context_settings=CONTEXT)
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

    Writes kg.ttl, kg.nt, kg.jsonld, graph.graphml, index.html, gaps.json/csv/md, chain-<id>.svg/png and
    targets.xlsx into --out. Bad seeds are all reported at once (FILE:LINE: field: problem) and nothing is written.

    \b
    Example:
        chainkg build
        chainkg build --seeds my-zone/seeds --out my-zone/out
        chainkg build --as-of 2024-06-30
    """
    from graph.build.pipeline import build as run_build
    from graph.vocab.namespaces import DEFAULT_BASE

    summary = run_build(
        seeds_dir, out, base=base or DEFAULT_BASE, include_unreviewed=include_unreviewed, as_of=as_of
    )
    click.echo("\n".join(summary.lines()))


@click.command(context_settings=CONTEXT)
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
    from graph.build.pipeline import load_build
    from graph.rdf.formats import read_rdf
    from graph.rdf.ontology import load_shapes
    from graph.rdf.validate import validate as run_validate

    if data is not None:
        g = read_rdf(data)
    else:
        g = load_build(seeds_dir).g  # the graph `chainkg build` writes, gaps and targets included
    report = run_validate(g, shapes=load_shapes(shapes) if shapes else None)
    if report.conforms:
        click.echo(f"符合 conforms: {len(g)} triples, 0 violations")
        return
    for violation in report.violations:
        click.echo(violation.line())
    click.echo(f"不符合 does not conform: {len(report.violations)} violation(s)")
    raise SystemExit(1)


COMMANDS = [build, validate]
