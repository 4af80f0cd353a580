"""The HTML view: offline (no external src/href), escaped data, fixed stage-order layout."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from graph.view.data import node_style, node_title, script_json
from graph.view.facts import article_texts, node_facts
from graph.view.page import lanes, layout, to_html, write_html

EXTERNAL = re.compile(r'(?:src|href)\s*=\s*["\']?https?:', re.I)


def test_no_external_resources(real_digraph):
    html = to_html(real_digraph)
    assert not EXTERNAL.search(html)
    assert "cdn.jsdelivr.net" not in html
    assert html.count("<h1>") == 0  # pyvis's duplicate heading removed


def test_every_node_and_edge_is_in_the_page(real_digraph):
    html = to_html(real_digraph)
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1))
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1))
    assert len(nodes) == real_digraph.number_of_nodes()
    assert len(edges) == real_digraph.number_of_edges()


def test_names_are_escaped():
    G = nx.DiGraph()
    G.add_node(
        "org-x", kind="enterprise", label="<img src=x onerror=alert(1)></script>", quotes="</script><b>"
    )
    html = to_html(G)
    assert "<img src=x" not in html
    assert "</script><b>" not in html


def test_layout_follows_stage_order(real_digraph):
    pos = layout(real_digraph)
    assert pos["stage-liion-raw"][0] < pos["stage-liion-cells"][0] < pos["stage-liion-recycle"][0]
    assert set(pos) == set(real_digraph.nodes)


def page_data(html: str) -> dict:
    return json.loads(
        re.search(r'<script type="application/json" id="ckg-data">(.*?)</script>', html, re.S).group(1)
    )


def test_script_json_cannot_close_the_script_element():
    hostile = [
        "</script><script>alert(1)</script>",
        "<!--",
        "<img src=x onerror=alert(1)>",
        "a\u2028b",
        "&amp;",
    ]
    text = script_json({"names": hostile})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"names": hostile}


def test_panel_facts_point_at_the_article(real_digraph):
    data = page_data(to_html(real_digraph))
    article = data["articles"]["doc-shangrao-edz-2023"]["text"]
    anchi = next(n for n in data["nodes"] if "安驰新能源" in n.get("a", "").split("|"))
    spans = [ev for fact in anchi["f"] for ev in fact["ev"] if "q" in ev]
    assert spans and all(article[ev["s"] : ev["e"]] == ev["q"] for ev in spans)
    assert {"名称", "所属环节"} <= {fact["p"] for fact in anchi["f"]}
    svolt = next(n for n in data["nodes"] if "蜂巢" in n.get("a", "").split("|"))
    assert any("亿元" in fact["o"] for fact in svolt["f"])  # figures carry their unit


def test_node_facts_from_the_graph(real_graph):
    facts = node_facts(real_graph)
    statuses = {f["o"] for items in facts.values() for f in items if f["p"] == "状态"}
    assert statuses <= {"签约", "在建", "投产"} and statuses
    assert set(article_texts(real_graph)) == {"doc-shangrao-edz-2023"}


@pytest.mark.parametrize(
    ("attrs", "key", "expected"),
    [
        ({"kind": "project", "status": "signed"}, "shape", "diamond"),
        ({"kind": "project", "status": "under_construction"}, "shape", "square"),
        ({"kind": "project", "status": "in_production"}, "shape", "hexagon"),
        ({"kind": "segment", "level": 2, "gap": "missing"}, "shapeProperties", {"borderDashes": [6, 4]}),
        ({"kind": "enterprise", "anchor": True}, "borderWidth", 4),
    ],
)
def test_node_style(attrs, key, expected):
    assert node_style(attrs)[key] == expected


def test_weak_gap_is_amber_and_investment_sizes_enterprises():
    assert node_style({"kind": "segment", "gap": "weak"})["color"]["border"] == "#e69500"
    assert "shapeProperties" not in node_style({"kind": "segment", "gap": "weak"})
    small, big = (node_style({"kind": "enterprise", "investment_yi": v})["size"] for v in (1.0, 100.0))
    assert small < big


def test_big_graph_embeds_only_the_overview():
    G = nx.DiGraph()
    G.add_node("seg-a", kind="segment", label="甲", chain="c", level=1)
    for i in range(30):
        G.add_node(f"org-{i}", kind="enterprise", label=f"企业{i}")
        G.add_edge(f"org-{i}", "seg-a", kind="in_segment")
    html = to_html(G, big=20)
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1))
    assert [n["id"] for n in nodes] == ["seg-a"] and nodes[0]["label"] == "甲 · 30"
    data = page_data(html)
    assert data["big"] and len(data["nodes"]) == 31
    assert {n["g"] for n in data["nodes"] if n["k"] == "enterprise"} == {"seg-a"}
    assert not page_data(to_html(G))["big"]


def test_page_is_deterministic_and_utf8(real_digraph, tmp_path):
    write_html(real_digraph, tmp_path / "a.html")
    write_html(real_digraph, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    assert "晶科能源" in (tmp_path / "a.html").read_text(encoding="utf-8")


def test_chain_lanes_do_not_overlap(real_digraph):
    bands = lanes(real_digraph, layout(real_digraph))
    assert {b["c"] for b in bands} == {n for n, d in real_digraph.nodes(data=True) if d["kind"] == "chain"}
    for a in bands:
        for b in bands:
            if a["c"] < b["c"]:
                apart = a["x1"] <= b["x0"] or b["x1"] <= a["x0"] or a["y1"] <= b["y0"] or b["y1"] <= a["y0"]
                assert apart, (a["c"], a["lv"], b["c"], b["lv"])
    pos = layout(real_digraph)
    placed = {u for u, _, k in real_digraph.edges(data="kind") if k == "in_segment"}
    for node in placed:  # every placed player sits inside a band of its own chain
        x, y = pos[node]
        chains = {real_digraph.nodes[v].get("chain") for _, v in real_digraph.out_edges(node)} - {None}
        assert any(b["c"] in chains and b["x0"] <= x <= b["x1"] and b["y0"] <= y <= b["y1"] for b in bands), (
            node
        )


def test_unreviewed_proposals_are_marked():
    G = nx.DiGraph()
    G.add_node("org-a", kind="enterprise", label="甲", reviewed=False)
    G.add_node("org-b", kind="enterprise", label="乙", reviewed=True)
    records = {n["i"]: n for n in page_data(to_html(G))["nodes"]}
    assert records["org-a"]["rv"] == 0 and "rv" not in records["org-b"]
    assert "未审核" in node_title("org-a", G.nodes["org-a"])
    assert "未审核" not in node_title("org-b", G.nodes["org-b"])


def test_one_colour_meaning_in_view_and_chain_maps():
    """A state has the same face and edge colour in the view and the chain maps; nothing else uses them."""
    from graph.reports.chainmap import COLOURS
    from graph.view.data import EDGE_STYLE, PROJECT_COLOUR, STAGE_COLOURS, STATE_COLOURS

    for state, (face, edge) in STATE_COLOURS.items():
        assert COLOURS[state][:2] == (face, edge), state
    state_hues = {edge for _, edge in STATE_COLOURS.values()} | {face for face, _ in STATE_COLOURS.values()}
    others = set(STAGE_COLOURS) | set(PROJECT_COLOUR) | {s["color"]["color"] for s in EDGE_STYLE.values()}
    others |= {node_style({"kind": k, "anchor": True})["color"]["background"] for k in ("enterprise",)}
    assert not state_hues & others
    present = node_style({"kind": "segment", "level": 1, "present": True})
    assert present["color"]["border"] == STATE_COLOURS["present"][1]


def test_view_data_carries_build_dates_targets_and_own_chains():
    from graph.build.pipeline import load_build
    from graph.view.data import view_data

    from conftest import REAL

    b = load_build(REAL)  # with the seeds' candidate pool, as chainkg build: the gaps get ranked targets
    data = view_data(b.G, title="t")
    assert data["build"]["as_of"] == b.info.as_of and data["caveat"]
    nodes = {n["i"]: n for n in data["nodes"]}
    assert nodes["proj-qingwang-park"]["dt"] == {"signed": "2023-12-16"}
    targets = [n for n in data["nodes"] if n.get("tg")]
    assert targets and all(n.get("gap") for n in targets)
    assert all(t["why"] and t["t"] <= 5 for n in targets for t in n["tg"])
    assert "oc" not in nodes["zone-srjk"]  # the zone is in no chain by itself
    assert nodes["org-jinko"]["oc"] == ["chain-pv"]


def test_memberships_of_players_heirs_and_odd_skeleton():
    """Chains, stages, own chains and group per record: players from their segments (shared by every player with
    the same segments), heirs from their neighbours in sorted order, a segment placed in a segment."""
    from graph.view.data import view_data

    G = nx.DiGraph()
    for chain in ("c1", "c2"):
        G.add_node(chain, kind="chain")
    G.add_node("t1", kind="stage", chain="c1", level=1)
    G.add_node("t2", kind="stage", chain="c2", level=1)
    G.add_node("s1", kind="segment", chain="c1", stage="t1", level=1)
    G.add_node("s2", kind="segment", chain="c2", stage="t2", level=1)
    G.add_node("s0", kind="segment")  # no chain, no stage
    G.add_edge("s1", "s2", kind="in_segment")  # read first: the players after it see s1 in both chains
    for firm, segments in {"f1": ["s1"], "f2": ["s0"], "f3": ["s2", "s1"], "f4": ["s1"]}.items():
        for segment in segments:
            G.add_edge(firm, segment, kind="in_segment")
    G.add_edge("i1", "f1", kind="investor")  # an heir of f1
    G.add_edge("x1", "i1", kind="investor")  # after i1 in sorted order: an heir of the heir
    G.add_edge("a1", "i1", kind="investor")  # before i1: i1 has nothing yet
    G.add_edge("i0", "f2", kind="investor")  # f2 is in a segment without a chain: nothing to inherit
    for n in ("f1", "f2", "f3", "f4", "i1", "x1", "a1", "i0"):
        G.nodes[n]["kind"] = "enterprise"
    recs = {r["i"]: r for r in view_data(G, title="t")["nodes"]}

    def fields(n):
        r = recs[n]
        return r.get("c"), r.get("s"), r.get("oc"), r.get("g")

    assert fields("s1")[:2] == (["c1", "c2"], ["t1", "t2"])
    assert fields("f1") == (["c1", "c2"], ["t1", "t2"], ["c1"], "s1")
    assert fields("f4") == fields("f1")
    assert recs["f4"]["c"] is recs["f1"]["c"]  # one list for every player of the same segments
    assert fields("f3") == (["c1", "c2"], ["t1", "t2"], ["c1", "c2"], "s1")
    assert fields("f2") == (None, None, None, "s0")
    assert fields("i1") == (["c1", "c2"], ["t1", "t2"], None, "s1")
    assert fields("x1") == fields("i1")
    assert fields("a1") == (None, None, None, "group:enterprise")
    assert fields("i0") == (None, None, None, "s0")
