"""The data behind the HTML view: node styles, the legend's vocabulary, and the JSON the page's script reads.

Everything the page shows comes from one JSON document (:func:`view_data`), embedded by :mod:`graph.view.page` with
:func:`script_json` so that no name or quote can close the ``<script>`` element. Graphs above :data:`BIG` nodes
open on an aggregated overview: the chain skeleton (chains, stages, segments) with member counts; the page adds a
segment's members when the reader clicks it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import networkx as nx

from graph.analysis.coverage import STATE_LABELS
from graph.seeds.model import MILESTONES, STATUSES
from graph.view.members import SKELETON, memberships, placements

__all__ = [
    "BIG",
    "KIND_NAMES",
    "EDGE_NAMES",
    "EDGE_STYLE",
    "STAGE_COLOURS",
    "GAP_COLOURS",
    "STATE_COLOURS",
    "PROJECT_COLOUR",
    "SKELETON",
    "CAVEAT",
    "node_style",
    "style_inputs",
    "node_title",
    "view_data",
    "script_json",
]

BIG = 2000  # above this many nodes the page opens on the aggregated overview
CAVEAT = (
    "缺口只按来源点名的企业和项目计算: 未点名不等于园区没有 "
    "gaps count only the firms and projects a source names: not named is not the same as absent"
)
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
# One colour meaning everywhere (view, chain maps): green present, amber weak, red missing, grey extend. So stages,
# firms and edges avoid those hues; stages are told apart by shades of blue, teal, purple and brown.
STAGE_COLOURS = ["#4e79a7", "#3f8f8a", "#8e5f87", "#9c755f", "#5a6e8c", "#2f6690", "#7a5c9e"]
STATE_COLOURS = {  # state -> (face, edge), the same pairs as the chain maps (graph.chainmap.COLOURS)
    "present": ("#d9f2d9", "#2e7d32"),
    "weak": ("#ffe0a3", "#e69500"),
    "missing": ("#fbd0d0", "#c62828"),
    "extend": ("#eeeeee", "#757575"),
    "present-unnamed": ("#eef8ee", "#66bb6a"),  # a source says the zone has it, names no firm
    "verify": ("#ffffff", "#3949ab"),  # unknown: no source either way (待核实)
}
GAP_COLOURS = {kind: STATE_COLOURS[kind][1] for kind in ("missing", "weak", "extend", "verify")}
PROJECT_COLOUR = ("#7b6fb0", "#4b3f80")  # violet: not a state colour
STATUS_SHAPES = {"signed": "diamond", "under_construction": "square", "in_production": "hexagon"}
EDGE_STYLE = {
    "next_stage": {"width": 3, "color": {"color": "#7f8c8d"}},
    "in_stage": {"width": 1, "color": {"color": "#c8ccd0"}, "arrows": ""},
    "upstream_of": {"width": 1.5, "color": {"color": "#4e79a7"}},
    "feeds_back": {"width": 1.5, "color": {"color": "#3f8f8a"}, "dashes": True},
    "in_segment": {"width": 1, "color": {"color": "#9aa5b1"}},
    "investor": {"width": 1, "color": {"color": "#7b6fb0"}, "dashes": [4, 4]},
    "subsidiary_of": {"width": 1, "color": {"color": "#b07aa1"}, "dashes": [2, 3]},
    "located_in": {"width": 1, "color": {"color": "#d4c49a"}},
}


def _size(investment: float | None, base: float) -> float:
    """Node size grows with the square root of investment (亿元), capped, so one giant does not hide the rest."""
    return base + min(30.0, float(investment) ** 0.5 * 2) if investment else base


def node_style(d: dict) -> dict:
    """Return the vis-network style of a node from its attributes (kind, level, gap, anchor, status, investment).

    A segment with local players and no gap gets the "present" border (green), as in the chain maps.

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
                "background": "#1f3b5c" if anchor else "#4e79a7",
                "border": "#d4a72c" if anchor else "#2f4b6e",
            },
            "borderWidth": 4 if anchor else 1,
        }
    elif kind == "project":
        status = d.get("status") or ""
        style = {
            "shape": STATUS_SHAPES.get(status, "diamond"),
            "size": _size(d.get("investment_yi"), 10),
            "color": {"background": PROJECT_COLOUR[0] if status else "#bab0ac", "border": PROJECT_COLOUR[1]},
        }
    elif kind == "zone":
        style = {"shape": "star", "color": "#d4a72c", "size": 26}
    elif kind == "place":
        style = {"shape": "triangle", "color": "#c9a45c", "size": 14}
    elif kind == "group":
        style = {"shape": "ellipse", "color": {"background": "#eef1f4", "border": "#7f8c8d"}}
    else:
        style = {"shape": "dot", "size": 7, "color": "#8c9aa8"}
    if kind == "segment" and d.get("present") and not d.get("gap"):
        style.update(color={"background": "#ffffff", "border": STATE_COLOURS["present"][1]}, borderWidth=2)
    if kind in ("segment", "stage") and d.get("state") == "present-unnamed" and not d.get("gap"):
        face, edge = STATE_COLOURS["present-unnamed"]
        style.update(color={"background": face, "border": edge}, borderWidth=2)
        style["shapeProperties"] = {"borderDashes": [2, 3]}  # dotted, as in the chain maps
        style["font"] = {**style.get("font", {}), "color": "#222222"}
    if d.get("gap") in GAP_COLOURS and kind in ("segment", "stage"):
        background, gap_colour = STATE_COLOURS[d["gap"]]
        style.update(color={"background": background, "border": gap_colour}, borderWidth=3)
        style["font"] = {"size": 22, "color": "#222222"}
        if d["gap"] in ("missing", "extend"):
            style["shapeProperties"] = {"borderDashes": [6, 4]}
        elif d["gap"] == "verify":  # dotted, as in the chain maps
            style["shapeProperties"] = {"borderDashes": [2, 3]}
    return style


