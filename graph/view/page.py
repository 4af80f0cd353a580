"""The interactive HTML view: pyvis output made offline, escaped, laid out in stage lanes, with search and panel.

pyvis draws the network; :mod:`graph.view.data` supplies the data and ``graph/view/assets/view.{html,css,js}`` the
toolbar, legend, side panel and article reader, all inlined so the page is one file that opens from ``file://``.
pyvis 0.3.2 is frozen upstream (last release February 2023), so its known bugs are worked around here (pyvis issues
#228/#229 CDN links, #190 double heading, #210 set_options, #222 encoding; docs/view.md):
``in_line`` mode still links bootstrap from a CDN (stripped), the heading is rendered twice (removed), its select
menu lists ids (not used: the page has its own search), ``set_options`` eats spaces (``net.options`` is assigned as
a dict instead), ``write_html`` ignores the encoding (we write UTF-8 ourselves), and ``add_node``/``add_edge`` are
O(n²) (we fill ``net.nodes``/``net.edges`` directly).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from importlib import resources
from operator import itemgetter
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from graph.analysis.gcpause import paused_gc
from graph.errors import ExportError
from graph.files import write_text
from graph.view.data import (
    BIG,
    EDGE_STYLE,
    SKELETON,
    STAGE_COLOURS,
    node_style,
    node_title,
    script_json,
    style_inputs,
    view_data,
)

__all__ = ["to_html", "write_html", "layout", "lanes", "STAGE_COLOURS", "FONT_FACE"]

FONT_FACE = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
_BOOTSTRAP = re.compile(
    r"<link[^>]*https://cdn\.jsdelivr\.net[^>]*/?>|<script[^>]*https://cdn\.jsdelivr\.net[^>]*>\s*</script>",
    re.S,
)
_HEADING = re.compile(r"<center>\s*<h1>.*?</h1>\s*</center>", re.S)
_EXTERNAL = re.compile(r'(?:src|href)\s*=\s*["\']?https?:', re.I)
_HTTP = re.compile("[hH][tT][tT][pP]")  # what _EXTERNAL's "http" matches (no other letter folds to h, t or p)
COLUMN, ROW = 220, 70


def _positions(G: nx.DiGraph, *, players: bool) -> dict[str, tuple[float, float]]:
    """Stage-lane positions of the skeleton, and of the players beside their first segment when ``players``."""
    pos: dict[str, tuple[float, float]] = {}
    columns: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    members: dict[str, list[str]] = defaultdict(list)
    for node, d in G.nodes(data=True):
        if d.get("kind") in ("stage", "segment") and d.get("chain"):
            columns[d["chain"]][int(d.get("level") or 0)].append(node)
    if players:
        for u, v, kind in G.edges(data="kind"):
            if kind == "in_segment" and G.nodes[u].get("kind") not in SKELETON:
                members[v].append(u)
    blocks = []  # each chain laid out from (0, 0), then placed on a grid so the map is wide, not tall
    for chain in sorted(columns):
        local: dict[str, tuple[float, float]] = {}
        height = 0.0
        for level, nodes in sorted(columns[chain].items()):
            y = 0.0
            for node in sorted(nodes, key=lambda n: (G.nodes[n]["kind"] != "stage", n)):
                local[node] = (level * COLUMN * 2.0, y)
                y += ROW
                for player in sorted(members.get(node, [])):
                    if player not in pos and player not in local:
                        local[player] = (level * COLUMN * 2.0 + COLUMN, y - ROW / 2)
                        y += ROW * 0.8
            height = max(height, y)
        if chain in G:  # the chain's name sits above its first stage
            local[chain] = (min(columns[chain]) * COLUMN * 2.0, -ROW * 1.1)
        width = (max(columns[chain]) + 0.6) * COLUMN * 2.0
        blocks.append((local, width, height))
        pos.update(local)  # provisional, so a player in two chains is placed only once
    ncols = math.ceil(math.sqrt(len(blocks)) / 1.5) if blocks else 1
    widths = [max((w for _, w, _ in blocks[c::ncols]), default=0.0) for c in range(ncols)]
    top = 0.0
    for row in range(0, len(blocks), ncols):
        for c, (local, _, _) in enumerate(blocks[row : row + ncols]):
            left = sum(widths[:c])
            pos.update({n: (x + left, y + top) for n, (x, y) in local.items()})
        top += max(h for _, _, h in blocks[row : row + ncols]) + ROW * 3
    if players:
        loose = sorted(n for n in G.nodes if n not in pos)
    else:
        loose = sorted(n for n, d in G.nodes(data=True) if d.get("kind") in SKELETON and n not in pos)
    for i, node in enumerate(loose):
        pos[node] = (2 * COLUMN + (i % 8) * COLUMN, -ROW * (2.5 + i // 8))
    return pos


def layout(G: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Return fixed x/y positions: stages as columns left to right in each chain, chains on a grid of lanes.

    Segments sit in their stage's column; each local player sits just right of its first segment; nodes without a
    chain (the zone, places, unplaced players, outside investors) go in a row above everything.

    Example:
        >>> G = nx.DiGraph()
        >>> G.add_node("a", kind="segment", chain="c", level=1); G.add_node("b", kind="segment", chain="c", level=2)
        >>> pos = layout(G); pos["a"][0] < pos["b"][0]
        True
    """
    return _positions(G, players=True)


