"""Loading seeds: the tiny fixture loads, and every kind of bad input is reported precisely and all at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import SeedError, load_seeds

from conftest import TINY, edit


def test_tiny_seeds_load(tiny_seeds):
    assert [c.id for c in tiny_seeds.chains] == ["bat"]
    assert [s.id for s in tiny_seeds.stages] == ["bat-raw", "bat-cells", "bat-apps", "bat-recycle"]
    assert [s.index for s in tiny_seeds.stages] == [1, 2, 3, 4]
    assert {e.id for e in tiny_seeds.enterprises} == {"jia", "yi", "bing"}
    assert {p.id for p in tiny_seeds.players} == {"jia", "yi", "yi-cells", "bing-vehicles"}
    yi_cells = next(p for p in tiny_seeds.projects if p.id == "yi-cells")
    assert yi_cells.status == "in_production"
    assert [link.target for link in yi_cells.investors] == ["yi"]
    assert any(e.feedback for e in tiny_seeds.edges)


def _problems(folder: Path) -> list[str]:
    with pytest.raises(SeedError) as info:
        load_seeds(folder)
    return info.value.problems


def test_missing_folder(tmp_path):
    with pytest.raises(SeedError, match="seeds folder not found"):
        load_seeds(tmp_path / "nope")


def test_malformed_yaml_names_file_and_line(tiny_copy):
    edit(tiny_copy / "projects.yaml", "  name: 乙电池电芯项目", "  name: [乙电池电芯项目")
    problems = _problems(tiny_copy)
    assert len(problems) == 1
    assert re.match(r".*/projects\.yaml:\d+: YAML syntax error", problems[0])


def test_missing_required_field(tiny_copy):
    edit(tiny_copy / "enterprises.yaml", "  name: 丙车业\n", "")
    assert _problems(tiny_copy) == [f'{tiny_copy}/enterprises.yaml:20: enterprise: has no "name"']


def test_unknown_segment_with_did_you_mean(tiny_copy):
    edit(tiny_copy / "enterprises.yaml", "segment: bat-cathode", "segment: bat-catode")
    assert _problems(tiny_copy) == [
        f'{tiny_copy}/enterprises.yaml:9: segment: unknown segment id "bat-catode" (did you mean "bat-cathode"?)'
    ]


def test_unknown_field_with_did_you_mean(tiny_copy):
    edit(tiny_copy / "enterprises.yaml", "  in_zone: false", "  in_zon: false")
    assert f'{tiny_copy}/enterprises.yaml:22: in_zon: unknown field (did you mean "in_zone"?)' in _problems(
        tiny_copy
    )


def test_duplicate_id(tiny_copy):
    edit(tiny_copy / "enterprises.yaml", "- id: bing", "- id: jia")
    problems = _problems(tiny_copy)
    assert any('duplicate id "jia" (already defined as org at' in p for p in problems)


def test_quote_not_at_offsets_says_where_it_is(tiny_copy):
    edit(
        tiny_copy / "enterprises.yaml",
        'quote: "甲材料公司", start: 12, end: 17',
        'quote: "甲材料公司", start: 13, end: 18',
    )
    assert _problems(tiny_copy) == [
        f'{tiny_copy}/enterprises.yaml:7: evidence.quote: not found at 13-18 (the text there is "材料公司，"); '
        "it is at start: 12, end: 17"
    ]


def test_quote_absent_from_article(tiny_copy):
    edit(
        tiny_copy / "enterprises.yaml",
        'quote: "丙车业", start: 51, end: 54',
        'quote: "丁车业", start: 51, end: 54',
    )
    problems = _problems(tiny_copy)
    assert len(problems) == 1 and 'the quote "丁车业" does not occur in' in problems[0]


def test_cycle_in_upstream_edges(tiny_copy):
    edit(
        tiny_copy / "chains/battery.yaml",
        "  - [bat-cell, bat-vehicle]",
        "  - [bat-cell, bat-vehicle]\n  - [bat-vehicle, bat-cathode]",
    )
    problems = _problems(tiny_copy)
    assert len(problems) == 1
    assert problems[0].startswith(f"{tiny_copy}/chains/battery.yaml:31: edges: upstream edges form a cycle: ")
    assert "bat-cathode → bat-cell → bat-vehicle → bat-cathode" in problems[0]


def test_bad_number_and_unit_and_status(tiny_copy):
    edit(tiny_copy / "observations.yaml", "  value: 50\n", "  value: 50亿元\n")
    edit(tiny_copy / "observations.yaml", "  unit: 万吨", "  unit: 万顿")
    edit(tiny_copy / "projects.yaml", "value: signed", "value: sined")
    problems = _problems(tiny_copy)
    assert any('value: "50亿元" is not a number' in p for p in problems)
    assert any('unit: unknown unit "万顿" (did you mean "万吨"?)' in p for p in problems)
    assert any(
        'status: "sined" is not one of signed (签约)' in p and '(did you mean "signed"?)' in p
        for p in problems
    )


def test_every_problem_is_reported_at_once_sorted(tiny_copy):
    edit(tiny_copy / "enterprises.yaml", "segment: bat-cathode", "segment: bat-catode")
    edit(tiny_copy / "projects.yaml", "value: signed", "value: sined")
    edit(tiny_copy / "observations.yaml", "  unit: 万吨", "  unit: 万顿")
    problems = _problems(tiny_copy)
    assert len(problems) == 3
    assert problems == sorted(problems)


def test_player_without_segment(tiny_copy):
    edit(
        tiny_copy / "enterprises.yaml",
        '  segments:\n    - segment: bat-cathode\n      evidence: [{doc: demo, quote: "年产正极材料5万吨", start: 18, end: 27}]\n',
        "",
    )
    assert any('"jia" has no segment' in p for p in _problems(tiny_copy))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cut=st.integers(min_value=0, max_value=2000),
    junk=st.sampled_from(["", ":", "- ", "[", "{x", "\t", "é", "]:"]),
)
def test_fuzzed_seed_file_loads_or_raises_seed_error(tmp_path_factory, cut, junk):
    """Any corruption of a seed file either still loads or raises SeedError, never another exception."""
    import shutil

    folder = tmp_path_factory.mktemp("fuzz") / "seeds"
    shutil.copytree(TINY, folder)
    path = folder / "projects.yaml"
    text = path.read_text(encoding="utf-8")
    cut = cut % (len(text) + 1)
    path.write_text(text[:cut] + junk + text[cut:], encoding="utf-8")
    try:
        load_seeds(folder)
    except SeedError as err:
        assert err.problems and all(line.startswith(str(folder)) for line in err.problems)
