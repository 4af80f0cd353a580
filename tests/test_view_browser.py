"""The view in headless Chromium (Debian's /usr/bin/chromium through Playwright): counts, search, filters, panel,
article highlight, language toggle, hostile names, big-graph overview; no request leaves the page, no console error."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest

from graph.view.page import write_html

from conftest import CHROMIUM

if not CHROMIUM.exists() or shutil.which("chromium") is None:  # CI installs it (scripts/install.sh --test)
    pytest.skip("needs Debian's /usr/bin/chromium", allow_module_level=True)

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def real_page_path(real_digraph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("view") / "index.html"
    write_html(real_digraph, path)
    return path


class Page:
    """A page that records every external request (aborted) and every console error or dialog."""

    def __init__(self, browser, width: int = 1366, height: int = 768) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.external: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.route(re.compile(r"^https?://"), self._block)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _block(self, route) -> None:
        self.external.append(route.request.url)
        route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path):
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.ckgReady === true", timeout=30000)
        return self.page

    def node_xy(self, node: str) -> tuple[float, float]:
        """Centre the view on ``node`` and return where it is drawn on the page."""
        page, ident = self.page, json.dumps(node)
        page.evaluate(f"network.moveTo({{position: network.getPositions([{ident}])[{ident}], scale: 1.2}})")
        xy = page.evaluate(f"network.canvasToDOM(network.getPositions([{ident}])[{ident}])")
        box = page.locator("#mynetwork").bounding_box()
        return box["x"] + xy["x"], box["y"] + xy["y"]

    def click_node(self, node: str) -> None:
        """Click the node where it is drawn (a real mouse click on the canvas)."""
        self.page.mouse.click(*self.node_xy(node))


@pytest.fixture
def view(browser):
    v = Page(browser)
    yield v
    assert v.external == [], "the page tried to reach the network"
    assert v.errors == [], "console errors"
    v.page.close()


def shown(page) -> list[str]:
    return page.evaluate("network.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)")


def test_counts_equal_the_graph(view, real_page_path, real_digraph):
    page = view.open(real_page_path)
    assert page.evaluate("network.body.data.nodes.length") == real_digraph.number_of_nodes()
    assert page.evaluate("network.body.data.edges.length") == real_digraph.number_of_edges()
    # works at 1366×768: the toolbar stays one or two rows and the network gets most of the screen
    assert page.locator("#ckg-bar").bounding_box()["height"] < 100
    assert page.locator("#mynetwork").bounding_box()["height"] > 550


def test_search_finds_fengchao_and_focuses_it(view, real_page_path, real_digraph):
    page = view.open(real_page_path)
    page.fill("#ckg-search", "蜂巢")
    page.wait_for_selector("#ckg-results li")
    target = next(n for n, d in real_digraph.nodes(data=True) if "蜂巢" in d["aliases"].split("|"))
    page.press("#ckg-search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == [target]
    assert page.text_content("#ckg-panel-title") == real_digraph.nodes[target]["label"]
    assert page.is_visible("#ckg-panel")
    page.wait_for_timeout(600)  # the focus animation takes 300 ms
    ident = json.dumps(target)
    xy = page.evaluate(f"network.canvasToDOM(network.getPositions([{ident}])[{ident}])")
    box = page.locator("#mynetwork").bounding_box()
    assert abs(xy["x"] - box["width"] / 2) < 30 and abs(xy["y"] - box["height"] / 2) < 30  # centred on it


def test_english_search_and_alias(view, real_page_path, real_digraph):
    page = view.open(real_page_path)
    jinko = next(n for n, d in real_digraph.nodes(data=True) if d.get("label_en") == "JinkoSolar")
    assert page.evaluate("ckgView.search('jinkosolar')")[0] == list(sorted(real_digraph.nodes)).index(jinko)


def test_chain_filter_hides_other_chains(view, real_page_path, real_digraph):
    page = view.open(real_page_path)
    before = shown(page)
    page.select_option("#ckg-chain", "chain-pv")
    after = shown(page)
    assert 0 < len(after) < len(before)
    other = [
        n for n, d in real_digraph.nodes(data=True) if d.get("kind") == "segment" and d["chain"] != "chain-pv"
    ]
    assert other and not set(other) & set(after)
    assert {n for n, d in real_digraph.nodes(data=True) if d.get("chain") == "chain-pv"} <= set(after)
    page.click("#ckg-reset")
    assert len(shown(page)) == len(before)


def test_click_anchi_shows_quote_and_article_highlight(view, real_page_path, real_digraph):
    page = view.open(real_page_path)
    anchi = next(n for n, d in real_digraph.nodes(data=True) if "安驰新能源" in d["aliases"].split("|"))
    view.click_node(anchi)
    assert page.evaluate("network.getSelectedNodes()") == [anchi]
    quote = "在上饶经开区的安驰新能源科技有限公司生产车间"
    facts = page.locator("#ckg-facts")
    assert quote in facts.text_content()
    facts.locator("li", has_text=quote).first.locator("button.ckg-show").first.click()
    assert page.is_visible("#ckg-article")
    assert page.text_content("#ckg-mark") == quote
    text = page.text_content("#ckg-article-text")
    article = json.loads(real_digraph.graph["articles"])["doc-shangrao-edz-2023"]["text"]
    assert text == article and text.index(quote) == 581  # the highlight sits at the seeds' offsets


def test_neighbour_links_move_the_focus(view, real_page_path, real_digraph):
    page = view.open(real_page_path)
    page.evaluate("ckgView.focusNode('org-anchi')")
    segment = next(v for _, v, k in real_digraph.out_edges("org-anchi", data="kind") if k == "in_segment")
    page.locator("#ckg-down button.ckg-link", has_text=real_digraph.nodes[segment]["label"]).first.click()
    assert page.evaluate("network.getSelectedNodes()") == [segment]


def test_language_toggle_changes_labels(view, real_page_path, real_digraph):
    page = view.open(real_page_path)
    node = next(
        n
        for n, d in sorted(real_digraph.nodes(data=True))
        if d.get("label_en") and d["label_en"] != d["label"]
    )
    label = f"network.body.data.nodes.get({json.dumps(node)}).label"
    assert page.evaluate(label) == real_digraph.nodes[node]["label"]
    page.click("#ckg-lang")
    assert page.evaluate(label) == real_digraph.nodes[node]["label_en"]
    # relabelling must keep each node's own colours (vis re-applies "group" colours on update)
    plain = next(
        n for n, d in sorted(real_digraph.nodes(data=True)) if d["kind"] == "segment" and not d.get("gap")
    )
    assert page.evaluate(f"network.body.nodes[{json.dumps(plain)}].options.color.background") == "#ffffff"
    page.click("#ckg-lang")
    assert page.evaluate(label) == real_digraph.nodes[node]["label"]


HOSTILE = "<img src=x onerror=alert(1)>"
CLOSER = "</script><script>window.pwned=1;alert(2)</script>"


def test_hostile_names_show_as_text(view, tmp_path):
    G = nx.DiGraph()
    G.add_node("chain-x", kind="chain", label="链", label_en="", aliases="", quotes="")
    G.add_node("stage-x", kind="stage", label="阶段", chain="chain-x", level=1, aliases="", quotes="")
    G.add_node(
        "seg-x", kind="segment", label=CLOSER, chain="chain-x", stage="stage-x", level=1, aliases=HOSTILE
    )
    facts = [
        {
            "p": "名称",
            "pe": "name",
            "o": HOSTILE,
            "oe": HOSTILE,
            "ref": "",
            "ev": [{"q": CLOSER, "doc": "d", "s": 0, "e": len(CLOSER)}],
        }
    ]
    G.add_node(
        "org-x",
        kind="enterprise",
        label=HOSTILE,
        label_en=CLOSER,
        aliases=HOSTILE,
        quotes=CLOSER,
        facts=json.dumps(facts),
    )
    G.add_edge("org-x", "seg-x", kind="in_segment")
    G.add_edge("seg-x", "stage-x", kind="in_stage")
    G.graph["articles"] = json.dumps({"d": {"title": HOSTILE, "text": CLOSER + " 正文"}})
    path = tmp_path / "hostile.html"
    write_html(G, path, title=HOSTILE)
    page = view.open(path)
    page.mouse.move(*view.node_xy("org-x"))  # the hover text is plain text too
    page.wait_for_selector(".vis-tooltip", state="visible")
    assert HOSTILE in page.text_content(".vis-tooltip")
    page.evaluate("ckgView.focusNode('org-x')")
    assert page.text_content("#ckg-panel-title") == HOSTILE
    page.locator("#ckg-facts button.ckg-show").first.click()
    assert page.text_content("#ckg-mark") == CLOSER
    page.fill("#ckg-search", "onerror")
    page.wait_for_selector("#ckg-results li")
    assert HOSTILE in page.text_content("#ckg-results")
    assert page.title() == HOSTILE
    assert page.evaluate("window.pwned") is None
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert view.dialogs == []


def _gap_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_node("chain-c", kind="chain", label="链C", label_en="Chain C")
    for level, stage in enumerate(["stage-a", "stage-b"], start=1):
        G.add_node(stage, kind="stage", label=stage, chain="chain-c", level=level)
        G.add_edge(stage, "chain-c", kind="in_stage")
    for seg, stage, gap in (
        ("seg-1", "stage-a", None),
        ("seg-2", "stage-a", "missing"),
        ("seg-3", "stage-b", "weak"),
    ):
        G.add_node(
            seg, kind="segment", label=seg, chain="chain-c", stage=stage, level=G.nodes[stage]["level"]
        )
        if gap:
            G.nodes[seg].update(gap=gap, gap_score=0.8, gap_reason="没有本地企业 no local enterprise")
        G.add_edge(seg, stage, kind="in_stage")
    G.add_node("org-1", kind="enterprise", label="企业一", anchor=True, investment_yi=50.0)
    G.add_edge("org-1", "seg-1", kind="in_segment")
    G.add_node("proj-1", kind="project", label="项目一", status="under_construction")
    G.add_edge("proj-1", "seg-3", kind="in_segment")
    return G


def test_only_gaps_and_gap_marks(view, tmp_path):
    path = tmp_path / "gaps.html"
    write_html(_gap_graph(), path)
    page = view.open(path)
    page.check("#ckg-gaps")
    assert sorted(shown(page)) == ["chain-c", "seg-2", "seg-3", "stage-a", "stage-b"]
    dashes = page.evaluate("network.body.nodes['seg-2'].options.shapeProperties.borderDashes")
    assert dashes and dashes != [False]
    assert page.evaluate("network.body.nodes['seg-3'].options.color.border") == "#e69500"
    page.evaluate("ckgView.focusNode('seg-2')")
    assert "no local enterprise" in page.text_content("#ckg-panel-meta")
    page.uncheck("#ckg-gaps")
    page.select_option("#ckg-status", "signed")
    assert "proj-1" not in shown(page) and "org-1" in shown(page)


def _big_graph(players: int) -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_node("chain-b", kind="chain", label="大链", label_en="Big chain")
    for s in range(10):
        G.add_node(f"seg-{s}", kind="segment", label=f"环节{s}", chain="chain-b", level=1 + s // 4, stage="")
    for i in range(players):
        G.add_node(f"org-{i:05d}", kind="enterprise", label=f"企业{i}", label_en=f"Firm {i}")
        G.add_edge(f"org-{i:05d}", f"seg-{i % 9}", kind="in_segment")  # seg-9 stays empty
    G.add_node("org-lonely", kind="enterprise", label="无环节企业")
    return G


def test_big_graph_opens_on_overview_and_expands(view, tmp_path):
    G = _big_graph(2500)
    path = tmp_path / "big.html"
    write_html(G, path)
    page = view.open(path)
    overview = page.evaluate("network.body.data.nodes.getIds()")
    assert sorted(overview) == sorted(["chain-b", *(f"seg-{s}" for s in range(10)), "group:enterprise"])
    members = sum(1 for _, v in G.in_edges("seg-0"))
    assert page.evaluate("network.body.data.nodes.get('seg-0').label") == f"环节0 · {members}"
    view.click_node("seg-0")
    assert page.evaluate("network.body.data.nodes.length") == len(overview) + min(members, 300)
    assert page.evaluate("network.body.data.edges.length") == min(members, 300)
    page.click("#ckg-panel-actions button")  # 收起 collapse: back to the overview
    assert sorted(page.evaluate("network.body.data.nodes.getIds()")) == sorted(overview)
    assert page.evaluate("network.body.data.edges.length") == 0
    page.fill("#ckg-search", "企业2498")
    page.press("#ckg-search", "Enter")  # a member of an unexpanded segment: its segment opens, it is selected
    assert page.evaluate("network.getSelectedNodes()") == ["org-02498"]


# ---- the view on a 1366×768 office laptop ---------------------------------------------------------------------
FIRMS = ("enterprise", "project", "zone", "place", "product")
LABEL_PX = """(kinds) => { const s = network.getScale();
  return network.body.data.nodes.get({filter: n => !n.hidden && kinds.includes(n.kind)}).map(n => {
    const o = network.body.nodes[n.id].options;
    return [n.id, n.kind, o.label || '', o.font.size * s, o.font.color]; }); }"""
# Only nodes on screen: vis-network draws (and so measures) just those, the others keep the boxes of an earlier zoom.
FIRM_BOXES = """(kinds) => { const c = network.body.container;
  const tl = network.DOMtoCanvas({x: 0, y: 0}), br = network.DOMtoCanvas({x: c.clientWidth, y: c.clientHeight});
  return network.body.data.nodes.get({filter: n => !n.hidden && kinds.includes(n.kind) && n.label})
    .map(n => [n.id, network.getBoundingBox(n.id)])
    .filter(([, b]) => b.left < br.x && b.right > tl.x && b.top < br.y && b.bottom > tl.y); }"""


@pytest.fixture(scope="module")
def built_page_path(real_seeds, tmp_path_factory) -> Path:
    """The page `chainkg build` writes: with the build's as-of date and the gaps' ranked targets."""
    from graph.build.pipeline import load_build

    from conftest import REAL

    path = tmp_path_factory.mktemp("built") / "index.html"
    write_html(load_build(REAL).G, path)
    return path


def overlapping(boxes: list) -> list[tuple[str, str]]:
    pairs = []
    for i, (a, p) in enumerate(boxes):
        for b, q in boxes[i + 1 :]:
            if (
                p["left"] < q["right"]
                and q["left"] < p["right"]
                and p["top"] < q["bottom"]
                and q["top"] < p["bottom"]
            ):
                pairs.append((a, b))
    return pairs


def check_labels(page) -> int:
    """Every chain, stage and shown firm label is at least 11 px on screen; segment labels are hidden or >= 11 px;
    no two firm labels overlap (vis-network's own bounding boxes). Returns how many firm labels are shown."""
    page.evaluate("network.redraw()")  # vis updates a node's bounding box when it draws it
    for ident, kind, label, px, colour in page.evaluate(LABEL_PX, ["chain", "stage", "segment", *FIRMS]):
        if kind in ("chain", "stage"):
            assert px >= 11, (ident, px)
        elif kind == "segment":
            assert px >= 11 or colour == "rgba(0,0,0,0)", (ident, px, colour)
        elif label:
            assert px >= 11, (ident, px)
    boxes = page.evaluate(FIRM_BOXES, list(FIRMS))
    assert overlapping(boxes) == []
    return len(boxes)


def test_opening_zoom_labels_legible_and_apart(view, built_page_path):
    page = view.open(built_page_path)
    page.wait_for_timeout(100)  # the label pass runs right after the first fit
    shown_firms = check_labels(page)
    assert shown_firms >= 10  # thinned, not emptied
    # the two that used to print over each other: at most one of them is labelled at this zoom
    pair = page.evaluate(FIRM_BOXES, ["enterprise"])
    assert not overlapping([b for b in pair if b[0] in ("org-guangzhou-yuntong", "org-svolt-shangrao")])
    page.evaluate("network.moveTo({scale: 1.0})")  # zooming in brings the segment labels back
    page.evaluate("ckgView.layoutLabels()")
    px = dict((i, p) for i, _, _, p, c in page.evaluate(LABEL_PX, ["segment"]) if c != "rgba(0,0,0,0)")
    assert len(px) == page.evaluate(
        "network.body.data.nodes.get({filter: n => !n.hidden && n.kind === 'segment'}).length"
    )
    check_labels(page)


def test_legend_folded_below_1600_and_never_over_the_network(browser, built_page_path):
    small = Page(browser, 1366, 768)
    page = small.open(built_page_path)
    assert page.evaluate("document.getElementById('ckg-legend').open") is False
    assert not page.is_visible("#ckg-legend-list")
    page.click("#ckg-legend summary")
    page.wait_for_timeout(100)
    legend = page.locator("#ckg-legend-list").bounding_box()
    net = page.locator("#mynetwork").bounding_box()
    assert legend["width"] > 200 and legend["x"] + legend["width"] <= net["x"] + 1  # beside it, not over it
    assert small.errors == []
    small.page.close()
    wide = Page(browser, 1920, 1080)
    page = wide.open(built_page_path)
    assert page.evaluate("document.getElementById('ckg-legend').open") is True
    legend = page.locator("#ckg-legend-list").bounding_box()
    assert legend["x"] + legend["width"] <= page.locator("#mynetwork").bounding_box()["x"] + 1
    wide.page.close()


@pytest.mark.parametrize("chain", ["chain-pv", "chain-liion", "chain-opto", "chain-nev"])
def test_chain_filter_shows_the_chain_alone_filling_the_screen(view, built_page_path, real_digraph, chain):
    page = view.open(built_page_path)
    page.select_option("#ckg-chain", chain)
    page.wait_for_timeout(100)
    ids = shown(page)
    kinds = {real_digraph.nodes[n]["kind"] for n in ids}
    assert "zone" not in kinds and "place" not in kinds
    for n in ids:
        d = real_digraph.nodes[n]
        if d["kind"] in ("stage", "segment"):
            assert d["chain"] == chain
        elif d["kind"] in ("enterprise", "project"):  # placed in this chain itself, not an investor beside it
            assert any(
                real_digraph.nodes[v].get("chain") == chain
                for _, v, k in real_digraph.out_edges(n, data="kind")
                if k == "in_segment"
            )
    box = page.evaluate(
        """(ids) => { const b = ids.map(i => network.getBoundingBox(i)); const tl = network.canvasToDOM({x: Math.min(...b.map(x => x.left)), y: Math.min(...b.map(x => x.top))});
        const br = network.canvasToDOM({x: Math.max(...b.map(x => x.right)), y: Math.max(...b.map(x => x.bottom))}); return [br.x - tl.x, br.y - tl.y]; }""",
        ids,
    )
    net = page.locator("#mynetwork").bounding_box()
    assert box[0] >= 0.8 * net["width"] or box[1] >= 0.8 * net["height"], (box, net)
    check_labels(page)


def test_gap_panel_lists_its_top_targets_with_reasons(view, built_page_path, real_digraph):
    page = view.open(built_page_path)
    page.evaluate("ckgView.focusNode('seg-liion-anode')")
    assert page.is_visible("#ckg-targets-box")
    items = page.locator("#ckg-targets li")
    assert 1 <= items.count() <= 5
    first = items.first.text_content()
    assert "杉杉股份" in first and "负极材料" in page.locator("#ckg-targets .ckg-why").first.text_content()
    assert "强链 weak" in page.text_content("#ckg-panel-meta")
    page.evaluate("ckgView.focusNode('org-jinko')")  # not a gap: no target list
    assert not page.is_visible("#ckg-targets-box")


def test_header_shows_as_of_date_and_caveat(view, built_page_path, real_seeds):
    from graph.build.info import build_info

    page = view.open(built_page_path)
    assert f"时点 as of {build_info(real_seeds, digest='').as_of}" in page.text_content("#ckg-asof")
    assert "未点名" in page.text_content("#ckg-caveat")  # not named is not absent
    assert page.locator("#ckg-info").bounding_box()["y"] < 100


def test_date_filter_keeps_projects_of_that_year(view, built_page_path):
    page = view.open(built_page_path)
    page.select_option("#ckg-date", "signed:2023")
    ids = shown(page)
    assert "proj-qingwang-park" in ids and "proj-jcc-copper-foil" not in ids and "org-jinko" in ids


def test_print_one_chain_per_page(view, built_page_path, real_digraph):
    page = view.open(built_page_path)
    chains = sorted(n for n, d in real_digraph.nodes(data=True) if d["kind"] == "chain")
    assert page.evaluate("ckgView.printPages()") == len(chains)
    pages = page.locator("#ckg-print .ckg-print-page")
    assert pages.count() == len(chains)
    assert all(
        src.startswith("data:image/png")
        for src in page.eval_on_selector_all("#ckg-print img", "els => els.map(e => e.src)")
    )
    page.emulate_media(media="print")
    assert page.is_visible("#ckg-print") and not page.is_visible("#mynetwork")
    page.emulate_media(media="screen")
    assert shown(page) and page.evaluate("ckgView.state.chain") == ""  # the screen view is back as it was


# ---- the query page (/query of chainkg serve) -----------------------------------------------------------------
@pytest.fixture(scope="module")
def query_server():
    import threading

    from graph.build.source import load_for_serving
    from graph.sparql.server import make_server

    from conftest import REAL

    srv = make_server(*load_for_serving(seeds_dir=REAL), port=0, timeout=20.0, workers=1)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def run_query(page, text: str) -> None:
    page.evaluate("(q) => document.querySelector('.CodeMirror').CodeMirror.setValue(q)", text)
    page.wait_for_timeout(200)  # the syntax check runs after a pause in typing


def test_query_page_knows_prefixes_shows_labels_and_links_only_http(browser, query_server):
    local = ("127.0.0.1", "localhost")
    view = Page(browser, 1366, 768)
    view.page.unroute(re.compile(r"^https?://"))
    view.page.route(
        re.compile(r"^https?://"),
        lambda route: (
            route.continue_()
            if route.request.url.split("/")[2].split(":")[0] in local
            else view._block(route)
        ),
    )
    page = view.page
    page.goto(query_server.url + "query")
    page.wait_for_selector(".yasqe .CodeMirror")
    # no PREFIX lines: the endpoint predeclares ckg: and rdfs:, and so does the editor now
    run_query(page, "SELECT ?e ?l WHERE { ?e ckg:isAnchor true ; rdfs:label ?l . FILTER(LANG(?l) = 'zh') }")
    assert page.locator(".parseErrorIcon").count() == 0
    assert page.evaluate(
        "Array.from(document.querySelectorAll('.yasqe_queryButton')).every(b => !b.className.includes('query_error'))"
    )
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr .ckg-label", timeout=60_000)  # the labels arrive with a second local query
    cells = page.inner_text(".yasr table.dataTable")
    assert "蜂巢能源" in cells and "ckd:org-" in cells
    assert "@zh" not in cells and '"蜂巢能源"' not in cells
    # a literal that looks like a link, and IRIs of other schemes: text, never a link
    run_query(
        page,
        'SELECT ?x ?y ?z WHERE { VALUES (?x ?y ?z) { (<javascript:alert(1)> <data:text/html,x> "<img src=x onerror=alert(2)>") } }',
    )
    assert page.locator(".parseErrorIcon").count() == 0
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table.dataTable tbody tr td:nth-child(3)", timeout=60_000)
    hrefs = page.eval_on_selector_all(
        ".yasr table.dataTable a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    assert "javascript:alert(1)" in page.inner_text(".yasr table.dataTable")
    assert page.evaluate("document.querySelectorAll('.yasr table.dataTable img').length") == 0
    assert view.dialogs == [] and view.external == []
    view.page.close()