def lanes(G: nx.DiGraph, pos: dict[str, tuple[float, float]]) -> list[dict]:
    """Return the background bands the page draws: one per (chain, stage), spanning the stage's column."""
    boxes: dict[tuple[str, int], list[float]] = {}
    for node, d in G.nodes(data=True):
        if d.get("kind") in ("stage", "segment") and d.get("chain") and node in pos:
            x, y = pos[node]
            key = (d["chain"], int(d.get("level") or 0))
            box = boxes.setdefault(key, [x, y, x, y])
            box[1], box[3] = min(box[1], y), max(box[3], y)
    # a player stretches the band of the segment it was placed beside: only the out-edges of placed nodes can
    # (on the overview that is the skeleton, not the 370,000 edges of a million-triple graph)
    succ = G.succ
    edges = ((u, v, e.get("kind")) for u in pos for v, e in succ[u].items())
    for u, v, kind in edges:
        if kind == "in_segment" and v in pos and abs(pos[u][0] - pos[v][0] - COLUMN) < 1e-6:
            d = G.nodes[v]
            box = boxes.get((d.get("chain", ""), int(d.get("level") or 0)))
            if box is not None:
                box[3] = max(box[3], pos[u][1])
    result = []
    for (chain, level), (x, y0, _, y1) in sorted(boxes.items()):
        chain_d = G.nodes[chain] if chain in G else {}
        result.append(
            {
                "c": chain,
                "l": chain_d.get("label", chain),
                "e": chain_d.get("label_en", ""),
                "lv": level,
                "x0": x - COLUMN * 0.75,
                "x1": x + COLUMN * 1.2,
                "y0": y0 - ROW * 0.7,
                "y1": y1 + ROW * 0.7,
                "col": STAGE_COLOURS[(level - 1) % len(STAGE_COLOURS)],
            }
        )
    return result


def _asset(name: str) -> str:
    return resources.files("graph.view").joinpath("assets", name).read_text(encoding="utf-8")


def _vis_node(node: str, d: dict, x: float, y: float, label: str | None = None, *, style: dict) -> dict:
    return {
        "id": node,
        "label": label or d.get("label") or node,
        "title": node_title(node, d),
        "x": x,
        "y": y,
        "kind": d.get("kind", ""),  # not "group": vis re-applies group colours over ours on update
        **node_style(style),
    }


def _overview_labels(G: nx.DiGraph, data: dict) -> tuple[dict[str, int], dict[str, str]]:
    """Member counts per overview group, and a label per aggregated node (``负极材料 · 12``)."""
    counts: dict[str, int] = defaultdict(int)
    for rec in data["nodes"]:
        if "g" in rec:
            counts[rec["g"]] += 1
    labels = {seg: f"{G.nodes[seg].get('label') or seg} · {n}" for seg, n in counts.items() if seg in G}
    return counts, labels


def to_html(G: nx.DiGraph, *, title: str = "产业链知识图谱 chainkg", big: int = BIG) -> str:
    """Return a self-contained HTML page of ``G``: no external request, stage lanes, physics off.

    Args:
        G: the networkx view (:func:`graph.analysis.digraph.to_digraph`).
        title: the page title.
        big: above this many nodes the page opens on the aggregated overview (one node per segment).

    Raises:
        ExportError: the page would still load something from the network (a pyvis template change).
    """
    with paused_gc():  # hundreds of thousands of records, positions and strings on a big graph, no cycles
        return _page(G, title, big)


