"""Bring your own zone: a workbook template to fill in, and its import into seed files that ``chainkg build`` reads.

Imported entries live in a marked block at the end of each seed file (``# >>> chainkg import <source>``); re-importing
the edited workbook replaces that block, so hand-written entries stay and ids stay the same (the 编号 column, or a
hash of the name). Every entry's evidence names the file, sheet and row it came from.
"""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from graph.cells import safe_cell
from graph.errors import ExportError, SeedError
from graph.files import write_bytes, write_text
from graph.inputs.workbook.read import read_sheets
from graph.inputs.workbook.roster import ROSTER_COLUMNS, ROSTER_SHEET, roster_to_seeds
from graph.inputs.workbook.rows import IN_ZONE, rows_to_seeds, slug
from graph.seeds.claims import COVERAGE_FILE
from graph.seeds.load import load_seeds, template_dir
from graph.seeds.model import STATUSES, Seeds
from graph.vocab.units import UNITS

__all__ = ["SHEETS", "write_template", "import_workbook", "Imported", "RemovalError"]

# Sheet -> columns (zh header, en header, key). The first column of each sheet is its optional kept id.
SHEETS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "园区": (("编号", "id", "id"), ("名称", "name", "name"), ("全称", "full name", "name_full"),
             ("English name", "", "name_en")),
    "企业": (("编号", "id", "id"), ("名称", "name", "name"), ("简称/别名", "aliases", "aliases"),
             ("English name", "", "name_en"), ("所属产业链", "chain", "chain"), ("环节/细分领域", "segment", "segment"),
             ("投资额(亿元)", "investment", "investment"), ("状态", "status", "status"), ("来源", "source", "source")),
    "项目": (("编号", "id", "id"), ("名称", "name", "name"), ("别名", "aliases", "aliases"),
             ("English name", "", "name_en"), ("投资方", "investor", "investor"), ("所属产业链", "chain", "chain"),
             ("环节/细分领域", "segment", "segment"), ("投资额(亿元)", "investment", "investment"),
             ("状态", "status", "status"), ("签约日期", "signed", "signed"), ("开工日期", "started", "started"),
             ("投产日期", "in production", "in_production"), ("来源", "source", "source")),
    "指标": (("编号", "id", "id"), ("对象", "about", "about"), ("指标", "indicator", "indicator"),
             ("数值", "value", "value"), ("单位", "unit", "unit"), ("期间", "period", "period"),
             ("开始", "begin", "begin"), ("结束", "end", "end"), ("来源", "source", "source")),
    ROSTER_SHEET: ROSTER_COLUMNS,  # 规上企业名录 (graph.inputs.workbook.roster)
}  # fmt: skip
_INSTRUCTIONS = """\
填写说明 How to fill in this workbook
1. 园区: 第2行填园区名称(一行即可)。 Sheet 园区: the zone's name on row 2.
2. 企业 / 项目: 每行一个; 名称必填; 产业链、环节、状态请从下拉列表选择; 投资额以亿元计, 只填数字。
   Sheets 企业 / 项目: one row each; the name is required; pick chain, segment and status from the drop-downs; write
   amounts in 亿元 (100 million yuan) as plain numbers.
   项目的签约/开工/投产日期写 2024、2024-03 或 2024-03-15, 只写来源给出的精度。 A project's signed / started / in
   production dates: 2024, 2024-03 or 2024-03-15, only as precise as the source says.
3. 项目的投资方填企业表中的名称或已有种子的编号。 A project's investor is a name from sheet 企业 or an existing seed id.
4. 指标: 对象留空即园区; 单位从下拉列表选择; 新期间请填开始和结束日期 (2024-01-01)。
   Sheet 指标: leave 对象 empty for the zone; pick the unit; a new period needs begin and end dates.
5. 编号可留空: 系统按名称生成稳定编号; 若要改名又保留编号, 请填编号。 The id may stay empty (derived from the name);
   fill it in to rename a row without changing its id.
6. 名录: 园区规上企业名录, 每行一家: 企业名称、统一社会信用代码(如有)、产品/行业、地址; 系统按产品关键词归入细分
   (规则归类, 待审核); 若名录是某产业链的完整名录, 在"名录完整"列填该产业链 (如 新能源锂电), 该链未点名的细分即视为确认空白。
   Sheet 名录 (roster): one firm a row; firms are placed on segments by their products (rule-made until reviewed);
   name a chain in 名录完整 when the roster lists every firm of that chain.
7. 导入 Import:  chainkg import zone.xlsx --seeds my-zone   然后 then  chainkg build --seeds my-zone
"""


class RemovalError(SeedError):
    """A re-import would remove entries an earlier import of the same workbook wrote; ``removed``: file -> ids."""

    def __init__(self, problems: list[str], removed: dict[str, list[str]]) -> None:
        super().__init__(problems)
        self.removed = removed


