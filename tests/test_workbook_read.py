"""Reading workbooks: the encodings Chinese offices save CSV in, English sheet and header names, --replace."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from graph.cli.main import cli
from graph.inputs.workbook.importer import RemovalError, import_workbook, write_template
from graph.seeds.load import load_seeds

from conftest import TINY

ROWS = "名称 name,环节/细分领域 segment\n己电池,电芯\n庚材料,正极材料\n"


@pytest.mark.parametrize(
    "encoding, text",
    [
        ("utf-8", ROWS),
        ("utf-8-sig", ROWS),  # Excel's "CSV UTF-8"
        ("gbk", ROWS),  # Excel's plain "CSV" on Chinese Windows
        ("gb18030", ROWS + "㐀材料,电芯\n"),  # a character GBK lacks
        ("big5", "名稱 name,環節/細分領域 segment\n鴻海電池,bat-cell\n"),  # Taiwan and Hong Kong offices
        ("utf-16", ROWS.replace(",", "\t")),  # Excel's "Unicode text": UTF-16 with BOM, tab-separated
    ],
)
def test_csv_encodings_detected(tmp_path, encoding, text):
    seeds = tmp_path / "seeds"
    shutil.copytree(TINY, seeds)
    import_workbook(_write(tmp_path / "list.csv", text, encoding), seeds)
    names = {e.name for e in load_seeds(TINY).enterprises}
    new = {e.name for e in load_seeds(seeds).enterprises} - names
    assert new == {line.split(",")[0].split("\t")[0] for line in text.splitlines()[1:]}


def _write(path, text, encoding):
    path.write_bytes(text.encode(encoding))
    return path


def test_english_sheet_and_header_names(tmp_path):
    path = tmp_path / "zone.xlsx"
    write_template(load_seeds(TINY), path)
    wb = load_workbook(path)
    for zh, en in (("园区", "Zone"), ("企业", "Enterprises")):
        wb[zh].title = en
    ws = wb["Enterprises"]
    for cell, header in zip(
        ws[1], ["ID", "Name", "aliases", "English name", "chain", "Segment"], strict=False
    ):
        cell.value = header
    ws.append(["", "甲锂能源", "", "Jiali", "电池", "电芯"])
    wb["Zone"].append(["", "新城开发区"])
    wb.save(path)
    result = import_workbook(path, tmp_path / "seeds", chains=TINY / "chains")
    assert result.counts["enterprises"] == 1


def test_replace_allows_removing_earlier_rows(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(TINY, seeds)
    first = _write(tmp_path / "list.csv", ROWS, "utf-8")
    import_workbook(first, seeds)
    _write(first, "名称 name,环节/细分领域 segment\n己电池,电芯\n", "utf-8")
    with pytest.raises(RemovalError) as err:
        import_workbook(first, seeds)
    assert err.value.removed == {"enterprises.yaml": [next(iter(err.value.removed["enterprises.yaml"]))]}
    result = CliRunner().invoke(cli, ["import", str(first), "--seeds", str(seeds), "--replace"])
    assert result.exit_code == 0, result.output
    assert "庚材料" not in (seeds / "enterprises.yaml").read_text(encoding="utf-8")
