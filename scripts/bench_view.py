"""Benchmark the HTML view on big graphs: page generation in Python, file size, and time until the page is
interactive in headless Chromium (Debian /usr/bin/chromium), then a search and an expansion on that page.

    python scripts/bench_view.py                   # synthetic 100,000-node chain graph
    python scripts/bench_view.py --national DIR       # also the A-share dataset (default ../shared/datasets/a-share-chain)
    python scripts/bench_view.py --triples 1000000    # the page of scripts/bench.py's synthetic million

"Interactive" = the page's script has run and vis-network has drawn (``window.ckgReady``), measured from the start
of navigation; all http(s) requests are aborted, so nothing is fetched. Numbers go to docs/benchmarks-view.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from graph.view.page import write_html

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NATIONAL = ROOT.parent / "shared" / "datasets" / "a-share-chain"


def synthetic(total: int = 100_000, chains: int = 10, stages: int = 5, segments: int = 8) -> nx.DiGraph:
    """A chain graph of ``total`` nodes: chains × stages × segments, the rest enterprises and projects."""
    rnd = random.Random(7)
    G = nx.DiGraph()
    segs = []
    for c in range(chains):
        chain = f"chain-{c:02d}"
        G.add_node(chain, kind="chain", label=f"产业链{c}", label_en=f"Chain {c}")
        for s in range(1, stages + 1):
            stage = f"stage-{c:02d}-{s}"
            G.add_node(
                stage, kind="stage", label=f"阶段{c}-{s}", label_en=f"Stage {c}-{s}", chain=chain, level=s
            )
            G.add_edge(stage, chain, kind="in_stage")
            if s > 1:
                G.add_edge(f"stage-{c:02d}-{s - 1}", stage, kind="next_stage")
            for k in range(segments):
                seg = f"seg-{c:02d}-{s}-{k}"
                G.add_node(seg, kind="segment", label=f"环节{c}-{s}-{k}", chain=chain, stage=stage, level=s)
                G.add_edge(seg, stage, kind="in_stage")
                if s > 1:
                    G.add_edge(f"seg-{c:02d}-{s - 1}-{rnd.randrange(segments)}", seg, kind="upstream_of")
                segs.append(seg)
    i = 0
    while G.number_of_nodes() < total:
        kind = "project" if i % 10 == 0 else "enterprise"
        node = f"{'proj' if kind == 'project' else 'org'}-{i:06d}"
        attrs = {
            "kind": kind,
            "label": f"企业{i}号" if kind == "enterprise" else f"项目{i}号",
            "label_en": f"Firm {i}",
        }
        if kind == "project":
            attrs["status"] = ("signed", "under_construction", "in_production")[i % 3]
        if i % 7 == 0:
            attrs["investment_yi"] = float(i % 200 + 1)
        G.add_node(node, **attrs)
        G.add_edge(node, rnd.choice(segs), kind="in_segment")
        if i % 5 == 0:
            G.add_edge(node, rnd.choice(segs), kind="in_segment")
        i += 1
    return G


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def national(folder: Path) -> nx.DiGraph:
    """The A-share dataset as a view graph: 申万 L1 = chain, L2 = stage, L3 = segment, companies, products."""
    G = nx.DiGraph()
    names = {row["code"]: row["name"] for row in _lines(folder / "industry.json")}
    parent = {row["from_code"]: row["to_code"] for row in _lines(folder / "industry_industry.json")}
    for code, name in sorted(names.items()):
        depth = 1 + (code in parent) + (parent.get(code) in parent)
        kind = {1: "chain", 2: "stage", 3: "segment"}[depth]
        G.add_node(f"ind-{code}", kind=kind, label=name)
    for code in sorted(names):
        node = G.nodes[f"ind-{code}"]
        if node["kind"] == "stage":
            node.update(chain=f"ind-{parent[code]}", level=1 + int(code[2:4]) % 7)
            G.add_edge(f"ind-{code}", f"ind-{parent[code]}", kind="in_stage")
        elif node["kind"] == "segment" and f"ind-{parent[code]}" in G:
            stage = G.nodes[f"ind-{parent[code]}"]
            node.update(
                chain=stage.get("chain", ""), stage=f"ind-{parent[code]}", level=stage.get("level", 1)
            )
            G.add_edge(f"ind-{code}", f"ind-{parent[code]}", kind="in_stage")
    for row in _lines(folder / "company.json"):
        G.add_node(
            f"org-{row['code'][:6]}", kind="enterprise", label=row["name"], aliases=row.get("fullname", "")
        )
    for row in _lines(folder / "company_industry.json"):
        org, ind = f"org-{row['company_code'][:6]}", f"ind-{row['industry_code']}"
        if org in G and ind in G and G.nodes[ind]["kind"] == "segment":
            G.add_edge(org, ind, kind="in_segment")
    products = {row["name"] for row in _lines(folder / "product.json")}
    for name in sorted(products):
        G.add_node(f"prod-{name}", kind="product", label=name)
    for row in _lines(folder / "company_product.json"):
        org, prod = f"org-{row['company_code'][:6]}", f"prod-{row['product_name']}"
        if org in G and prod in G:
            G.add_edge(org, prod, kind="produces")
    for row in _lines(folder / "product_product.json"):
        a, b = f"prod-{row['from_entity']}", f"prod-{row['to_entity']}"
        if a in G and b in G and row["rel"] == "上游材料":
            G.add_edge(b, a, kind="upstream_of")
    return G


def measure(G: nx.DiGraph, query: str, *, runs: int = 3) -> dict[str, float]:
    """Generate the page, then open it ``runs`` times in Chromium; return the timings in seconds (median)."""
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-view-"))
    path = folder / "index.html"
    t = time.perf_counter()
    write_html(G, path)
    result = {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "generate_s": time.perf_counter() - t,
    }
    result["size_mb"] = path.stat().st_size / 1e6
    ready, search, expand = [], [], []
    sizes: dict[str, int] = {}
    for _, v, kind in G.edges(data="kind"):
        if kind == "in_segment":
            sizes[v] = sizes.get(v, 0) + 1
    target = max(sorted(sizes), key=sizes.__getitem__)  # the biggest segment
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            external: list[str] = []
            page.route(
                re.compile(r"^https?://"), lambda r, ext=external: (ext.append(r.request.url), r.abort())
            )
            t = time.perf_counter()
            page.goto(path.as_uri(), wait_until="commit")
            page.wait_for_function("window.ckgReady === true", timeout=120_000, polling=20)
            ready.append(time.perf_counter() - t)
            result["overview_nodes"] = page.evaluate("network.body.data.nodes.length")
            t = time.perf_counter()
            page.fill("#ckg-search", query)
            page.press("#ckg-search", "Enter")
            page.wait_for_function("network.getSelectedNodes().length === 1", polling=20)
            search.append(time.perf_counter() - t)
            before = page.evaluate("network.body.data.nodes.length")
            t = time.perf_counter()
            page.evaluate(f"ckgView.expand({json.dumps(target)})")
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            expand.append(time.perf_counter() - t)
            result["expanded_nodes"] = page.evaluate("network.body.data.nodes.length") - before
            assert external == [], external
            page.close()
        browser.close()
    for key, values in (("ready_s", ready), ("search_s", search), ("expand_s", expand)):
        result[key] = sorted(values)[len(values) // 2]
        result[key + "_max"] = max(values)
    return result


def bench_graph(n_triples: int) -> nx.DiGraph:
    """The networkx view of scripts/bench.py's synthetic zone of ``n_triples`` triples, read from an Oxigraph
    store as chainkg does at that size (graph.storeview)."""
    import importlib.util

    import pyoxigraph as ox

    from graph.sparql.storeview import store_digraph

    spec = importlib.util.spec_from_file_location("bench", Path(__file__).with_name("bench.py"))
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    text, _ = bench.synthetic_ntriples(n_triples)  # in generated order, as scripts/bench.py loads it
    store = ox.Store()
    store.load(text, format=ox.RdfFormat.N_TRIPLES)
    return store_digraph(store)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--national", type=Path, default=DEFAULT_NATIONAL)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--triples", type=int, help="measure scripts/bench.py's synthetic graph of this many triples instead"
    )
    args = parser.parse_args(argv)
    if args.triples:
        row = measure(bench_graph(args.triples), "企业1号", runs=args.runs)
        print(
            f"bench-synthetic-{args.triples}",
            json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}),
        )
        return 0
    rows = [("synthetic", measure(synthetic(args.nodes), f"企业{args.nodes - 701}号", runs=args.runs))]
    if (args.national / "company.json").exists():
        t = time.perf_counter()
        G = national(args.national)
        load = time.perf_counter() - t
        row = measure(G, "璞泰来", runs=args.runs)
        row["load_s"] = load
        rows.append(("a-share-chain", row))
    for name, row in rows:
        print(name, json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
