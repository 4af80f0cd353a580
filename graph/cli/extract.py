"""``chainkg extract``: read a Chinese zone report into reviewable seed proposals."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.options import CONTEXT, SEEDS_OPTION, UserError

__all__ = ["COMMANDS", "extract"]


@click.command(context_settings=CONTEXT)
@SEEDS_OPTION
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="提议文件 write the proposals here (YAML) instead of printing them.",
)
def extract(seeds_dir: Path, article: Path, out: Path | None) -> None:
    """抽取提议 Read a Chinese article and propose enterprises, projects, figures and segments to review.

    Rule-based and offline. Every proposal has its quote and offsets and reviewed: false; a name that matches an
    existing seed in --seeds says same_as: <id>. chainkg build refuses unreviewed entries unless
    --include-unreviewed.

    \b
    Example:
        chainkg extract seeds/articles/new-report.txt --out proposals.yaml
    """
    from graph.files import write_text
    from graph.inputs.extract.output import dumps_proposals
    from graph.inputs.extract.propose import extract as run_extract
    from graph.seeds.load import load_seeds

    try:
        with open(article, encoding="utf-8", newline="") as f:
            text = f.read()
    except UnicodeDecodeError as err:
        raise UserError(f"{article}: not UTF-8 text ({err.reason} at byte {err.start})") from err
    seeds = load_seeds(seeds_dir, include_unreviewed=True) if seeds_dir.is_dir() else None
    proposals = run_extract(text, seeds=seeds)
    yaml_text = dumps_proposals(proposals, doc=article.stem, article=str(article))
    if out is None:
        click.echo(yaml_text, nl=False)
        return
    write_text(out, yaml_text)
    click.echo(
        f"已写出 wrote {out}: 企业 enterprises {len(proposals.enterprises)}, 项目 projects "
        f"{len(proposals.projects)}, 数字 figures {len(proposals.figures)} — 待审核 all reviewed: false"
    )


COMMANDS = [extract]
