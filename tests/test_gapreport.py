"""``chainkg gaps`` / ``chainkg anchors`` output, compared exactly, and the gap files of ``chainkg build``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from graph import load_seeds
from graph.analysis.gaps import chain_coverage, find_gaps
from graph.cli.main import cli
from graph.reports.gaps import render_gaps

GAPS = Path(__file__).resolve().parent / "data" / "gaps"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_gaps_table_exact():
    result = run("gaps", "--seeds", str(GAPS))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[:6] == [
        "开发区 zone: 缺口区；数据截至 as of: 未知 unknown",
        "来源 sources: —；另引 1 个具名来源 named sources",
        "甲乙链 ab: 已有 present 2、已有·未具名 unnamed 0、确认空白 absent 4、未知 unknown 0 / 6 细分 segments; "
        "补链 missing 2, 强链 weak 1, 延链 extend 2, 待核实 verify 0",
        "",
        "产业链缺口 Chain gaps（补链 / 延链 / 强链）",
        "#  得分 score  类型 kind     产业链 chain  环节 stage  细分 segment          理由 reason",
    ]
    heads = [line[: line.index("理由") if "理由" in line else None].split("  ")[0] for line in lines[6:11]]
    assert [line.split()[:5] for line in lines[6:11]] == [
        ["1", "12", "补链", "missing", "甲乙链"],
        ["2", "12", "补链", "missing", "甲乙链"],
        ["3", "11", "延链", "extend", "甲乙链"],
        ["4", "9", "强链", "weak", "甲乙链"],
        ["5", "4", "延链", "extend", "甲乙链"],
    ], heads
    assert "材料一 确认空白：test-notes: complete list of the fixture's firms" in lines[6]
    assert (
        "得分 score 12 = 类型 kind missing=3〔priority.yaml〕 + 需求 demand 2×2=4〔本图谱 this graph〕"
        in lines[6]
    )
    assert "与材料二并列：各项得分相同" in lines[6] and "与材料一并列" in lines[7]
    assert "整段确认空白" in lines[8] and "← 整机：丁制造（链主）、戊整机项目" in lines[8]
    assert lines[-2:] == [
        "待核实 To verify（未知：无来源点名本地企业，也无完整名录 / unknown）",
        "无待核实 nothing to verify",
    ]


def test_check_exits_1_only_when_gaps_exist():
    assert run("gaps", "--seeds", str(GAPS), "--check").exit_code == 1
    assert run("gaps", "--seeds", str(GAPS)).exit_code == 0
    result = run(
        "gaps", "--seeds", str(GAPS), "--chain", "甲乙链", "--kind", "weak", "--check", "--format", "json"
    )
    assert result.exit_code == 1 and [g["segment"] for g in json.loads(result.output)["gaps"]] == ["ab-m3"]


def test_check_exits_0_without_gaps(tmp_path):
    # one segment held by two producing in-zone enterprises: nothing to report
    ev = "evidence: [{source: notes, note: x}]"
    (tmp_path / "chains").mkdir()
    (tmp_path / "sources.yaml").write_text("- {id: notes, name: 资料, kind: domain}\n", encoding="utf-8")
    (tmp_path / "zone.yaml").write_text(f"zone: {{id: z, name: 区, {ev}}}\n", encoding="utf-8")
    (tmp_path / "chains" / "c.yaml").write_text(
        "id: c\nname: 链\nstages: [{id: c-s, name: 段, segments: [{id: c-x, name: 甲}]}]\n", encoding="utf-8"
    )
    seg = f"segments: [{{segment: c-x, {ev}}}]"
    (tmp_path / "enterprises.yaml").write_text(
        "".join(
            f"- {{id: {i}, name: {n}, in_zone: true, {ev}, {seg}}}\n" for i, n in (("a", "甲"), ("b", "乙"))
        ),
        encoding="utf-8",
    )
    result = run("gaps", "--seeds", str(tmp_path), "--check")
    assert result.exit_code == 0
    assert result.output.splitlines()[2:] == [
        "链 c: 已有 present 1、已有·未具名 unnamed 0、确认空白 absent 0、未知 unknown 0 / 1 细分 segments; "
        "补链 missing 0, 强链 weak 0, 延链 extend 0, 待核实 verify 0",
        "",
        "产业链缺口 Chain gaps（补链 / 延链 / 强链）",
        "无缺口 no gaps",
        "",
        "待核实 To verify（未知：无来源点名本地企业，也无完整名录 / unknown）",
        "无待核实 nothing to verify",
    ]


def test_kind_filter_keeps_summary_of_all_kinds():
    lines = run("gaps", "--seeds", str(GAPS), "--kind", "extend").output.splitlines()
    assert lines[2].endswith("补链 missing 2, 强链 weak 1, 延链 extend 2, 待核实 verify 0")
    assert [line.split()[0] for line in lines[6:8]] == ["1", "2"] and "extend" in lines[7]


def test_unknown_chain_or_kind_one_line_exit_2():
    for args, message in (
        (
            ["--chain", "abb"],
            'Error: chain: unknown chain "abb" (did you mean "ab"?); 可选 valid: ab (甲乙链)',
        ),
        (
            ["--kind", "missng"],
            'Error: kind: unknown gap kind "missng" (did you mean "missing"?); 可选 valid: missing (补链), weak (强链), '
            "extend (延链), verify (待核实)",
        ),
    ):
        result = CliRunner().invoke(cli, ["gaps", "--seeds", str(GAPS), *args])
        assert result.exit_code == 2 and result.output.splitlines() == [message]


def test_json_and_csv_rows():
    doc = json.loads(run("gaps", "--seeds", str(GAPS), "--format", "json").output)
    assert doc["chains"] == [
        {"chain": "ab", "chain_label": "甲乙链", "covered": 2, "total": 6, "unnamed": 0, "absent": 4, "unknown": 0,
         "state": "present"}
    ]  # fmt: skip
    assert {s["id"]: s["state"] for s in doc["coverage"]}["ab-m1"] == "absent"
    assert doc["claims"][0]["kind"] == "complete" and doc["about"]["zone"] == "缺口区"
    first = doc["gaps"][0]
    assert {"chain", "stage", "segment", "kind", "score", "reason", "players", "buyers"} <= set(first)
    assert (first["segment"], first["kind"], first["score"], first["buyers"]) == (
        "ab-m1",
        "missing",
        12.0,
        ["丁制造", "戊整机项目"],
    )
    assert [p["name"] for p in first["parts"]] == ["kind", "demand", "anchors", "value_share", "maturity"]
    rows = list(csv.DictReader(run("gaps", "--seeds", str(GAPS), "--format", "csv").output.splitlines()))
    assert [(r["rank"], r["segment"] or r["stage"], r["kind"]) for r in rows] == [
        ("1", "ab-m1", "missing"),
        ("2", "ab-m2", "missing"),
        ("3", "ab-s4", "extend"),
        ("4", "ab-m3", "weak"),
        ("5", "ab-s1", "extend"),
    ]
    assert rows[3]["players"] == "材料三乙项目、材料三甲项目"


def test_anchors_exact():
    result = run("anchors", "--seeds", str(GAPS))
    assert result.output.splitlines() == [
        "丁制造 ding（整机）: 本地配套率 local supply rate 33% (1/3)；仅计投产 in production only 0% (0/3)",
        "  链主依据 anchor basis: 整理者规则 curators' rule: the fixture's anchor",
        "  ✗ 材料一: 本地无已知企业 none known（确认空白 confirmed absent）",
        "  ✗ 材料二: 本地无已知企业 none known（确认空白 confirmed absent）",
        "  ◐ 材料三: 材料三乙项目（在建）、材料三甲项目（签约）",
        "",
        "✓ 有投产供应 supplier in production；◐ 仅未投产 not yet producing；✗ 确认空白 absent；? 未知 unknown",
    ]
    rows = json.loads(run("anchors", "--seeds", str(GAPS), "--format", "json").output)
    assert (rows[0]["supplied"], rows[0]["total"]) == (1, 3)


def test_markdown_table():
    seeds = load_seeds(GAPS)
    gaps = find_gaps(seeds)
    text = render_gaps(gaps, chain_coverage(seeds), "md")
    assert text.startswith("# 产业链缺口 Chain gaps\n")
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) == 2 + len(gaps) and all(line.count(" | ") == 7 for line in table)
    assert "## 待核实 To verify" in text


def test_build_writes_gap_files_and_chain_maps(tmp_path):
    import graph.build.pipeline as B

    out = tmp_path / "out"
    B.build(GAPS, out)
    names = {p.name for p in out.iterdir()}
    assert {"gaps.json", "gaps.csv", "gaps.md", "chain-ab.svg", "chain-ab.png"} <= names
    doc = json.loads((out / "gaps.json").read_text(encoding="utf-8"))
    assert [g["segment"] or g["stage"] for g in doc["gaps"]] == ["ab-m1", "ab-m2", "ab-s4", "ab-m3", "ab-s1"]
    assert (out / "gaps.csv").read_text(encoding="utf-8").startswith("\ufeffrank,score,kind")
    md = (out / "gaps.md").read_text(encoding="utf-8")
    assert "# 链主本地配套 Anchor local supply" in md and "丁制造" in md
    assert "ckd:gap-ab-m1" in (out / "kg.ttl").read_text(encoding="utf-8")
