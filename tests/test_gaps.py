"""Chain gaps: every kind on the tiny fixtures, the real seeds' expected gaps, scores, ties, anchors, SPARQL = networkx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from graph import load_seeds, to_digraph
from graph.analysis.gaps import (
    ANCHOR_POINTS,
    PARTNER_POINTS,
    WEIGHTS,
    GapError,
    anchor_supply,
    as_digraph,
    chain_coverage,
    find_gaps,
)
from graph.build.gaps import add_gaps
from graph.sparql.engine import run_query
from graph.vocab.namespaces import CKG, data_iri

from conftest import ROOT

GAPS = Path(__file__).resolve().parent / "data" / "gaps"
QUERIES = Path(__file__).resolve().parent.parent / "graph" / "sparql" / "queries"


@pytest.fixture(scope="module")
def gaps_seeds():
    return load_seeds(GAPS)


def _by_target(gaps):
    return {g.segment or g.stage: g for g in gaps}


def _local_players(seeds, segment):
    return [p.name for p in seeds.players if any(pl.segment == segment for pl in p.segments)]


def test_tiny_has_every_kind(tiny_seeds):
    gaps = _by_target(find_gaps(tiny_seeds))
    # 电解液: no enterprise or project in the seeds → missing; 乙电池 (anchor, 电芯) buys it
    assert _local_players(tiny_seeds, "bat-electrolyte") == []
    missing = gaps["bat-electrolyte"]
    assert (missing.kind, missing.players, missing.buyers, missing.anchors) == (
        "missing",
        (),
        ("乙电池",),
        ("乙电池",),
    )
    assert missing.reason.startswith("电解液 → 电芯：乙电池（链主）；本地无企业或项目")
    # 正极材料: one in-zone enterprise → weak
    assert (gaps["bat-cathode"].kind, gaps["bat-cathode"].players) == ("weak", ("甲材料",))
    # 电芯: 乙电池 and its own project are one firm → weak, both listed as players
    assert gaps["bat-cell"].kind == "weak"
    assert gaps["bat-cell"].players == ("乙电池", "乙电池电芯项目")
    # 整车: only a signed project → weak, its status in the reason
    assert gaps["bat-vehicle"].kind == "weak" and "签约" in gaps["bat-vehicle"].reason
    # 回收: an empty last stage → one stage-level extend gap, not a missing segment
    extend = gaps["bat-recycle"]
    assert (extend.kind, extend.segment, extend.stage_label) == ("extend", "", "回收")
    assert "bat-recycling" not in gaps


def test_second_fixture_order_ties_and_rules(gaps_seeds):
    gaps = find_gaps(gaps_seeds)
    assert [(g.segment or g.stage, g.kind, g.score) for g in gaps] == [
        ("ab-m1", "missing", 10.0),  # tie with ab-m2: same stage, segment id decides
        ("ab-m2", "missing", 10.0),
        ("ab-s4", "extend", 9.0),  # empty last stage
        ("ab-m3", "weak", 8.0),  # two projects, neither producing
        ("ab-s1", "extend", 2.0),  # empty first stage
    ]
    by = _by_target(gaps)
    # 庚集团扩产项目 folds into 丁制造 through its parent group: buyers are two firms, not three players
    assert by["ab-m1"].buyers == ("丁制造", "戊整机项目")
    assert "ab-make" not in by  # two firms, one producing: covered
    assert by["ab-m3"].reason.startswith("材料三 仅有未投产项目：材料三乙项目（在建）、材料三甲项目（签约）")
    assert by["ab-s4"].suppliers == ("丁制造", "戊整机项目") and by["ab-s4"].anchors == ("丁制造",)
    assert [(c.chain, c.covered, c.total) for c in chain_coverage(gaps_seeds)] == [("ab", 2, 6)]


def test_score_follows_the_stated_rule(real_digraph):
    for g in find_gaps(real_digraph):
        partners = set(g.buyers) | (set(g.suppliers) if g.kind == "extend" else set())
        assert g.score == WEIGHTS[g.kind] + PARTNER_POINTS * len(partners) + ANCHOR_POINTS * len(g.anchors), g
        assert set(g.anchors) <= partners


def test_sorted_by_score_then_stable_key(real_digraph):
    gaps = find_gaps(real_digraph)
    keys = [(-g.score, g.chain, g.stage_index, g.segment) for g in gaps]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert find_gaps(real_digraph) == gaps


def test_real_liion_raw_materials(real_seeds, real_digraph):
    gaps = find_gaps(real_digraph, chain="新能源锂电")
    by = _by_target(gaps)
    raw = [s.id for s in real_seeds.segments if s.stage == "liion-raw"]
    empty = {s for s in raw if not _local_players(real_seeds, s)}
    assert {"liion-cathode", "liion-electrolyte", "liion-separator"} <= empty
    assert {"liion-anode", "liion-copper-foil"}.isdisjoint(empty)
    assert {s for s in raw if by.get(s) and by[s].kind == "missing"} == empty
    # the zone's cell makers (in-zone enterprises placed in 电芯) are the buyers
    cell_makers = {
        e.name
        for e in real_seeds.enterprises
        if e.in_zone and any(p.segment == "liion-cell" for p in e.segments)
    }
    anchors = {e.name for e in real_seeds.enterprises if e.anchor} & cell_makers
    assert len(cell_makers) >= 3 and anchors
    for seg in ("liion-cathode", "liion-electrolyte", "liion-separator"):
        assert set(by[seg].buyers) == cell_makers and set(by[seg].anchors) == anchors
        assert all(name in by[seg].reason for name in cell_makers)
    # ranked high: above every gap of any chain that no local firm depends on
    everything = find_gaps(real_digraph)
    lonely = min(i for i, g in enumerate(everything) if not g.buyers and not g.suppliers)
    assert (
        max(everything.index(by[s]) for s in ("liion-cathode", "liion-electrolyte", "liion-separator"))
        < lonely
    )


def test_real_single_player_segments_are_weak(real_seeds, real_digraph):
    by = _by_target(find_gaps(real_digraph))
    for seg in real_seeds.segments:
        players = _local_players(real_seeds, seg.id)
        if len(players) == 1 and seg.stage not in {g.stage for g in by.values() if g.kind == "extend"}:
            assert by[seg.id].kind == "weak", seg.id
            assert by[seg.id].players == tuple(players)


def test_real_pv_applications_extend(real_seeds, real_digraph):
    apps = [s.id for s in real_seeds.segments if s.stage == "pv-apps"]
    assert all(not _local_players(real_seeds, s) for s in apps)
    gap = _by_target(find_gaps(real_digraph, chain="pv", kind="extend"))["pv-apps"]
    assert gap.segment == "" and gap.suppliers == ("晶科能源",) and gap.anchors == ("晶科能源",)


def test_filters_and_bad_names(tiny_digraph):
    assert {g.kind for g in find_gaps(tiny_digraph, kind="weak")} == {"weak"}
    assert find_gaps(tiny_digraph, chain="电池") == find_gaps(tiny_digraph, chain="bat")
    with pytest.raises(
        GapError, match=r'--chain: unknown chain "bta" \(did you mean "bat"\?\); 可选 valid: bat \(电池\)'
    ):
        find_gaps(tiny_digraph, chain="bta")
    with pytest.raises(GapError, match=r'--kind: unknown gap kind "weeak" \(did you mean "weak"\?\)'):
        find_gaps(tiny_digraph, kind="weeak")


def test_anchor_supply(gaps_seeds, real_seeds, real_digraph):
    (ding,) = anchor_supply(gaps_seeds)
    assert (ding.anchor_label, ding.supplied, ding.total) == ("丁制造", 1, 3)
    assert ding.rate == pytest.approx(1 / 3)
    assert [(i.segment, i.suppliers) for i in ding.inputs] == [
        ("ab-m1", ()),
        ("ab-m2", ()),
        ("ab-m3", ("材料三乙项目", "材料三甲项目")),
    ]
    svolt = next(a for a in anchor_supply(real_digraph) if a.anchor == "svolt-shangrao")
    own = {p.segment for e in real_seeds.enterprises if e.id == "svolt-shangrao" for p in e.segments}
    inputs = {e.up for e in real_seeds.edges if e.down in own} - own
    assert {i.segment for i in svolt.inputs} == inputs
    supplied = {s for s in inputs if _local_players(real_seeds, s)}
    assert svolt.supplied == len(supplied) and svolt.rate == len(supplied) / len(inputs)


def _query(g: Graph, name: str):
    return run_query(g, (QUERIES / f"{name}.rq").read_text(encoding="utf-8")).dicts()


def _local(iri) -> str:
    return str(iri).rsplit("/", 1)[-1].split("-", 1)[1]


@pytest.mark.parametrize("fixture", ["real_graph", "tiny_graph"])
def test_sparql_equals_networkx(fixture, request):
    g = request.getfixturevalue(fixture)
    gaps = find_gaps(to_digraph(g))
    rows = _query(g, "gaps-segments") + _query(g, "gaps-extend")
    from_sparql = sorted(
        (-float(r["score"]), _local(r["chain"]), int(r["stageIndex"]), _local(r["segment"]) if "segment" in r else "",
         str(r.get("kind", "extend")), _local(r["stage"]))
        for r in rows
    )  # fmt: skip
    from_nx = [(-g.score, g.chain, g.stage_index, g.segment, g.kind, g.stage) for g in gaps]
    assert from_sparql == from_nx
    anchors = {
        _local(r["anchor"]): (int(r["supplied"]), int(r["inputs"])) for r in _query(g, "gaps-anchor-supply")
    }
    assert anchors == {a.anchor: (a.supplied, a.total) for a in anchor_supply(to_digraph(g))}


def test_gap_nodes_in_rdf_mark_the_view(tiny_seeds, tiny_graph):
    g = Graph()
    for triple in tiny_graph:
        g.add(triple)
    gaps = find_gaps(as_digraph(tiny_graph))
    add_gaps(g, gaps)
    node = data_iri("gap", "bat-electrolyte")
    assert (node, CKG.gapKind, CKG.missing) in g
    assert (node, CKG.gapSegment, data_iri("seg", "bat-electrolyte")) in g
    assert (data_iri("gap", "bat-recycle"), CKG.gapStage, data_iri("stage", "bat-recycle")) in g
    G = to_digraph(g)
    assert G.nodes["seg-bat-electrolyte"]["gap"] == "missing"
    assert G.nodes["stage-bat-recycle"]["gap"] == "extend"
    assert G.nodes["seg-bat-cathode"]["gap_reason"] == _by_target(gaps)["bat-cathode"].reason
    assert find_gaps(G) == gaps  # the gap nodes do not change the computation


def test_readme_gap_table_matches_the_real_seeds(real_seeds):
    """The gap table in the README is the output of find_gaps on seeds/, row for row (so it cannot go stale)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| (\d+) \| \S+ (missing|weak|extend) \| [^|]+ \| ([^|]+) \|", readme, re.M)
    expected = [
        (str(i), f"{gap.score:g}", gap.kind, gap.segment_label if gap.segment else gap.stage_label)
        for i, gap in enumerate(find_gaps(real_seeds), start=1)
    ]
    found = [
        (i, score, kind, where.split(" / ")[-1].split("（")[0].strip()) for i, score, kind, where in rows
    ]
    assert found == expected
