"""``chainkg targets``: whom to attract for each chain gap (招商目标清单), ranked with reasons."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.options import CONTEXT, SEEDS_OPTION

__all__ = ["COMMANDS", "targets"]


@click.command(context_settings=CONTEXT)
@SEEDS_OPTION
@click.option(
    "--gap",
    "gap",
    default=None,
    help="只看一个环节 one segment (id or 中文名), e.g. liion-electrolyte or 电解液.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="每个环节前 N 家 top N per segment.",
)
@click.option(
    "--pool",
    type=click.Path(path_type=Path),
    default=None,
    help="候选池 pool folder or .jsonl/.csv file (default <seeds>/pool; the national a-share-chain folder works too).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "csv", "json", "xlsx"]),
    default="table",
    show_default=True,
    help="输出格式 output format.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="写入文件 write to FILE (xlsx: default targets.xlsx).",
)
@click.option(
    "--province",
    default=None,
    help="园区所在省 the zone's province for the same-province flag (default: inferred).",
)
def targets(
    seeds_dir: Path,
    gap: str | None,
    top: int,
    pool: Path | None,
    fmt: str,
    out: Path | None,
    province: str | None,
) -> None:
    """招商目标清单 Rank companies to attract for each chain gap, each with its reason.

    Matches the pool's products to each gap segment (keywords minus negative keywords, product links, 申万
    industry), leaves out companies already in the zone, and scores revenue share, match exactness, industry
    agreement and local demand (docs/pool.md). Malformed pool lines are reported as FILE:LINE and skipped.

    \b
    Example:
        chainkg targets
        chainkg targets --gap 电解液 --top 3
        chainkg targets --pool ../shared/datasets/a-share-chain --format xlsx --out targets.xlsx
    """
    from graph.analysis.gaps import find_gaps
    from graph.analysis.targets import rank_for_gaps, resolve_segment
    from graph.files import write_bytes, write_text
    from graph.inputs.pool import load_industries, read_pool
    from graph.reports.targets import dumps_targets, xlsx_bytes
    from graph.seeds.load import load_seeds

    seeds = load_seeds(seeds_dir)
    segment = resolve_segment(seeds, gap) if gap is not None else None  # a typo fails before the pool is read
    the_pool = read_pool(pool if pool is not None else seeds_dir / "pool")
    industries = load_industries(seeds_dir / "pool" / "industries.yaml")
    ranking = rank_for_gaps(
        seeds, the_pool, find_gaps(seeds), industries=industries, top=top, province=province, segment=segment
    )
    for warning in the_pool.warnings:
        click.echo(f"warning: {warning}", err=True)
    if the_pool.warnings:
        click.echo(
            f"{len(the_pool.warnings)} 条警告 warning(s) about the pool; malformed lines were skipped",
            err=True,
        )
    if fmt == "xlsx":
        out = out or Path("targets.xlsx")
        write_bytes(out, xlsx_bytes(ranking))
        click.echo(f"写入 written: {out} ({len(ranking.targets)} targets)")
        return
    text = dumps_targets(ranking, fmt)
    if out is not None:
        write_text(out, text)
        click.echo(f"写入 written: {out} ({len(ranking.targets)} targets)")
    else:
        click.echo(text, nl=False)


COMMANDS = [targets]
