"""``chainkg pipeline``: projects by status (签约 / 在建 / 投产) with their dates and durations."""

from __future__ import annotations

from pathlib import Path

import click

from graph.build.info import build_info
from graph.cli.options import CONTEXT, SEEDS_OPTION, UserError, format_option
from graph.reports.pipeline import FORMATS, pipeline_rows, render_pipeline
from graph.seeds.load import load_seeds
from graph.seeds.model import STATUSES

__all__ = ["COMMANDS", "pipeline"]


@click.command(context_settings=CONTEXT)
@SEEDS_OPTION
@click.option(
    "--status",
    help="只看一种状态 only this status: signed (签约) | under_construction (在建) | in_production (投产).",
)
@click.option(
    "--as-of", metavar="DATE", help="数据时点 count months to this date (default: the latest source date)."
)
@format_option(FORMATS)
def pipeline(seeds_dir: Path, status: str | None, as_of: str | None, fmt: str) -> None:
    """项目进度 List projects by status with their 签约 / 开工 / 投产 dates and the months between them.

    Dates are those the seeds give with evidence; an empty cell means no source gives that date.

    \b
    Example:
        chainkg pipeline
        chainkg pipeline --status signed --format json
    """
    if status is not None and status not in STATUSES:
        raise UserError(f'--status: "{status}" is not one of {", ".join(STATUSES)}')
    seeds = load_seeds(seeds_dir)
    when = build_info(seeds, as_of=as_of, digest="").as_of
    click.echo(render_pipeline(pipeline_rows(seeds, as_of=when, status=status), fmt, as_of=when), nl=False)


COMMANDS = [pipeline]
