"""``chainkg report``: the 招商简报 (一图一表一清单 per chain) as a Word file and a PDF."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.options import CONTEXT, SEEDS_OPTION, pick_chains

__all__ = ["COMMANDS", "report"]


@click.command(context_settings=CONTEXT)
@SEEDS_OPTION
@click.option("--chain", "chains", multiple=True, help="只含此链 only this chain (id or 中文名; repeatable).")
@click.option(
    "--pool",
    type=click.Path(path_type=Path),
    default=None,
    help="候选池 pool folder or file (default <seeds>/pool).",
)
@click.option(
    "--top", type=click.IntRange(min=1), default=3, show_default=True, help="每个缺口前 N 家 targets per gap."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="输出目录 folder for brief.docx and brief.pdf.",
)
@click.option("--as-of", "as_of", default=None, help="数据截至 as-of date (default: the latest source date).")
@click.option(
    "--size",
    type=click.Choice(["16:9", "4:3", "auto"]),
    default="16:9",
    show_default=True,
    help="产业链图谱形状 chain-map shape (auto: as tall as the chain needs).",
)
def report(
    seeds_dir: Path,
    chains: tuple[str, ...],
    pool: Path | None,
    top: int,
    out: Path,
    as_of: str | None,
    size: str,
) -> None:
    """招商简报 Write the investment-promotion brief (.docx and .pdf): per chain a map, a gap table, a target list.

    Also the anchors' local supply, where the candidates are (by province), the caveats and the sources. Runs
    offline; fonts come from Debian fonts-noto-cjk (docs/report.md).

    \b
    Example:
        chainkg report --out out
        chainkg report --chain 光伏 --top 5 --out out/pv
    """
    from graph.build.brief import BriefInputs, make_brief, write_brief
    from graph.inputs.pool import load_industries, load_shortfalls, read_pool
    from graph.seeds.load import load_seeds

    seeds = load_seeds(seeds_dir)
    picked = pick_chains(seeds, chains)  # a typo fails before anything is computed
    folder = seeds_dir / "pool"
    inputs = BriefInputs(
        pool=read_pool(pool if pool is not None else folder),
        industries=load_industries(folder / "industries.yaml"),
        shortfalls=load_shortfalls(folder / "shortfalls.yaml") if pool is None else {},
        chains=picked,
        top=top,
        as_of=as_of,
        size=size,
    )
    paths = write_brief(make_brief(seeds, inputs), out)
    click.echo("写入 written: " + ", ".join(str(p) for p in paths))


COMMANDS = [report]