# What a re-import may remove, by seed file, as the user counts it.
_COUNTED = {"enterprises.yaml": "企业 enterprises", "projects.yaml": "项目 projects",
            "observations.yaml": "指标 observations"}  # fmt: skip


@dataclass
class Imported:
    """What an import wrote (or would write) and the rows it refused."""

    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # roster firms whose products match no segment


def _choices(seeds: Seeds) -> dict[str, list[str]]:
    return {
        "chain": [c.name for c in seeds.chains],
        "segment": [s.name for s in seeds.segments],
        "status": [v[0] for v in STATUSES.values()],
        "in_zone": list(IN_ZONE),
        "unit": list(UNITS),
    }


def write_template(seeds: Seeds, path: Path | str, *, overwrite: bool = False) -> None:
    """Write the workbook to fill in, with drop-downs of the chains, segments, statuses and units of ``seeds``.

    Raises:
        ExportError: ``path`` exists (it may be a filled-in workbook) and ``overwrite`` is false.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    info = wb.active
    info.title = "说明"
    for row, line in enumerate(_INSTRUCTIONS.splitlines(), start=1):
        info.cell(row=row, column=1, value=line)
    info.column_dimensions["A"].width = 110
    lists = wb.create_sheet("选项")
    choices = _choices(seeds)
    ranges = {}
    for col, (key, values) in enumerate(choices.items(), start=1):
        lists.cell(row=1, column=col, value=key)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=col, value=safe_cell(value))  # seed names are data, not formulas
        letter = lists.cell(row=1, column=col).column_letter
        ranges[key] = f"'选项'!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"
    for name, columns in SHEETS.items():
        ws = wb.create_sheet(name)
        for col, (zh, en, key) in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=col, value=f"{zh} {en}".strip())
            cell.font = Font(bold=True)
            ws.column_dimensions[cell.column_letter].width = 18
            pick = "in_zone" if (name, key) == ("企业", "status") else key
            if pick in ranges:
                dv = DataValidation(type="list", formula1=ranges[pick], allow_blank=True)
                dv.add(f"{cell.column_letter}2:{cell.column_letter}1000")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
    if Path(path).exists() and not overwrite:
        raise ExportError(
            f"{path}: 已存在 exists; chainkg does not overwrite a workbook that may hold your rows "
            "(choose a new name, or move the file away)"
        )
    buf = io.BytesIO()
    wb.save(buf)
    write_bytes(path, buf.getvalue())


def _read_rows(path: Path) -> dict[str, list[tuple[int, dict[str, str], dict[str, str]]]]:
    """Sheet -> [(row number, {key: text}, {key: column letter})], blank rows skipped (see graph/inputs/workbook/read.py)."""
    return read_sheets(path, SHEETS)


def import_workbook(path: Path | str, seeds_dir: Path | str, *, chains: Path | str | None = None,
                    skip_bad: bool = False, dry_run: bool = False, replace: bool = False) -> Imported:  # fmt: skip
    """Turn a filled workbook (.xlsx or .csv) into seed files in ``seeds_dir``.

    Args:
        path: the workbook.
        seeds_dir: the seeds folder to write into (created if missing; ``chains`` is copied in when it has none).
        chains: chain templates to copy into a new seeds folder (default: the packaged ones,
            :func:`graph.seeds.load.template_dir`).
        skip_bad: write the good rows and list the bad ones, instead of writing nothing.
        dry_run: check only.
        replace: allow the import to remove entries that an earlier import of this workbook wrote.

    Raises:
        SeedError: every bad row as ``zone.xlsx:企业!F7: segment "电解夜" unknown (did you mean "电解液"?)``
            (unless ``skip_bad``); nothing is written.
        RemovalError: the import would remove earlier imported entries and ``replace`` is false.
    """

    path, seeds_dir = Path(path), Path(seeds_dir)
    chains = Path(chains) if chains is not None else template_dir() / "chains"
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise SeedError([f'{path}: expected a .xlsx or .csv file, got "{path.suffix}"'])
    if not (seeds_dir / "chains").is_dir() and not Path(chains).is_dir():
        raise SeedError([f"{chains}: chain templates not found"])
    source = "import-" + slug(path.stem)
    if (seeds_dir / "chains").is_dir() and (seeds_dir / "zone.yaml").exists():
        base = _without_block(seeds_dir, source)
    else:  # a new zone: only the chain templates count, not the zone they were copied from
        full = load_seeds(Path(chains).parent, include_unreviewed=True)
        base = Seeds(chains=full.chains, stages=full.stages, segments=full.segments, edges=full.edges)
    sheets = _read_rows(path)
    blocks, counts, problems = rows_to_seeds(sheets, path.name, source, base)
    # the roster (sheet 名录): more enterprises, placed by rule, and completeness claims (graph.inputs.workbook.roster)
    firms, claims, unplaced, roster_problems = roster_to_seeds(
        sheets.get(ROSTER_SHEET, []), path.name, source, base
    )
    blocks["enterprises.yaml"] += firms
    blocks[COVERAGE_FILE] = claims
    if firms or claims:
        counts["roster"], counts["claims"] = len(firms), len(claims)
    problems = sorted(set(problems) | set(roster_problems))
    result = Imported(counts=counts, problems=problems, unplaced=unplaced)
    if problems and not skip_bad:
        raise SeedError(problems)
    removed = _removed(seeds_dir, source, blocks)
    if removed and not replace:
        counts_text = ", ".join(f"{_COUNTED[name]} {len(ids)}" for name, ids in sorted(removed.items()))
        shown = ", ".join(sorted(i for ids in removed.values() for i in ids)[:5])
        raise RemovalError(
            [f"{path.name}: 重新导入将删除上次导入的条目 re-importing would remove entries imported before from this "
             f"workbook: {counts_text} ({shown}{', …' if sum(map(len, removed.values())) > 5 else ''}); "
             "nothing was written"],
            removed,
        )  # fmt: skip
    if dry_run:
        return result
    if not (seeds_dir / "chains").is_dir():
        # The templates cite their sources (sources.yaml, articles/): a new folder gets those too.
        shutil.copytree(chains, seeds_dir / "chains")
        origin = Path(chains).parent
        if (origin / "articles").is_dir() and not (seeds_dir / "articles").exists():
            shutil.copytree(origin / "articles", seeds_dir / "articles")
        if (origin / "sources.yaml").exists() and not (seeds_dir / "sources.yaml").exists():
            shutil.copyfile(origin / "sources.yaml", seeds_dir / "sources.yaml")
    pending: dict[
        str, str
    ] = {}  # every file's new text first, then the writes: no half-done import on a bad row
    for name, entries in blocks.items():
        target = seeds_dir / name
        if name == "zone.yaml":
            if entries and (
                not target.exists() or f"chainkg import {source}" in target.read_text(encoding="utf-8")
            ):
                pending[name] = _block(
                    source, yaml.safe_dump(entries[0], allow_unicode=True, sort_keys=False)
                )
            continue
        old = target.read_text(encoding="utf-8") if target.exists() else ""
        text = _replace_block(old, source, _dump(entries) if entries else "")
        if text != old:
            pending[name] = text
    for name, text in pending.items():
        write_text(seeds_dir / name, text)
        result.files.append(name)
    return result


def _removed(seeds_dir: Path, source: str, blocks: dict[str, list]) -> dict[str, list[str]]:
    """Ids that the previous import of ``source`` wrote and this one would not (by seed file)."""
    removed = {}
    for name in _COUNTED:
        file = seeds_dir / name
        match = _block_pattern(source).search(file.read_text(encoding="utf-8")) if file.exists() else None
        before = (
            {str(e["id"]) for e in (yaml.safe_load(match.group(0)) or []) if isinstance(e, dict)}
            if match
            else set()
        )
        gone = sorted(before - {str(e["id"]) for e in blocks.get(name, [])})
        if gone:
            removed[name] = gone
    return removed


def _without_block(seeds_dir: Path, source: str) -> Seeds:
    """The seeds minus the indicators and periods of this workbook's previous import (re-importing replaces them).

    Enterprises and projects of the previous import are recognised by their evidence source instead.
    """

    seeds = load_seeds(seeds_dir, include_unreviewed=True)
    own = set()
    for name in ("indicators.yaml", "periods.yaml"):
        file = seeds_dir / name
        text = file.read_text(encoding="utf-8") if file.exists() else ""
        match = _block_pattern(source).search(text)
        own |= {e["id"] for e in yaml.safe_load(match.group(0)) or []} if match else set()
    return replace(
        seeds,
        indicators=tuple(i for i in seeds.indicators if i.id not in own),
        periods=tuple(p for p in seeds.periods if p.id not in own),
    )


def _block_pattern(source: str) -> re.Pattern:
    return re.compile(
        rf"# >>> chainkg import {re.escape(source)}:.*?# <<< chainkg import {re.escape(source)}\n", re.S
    )


def _dump(entries: list[dict]) -> str:
    return yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=1000)


def _block(source: str, body: str) -> str:
    return (
        f"# >>> chainkg import {source}: 由工作簿生成, 请改工作簿后重新导入 generated from the workbook; "
        f"edit the workbook and re-import\n{body}# <<< chainkg import {source}\n"
    )


def _replace_block(old: str, source: str, body: str) -> str:
    """Replace this source's block in a seed file (or append it); hand-written entries outside it stay."""
    pattern = _block_pattern(source)
    new = _block(source, body) if body else ""
    if pattern.search(old):
        return pattern.sub(lambda _: new, old)
    if not new:
        return old
    if old.strip() in ("", "[]"):
        old = ""
    return old + ("\n" if old and not old.endswith("\n") else "") + new
