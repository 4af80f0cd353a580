"""Shared fixtures: the tiny test seeds, the real Shangrao seeds, and helpers to break seeds on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import build_graph, load_seeds, to_digraph
from graph.view.facts import add_facts

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "data" / "tiny"
REAL = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
DATASET = SHARED / "datasets" / "a-share-chain"


@pytest.fixture(scope="session")
def tiny_seeds():
    return load_seeds(TINY)


@pytest.fixture(scope="session")
def tiny_graph(tiny_seeds):
    return build_graph(tiny_seeds)


@pytest.fixture(scope="session")
def tiny_digraph(tiny_graph):
    return add_facts(to_digraph(tiny_graph), tiny_graph)


@pytest.fixture(scope="session")
def real_seeds():
    return load_seeds(REAL)


@pytest.fixture(scope="session")
def real_graph(real_seeds):
    return build_graph(real_seeds)


@pytest.fixture(scope="session")
def real_digraph(real_graph):
    return add_facts(to_digraph(real_graph), real_graph)


@pytest.fixture
def tiny_copy(tmp_path) -> Path:
    """A writable copy of the tiny seeds, for breaking."""
    target = tmp_path / "seeds"
    shutil.copytree(TINY, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must occur) by ``new`` in a seed file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Whole files that are slow, drive a browser or start servers; single slow tests carry their own marker.
_FILE_MARKS = {
    "test_view_browser.py": ("browser", "slow"),
    "test_map_browser.py": ("browser", "slow"),
    "test_servers.py": ("servers", "slow"),
    "test_bench.py": ("slow",),
    "test_wheel.py": ("slow",),
    # seconds each: interrupted and killed builds, the endpoint's safety and protocol tests on loopback
    "test_outdir.py": ("slow",),
    "test_endpoint_safety.py": ("servers", "slow"),
    "test_sparql_protocol.py": ("servers", "slow"),
    "test_push.py": ("servers", "slow"),
}


# Single tests that take seconds (the real seeds through pySHACL, the national dataset, whole builds, a browser).
_SLOW_TESTS = {
    "test_real_seeds_conform",
    "test_validate_conforms_and_violations",
    "test_national_precision_at_5",
    "test_build_twice_same_bytes",
    "test_national_layout_is_a_pool",
    "test_real_dataset",
    "test_timeout_stops_the_query_not_the_server",
    "test_any_csv_imports_or_is_refused",
    "test_any_enterprises_file_loads_or_is_refused",
    "test_synthetic_same_view_and_gaps",
    "test_seeds_same_view_and_gaps",
    "test_fast_exports_same_triples",
    "test_quality_bar_on_the_corpus",
    "test_shapes_check_the_new_terms",
    "test_named_queries_same_on_both_engines",
}
_BROWSER_TESTS = {"test_query_page_runs_a_named_query_offline"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        for mark in _FILE_MARKS.get(item.path.name, ()):
            item.add_marker(getattr(pytest.mark, mark))
        name = getattr(item, "originalname", item.name)
        if name in _SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
        if name in _BROWSER_TESTS:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


# Debian's Chromium (scripts/install.sh --test), driven by Playwright; never a browser Playwright downloads.
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for one test module; the test skips where Chromium or Playwright is absent."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's /usr/bin/chromium (bash scripts/install.sh --test)")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()
