"""The HTML view: offline (no external src/href), escaped data, fixed stage-order layout."""

from __future__ import annotations

import json
import re

import networkx as nx

from graph.viz import layout, to_html

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
