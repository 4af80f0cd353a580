"""Chain gaps: every kind on the tiny fixtures, the real seeds' expected gaps, scores, ties, anchors, SPARQL = networkx."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from graph import load_seeds, to_digraph
from graph.analysis.chainindex import as_digraph
from graph.analysis.gaps import (
    ANCHOR_POINTS,
    PARTNER_POINTS,
    WEIGHTS,
    GapError,
    chain_coverage,
    find_coverage,
    find_gaps,
)
from graph.analysis.priority import tie_key, weights
from graph.analysis.supply import anchor_supply
from graph.build.gaps import add_gaps
from graph.rdf.builder import build_graph
from graph.reports.gaps import render_anchors
from graph.sparql.engine import run_query
from graph.sparql.engines import engine_for
from graph.vocab.namespaces import CKG, data_iri

from conftest import ROOT

GAPS = Path(__file__).resolve().parent / "data" / "gaps"
TINY = Path(__file__).resolve().parent / "data" / "tiny"
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
    # 电解液: no firm, and the fixture's roster is declared complete → confirmed absent → missing
    assert _local_players(tiny_seeds, "bat-electrolyte") == []
    missing = gaps["bat-electrolyte"]
    assert (missing.kind, missing.state, missing.players, missing.buyers, missing.anchors) == (
        "missing",
        "absent",
        (),
        ("乙电池",),
        ("乙电池",),
    )
    assert missing.reason.startswith("电解液 确认空白：test-notes: complete list of the fixture's firms")
    assert "→ 电芯：乙电池（链主）" in missing.reason
    # 正极材料: one in-zone enterprise → weak
    assert (gaps["bat-cathode"].kind, gaps["bat-cathode"].players) == ("weak", ("甲材料",))
    # 电芯: 乙电池 and its own project are one firm → weak, both listed as players
    assert gaps["bat-cell"].kind == "weak"
    assert gaps["bat-cell"].players == ("乙电池", "乙电池电芯项目")
    # 整车: only a signed project → weak, its status in the reason
    assert gaps["bat-vehicle"].kind == "weak" and "签约" in gaps["bat-vehicle"].reason
    # 回收: a confirmed-empty last stage → one stage-level extend gap, not a missing segment
    extend = gaps["bat-recycle"]
    assert (extend.kind, extend.segment, extend.stage_label) == ("extend", "", "回收")
    assert "bat-recycling" not in gaps


def test_without_a_complete_roster_empty_means_unknown(tmp_path):
    """Absence of evidence is not evidence of absence: drop the fixture's complete-roster claim and the missing
    segment and the extend stage become 待核实 (verify), each saying what would settle it."""
    shutil.copytree(TINY, tmp_path / "tiny")
    (tmp_path / "tiny" / "coverage.yaml").unlink()
    gaps = _by_target(find_gaps(load_seeds(tmp_path / "tiny")))
    assert {k: g.kind for k, g in gaps.items() if k in ("bat-electrolyte", "bat-recycle")} == {
        "bat-electrolyte": "verify",
        "bat-recycle": "verify",
    }
    assert all(g.state == "unknown" for g in gaps.values() if g.kind == "verify")
    assert "导入电池产业链规上企业名录并声明完整" in gaps["bat-electrolyte"].settle
    assert not [g for g in gaps.values() if g.kind in ("missing", "extend")]
    assert gaps["bat-cathode"].kind == "weak"  # a named firm stays present


def test_second_fixture_order_ties_and_rules(gaps_seeds):
    gaps = find_gaps(gaps_seeds)
    assert [(g.segment or g.stage, g.kind, g.score) for g in gaps] == [
        ("ab-m1", "missing", 12.0),  # 3 + 2 buyers × 2 + 1 anchor × 3 + maturity none 2
        ("ab-m2", "missing", 12.0),  # every part equal to ab-m1: tied, and the reasons say so
        ("ab-s4", "extend", 11.0),  # empty last stage
        ("ab-m3", "weak", 9.0),  # two projects, neither producing (best: 在建 → maturity 1)
        ("ab-s1", "extend", 4.0),  # empty first stage
    ]
    by = _by_target(gaps)
    assert "与材料二并列：各项得分相同" in by["ab-m1"].reason and by["ab-m1"].tie
    assert not by["ab-s4"].tie and not by["ab-m3"].tie
    # 庚集团扩产项目 folds into 丁制造 through its parent group: buyers are two firms, not three players
    assert by["ab-m1"].buyers == ("丁制造", "戊整机项目")
    assert "ab-make" not in by  # two firms, one producing: covered
    assert by["ab-m3"].reason.startswith("材料三 仅有未投产项目：材料三乙项目（在建）、材料三甲项目（签约）")
    assert by["ab-s4"].suppliers == ("丁制造", "戊整机项目") and by["ab-s4"].anchors == ("丁制造",)
    cov = chain_coverage(gaps_seeds)
    assert [(c.chain, c.covered, c.absent, c.unknown, c.total) for c in cov] == [("ab", 2, 4, 0, 6)]


def test_score_is_the_sum_of_its_parts(real_digraph):
    w = weights()
    for g in find_gaps(real_digraph):
        parts = {p.name: p for p in g.parts}
        assert g.score == pytest.approx(sum(p.points for p in g.parts)), g
        partners = set(g.buyers) | (set(g.suppliers) if not g.segment else set())
        assert parts["kind"].points == WEIGHTS[g.kind]
        assert parts["demand"].points == PARTNER_POINTS * len(partners)
        assert parts["anchors"].points == ANCHOR_POINTS * len(g.anchors) and set(g.anchors) <= partners
        assert parts["maturity"].points in set(w["maturity"].values())
        # every part names where its number comes from, and the reason shows every part
        assert all(p.source for p in g.parts) and all(p.detail in g.reason for p in g.parts)


def test_sorted_by_score_then_parts_and_ties_are_stated(real_digraph):
    gaps = find_gaps(real_digraph)
    keys = [(-g.score, *tie_key(g.parts)) for g in gaps]
    assert keys == sorted(keys)
    for a, b in zip(gaps, gaps[1:], strict=False):
        if (-a.score, *tie_key(a.parts)) == (-b.score, *tie_key(b.parts)):
            assert a.tie and b.tie and "各项得分相同" in a.reason, (a.segment, b.segment)
    assert find_gaps(real_digraph) == gaps


def test_real_top_ten_have_no_unexplained_ties(real_digraph):
    for kinds in (("missing", "extend", "weak"), ("verify",)):
        top = [g for g in find_gaps(real_digraph) if g.kind in kinds][:10]
        for g in top:
            assert "得分 score" in g.reason and "〔" in g.reason
            peers = [h for h in top if h is not g and h.score == g.score]
            for h in peers:
                same = [p.points for p in g.parts] == [p.points for p in h.parts]
                assert same == bool(g.tie and h.tie), (g.segment, h.segment)


def test_real_value_share_orders_the_lithium_materials(real_digraph):
    """正极材料 (51% of cell cost) ranks above 铝箔 (~3%): the value share breaks what used to be an id tie."""
    verify = [g.segment for g in find_gaps(real_digraph, chain="liion", kind="verify")]
    assert (
        verify.index("liion-cathode") < verify.index("liion-separator") < verify.index("liion-aluminium-foil")
    )
    cathode = _by_target(find_gaps(real_digraph))["liion-cathode"]
    share = next(p for p in cathode.parts if p.name == "value_share")
    assert share.points == pytest.approx(5.1) and share.source == "vs-bnef-cell-2021"


def test_real_single_player_segments_are_weak(real_seeds, real_digraph):
    by = _by_target(find_gaps(real_digraph))
    for seg in real_seeds.segments:
        players = _local_players(real_seeds, seg.id)
        if len(players) == 1 and not seg.same_as and not seg.overlaps:
            assert by[seg.id].kind == "weak", seg.id
            assert by[seg.id].players == tuple(players)


def test_real_battery_system_counts_svolt(real_digraph):
    """动力电池系统 is declared the same as 模组/PACK: 蜂巢能源 (模组/PACK) counts there."""
    cov = find_coverage(real_digraph)
    assert cov["nev-battery-system"].state == "present"
    assert "org-svolt-shangrao" in cov["nev-battery-system"].firms
    assert "nev-battery-system" not in _by_target(find_gaps(real_digraph))  # three firms producing: no gap
    assert cov["nev-electronics"].state == "present" and "org-chaolian" in cov["nev-electronics"].firms


def test_real_geely_anchor_report_has_no_contradiction(real_digraph):
    geely = next(a for a in anchor_supply(real_digraph) if a.anchor == "geely-cv")
    rows = {i.segment: i for i in geely.inputs}
    # 模组/PACK and 动力电池系统 are one input row, supplied by 蜂巢能源
    assert "liion-pack" in rows and "nev-battery-system" not in rows
    assert rows["liion-pack"].segment_label == "模组/PACK ≡ 动力电池系统"
    assert "蜂巢能源" in rows["liion-pack"].suppliers and rows["liion-pack"].producing
    lines = render_anchors([geely]).splitlines()
    assert not [line for line in lines if "动力电池系统" in line and "本地无" in line]
    assert not [line for line in lines if line.startswith("  ✗")]  # nothing is confirmed absent
    assert "整理者规则" in geely.basis  # no source names it 链主: the curators' rule says so


def test_filters_and_bad_names(tiny_digraph):
    assert {g.kind for g in find_gaps(tiny_digraph, kind="weak")} == {"weak"}
    assert find_gaps(tiny_digraph, chain="电池") == find_gaps(tiny_digraph, chain="bat")
    with pytest.raises(
        GapError, match=r'chain: unknown chain "bta" \(did you mean "bat"\?\); 可选 valid: bat \(电池\)'
    ):
        find_gaps(tiny_digraph, chain="bta")
    with pytest.raises(GapError, match=r'kind: unknown gap kind "weeak" \(did you mean "weak"\?\)'):
        find_gaps(tiny_digraph, kind="weeak")


def test_anchor_supply(gaps_seeds, real_seeds, real_digraph):
    (ding,) = anchor_supply(gaps_seeds)
    assert (ding.anchor_label, ding.supplied, ding.total, ding.producing) == ("丁制造", 1, 3, 0)
    assert ding.rate == pytest.approx(1 / 3) and ding.rate_producing == 0
    assert [(i.segment, i.suppliers, i.statuses, i.state) for i in ding.inputs] == [
        ("ab-m1", (), (), "absent"),
        ("ab-m2", (), (), "absent"),
        ("ab-m3", ("材料三乙项目", "材料三甲项目"), ("在建", "签约"), "present"),
    ]
    svolt = next(a for a in anchor_supply(real_digraph) if a.anchor == "svolt-shangrao")
    own = {p.segment for e in real_seeds.enterprises if e.id == "svolt-shangrao" for p in e.segments}
    inputs = {e.up for e in real_seeds.edges if e.down in own} - own
    assert {i.segment for i in svolt.inputs} == inputs
    supplied = {s for s in inputs if _local_players(real_seeds, s)}
    assert svolt.supplied == len(supplied) and svolt.rate == len(supplied) / len(inputs)
    # 负极材料, 铜箔 and 结构件 are supplied only by signed projects: none counts as producing
    assert svolt.producing == 0 and {s for i in svolt.inputs for s in i.statuses} == {"签约"}


def _query(g: Graph, name: str, engine: str = "rdflib"):
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    if engine == "oxigraph":
        return engine_for(g, "oxigraph").query(text).dicts()
    return run_query(g, text).dicts()


@pytest.fixture(scope="module")
def gaps_graph(gaps_seeds):
    return build_graph(gaps_seeds)


@pytest.fixture(scope="module")
def tiny_unknown_graph(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny") / "tiny"
    shutil.copytree(TINY, folder)
    (folder / "coverage.yaml").unlink()
    return build_graph(load_seeds(folder))


def _local(iri) -> str:
    return str(iri).rsplit("/", 1)[-1].split("-", 1)[1]


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize(
    "fixture",
    [pytest.param("real_graph", marks=pytest.mark.slow), "tiny_graph", "gaps_graph", "tiny_unknown_graph"],
)
def test_sparql_equals_networkx(fixture, engine, request):
    g = request.getfixturevalue(fixture)
    gaps = find_gaps(to_digraph(g))
    rows = _query(g, "gaps-segments", engine) + _query(g, "gaps-extend", engine)
    from_sparql = sorted(
        (round(-float(r["score"]), 2), _local(r["chain"]), int(r["stageIndex"]),
         _local(r["segment"]) if "segment" in r else "", str(r["kind"]), _local(r["stage"]))
        for r in rows
    )  # fmt: skip
    from_nx = sorted((round(-g.score, 2), g.chain, g.stage_index, g.segment, g.kind, g.stage) for g in gaps)
    assert from_sparql == from_nx
    anchors = {
        _local(r["anchor"]): (int(r["supplied"]), int(r["inputs"]))
        for r in _query(g, "gaps-anchor-supply", engine)
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


def test_docs_gap_table_matches_the_real_seeds(real_seeds):
    """The gap table in docs/gaps.md is the output of find_gaps on seeds/, row for row (so it cannot go stale)."""
    doc = (ROOT / "docs" / "gaps.md").read_text(encoding="utf-8")
    table = doc.split("<!-- gap-table -->")[1]
    rows = re.findall(
        r"^\| (\d+) \| ([\d.]+) \| \S+ (missing|weak|extend|verify) \| [^|]+ \| [^|]+ \| ([^|]+) \|",
        table,
        re.M,
    )
    expected = [
        (str(i), f"{gap.score:g}", gap.kind, gap.segment_label or gap.stage_label)
        for i, gap in enumerate([g for g in find_gaps(real_seeds) if g.kind != "verify"][:10], start=1)
    ]
    found = [(i, score, kind, where.strip()) for i, score, kind, where in rows]
    assert found == expected
