"""``chainkg diff``: what changed between two builds, two seeds folders or two git revisions of one."""

from __future__ import annotations

from pathlib import Path

import click

from graph.analysis.diff import compare
from graph.build.revisions import read_revision, read_side, split_range
from graph.cli.options import CONTEXT, UserError, format_option
from graph.reports.diff import FORMATS, render_diff

__all__ = ["COMMANDS", "diff"]


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--rev",
    "rev_range",
    metavar="OLD..NEW",
    help="比较种子目录的两个 git 版本 compare two git revisions of one seeds folder (PATHS: that folder, default seeds).",
)
@format_option(FORMATS, default="text")
def diff(paths: tuple[Path, ...], rev_range: str | None, fmt: str) -> None:
    """变化对比 What changed: enterprises, projects, status, dates, amounts, placements, gaps, coverage, anchors.

    OLD and NEW are two built output folders (with kg.ttl), two seeds folders, or (with --rev) two git revisions
    of one seeds folder. Exit 0 when the two hold the same knowledge, 1 when they differ, 2 on bad input.
    A triple-level appendix lists every triple added (+) or removed (−).

    \b
    Example:
        chainkg diff out-2023-11 out          # two builds
        chainkg diff old-seeds seeds --format md > changes.md
        chainkg diff --rev HEAD~1..HEAD        # the seeds folder at two commits
    """
    if rev_range is not None:
        if len(paths) > 1:
            raise UserError("with --rev give at most one seeds folder")
        old_rev, new_rev = split_range(rev_range)
        folder = paths[0] if paths else Path("seeds")
        old, new = read_revision(folder, old_rev), read_revision(folder, new_rev)
    elif len(paths) == 2:
        old, new = read_side(paths[0]), read_side(paths[1])
    else:
        raise UserError("give two folders OLD NEW (built out/ or seeds), or --rev OLD..NEW")
    result = compare(old.g, new.g, old_name=old.name, new_name=new.name)
    click.echo(render_diff(result, fmt), nl=False)
    if not result.equal:
        raise SystemExit(1)


COMMANDS = [diff]
