"""``chainkg targets``: whom to attract for each chain gap (招商目标清单), ranked with reasons."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.options import CONTEXT, SEEDS_OPTION, UserError, format_option, pick_chains

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
@format_option(
    ["table", "md", "csv", "json", "xlsx", "png"], note="png: the by-province chart, with --by province"
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="写入文件 write to FILE (xlsx: default targets.xlsx; png: default targets-by-province.png).",
)
@click.option(
    "--province",
    default=None,
    help="园区所在省 the zone's province for the same-province flag (default: inferred).",
)
@click.option("--chain", "chains", multiple=True, help="只看此链 only this chain (id or 中文名; repeatable).")
@click.option(
    "--by",
    type=click.Choice(["segment", "province"]),
    default="segment",
    show_default=True,
    help="按环节或按总部省份 list by gap segment, or count candidates by headquarters province (招商地图).",
)
def targets(
    seeds_dir: Path,
    gap: str | None,
    top: int,
    pool: Path | None,
    fmt: str,
    out: Path | None,
    province: str | None,
    chains: tuple[str, ...],
    by: str,
) -> None:
    """招商目标清单 Rank companies to attract for each chain gap, each with its reason.

    Matches the pool's products to each gap segment (keywords minus negative keywords, product links, 申万
    industry), leaves out companies already in the zone, anchors' competitors and delisted/ST companies, and
    scores revenue share, match exactness, industry agreement and local demand (docs/targets.md). Malformed pool
    lines are reported as FILE:LINE and skipped. --by province counts the candidates by headquarters province.

    \b
    Example:
        chainkg targets
        chainkg targets --gap 电解液 --top 3
        chainkg targets --by province --format json
        chainkg targets --by province --chain 光伏 --format png --out pv-provinces.png
        chainkg targets --pool ../shared/datasets/a-share-chain --format xlsx --out targets.xlsx
    """
    from graph.analysis.gaps import find_gaps
    from graph.analysis.targets import rank_for_gaps, resolve_segment
    from graph.inputs.pool import load_industries, load_shortfalls, read_pool
    from graph.reports.targets import write_ranking
    from graph.seeds.load import load_seeds

    seeds = load_seeds(seeds_dir)
    segment = resolve_segment(seeds, gap) if gap is not None else None  # a typo fails before the pool is read
    picked = pick_chains(seeds, chains)
    if fmt == "png" and by != "province":
        raise UserError("--format png: only with --by province (the candidates-by-province chart)")
    the_pool = read_pool(pool if pool is not None else seeds_dir / "pool")
    folder = seeds_dir / "pool"
    ranking = rank_for_gaps(
        seeds,
        the_pool,
        [g for g in find_gaps(seeds) if picked is None or g.chain in picked],
        industries=load_industries(folder / "industries.yaml"),
        top=top,
        province=province,
        segment=segment,
        shortfalls=load_shortfalls(folder / "shortfalls.yaml") if pool is None else {},
    )
    for warning in the_pool.warnings:
        click.echo(f"warning: {warning}", err=True)
    if the_pool.warnings:
        click.echo(
            f"{len(the_pool.warnings)} 条警告 warning(s) about the pool; malformed lines were skipped",
            err=True,
        )
    written = write_ranking(ranking, the_pool, fmt=fmt, by=by, out=out, seeds=seeds)
    if written is None:
        return
    if isinstance(written, str):
        click.echo(written, nl=False)
    else:
        click.echo(f"写入 written: {written} ({len(ranking.targets)} targets)")


COMMANDS = [targets]
