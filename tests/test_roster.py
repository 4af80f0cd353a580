"""Rosters (规上企业名录) through ``chainkg import``: placed by keyword, rule-made, complete for a chain."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import load_seeds
from graph.analysis.gaps import find_coverage, find_gaps
from graph.cli.main import cli
from graph.rdf.builder import build_graph
from graph.vocab.namespaces import CKG

DATA = Path(__file__).resolve().parent / "data"
ROSTER = DATA / "roster" / "roster.csv"


@pytest.fixture
def zone(tmp_path) -> Path:
    """The tiny zone without its complete-roster claim: empty segments are unknown."""
    folder = tmp_path / "zone"
    shutil.copytree(DATA / "tiny", folder)
    (folder / "coverage.yaml").unlink()
    return folder


def _kinds(folder: Path) -> dict[str, str]:
    return {g.segment or g.stage: g.kind for g in find_gaps(load_seeds(folder))}


def test_complete_roster_turns_unknowns_into_present_or_absent(zone):
    before = _kinds(zone)
    assert (before["bat-electrolyte"], before["bat-recycle"]) == ("verify", "verify")
    result = CliRunner().invoke(cli, ["import", str(ROSTER), "--seeds", str(zone)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "名录企业 roster firms 2, 完整名录声明 complete-roster claims 1" in result.output
    assert "名录!3: 戊包装有限公司（纸箱、包装材料）" in result.output  # unplaced, listed
    seeds = load_seeds(zone)
    cov = find_coverage(seeds)
    # 电解液: the roster's 丁电解液 (products 电解液) → present; 回收: the complete roster lists nobody → absent
    assert cov["bat-electrolyte"].state == "present" and cov["bat-recycling"].state == "absent"
    assert not [c for c in cov.values() if c.state == "unknown"]
    after = _kinds(zone)
    assert (after["bat-electrolyte"], after["bat-recycle"]) == ("weak", "extend")
    assert "verify" not in after.values()
    ding = next(e for e in seeds.enterprises if e.name == "丁电解液有限公司")
    assert ding.id == "e-91360000ma35t0a1xa" and ("credit", "91360000MA35T0A1XA") in ding.codes
    assert [(p.segment, p.rule) for p in ding.segments] == [
        ("bat-electrolyte", "名录产品关键词 roster product keyword: 电解液")
    ]
    # 甲材料 is already a seed: the roster confirms it and adds no second firm
    assert [e.name for e in seeds.enterprises].count("甲材料") == 1
    g = build_graph(seeds)
    assert len(list(g.subject_objects(CKG.placementRule))) == 1  # rule-made until a curator removes the mark
    # re-importing the same roster changes nothing
    before_files = {p.name: p.read_bytes() for p in zone.glob("*.yaml")}
    CliRunner().invoke(cli, ["import", str(ROSTER), "--seeds", str(zone)], catch_exceptions=False)
    assert {p.name: p.read_bytes() for p in zone.glob("*.yaml")} == before_files


def test_bad_roster_row_lists_cells_exits_2_writes_nothing(zone):
    before = {p.name: p.read_bytes() for p in zone.rglob("*") if p.is_file()}
    result = CliRunner().invoke(
        cli, ["import", str(DATA / "roster" / "roster-bad.csv"), "--seeds", str(zone)]
    )
    assert result.exit_code == 2
    assert result.output.splitlines()[1:] == [
        '  roster-bad.csv:名录!B2: 统一社会信用代码 "91360000MA35" is not 18 characters of 0-9 and A-Z (GB 32100)',
        '  roster-bad.csv:名录!E2: chain "电吃" unknown (did you mean "电池"?)',
    ]
    assert {p.name: p.read_bytes() for p in zone.rglob("*") if p.is_file()} == before
