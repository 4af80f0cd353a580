"""The data behind the HTML view: node styles, the legend's vocabulary, and the JSON the page's script reads.

Everything the page shows comes from one JSON document (:func:`view_data`), embedded by :mod:`graph.view.page` with
:func:`script_json` so that no name or quote can close the ``<script>`` element. Graphs above :data:`BIG` nodes
open on an aggregated overview: the chain skeleton (chains, stages, segments) with member counts; the page adds a
segment's members when the reader clicks it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator

import networkx as nx

from graph.seeds.model import STATUSES

__all__ = [
    "BIG",
    "KIND_NAMES",
    "EDGE_NAMES",
    "EDGE_STYLE",
    "STAGE_COLOURS",
    "GAP_COLOURS",
    "SKELETON",
    "node_style",
    "node_title",
    "view_data",
    "script_json",
]

BIG = 2000  # above this many nodes the page opens on the aggregated overview
SKELETON = ("chain", "stage", "segment")
KIND_NAMES = {
    "chain": ("产业链", "chain"),
    "stage": ("阶段", "stage"),
    "segment": ("细分环节", "segment"),
    "enterprise": ("企业", "enterprise"),
    "project": ("项目", "project"),
    "zone": ("园区", "zone"),
    "place": ("地点", "place"),
    "product": ("产品", "product"),
    "group": ("归并节点", "group"),
}
EDGE_NAMES = {
    "next_stage": ("下一阶段", "next stage"),
    "in_stage": ("属于阶段", "in stage"),
    "upstream_of": ("上游→下游", "upstream of"),
    "feeds_back": ("回收回流", "feeds back to"),
    "in_segment": ("所属环节", "in segment"),
    "investor": ("投资方", "investor"),
    "subsidiary_of": ("子公司", "subsidiary of"),
    "located_in": ("位于", "located in"),
}
STAGE_COLOURS = ["#4e79a7", "#59a14f", "#f28e2b", "#b07aa1", "#e15759", "#76b7b2", "#edc948"]
GAP_COLOURS = {"missing": "#d62728", "weak": "#f0a202", "extend": "#2ca02c"}
STATUS_SHAPES = {"signed": "diamond", "under_construction": "square", "in_production": "hexagon"}
EDGE_STYLE = {
    "next_stage": {"width": 3, "color": {"color": "#7f8c8d"}},
    "in_stage": {"width": 1, "color": {"color": "#c8ccd0"}, "arrows": ""},
    "upstream_of": {"width": 1.5, "color": {"color": "#4e79a7"}},
    "feeds_back": {"width": 1.5, "color": {"color": "#2ca02c"}, "dashes": True},
    "in_segment": {"width": 1, "color": {"color": "#9aa5b1"}},
    "investor": {"width": 1, "color": {"color": "#f28e2b"}, "dashes": [4, 4]},
    "subsidiary_of": {"width": 1, "color": {"color": "#b07aa1"}, "dashes": [2, 3]},
    "located_in": {"width": 1, "color": {"color": "#d4c49a"}},
}


def _size(investment: float | None, base: float) -> float:
    """Node size grows with the square root of investment (亿元), capped, so one giant does not hide the rest."""
    return base + min(30.0, float(investment) ** 0.5 * 2) if investment else base


def node_style(d: dict) -> dict:
    """Return the vis-network style of a node from its attributes (kind, level, gap, anchor, status, investment).

    Example:
        >>> node_style({"kind": "project", "status": "under_construction"})["shape"]
        'square'
        >>> node_style({"kind": "segment", "level": 1, "gap": "missing"})["shapeProperties"]
        {'borderDashes': [6, 4]}
    """
    kind = d.get("kind", "")
    colour = STAGE_COLOURS[(int(d.get("level") or 1) - 1) % len(STAGE_COLOURS)]
    if kind == "chain":
        style: dict = {"shape": "box", "color": "#2f3e4e", "font": {"color": "#ffffff", "size": 30}}
    elif kind == "stage":
        style = {"shape": "box", "color": colour, "font": {"color": "#ffffff", "size": 26}}
    elif kind == "segment":
        style = {"shape": "box", "color": {"background": "#ffffff", "border": colour}, "font": {"size": 22}}
    elif kind == "enterprise":
        anchor = bool(d.get("anchor"))
        style = {
            "shape": "dot",
            "size": _size(d.get("investment_yi"), 12),
            "color": {
                "background": "#e15759" if anchor else "#4e79a7",
                "border": "#ffd43b" if anchor else "#2f4b6e",
            },
            "borderWidth": 4 if anchor else 1,
        }
    elif kind == "project":
        status = d.get("status") or ""
        style = {
            "shape": STATUS_SHAPES.get(status, "diamond"),
            "size": _size(d.get("investment_yi"), 10),
            "color": {"background": "#f28e2b" if status else "#bab0ac", "border": "#a0521d"},
        }
    elif kind == "zone":
        style = {"shape": "star", "color": "#d4a72c", "size": 26}
    elif kind == "place":
        style = {"shape": "triangle", "color": "#c9a45c", "size": 14}
    elif kind == "group":
        style = {"shape": "ellipse", "color": {"background": "#eef1f4", "border": "#7f8c8d"}}
    else:
        style = {"shape": "dot", "size": 7, "color": "#8c9aa8"}
    if d.get("gap") in GAP_COLOURS and kind in ("segment", "stage"):
        gap_colour = GAP_COLOURS[d["gap"]]
        background = {"missing": "#fdecea", "weak": "#fff4d6", "extend": "#e9f7ec"}[d["gap"]]
        style.update(color={"background": background, "border": gap_colour}, borderWidth=3)
        style["font"] = {"size": 22, "color": "#222222"}
        if d["gap"] != "weak":
            style["shapeProperties"] = {"borderDashes": [6, 4]}
    return style


def node_title(node: str, d: dict) -> str:
    """Plain-text hover text (vis-network 9 shows a string title as text, so it is never parsed as HTML)."""
    lines = [d.get("label") or node]
    if d.get("label_en"):
        lines.append(d["label_en"])
    if d.get("aliases"):
        lines.append("别名 aliases: " + d["aliases"].replace("|", ", "))
    if d.get("investment_yi"):
        lines.append(f"投资 investment: {d['investment_yi']:g} 亿元")
    if d.get("status") in STATUSES:
        lines.append("状态 status: " + " ".join(STATUSES[d["status"]]))
    if d.get("gap"):
        lines.append(f"缺口 gap: {d['gap']} {d.get('gap_reason', '')}".rstrip())
    if d.get("reviewed") is False:
        lines.append("未审核的机器提议 unreviewed machine proposal")
    if d.get("quotes"):
        lines.append("原文 quotes:")
        lines.extend(f"“{q}”" for q in d["quotes"].split("\n"))
    return "\n".join(lines)


def _edge_kinds(G: nx.DiGraph) -> Iterator[tuple[str, str, str | None]]:
    """``G.edges(data="kind")`` read straight from the adjacency: the edge view costs a call per edge."""
    for u, nbrs in G.adjacency():
        for v, d in nbrs.items():
            yield u, v, d.get("kind")


def _memberships(G: nx.DiGraph) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, str]]:
    """Chains, stages and overview group of every node: its own for the skeleton, its segments' for players,
    and for the rest (investors, products) those of the neighbours that have one."""
    chains: dict[str, set[str]] = defaultdict(set)
    stages: dict[str, set[str]] = defaultdict(set)
    group: dict[str, str] = {}
    kinds = {n: d.get("kind") for n, d in G.nodes(data=True)}  # read once: a node view lookup costs a call
    for n, d in G.nodes(data=True):
        kind = d.get("kind")
        if kind == "chain":
            chains[n].add(n)
        elif kind in ("stage", "segment"):
            if d.get("chain"):
                chains[n].add(d["chain"])
            stages[n].add(n if kind == "stage" else d.get("stage", ""))
            stages[n].discard("")
    for u, v, kind in _edge_kinds(G):
        if kind == "in_segment" and kinds[v] == "segment":
            chains[u] |= chains[v]
            stages[u] |= stages[v]
            if u not in group or v < group[u]:
                group[u] = v
    succ, pred = G.succ, G.pred
    for n in sorted(G.nodes):
        if n in chains or kinds[n] in SKELETON:
            continue
        for m in sorted({*pred[n], *succ[n]}):  # nx.all_neighbors, without its repeats
            if kinds[m] not in SKELETON and m in chains:
                chains[n] |= chains[m]
                stages[n] |= stages[m]
                group.setdefault(n, group.get(m, ""))
    for n, d in G.nodes(data=True):
        if d.get("kind") not in SKELETON and not group.get(n):
            group[n] = "group:" + str(d.get("kind", "other"))
    return (
        {n: sorted(c) for n, c in chains.items() if c},
        {n: sorted(s) for n, s in stages.items() if s},
        group,
    )


def _record(node: str, d: dict, style: int, chains: list[str], stages: list[str]) -> dict:
    rec: dict = {"i": node, "l": d.get("label") or node, "k": d.get("kind", ""), "y": style}
    optional = {
        "e": d.get("label_en"),
        "a": d.get("aliases"),
        "c": chains,
        "s": stages,
        "st": d.get("status"),
        "inv": d.get("investment_yi"),
        "an": 1 if d.get("anchor") else None,
        "rv": 0 if d.get("reviewed") is False else None,  # a machine proposal nobody has reviewed yet
        "gap": d.get("gap"),
        "gs": d.get("gap_score"),
        "gr": d.get("gap_reason"),
        "lv": d.get("level") if d.get("kind") in ("stage", "segment") else None,
    }
    rec.update({key: value for key, value in optional.items() if value not in (None, "", [])})
    facts = d.get("facts")
    if isinstance(facts, str):  # JSON text on the networkx node; most nodes of a big graph have none ("[]")
        facts = json.loads(facts) if facts and facts != "[]" else None
    if facts:
        rec["f"] = facts
    elif d.get("quotes"):
        rec["q"] = d["quotes"].split("\n")
    return rec


def view_data(G: nx.DiGraph, *, title: str, big: int = BIG) -> dict:
    """Return the page's data: node records, edges (as index pairs), styles, chains, stages, articles, lanes.

    Args:
        G: the networkx view (:func:`graph.analysis.digraph.to_digraph`).
        title: the page title.
        big: node count above which the page opens on the aggregated overview.
    """
    chains, stages, group = _memberships(G)
    data_of = dict(G.nodes(data=True))  # node → attributes, without a node-view call per lookup
    order = sorted(data_of)
    index = {n: i for i, n in enumerate(order)}
    styles: dict[str, int] = {}
    # every attribute node_style reads → style number: node_style runs once per distinct tuple
    seen: dict[tuple, int] = {}
    nodes = []
    for n in order:
        d = data_of[n]
        look = (
            d.get("kind"),
            d.get("level"),
            d.get("anchor"),
            d.get("investment_yi"),
            d.get("status"),
            d.get("gap"),
        )
        style = seen.get(look)
        if style is None:
            key = json.dumps(node_style(d), sort_keys=True)
            style = seen[look] = styles.setdefault(key, len(styles))
        rec = _record(n, d, style, chains.get(n, []), stages.get(n, []))
        if d.get("kind") not in SKELETON:
            rec["g"] = group[n]
        nodes.append(rec)
    edges = sorted([index[u], index[v], k or ""] for u, v, k in _edge_kinds(G))
    listed = [
        n for n in order if data_of[n].get("kind") in ("chain", "stage")
    ]  # only these are listed by name
    labelled = {n: (data_of[n].get("label") or n, data_of[n].get("label_en") or "") for n in listed}
    articles = G.graph.get("articles") or "{}"
    return {
        "title": title,
        "big": G.number_of_nodes() > big,
        "nodes": nodes,
        "edges": edges,
        "styles": [json.loads(key) for key in styles],
        "edgeStyles": EDGE_STYLE,
        "chains": [
            {"i": n, "l": labelled[n][0], "e": labelled[n][1]}
            for n in listed
            if data_of[n].get("kind") == "chain"
        ],
        "stages": [
            {"i": n, "l": labelled[n][0], "e": labelled[n][1], "c": G.nodes[n].get("chain", "")}
            for n in sorted(
                (n for n in listed if data_of[n].get("kind") == "stage"),
                key=lambda n: (G.nodes[n].get("chain", ""), G.nodes[n].get("level", 0), n),
            )
        ],
        "kinds": {k: list(v) for k, v in KIND_NAMES.items()},
        "edgeNames": {k: list(v) for k, v in EDGE_NAMES.items()},
        "statuses": {k: list(v) for k, v in STATUSES.items()},
        "articles": json.loads(articles) if isinstance(articles, str) else articles,
    }


def script_json(value: object) -> str:
    """JSON text that is safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and line separators are escaped.

    Example:
        >>> script_json({"n": "</script><img>"})
        '{"n":"\\\\u003c/script\\\\u003e\\\\u003cimg\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text
