"""``chainkg pipeline``: projects grouped by status, with dates from the seeds and months between them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graph.cli.main import cli
from graph.errors import SeedError
from graph.reports.pipeline import pipeline_rows

from conftest import REAL, TINY, edit


def test_rows_in_status_order_with_durations(tiny_copy):
    edit(
        tiny_copy / "projects.yaml",
        '  evidence: [{doc: demo, quote: "签约整车项目"',
        "  dates: {signed: {value: 2023-05, evidence: [{source: test-notes}]},"
        " started: {value: 2023-11-20, evidence: [{source: test-notes}]}}\n"
        '  evidence: [{doc: demo, quote: "签约整车项目"',
    )
    from graph import load_seeds

    rows = pipeline_rows(load_seeds(tiny_copy), as_of="2024-02")
    assert [(r.id, r.status) for r in rows] == [("bing-vehicles", "signed"), ("yi-cells", "in_production")]
    bing = rows[0]
    assert (bing.signed, bing.started, bing.in_production) == ("2023-05", "2023-11-20", "")
    assert (bing.months_to_start, bing.months_to_production, bing.months_at_status) == (6, None, 3)
    assert rows[1].months_at_status is None  # no date given: nothing is counted


def test_pipeline_command_on_the_real_seeds():
    result = CliRunner().invoke(
        cli, ["pipeline", "--seeds", str(REAL), "--format", "json"], catch_exceptions=False
    )
    assert result.exit_code == 0
    rows = {r["id"]: r for r in json.loads(result.output)["projects"]}
    assert rows["qingwang-park"]["signed"] == "2023-12-16" and rows["qingwang-park"]["status"] == "signed"
    text = CliRunner().invoke(cli, ["pipeline", "--seeds", str(REAL), "--status", "signed"]).output
    assert "签约 signed (5)" in text.splitlines()[2] and "在建" not in text


def test_bad_status_exits_2():
    result = CliRunner().invoke(cli, ["pipeline", "--seeds", str(TINY), "--status", "done"])
    assert result.exit_code == 2 and "is not one of signed" in result.output


def test_import_template_takes_project_dates(tmp_path, tiny_seeds):
    import datetime as dt

    from openpyxl import load_workbook

    from graph import load_seeds
    from graph.inputs.workbook.importer import import_workbook, write_template

    path = tmp_path / "zone.xlsx"
    write_template(tiny_seeds, path)
    wb = load_workbook(path)
    heads = [c.value.split()[0] for c in wb["项目"][1]]
    assert [h for h in heads if "日期" in h] == ["签约日期", "开工日期", "投产日期"]
    wb["园区"].append(["", "新城开发区"])
    wb["项目"].append(
        [
            "",
            "甲二期项目",
            "",
            "",
            "",
            "电池",
            "电芯",
            "",
            "在建",
            "2023-05",
            dt.datetime(2023, 11, 20),
            "",
            "台账",
        ]
    )
    wb["项目"].append(["", "乙项目", "", "", "", "电池", "电芯", "", "签约", "五月", "", "", ""])
    wb.save(path)
    with pytest.raises(SeedError) as err:
        import_workbook(path, tmp_path / "bad", chains=TINY / "chains")
    assert err.value.problems == [
        'zone.xlsx:项目!J3: date "五月" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)'
    ]
    assert not (tmp_path / "bad").exists()
    wb["项目"].delete_rows(3)
    wb.save(path)
    import_workbook(path, tmp_path / "zone", chains=TINY / "chains")
    project = load_seeds(tmp_path / "zone").projects[0]
    assert [(d.milestone, d.value) for d in project.dates] == [
        ("signed", "2023-05"),
        ("started", "2023-11-20"),
    ]
    assert project.dates[0].evidence[0].note == "zone.xlsx:项目!2; 来源 台账"
