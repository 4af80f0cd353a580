"""``chainkg extract`` and ``chainkg accept``: read a Chinese zone report into reviewable seed proposals, then move
the reviewed ones into the seed files."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.options import CONTEXT, SEEDS_OPTION

__all__ = ["COMMANDS", "extract", "accept"]


@click.command(context_settings=CONTEXT)
@SEEDS_OPTION
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="提议文件 write the proposals here (YAML) instead of printing them.",
)
@click.option(
    "--national",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="全国上市公司数据 the national A-share dataset folder (company.json): its short and full names join the "
    "gazetteer.",
)
def extract(seeds_dir: Path, article: Path, out: Path | None, national: Path | None) -> None:
    """抽取提议 Read a Chinese article and propose enterprises, projects, figures and segments to review.

    Rule-based and offline. Company names are matched against a gazetteer (the seeds, the candidate pool in
    <seeds>/pool, the shipped list of major groups, and --national when given). The article may be UTF-8,
    UTF-16, GBK/GB18030 or Big5. Every proposal has its quote and offsets and reviewed: false; a name that
    matches an existing seed in --seeds says same_as: <id>. Review the file, then run chainkg accept.

    \b
    Example:
        chainkg extract seeds/articles/new-report.txt --out proposals.yaml
        chainkg accept proposals.yaml --seeds seeds
    """
    from graph.files import write_text
    from graph.inputs.extract.article import read_article
    from graph.inputs.extract.names import load_gazetteer
    from graph.inputs.extract.output import dumps_proposals
    from graph.inputs.extract.propose import extract as run_extract
    from graph.seeds.load import load_seeds

    text, _ = read_article(article)
    seeds = load_seeds(seeds_dir, include_unreviewed=True) if seeds_dir.is_dir() else None
    gazetteer = load_gazetteer(seeds=seeds, pool=seeds_dir / "pool", national=national)
    proposals = run_extract(text, seeds=seeds, gazetteer=gazetteer)
    yaml_text = dumps_proposals(proposals, doc=article.stem, article=str(article))
    if out is None:
        click.echo(yaml_text, nl=False)
        return
    write_text(out, yaml_text)
    click.echo(
        f"已写出 wrote {out}: 企业 enterprises {len(proposals.enterprises)}, 项目 projects "
        f"{len(proposals.projects)}, 数字 figures {len(proposals.figures)} — 待审核 all reviewed: false"
    )


@click.command(context_settings=CONTEXT)
@click.argument("proposals", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@SEEDS_OPTION
def accept(proposals: Path, seeds_dir: Path) -> None:
    """采纳提议 Move the reviewed entries of a proposals file into the seed files.

    Entries with reviewed: true are appended to enterprises.yaml, projects.yaml and observations.yaml with their
    evidence (the article is copied into articles/ if missing) and removed from the proposals file. Entries
    still reviewed: false, or whose same_as names an existing seed, are listed as FILE:LINE and nothing is
    written. Existing entries are never rewritten.

    \b
    Example:
        chainkg extract report.txt --out proposals.yaml
        chainkg accept proposals.yaml --seeds seeds
        chainkg build --seeds seeds
    """
    from graph.inputs.extract.accept import accept_proposals

    result = accept_proposals(proposals, seeds_dir)
    c = result.counts
    click.echo(
        f"已采纳 accepted into {seeds_dir}/: 企业 enterprises {c['enterprises.yaml']}, 项目 projects "
        f"{c['projects.yaml']}, 指标 observations {c['observations.yaml']}"
        + (f"; 复制文章 copied {result.article}" if result.article else "")
    )


COMMANDS = [extract, accept]