def _held(G: nx.DiGraph, nodes: Iterable[str]) -> set[str]:
    """Those of ``nodes`` something is placed in (the target of an ``in_segment`` edge)."""
    pred = G.pred
    return {n for n in nodes if any(e.get("kind") == "in_segment" for e in pred[n].values())}


def _present_state(node: str, d: dict, held: set[str]) -> tuple[bool, str]:
    state = str(d.get("coverage") or "")  # set by graph.digraph when the build computed coverage states
    return (state == "present" if state else node in held), state


def style_inputs(G: nx.DiGraph, nodes: Iterable[str] | None = None) -> dict[str, dict]:
    """Each node's attributes (of ``nodes`` only, when given) plus what its style needs from elsewhere in ``G``:
    ``present`` (a segment with a local player) and ``state`` (its coverage state, when the build computed them).

    Each result is a copy of the node's attributes: on a big graph pass only the nodes drawn.
    """
    nodes = list(G.nodes if nodes is None else nodes)
    held = _held(G, nodes)
    data = G.nodes
    result = {}
    for n in nodes:
        d = data[n]
        present, state = _present_state(n, d, held)
        result[n] = {**d, "present": present, "state": state}
    return result


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
    if d.get("coverage") in STATE_LABELS:
        lines.append("覆盖状态 coverage: " + " ".join(STATE_LABELS[d["coverage"]]))
    if d.get("gap"):
        lines.append(f"缺口 gap: {d['gap']} {d.get('gap_reason', '')}".rstrip())
    if d.get("reviewed") is False:
        lines.append("未审核的机器提议 unreviewed machine proposal")
    if d.get("quotes"):
        lines.append("原文 quotes:")
        lines.extend(f"“{q}”" for q in d["quotes"].split("\n"))
    return "\n".join(lines)


# Every input node_style reads: it runs once per distinct tuple of them.
_STYLE_KEYS = ("kind", "level", "anchor", "investment_yi", "status", "gap", "present", "state")


# Panel facts (graph.facts) that carry a project's pipeline dates: English property name -> milestone.
_DATE_FACTS = {"signing date": "signed", "construction start": "started", "production start": "in_production"}


# Record key → node attribute copied as it is when it has a value; _EMPTY are the values that are left out.
_OPTIONAL = (
    ("e", "label_en"),
    ("a", "aliases"),
    ("st", "status"),
    ("inv", "investment_yi"),
    ("gap", "gap"),
    ("gs", "gap_score"),
    ("gr", "gap_reason"),
)
_EMPTY = (None, "", [])


