"""Coverage states on the Shangrao seeds: no gap contradicts a sentence of the article."""

from __future__ import annotations

import pytest

from graph import build_graph, load_seeds, to_digraph
from graph.analysis.coverage import claims_of
from graph.analysis.gaps import chain_coverage, find_coverage, find_gaps

from conftest import ROOT

ARTICLE = (ROOT / "seeds" / "articles" / "shangrao-edz-2023.txt").read_text(encoding="utf-8")

# Each sentence, and the stages / segments its own words name: none of them may be reported missing or extend.
SENTENCES = {
    "已形成“硅片—电池片—组件—配套辅材—应用”\n\n的完整产业链": (
        ["pv-wafers", "pv-cells", "pv-modules", "pv-aux", "pv-apps"],
        ["pv-glass", "pv-film", "pv-ribbon", "pv-backsheet", "pv-frame", "pv-junction-box", "pv-paste",
         "pv-inverter", "pv-mounting", "pv-diamond-wire", "pv-hot-zone", "pv-plant", "pv-distributed"],
    ),
    "深耕光机电一体化、LED、智能终端等细分产业链": (
        ["opto-products"],
        ["opto-instrument", "opto-smart-terminal", "opto-led-chip", "opto-led-package", "opto-led-app"],
    ),
    "全区300余家光电企业中,有规上企业121家": (
        ["opto-materials", "opto-components", "opto-modules", "opto-products"],
        ["opto-glass", "opto-plastic", "opto-crystal", "opto-lens", "opto-camera-module"],
    ),
    "打通“原材料—零配件—电芯—应用端—回收端”的全产业布局": (
        ["liion-raw", "liion-parts", "liion-cells", "liion-apps", "liion-recycle"],
        ["liion-cathode", "liion-electrolyte", "liion-separator", "liion-aluminium-foil", "liion-lithium-salt"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("quote", sorted(SENTENCES))
def test_no_gap_contradicts_the_article(real_digraph, quote):
    assert quote in ARTICLE
    stages, segments = SENTENCES[quote]
    contradicting = [
        (g.kind, g.segment or g.stage)
        for g in find_gaps(real_digraph)
        if g.kind in ("missing", "extend") and (g.stage in stages or g.segment in segments)
    ]
    assert contradicting == []


def test_opto_and_pv_are_present_unnamed_with_quotes(real_digraph):
    cov = find_coverage(real_digraph)
    claims = {c.id: c for c in claims_of(real_digraph)}
    for ident in ("pv-aux", "pv-apps", "opto-led-package", "opto-instrument", "opto-smart-terminal", "opto"):
        state = cov[ident]
        assert state.state in ("present", "present-unnamed"), ident
    for ident in ("pv-apps", "opto-led-package", "opto-products"):
        assert cov[ident].state == "present-unnamed", ident
        for claim in cov[ident].claims:
            for quote, start, end in claims[claim].quotes:
                assert ARTICLE[start:end] == quote
    assert "300余家光电企业" in claims["opto-300-firms"].quotes[0][0]
    summary = {c.chain: (c.unnamed, c.state) for c in chain_coverage(real_digraph)}
    assert summary["opto"] == (5, "present") and summary["pv"][1] == "present"


def test_no_missing_without_a_complete_roster(real_digraph):
    """The Shangrao seeds have no complete roster: nothing is confirmed absent, so no 补链 or 延链 gap at all."""
    assert not [c for c in claims_of(real_digraph) if c.kind == "complete"]
    assert not [g for g in find_gaps(real_digraph) if g.kind in ("missing", "extend")]
    assert {c.state for c in find_coverage(real_digraph).values()} <= {
        "present",
        "present-unnamed",
        "unknown",
    }


def test_shapes_check_the_new_terms(tiny_graph):
    """A 链主 without a basis, a claim without evidence and a second coverage state are violations."""
    from rdflib import Graph, Literal
    from rdflib.namespace import PROV

    from graph.analysis.gaps import find_coverage
    from graph.build.gaps import add_coverage
    from graph.rdf.validate import validate
    from graph.vocab.namespaces import CKD, CKG

    g = Graph()
    for triple in tiny_graph:
        g.add(triple)
    add_coverage(g, find_coverage(g))
    assert validate(g).conforms
    g.remove((CKD["org-yi"], CKG.anchorRule, None))
    claim = CKD["claim-tiny-roster-complete"]
    g.remove((claim, PROV.wasDerivedFrom, None))
    g.add((CKD["seg-bat-cell"], CKG.coverageState, CKG.unknown))
    g.add((CKD["obs-yi-cells-investment"], CKG.qualifier, Literal("约")))
    messages = {(v.focus, v.message.split(" ")[0]) for v in validate(g).violations}
    assert ("ckd:org-yi", "链主须有依据") in messages
    assert ("ckd:claim-tiny-roster-complete", "声明须有出处") in messages
    assert "ckd:seg-bat-cell" in {focus for focus, _ in messages}
    assert "ckd:obs-yi-cells-investment" in {focus for focus, _ in messages}


def test_figures_keep_the_texts_qualifiers(real_seeds, real_graph):
    """「突破1200亿元」 is a lower bound (and 将: a forecast), 「300余家」 more than, 「规划总投资」 a plan: as data and as shown."""
    from graph.view.facts import node_facts
    from graph.vocab.namespaces import CKD, CKG

    obs = {o.id: o for o in real_seeds.observations}
    assert obs["jinko-expected-revenue"].qualifiers == ("forecast", "lower-bound")
    assert obs["srjk-opto-enterprises"].qualifiers == ("more-than",)
    assert obs["rainbow-glass-total-investment"].qualifiers == ("planned",)
    assert obs["srjk-share-of-city-revenue-2023q1q3"].qualifiers == ("lower-bound",)
    assert (CKD["obs-jinko-expected-revenue"], CKG.qualifier, CKG.lowerBound) in real_graph
    assert (CKD["obs-jinko-expected-revenue"], CKG.approximate, None) not in real_graph
    for o in real_seeds.observations:  # the words are in the quote the figure rests on
        words = {"lower-bound": ("突破", "超过", "以上"), "more-than": ("余", "多"), "approx": ("约", "近"),
                 "planned": ("规划", "用"), "forecast": ("将", "有望")}  # fmt: skip
        quote = "".join(ev.quote or "" for ev in o.evidence)
        for q in o.qualifiers:
            assert any(w in quote for w in words[q]), (o.id, q)
    shown = {(k, f["p"]): f["o"] for k, fs in node_facts(real_graph).items() for f in fs}
    assert shown[("org-jinko", "预期年营业收入")].startswith("预计超1200")
    assert shown[("zone-srjk", "光电企业数")].startswith("300余")
    assert shown[("proj-rainbow-pv-glass", "总投资")].startswith("规划106")
    assert shown[("org-jinko", "落户园区")] == "上饶经开区"
    assert not [v for v in shown.values() if "约1200" in v or "约300" in v]


def test_chain_map_counts_a_company_and_its_project_once(real_digraph):
    from graph.analysis.chainindex import ChainIndex
    from graph.reports.chainmap import _box_text

    ix = ChainIndex(real_digraph)
    title, body = _box_text(ix, "seg-pv-glass")  # 江西彩虹光伏 and its own glass line: one firm
    assert title.endswith("(1)") and body == "江西彩虹光伏"
    title, body = _box_text(ix, "seg-nev-battery-system")  # the same as 模组/PACK: its three makers
    assert title.endswith("(3)") and "★蜂巢能源" in body
    assert _box_text(ix, "seg-pv-inverter")[1] == "未知 unknown（待核实）"
    assert _box_text(ix, "seg-opto-led-package")[1] == "已有·未具名 present, unnamed"


@pytest.mark.slow
def test_every_output_says_what_it_rests_on(tmp_path):
    import json

    from openpyxl import load_workbook

    from graph.build.pipeline import build

    build(ROOT / "seeds", tmp_path / "out", as_of="2024-06-30")
    out = tmp_path / "out"
    about = json.loads((out / "gaps.json").read_text(encoding="utf-8"))["about"]
    assert about["zone"] == "上饶经开区" and about["as_of"] == "2024-06-30"
    assert about["articles"][0].endswith("（2023-12）") and "未点名≠不存在" in about["caveat"]
    md = (out / "gaps.md").read_text(encoding="utf-8")
    assert "数据截至 as of: 2024-06-30" in md and "## 覆盖状态 Coverage states" in md
    assert "截至 as of 2024-06-30" in (out / "index.html").read_text(encoding="utf-8")
    sheet = load_workbook(out / "targets.xlsx")["依据 about"]
    assert "上饶经开区" in sheet["A1"].value
    # the chain map's line under the title (the SVG stores glyphs as paths, so read the figure's texts)
    from graph.analysis.gaps import find_gaps
    from graph.analysis.provenance import about as about_of
    from graph.reports.chainmap import draw_chain

    G = to_digraph(build_graph(load_seeds(ROOT / "seeds")))
    fig = draw_chain(G, "pv", find_gaps(G), about=about_of(G, unknown=1))
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    # zone and date in the title, the sources (and the caveat) in a footer: the slide layout of the chain map
    assert any(t.startswith("上饶经开区 · 光伏产业链图谱") and "截至 as of 2023-12" in t for t in texts)
    assert any(t.startswith("来源 sources: 打好收官战") and "未点名≠不存在" in t for t in texts)


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("seeds", ["real", "tiny"])
def test_coverage_queries_follow_the_rules(engine, seeds, real_graph, tiny_graph):
    """chain-coverage and empty-segments give the states of graph.analysis.coverage, on both engines."""
    from graph.sparql.engines import engine_for

    g = real_graph if seeds == "real" else tiny_graph
    run = engine_for(g, engine).query
    queries = ROOT / "graph" / "sparql" / "queries"
    states = find_coverage(g)
    rows = run((queries / "empty-segments.rq").read_text(encoding="utf-8")).dicts()
    got = {(str(r["segment"]).rsplit("/seg-", 1)[1], str(r["state"])) for r in rows}
    assert got == {(k, c.state) for k, c in states.items() if c.level == "segment" and c.state != "present"}
    rows = run((queries / "chain-coverage.rq").read_text(encoding="utf-8")).dicts()
    got = {
        str(r["chain"]).rsplit("/chain-", 1)[1]: tuple(
            int(r[k]) for k in ("covered_segments", "unnamed_segments", "absent_segments", "unknown_segments")
        )
        for r in rows
    }
    assert got == {c.chain: (c.covered, c.unnamed, c.absent, c.unknown) for c in chain_coverage(g)}
