"""``chainkg template`` and ``chainkg import``: bring your own zone's lists in an Excel workbook or CSV."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.options import CONTEXT, UserError

__all__ = ["COMMANDS", "template", "import_"]


@click.command(context_settings=CONTEXT)
@click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="种子目录 seeds folder whose chains fill the drop-downs [default: seeds, else the built-in chains].",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("zone.xlsx"),
    show_default=True,
    help="工作簿路径 workbook to write.",
)
def template(seeds_dir: Path | None, out: Path) -> None:
    """导入模板 Write an Excel workbook to fill in: enterprises, projects, indicators, with drop-down lists.

    The chain, segment and status drop-downs come from the chain templates in --seeds; the first sheet explains
    how to fill it in (中文 and English).

    \b
    Example:
        chainkg template --out zone.xlsx
    """
    from graph.inputs.workbook.importer import write_template
    from graph.seeds.load import load_seeds, template_dir

    if seeds_dir is None:
        seeds_dir = Path("seeds") if Path("seeds").is_dir() else template_dir()
    if out.suffix.lower() != ".xlsx":
        raise UserError(f'{out}: the template is an Excel workbook; name it *.xlsx, not "{out.suffix}"')
    write_template(load_seeds(seeds_dir, include_unreviewed=True), out)
    click.echo(f"已写出模板 wrote {out}: 填好后运行 fill it in, then run  chainkg import {out} --seeds DIR")


@click.command("import", context_settings=CONTEXT)
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("seeds"),
    show_default=True,
    help="写入的种子目录 seeds folder to write into (created if missing).",
)
@click.option(
    "--chains",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="新目录用的产业链模板 chain templates copied into a new seeds folder [default: the built-in ones].",
)
@click.option("--skip-bad", is_flag=True, help="跳过坏行 write the good rows and list the bad ones.")
@click.option(
    "--replace",
    is_flag=True,
    help="确认删除 allow removing entries an earlier import of this workbook wrote.",
)
def import_(workbook: Path, seeds_dir: Path, chains: Path | None, skip_bad: bool, replace: bool) -> None:
    """导入工作簿 Turn a filled workbook (.xlsx or .csv) into seed files that chainkg build reads.

    Each row keeps its file, sheet and row as evidence. Re-importing an edited workbook updates the same ids.
    Bad rows are all listed (zone.xlsx:企业!F7: …) and nothing is written, unless --skip-bad. Unknown sheets or
    headers are refused; a re-import that would remove earlier imported rows says how many and needs --replace.

    \b
    Example:
        chainkg import zone.xlsx --seeds my-zone
        chainkg import enterprises.csv --seeds my-zone --skip-bad
        chainkg import roster.csv --seeds my-zone     # 规上企业名录: 统一社会信用代码 column
        chainkg build --seeds my-zone --out my-zone/out
    """
    from graph.inputs.workbook.importer import RemovalError, import_workbook

    try:
        result = import_workbook(workbook, seeds_dir, chains=chains, skip_bad=skip_bad, replace=replace)
    except RemovalError as err:
        raise UserError(f"{err}; 确认删除 to remove them, run again with --replace") from err
    c = result.counts
    click.echo(
        f"导入完成 imported into {seeds_dir}/: 企业 enterprises {c['enterprises']}, 项目 projects {c['projects']}, "
        f"指标 observations {c['observations']}, 名录企业 roster firms {c.get('roster', 0)}, "
        f"完整名录声明 complete-roster claims {c.get('claims', 0)}"
    )
    if result.unplaced:
        click.echo(f"未归类 unplaced roster firms ({len(result.unplaced)}), 请人工归类 place them by hand:")
        for line in result.unplaced:
            click.echo(f"  {line}")
    if result.problems:
        click.echo(f"跳过 skipped {len(result.problems)} problem(s) 个问题:", err=True)
        for line in result.problems:
            click.echo(f"  {line}", err=True)


COMMANDS = [template, import_]