def _record(
    node: str, d: dict, kind: str | None, style: int, chains: list[str], stages: list[str], own: list[str]
) -> dict:
    get = d.get
    rec: dict = {"i": node, "l": get("label") or node, "k": "" if kind is None else kind, "y": style}
    # the optional fields, each only when it has a value (not None, "" or []); added one by one rather than
    # through a dict of all fourteen per node (0.5 s of the 1M view, docs/benchmarks.md); a true value is kept
    # without comparing it to the three empty ones (0 and False are kept too)
    for key, attr in _OPTIONAL:
        value = get(attr)
        if value or value not in _EMPTY:
            rec[key] = value
    if chains:
        rec["c"] = chains
    if stages:
        rec["s"] = stages
    if get("anchor"):
        rec["an"] = 1
    if get("reviewed") is False:  # a machine proposal nobody has reviewed yet
        rec["rv"] = 0
    coverage = get("coverage")
    if coverage in STATE_LABELS:
        rec["cv"] = " ".join(STATE_LABELS[coverage])
    if kind in ("stage", "segment") and get("level") not in _EMPTY:
        rec["lv"] = d["level"]
    if own:  # chains the node is placed in itself (not through a neighbour): the chain filter's test
        rec["oc"] = own
    facts = d.get("facts")
    if isinstance(facts, str):  # JSON text on the networkx node; most nodes of a big graph have none ("[]")
        facts = json.loads(facts) if facts and facts != "[]" else None
    if facts:
        targets = [f for f in facts if f.get("t")]
        facts = [f for f in facts if not f.get("t")]
        if targets:
            rec["tg"] = sorted(targets, key=lambda f: f["t"])
        dates = {_DATE_FACTS[f["pe"]]: f["o"] for f in facts if f.get("pe") in _DATE_FACTS}
        if dates:
            rec["dt"] = dates
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
    data_of = dict(G.nodes(data=True))  # node → attributes, without a node-view call per lookup
    order = sorted(data_of)
    index = {n: i for i, n in enumerate(order)}
    placed = placements(G)
    member = memberships(G, order, placed)
    held = {v for targets in placed.values() for v in targets}
    styles: dict[str, int] = {}
    # every attribute node_style reads → style number: node_style runs once per distinct tuple
    seen: dict[tuple, int] = {}
    nodes = []
    for n in order:
        d = data_of[n]
        get = d.get  # the inputs in _STYLE_KEYS' order, spelled out: a generator per node cost 0.45 s at 1M
        kind = get("kind")
        state = str(get("coverage") or "")  # as _present_state, inline: a call per node
        present = state == "present" if state else n in held
        look = (
            kind,
            get("level"),
            get("anchor"),
            get("investment_yi"),
            get("status"),
            get("gap"),
            present,
            state,
        )
        style = seen.get(look)
        if style is None:  # the attribute copy node_style reads, made once per distinct look
            key = json.dumps(node_style({**d, "present": present, "state": state}), sort_keys=True)
            style = seen[look] = styles.setdefault(key, len(styles))
        chains, stages, own, group, _ = member[n]
        rec = _record(n, d, kind, style, chains, stages, own)
        if kind not in SKELETON:
            rec["g"] = group
        nodes.append(rec)
    # edges read from the adjacency: the edge view costs a call per edge
    edges = sorted(
        [index[u], index[v], e.get("kind") or ""] for u, nbrs in G.adjacency() for v, e in nbrs.items()
    )
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
        "milestones": {k: list(v) for k, v in MILESTONES.items()},
        "states": {k: list(v) for k, v in STATE_COLOURS.items()},
        "articles": json.loads(articles) if isinstance(articles, str) else articles,
        "build": {key: str(G.graph.get(key) or "") for key in ("as_of", "as_of_basis", "seeds_hash")},
        "caveat": str(G.graph.get("caveat") or CAVEAT),
    }


def script_json(value: object) -> str:
    """JSON text that is safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and line separators are escaped.

    Example:
        >>> script_json({"n": "</script><img>"})
        '{"n":"\\\\u003c/script\\\\u003e\\\\u003cimg\\\\u003e"}'
    """
    # check_circular=False: the same text for data without reference cycles (the page's data is a tree of plain
    # values; a cycle would still fail, with RecursionError), and a fifth faster on the 1M view (0.47 → 0.39 s)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), check_circular=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text
