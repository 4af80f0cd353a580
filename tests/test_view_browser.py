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

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists() or shutil.which("chromium") is None:  # CI installs it (scripts/install.sh --test)
    pytest.skip("needs Debian's /usr/bin/chromium", allow_module_level=True)

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


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
    assert page.evaluate("network.body.nodes['seg-3'].options.color.border") == "#f0a202"
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
