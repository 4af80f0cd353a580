"""The interactive HTML view: pyvis output made offline, escaped and laid out in stage order.

pyvis 0.3.2 is frozen upstream, so its known bugs are worked around here (``../shared/notes/tooling.md``):
``in_line`` mode still links bootstrap from a CDN (stripped), the heading is rendered twice (emptied), ``set_options``
eats spaces (``net.options`` is assigned as a dict instead), ``write_html`` ignores the encoding (we write UTF-8
ourselves), and ``add_node``/``add_edge`` are O(n²) (we fill ``net.nodes``/``net.edges`` directly).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from graph.errors import ExportError
from graph.export import write_text

__all__ = ["to_html", "write_html", "layout", "STAGE_COLOURS"]

STAGE_COLOURS = ["#4e79a7", "#59a14f", "#f28e2b", "#b07aa1", "#e15759", "#76b7b2", "#edc948"]
KIND_STYLE = {
    "chain": {"shape": "box", "color": "#2f3e4e", "font": {"color": "#ffffff", "size": 22}},
    "stage": {"shape": "box", "font": {"color": "#ffffff", "size": 18}},
    "segment": {"shape": "box", "font": {"size": 15}},
    "enterprise": {"shape": "dot", "size": 14},
    "project": {"shape": "diamond", "size": 12},
    "zone": {"shape": "star", "color": "#d4a72c", "size": 26},
    "place": {"shape": "triangle", "color": "#c9a45c", "size": 14},
}
FONT_FACE = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
_BOOTSTRAP = re.compile(
    r"<link[^>]*https://cdn\.jsdelivr\.net[^>]*/?>|<script[^>]*https://cdn\.jsdelivr\.net[^>]*>\s*</script>",
    re.S,
)
_HEADING = re.compile(r"<center>\s*<h1>.*?</h1>\s*</center>", re.S)
_EXTERNAL = re.compile(r'(?:src|href)\s*=\s*["\']https?:', re.I)
COLUMN, ROW = 260, 70


def layout(G: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Return fixed x/y positions: chains stacked top to bottom, stages as columns left to right.

    Segments sit in their stage's column; each local player sits just right of its first segment; nodes without a
    chain (the zone, places, unplaced players, outside investors) go in a row above everything.

    Example:
        >>> G = nx.DiGraph()
        >>> G.add_node("a", kind="segment", chain="c", level=1); G.add_node("b", kind="segment", chain="c", level=2)
        >>> pos = layout(G); pos["a"][0] < pos["b"][0]
        True
    """
    pos: dict[str, tuple[float, float]] = {}
    chains = sorted({d.get("chain", "") for _, d in G.nodes(data=True) if d.get("kind") == "segment"})
    top = 0.0
    for chain in chains:
        columns: dict[int, list[str]] = defaultdict(list)
        for node, d in sorted(G.nodes(data=True)):
            if d.get("chain") == chain and d.get("kind") in ("stage", "segment"):
                columns[int(d.get("level", 0))].append(node)
        height = 0.0
        for level, nodes in columns.items():
            y = top
            for node in sorted(nodes, key=lambda n: (G.nodes[n]["kind"] != "stage", n)):
                pos[node] = (level * COLUMN * 2.0, y)
                y += ROW
                for player in sorted(p for p, _, k in G.in_edges(node, data="kind") if k == "in_segment"):
                    if player not in pos:
                        pos[player] = (level * COLUMN * 2.0 + COLUMN, y - ROW / 2)
                        y += ROW * 0.8
            height = max(height, y - top)
        chain_node = next((n for n, d in G.nodes(data=True) if d.get("kind") == "chain" and n == chain), None)
        if chain_node:
            pos[chain_node] = (0.0, top)
        top += height + ROW * 2
    loose = sorted(n for n in G.nodes if n not in pos)
    for i, node in enumerate(loose):
        pos[node] = (2 * COLUMN + (i % 8) * COLUMN, -ROW * (2 + i // 8))
    return pos


def _node(node: str, d: dict, x: float, y: float) -> dict:
    kind = d.get("kind", "")
    style = {key: value for key, value in KIND_STYLE.get(kind, {}).items()}
    if kind in ("stage", "segment"):
        colour = STAGE_COLOURS[(int(d.get("level", 1)) - 1) % len(STAGE_COLOURS)]
        style["color"] = colour if kind == "stage" else {"background": "#ffffff", "border": colour}
    if kind == "enterprise":
        style["color"] = "#e15759" if d.get("anchor") else "#4e79a7"
        if d.get("investment_yi"):
            style["size"] = 12 + min(30.0, float(d["investment_yi"]) ** 0.5 * 2)
    if kind == "project" and d.get("investment_yi"):
        style["size"] = 10 + min(30.0, float(d["investment_yi"]) ** 0.5 * 2)
    title_lines = [d.get("label", node)]
    if d.get("label_en"):
        title_lines.append(d["label_en"])
    if d.get("aliases"):
        title_lines.append("别名 aliases: " + d["aliases"].replace("|", ", "))
    if d.get("investment_yi"):
        title_lines.append(f"投资 investment: {d['investment_yi']:g} 亿元")
    if d.get("quotes"):
        title_lines.append("原文 quotes:")
        title_lines.extend(f"“{q}”" for q in d["quotes"].split("\n"))
    # vis-network 9 shows a string title as plain text (no HTML parsing), so quotes stay inert data.
    return {
        "id": node,
        "label": d.get("label", node),
        "title": "\n".join(title_lines),
        "x": x,
        "y": y,
        "group": kind,
        **style,
    }


def to_html(G: nx.DiGraph, *, title: str = "产业链知识图谱 chainkg") -> str:
    """Return a self-contained HTML page of ``G``: no external request, fixed layout, physics off."""
    net = Network(height="900px", width="100%", directed=True, cdn_resources="in_line", heading="")
    pos = layout(G)
    # Filling nodes/edges directly avoids pyvis's O(n²) duplicate checks in add_node/add_edge.
    net.nodes = [_node(n, d, *pos[n]) for n, d in sorted(G.nodes(data=True))]
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.edges = [
        {
            "from": u,
            "to": v,
            "title": d.get("kind", ""),
            "arrows": "to",
            "dashes": d.get("kind") == "feeds_back",
        }
        for u, v, d in sorted(G.edges(data=True))
    ]
    net.options = {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": True},
        "nodes": {"font": {"face": FONT_FACE}},
        "edges": {"smooth": False, "color": {"inherit": "from", "opacity": 0.6}},
    }
    html = net.generate_html()
    html, _ = _BOOTSTRAP.subn("", html)
    html = _HEADING.sub("", html)
    html = html.replace("<title>", f"<title>{_escape(title)}", 1) if "<title>" in html else html
    if _EXTERNAL.search(html):
        raise ExportError("the view would load an external resource; refusing to write it")
    return html


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_html(G: nx.DiGraph, path: Path | str, *, title: str = "产业链知识图谱 chainkg") -> None:
    """Write :func:`to_html` of ``G`` to ``path`` as UTF-8 (atomically)."""
    write_text(path, to_html(G, title=title))
