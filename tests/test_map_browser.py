"""招商地图 page (``chainkg serve`` at ``/map``) in headless Chromium (Debian's /usr/bin/chromium via Playwright):
the Shangrao candidates by province and city with every non-loopback request blocked, the chain and gap selector,
and a hostile company name that stays text."""

from __future__ import annotations

import json
import re
import shutil
import threading
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.build.source import load_pages_for_serving
from graph.cli.main import cli
from graph.sparql.server import make_server

from conftest import CHROMIUM, REAL

if not CHROMIUM.exists() or shutil.which("chromium") is None:  # CI installs it (scripts/install.sh --test)
    pytest.skip("needs Debian's /usr/bin/chromium", allow_module_level=True)

pytest.importorskip("playwright.sync_api")

HOSTILE = "<img src=x onerror=alert(1)>"
VISIBLE_BARS = """Array.from(document.querySelectorAll('section:not([hidden]) .bar'))
    .map(b => [b.dataset.province, Number(b.dataset.count)])"""
VISIBLE_ROWS = """Array.from(document.querySelectorAll('section:not([hidden]) tbody tr'))
    .map(r => r.dataset.province)"""


def _serve(seeds: Path):
    served = load_pages_for_serving(seeds_dir=seeds)
    srv = make_server(served.full, served.view, map_page=served.map_page, port=0, timeout=20.0, workers=1)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


@pytest.fixture(scope="module")
def server():
    srv = _serve(REAL)
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """The Shangrao seeds with one more pool company, named like an HTML tag (a copy of 天赐材料's products)."""
    seeds = tmp_path_factory.mktemp("hostile") / "seeds"
    shutil.copytree(REAL, seeds)
    pool = seeds / "pool" / "companies.jsonl"
    lines = pool.read_text(encoding="utf-8").splitlines()
    record = json.loads(next(line for line in lines if '"天赐材料"' in line))
    record.update(name=HOSTILE, name_full=HOSTILE, code="", region="上海 上海", source='"><b>x</b>')
    pool.write_text("\n".join([*lines, json.dumps(record, ensure_ascii=False)]) + "\n", encoding="utf-8")
    srv = _serve(seeds)
    yield srv
    srv.shutdown()
    srv.server_close()


class Visit:
    """A page on the server that aborts (and records) every request to a host other than loopback."""

    def __init__(self, browser, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.external: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.route(re.compile(r"^[a-z]+://"), self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)

    def _route(self, route) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host not in ("127.0.0.1", "localhost"):
            self.external.append(route.request.url)
            route.abort()
        else:
            route.continue_()


def _cli_counts(*args: str) -> list[list[object]]:
    """Candidates per province as ``chainkg targets --by province --format json`` gives them (the CLI's path)."""
    result = CliRunner().invoke(
        cli,
        ["targets", "--seeds", str(REAL), "--by", "province", "--format", "json", *args],
        catch_exceptions=False,
    )
    return [[row["province"], row["count"]] for row in json.loads(result.stdout)]


def test_map_shows_the_shangrao_candidates_by_province_offline(server, browser):
    v = Visit(browser, server.url + "map")
    try:
        bars = v.page.evaluate(VISIBLE_BARS)
        rows = v.page.evaluate(VISIBLE_ROWS)
        table = v.page.inner_text("section:not([hidden]) table")
        about = v.page.inner_text("body")
        v.page.select_option("#chain", "pv")
        pv_bars = v.page.evaluate(VISIBLE_BARS)
        gaps = v.page.evaluate(
            "Array.from(document.querySelectorAll('#gap option')).filter(o => !o.hidden)"
            ".map(o => [o.value, o.dataset.chain, o.dataset.gap])"
        )
        v.page.select_option("#gap", gaps[1][0])
        shown = v.page.evaluate(
            "Array.from(document.querySelectorAll('section:not([hidden])')).map(s => s.dataset.gap)"
        )
        v.page.select_option("#chain", "*")
        back = v.page.evaluate(VISIBLE_BARS)
    finally:
        v.page.close()
    assert bars == _cli_counts() and bars[:2] == [["江苏", 25], ["广东", 23]]
    assert "江苏" in rows and "广东" in rows and "苏州" in table and "深圳" in table
    assert "数据截至 as of: 2023-12" in about and "来源 sources:" in about and "候选池 pool:" in about
    assert pv_bars == _cli_counts("--chain", "pv") and pv_bars != bars
    assert {g[1] for g in gaps} == {"pv"} and gaps[0][2] == "*"
    assert shown == [gaps[1][2]] and back == bars
    assert v.external == [] and v.errors == [] and v.dialogs == []


def test_hostile_company_name_stays_text(hostile_server, browser):
    v = Visit(browser, hostile_server.url + "map")
    try:
        text = v.page.inner_text("section:not([hidden]) table")
        images = v.page.evaluate("document.querySelectorAll('img, td b, td script').length")
        tip = v.page.evaluate(
            "Array.from(document.querySelectorAll('td.co')).map(t => t.title).find(t => t.includes('<b>'))"
        )
    finally:
        v.page.close()
    assert HOSTILE in text and images == 0 and tip == '来源 source: "><b>x</b>'
    assert v.dialogs == [] and v.external == [] and v.errors == []
