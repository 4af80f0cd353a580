"""招商地图: ranked candidates counted by headquarters province (table, JSON and a chart without a map outline)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graph.analysis.targets import Need, TargetError, rank_targets
from graph.cli.main import cli
from graph.inputs.pool import Company, Pool, Product
from graph.inputs.regions import parse_region, place_from_name
from graph.reports.targetmap import UNKNOWN, by_province, check_regions, dumps_by_province

from conftest import REAL


def _co(name, region, code):
    place = parse_region(region)
    return Company(
        key=code,
        name=name,
        code=code,
        region=region,
        province=place.province,
        city=place.city,
        products=(Product("电解液", 0.5),),
        source="test",
    )


def test_by_province_counts_companies_once_and_unknown_last(tiny_seeds):
    pool = Pool(
        (
            _co("丙", "广东 深圳", "1"),
            _co("丁", "广东 广州", "2"),
            _co("戊", "江西", "3"),
            _co("己", "", "4"),
        ),
        "test",
        "curated",
    )
    r = rank_targets(tiny_seeds, pool, [Need("bat-electrolyte"), Need("bat-electrolyte")], province="江西")
    rows = by_province(r)
    assert [(x.province, len(x.companies)) for x in rows] == [("广东", 2), ("江西", 1), (UNKNOWN, 1)]
    assert rows[0].cities == (("广州", 1), ("深圳", 1)) and rows[1].same_province
    data = json.loads(dumps_by_province(rows, "json"))
    assert data[0] == {
        "province": "广东",
        "count": 2,
        "companies": ["丁", "丙"],
        "cities": {"广州": 1, "深圳": 1},
        "segments": ["电解液"],
        "same_province": False,
    }


def test_pool_without_regions_is_one_clear_error():
    pool = Pool((Company(key="x", name="某", products=(Product("电解液"),)),), "p.jsonl", "curated")
    with pytest.raises(TargetError, match=r'^p.jsonl: no company has a region; add "region"'):
        check_regions(pool)


def test_places_from_names_and_region_fields():
    assert place_from_name("江阴海达橡塑股份有限公司") == (
        "",
        "",
    )  # a county-level city: unknown, not a guess
    assert place_from_name("重庆长安汽车股份有限公司") == ("重庆", "重庆")
    assert parse_region("新疆维吾尔自治区乌鲁木齐市") == ("新疆", "乌鲁木齐")


def test_cli_by_province_json_and_chart(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        cli, ["targets", "--seeds", str(REAL), "--by", "province", "--format", "json"], catch_exceptions=False
    )
    rows = json.loads(result.output)
    counts = [r["count"] for r in rows if r["province"] != "未知 unknown"]
    assert result.exit_code == 0 and counts == sorted(counts, reverse=True)
    assert {r["province"] for r in rows[:2]} == {"广东", "江苏"} and rows[1]["count"] >= 15
    assert any(r["province"] == "江西" and r["same_province"] for r in rows)
    png = tmp_path / "p.png"
    args = [
        "targets",
        "--seeds",
        str(REAL),
        "--by",
        "province",
        "--chain",
        "光伏",
        "--format",
        "png",
        "--out",
    ]
    result = runner.invoke(cli, [*args, str(png)], catch_exceptions=False)
    assert result.exit_code == 0 and png.read_bytes()[:4] == b"\x89PNG"
    bad = runner.invoke(cli, ["targets", "--seeds", str(REAL), "--format", "png"])
    assert bad.exit_code == 2 and "only with --by province" in bad.output
