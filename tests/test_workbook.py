"""The zone workbook: template with drop-downs, import into seeds that build, stable ids, every bad row listed."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from graph.cli.main import cli
from graph.errors import SeedError
from graph.inputs.workbook.importer import import_workbook, write_template
from graph.rdf.builder import build_graph
from graph.seeds.load import load_seeds
from graph.vocab.namespaces import CKG, data_iri

from conftest import TINY

ENTERPRISES = [
    ("", "甲锂能源", "甲锂", "Jiali Energy", "电池", "电芯", "12.5", "在园", "招商台账2024"),
    ("", "乙材料集团", "", "", "", "正极材料、电解液", "", "园外", ""),
]
PROJECTS = [("", "甲锂电芯二期项目", "", "", "甲锂能源", "电池", "电芯", "30", "在建", "")]
FIGURES = [("", "", "工业总产值", "88.6", "亿元", "2024年上半年", "2024-01-01", "2024-06-30", "")]


def _fill(
    path, enterprises=ENTERPRISES, projects=PROJECTS, figures=FIGURES, zone=("", "新城开发区", "", "New Town")
):
    wb = load_workbook(path)
    wb["园区"].append(list(zone))
    for sheet, rows in (("企业", enterprises), ("项目", projects), ("指标", figures)):
        for row in rows:
            wb[sheet].append(list(row))
    wb.save(path)


@pytest.fixture
def workbook(tmp_path, tiny_seeds):
    path = tmp_path / "zone.xlsx"
    write_template(tiny_seeds, path)
    return path


def test_template_sheets_headers_and_dropdowns(workbook):
    wb = load_workbook(workbook)
    assert wb.sheetnames == ["说明", "选项", "园区", "企业", "项目", "指标", "名录"]
    heads = [c.value for c in wb["企业"][1]]
    for head in (
        "名称",
        "简称/别名",
        "English name",
        "所属产业链",
        "环节/细分领域",
        "投资额(亿元)",
        "状态",
        "来源",
    ):
        assert any(h.startswith(head) for h in heads), head
    lists = wb["选项"]
    segments = [lists.cell(row=r, column=2).value for r in range(2, 7)]
    assert segments == ["正极材料", "电解液", "电芯", "整车", "回收"]  # from the tiny chain template
    formulas = {str(dv.sqref): dv.formula1 for dv in wb["项目"].data_validations.dataValidation}
    assert formulas["I2:I1000"] == "'选项'!$C$2:$C$4"  # 状态: 签约 在建 投产
    assert "Instructions" not in wb["说明"]["A1"].value and "How to fill in" in wb["说明"]["A1"].value


def test_import_builds_with_row_evidence(workbook, tmp_path):
    _fill(workbook)
    out = tmp_path / "zone"
    result = import_workbook(workbook, out, chains=TINY / "chains")
    assert result.counts == {"enterprises": 2, "projects": 1, "observations": 3}
    seeds = load_seeds(out)
    jia = next(e for e in seeds.enterprises if e.name == "甲锂能源")
    assert jia.aliases == ("甲锂",) and jia.name_en == "Jiali Energy" and jia.in_zone
    assert [p.segment for p in jia.segments] == ["bat-cell"]
    assert jia.evidence[0].note == "zone.xlsx:企业!2; 来源 招商台账2024"
    yi = next(e for e in seeds.enterprises if e.name == "乙材料集团")
    assert [p.segment for p in yi.segments] == ["bat-cathode", "bat-electrolyte"] and not yi.in_zone
    project = seeds.projects[0]
    assert project.status == "under_construction" and project.investors[0].target == jia.id
    source = next(s for s in seeds.sources if s.kind == "import")
    assert source.id == "import-zone"
    money = {(o.about, o.value) for o in seeds.observations if o.indicator == "total-investment"}
    assert {(jia.id, 12.5), (project.id, 30)} == {(a, float(v)) for a, v in money}
    g = build_graph(seeds)
    assert (data_iri("proj", project.id), CKG.investor, data_iri("org", jia.id)) in g


def test_reimport_updates_same_ids_and_keeps_hand_entries(workbook, tmp_path):
    _fill(workbook)
    out = tmp_path / "zone"
    import_workbook(workbook, out, chains=TINY / "chains")
    first = {e.name: e.id for e in load_seeds(out).enterprises}
    with open(out / "enterprises.yaml", "a", encoding="utf-8") as f:  # a hand-written entry after the block
        f.write(
            "- id: hand\n  name: 手写企业\n  in_zone: true\n  unplaced: test\n  evidence: {source: import-zone}\n"
        )
    wb = load_workbook(workbook)
    wb["企业"]["G2"] = "15"  # edit the amount
    wb.save(workbook)
    import_workbook(workbook, out, chains=TINY / "chains")
    seeds = load_seeds(out)
    assert {e.name: e.id for e in seeds.enterprises if e.id != "hand"} == first
    assert [e.id for e in seeds.enterprises].count(first["甲锂能源"]) == 1
    assert "hand" in {e.id for e in seeds.enterprises}
    amounts = [o.value for o in seeds.observations if o.about == first["甲锂能源"]]
    assert [float(v) for v in amounts] == [15.0]


def test_bad_rows_all_listed_nothing_written(workbook, tmp_path):
    bad = [
        ("", "丙电池", "", "", "电池", "电解夜", "十亿", "在园", ""),
        ("", "", "无名", "", "", "", "", "", ""),
        ("", "丙电池", "", "", "", "", "", "在园", ""),
    ]
    _fill(workbook, enterprises=bad, projects=[], figures=[])
    out = tmp_path / "zone"
    with pytest.raises(SeedError) as err:
        import_workbook(workbook, out, chains=TINY / "chains")
    assert err.value.problems == [
        'zone.xlsx:企业!B3: has no "名称 name"',
        'zone.xlsx:企业!B4: duplicate of row 2 ("丙电池")',
        'zone.xlsx:企业!F2: segment "电解夜" unknown (did you mean "电解液"?)',
        'zone.xlsx:企业!G2: investment "十亿" is not a number (write 106, not "106亿元")',
    ]
    assert not out.exists()


def test_skip_bad_writes_good_rows(workbook, tmp_path):
    rows = [ENTERPRISES[0], ("", "丁科技", "", "", "", "电解夜", "", "在园", "")]
    _fill(workbook, enterprises=rows, projects=[], figures=[])
    out = tmp_path / "zone"
    result = import_workbook(workbook, out, chains=TINY / "chains", skip_bad=True)
    assert result.problems == ['zone.xlsx:企业!F3: segment "电解夜" unknown (did you mean "电解液"?)']
    assert [e.name for e in load_seeds(out).enterprises] == ["甲锂能源"]


def test_csv_import(tmp_path):
    seeds = tmp_path / "seeds"
    import shutil

    shutil.copytree(TINY, seeds)
    csv = tmp_path / "list.csv"
    csv.write_text("名称 name,环节/细分领域 segment,投资方\n戊新材料,正极材料,\n", encoding="utf-8")
    # a header with 投资方 makes it a project list
    result = import_workbook(csv, seeds)
    assert result.counts["projects"] == 1
    project = next(p for p in load_seeds(seeds).projects if p.name == "戊新材料")
    assert project.evidence[0].note == "list.csv:项目!2"


def test_cli_import_then_build(workbook, tmp_path):
    _fill(workbook)
    out = tmp_path / "zone"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["import", str(workbook), "--seeds", str(out), "--chains", str(TINY / "chains")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"导入完成 imported into {out}/: 企业 enterprises 2, 项目 projects 1")
    built = runner.invoke(cli, ["build", "--seeds", str(out), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    data = yaml.safe_load((out / "zone.yaml").read_text(encoding="utf-8"))
    assert data["zone"]["name"] == "新城开发区" and data["zone"]["id"] == "new-town"


def test_cli_bad_rows_exit_2(workbook, tmp_path):
    _fill(workbook, enterprises=[("", "丙电池", "", "", "电弛", "", "", "", "")], projects=[], figures=[])
    result = CliRunner().invoke(
        cli, ["import", str(workbook), "--seeds", str(tmp_path / "z"), "--chains", str(TINY / "chains")]
    )
    assert result.exit_code == 2
    assert result.output == 'Error: zone.xlsx:企业!E2: chain "电弛" unknown (did you mean "电池"?)\n'


def test_name_of_existing_seed_is_refused(tmp_path):
    import shutil

    seeds = tmp_path / "seeds"
    shutil.copytree(TINY, seeds)
    csv = tmp_path / "list.csv"
    csv.write_text("名称 name,状态 status\n甲材料,在园\n", encoding="utf-8")
    with pytest.raises(SeedError, match='list.csv:企业!A2: "甲材料" is already seed "jia"'):
        import_workbook(csv, seeds)


def test_unreadable_workbook_is_a_clear_error(tmp_path):
    bad = tmp_path / "zone.xlsx"
    bad.write_text("not a zip", encoding="utf-8")
    with pytest.raises(SeedError, match="zone.xlsx: not a readable .xlsx workbook"):
        import_workbook(bad, tmp_path / "z", chains=TINY / "chains")


def test_cli_template(tmp_path):
    out = tmp_path / "zone.xlsx"
    result = CliRunner().invoke(
        cli, ["template", "--seeds", str(TINY), "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0 and load_workbook(out)["企业"]["B1"].value == "名称 name"
    result = CliRunner().invoke(cli, ["template", "--seeds", str(TINY), "--out", str(tmp_path / "zone.csv")])
    assert result.exit_code == 2 and result.output.startswith("Error: ") and "*.xlsx" in result.output


def test_indicator_rows_checked(workbook, tmp_path):
    figures = [
        ("", "无此企业", "产值", "1", "亿元", "", "", "", ""),
        ("", "", "产值", "2", "亿圆", "上半年", "", "", ""),
    ]
    _fill(workbook, enterprises=[], projects=[], figures=figures)
    with pytest.raises(SeedError) as err:
        import_workbook(workbook, tmp_path / "z", chains=TINY / "chains")
    assert err.value.problems == [
        'zone.xlsx:指标!B2: about "无此企业" is not an enterprise or project',
        'zone.xlsx:指标!E3: unit "亿圆" unknown (did you mean "亿元"?)',
        'zone.xlsx:指标!G3: new period "上半年" needs begin and end dates such as 2024-01-01',
    ]


def test_gbk_csv_from_excel(tmp_path):
    import shutil

    seeds = tmp_path / "seeds"
    shutil.copytree(TINY, seeds)
    csv = tmp_path / "gbk.csv"
    csv.write_bytes("名称 name,环节/细分领域 segment\n己电池,电芯\n".encode("gbk"))
    import_workbook(csv, seeds)
    assert "己电池" in {e.name for e in load_seeds(seeds).enterprises}