def _page(G: nx.DiGraph, title: str, big: int) -> str:
    """The body of :func:`to_html`."""
    data = view_data(G, title=title, big=big)
    pos = _positions(G, players=not data["big"])
    data["lanes"] = lanes(G, pos)
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading="")
    # Filling nodes/edges directly avoids pyvis's O(n²) duplicate checks in add_node/add_edge.
    if data["big"]:
        counts, labels = _overview_labels(G, data)
        shown = {n for n in pos}
        inputs = style_inputs(G, shown)  # an attribute copy for the drawn skeleton only, not every node
        net.nodes = [_vis_node(n, G.nodes[n], *pos[n], labels.get(n), style=inputs[n]) for n in sorted(shown)]
        buckets = sorted(g for g in counts if g.startswith("group:"))
        for i, bucket in enumerate(buckets):
            kind = bucket.split(":", 1)[1]
            net.nodes.append(
                {
                    "id": bucket,
                    "label": f"{kind} · {counts[bucket]}",
                    "title": f"{kind}: {counts[bucket]}",
                    "x": (i % 8) * COLUMN,
                    "y": min((y for _, y in pos.values()), default=0.0) - ROW * (3 + i // 8),
                    "kind": "group",
                    **node_style({"kind": "group"}),
                }
            )
    else:
        inputs = style_inputs(G)
        net.nodes = [_vis_node(n, d, *pos[n], style=inputs[n]) for n, d in sorted(G.nodes(data=True))]
        shown = set(pos)
    net.edges = _drawn_edges(data["nodes"], data["edges"], shown)
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    # Assigned last and as a dict: set_options() would strip the spaces out of the font names.
    net.options = {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": True, "keyboard": False},
        "nodes": {"font": {"face": FONT_FACE, "size": 18}},
        "edges": {"smooth": False, "arrowStrikethrough": False},
    }
    html = net.generate_html()
    html, _ = _BOOTSTRAP.subn("", html)
    html = _HEADING.sub("", html)
    head = (
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{_escape(title)}</title>\n'
        f"<style>{_asset('view.css')}</style>\n"
    )
    html = html.replace("<head>", "<head>\n" + head, 1)
    chrome = _asset("view.html").replace("{{title}}", _escape(title))
    data_json = script_json(data)
    html = html.replace("<body>", "<body>\n" + chrome, 1)
    cut = html.rindex("</body>")
    html = html[:cut] + f"<script>{_asset('view.js')}</script>\n" + html[cut:]
    # The page and its data are checked apart (no link can straddle the seams: the data's element starts with "<"
    # and ends with ">\n", its JSON starts with "{" and ends with "}", and the element's own text has no "http").
    # The JSON, most of a big page, is scanned first for "=" and then for "http" alone: both are part of every
    # match, and a plain scan for one character is fifty times faster than the pattern (2 ms for the 38 MB of the
    # 1M view's data, against 0.1 s for "http" and more for the case-insensitive alternation).
    if _EXTERNAL.search(html) or (
        "=" in data_json and _HTTP.search(data_json) and _EXTERNAL.search(data_json)
    ):
        raise ExportError(
            _external_culprit(G) or "the view would load an external resource; refusing to write it"
        )
    at = html.index("<body>\n" + chrome) + len("<body>\n" + chrome)
    # one join: f-strings and "+" would copy the 38 MB of a 1M view's data three times (0.1 s against 0.035 s)
    element = ('<script type="application/json" id="ckg-data">', data_json, "</script>\n")
    return "".join((html[:at], *element, html[at:]))


def _drawn_edges(records: list[dict], edges: list[list], shown: set[str]) -> list[dict]:
    """The vis-network edges between drawn nodes, each numbered by its place in the page data's edge list.

    The records are sorted by id and the edges by their source's index, so each drawn node's out-edges are found
    by bisection instead of by reading every edge (the overview at 1M draws 1,850 of 193,420 nodes).
    """
    at = {n: bisect_left(records, n, key=itemgetter("i")) for n in shown}
    drawn = set(at.values())
    result = []
    for n in sorted(shown):  # ascending index, so the edges come out in the data's order
        first = bisect_left(edges, [at[n]])  # [i] sorts before every [i, v, kind]
        for number in range(first, bisect_left(edges, [at[n] + 1], first)):
            _, v, kind = edges[number]
            if v in drawn:
                result.append(
                    {
                        "id": f"e{number}",
                        "from": n,
                        "to": records[v]["i"],
                        "title": kind,
                        "arrows": "to",
                        **EDGE_STYLE.get(kind, {}),
                    }
                )
    return result


def _external_culprit(G: nx.DiGraph) -> str | None:
    """Name the node and field whose text looks like a link to the network (seeds are checked at load time; this
    catches names from elsewhere, such as a candidate pool)."""
    for node, data in sorted(G.nodes(data=True)):
        for key, value in sorted(data.items()):
            if isinstance(value, str) and _EXTERNAL.search(value):
                return (
                    f'{node}: {key}: "{value[:80]}" looks like an HTML link to the network (src=/href=http…), '
                    "which the offline view refuses; edit that name where it comes from"
                )
    return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_html(
    G: nx.DiGraph, path: Path | str, *, title: str = "产业链知识图谱 chainkg", big: int = BIG
) -> None:
    """Write :func:`to_html` of ``G`` to ``path`` as UTF-8 (atomically)."""
    write_text(path, to_html(G, title=title, big=big))
