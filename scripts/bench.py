"""Benchmark chainkg's scaled path (Oxigraph store, engine and serialisers) against the plain rdflib way.

Usage:
    python scripts/bench.py                 # full run: Shangrao, national dataset, synthetic 1M triples
    python scripts/bench.py --quick         # small and quick (CI runs it through tests/test_bench.py)
    python scripts/bench.py --out FILE.md   # where the Markdown table goes (default docs/benchmarks.md, and
                                            # out/benchmarks-quick.md with --quick: CI never rewrites the docs)
    python scripts/bench.py --workload shangrao --out /tmp/s.md   # one workload (repeatable)

Each (workload, way) pair runs in its own Python process, so peak memory is per way; a thread samples the
process's resident set size (VmRSS) every few milliseconds and each step reports the highest value seen during it.
Each way runs several times (ROUNDS: seven for Shangrao, whose steps last hundredths of a second), alternating, and
every step reports its fastest run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT.parent / "shared" / "datasets" / "a-share-chain"
WAYS = ("chainkg", "plain")
# The steps of the end-to-end figure, and every step a run measures (tests/test_bench.py reads them from here).
E2E_STEPS = ("load", "build RDF", "gap analysis", "export turtle", "export nt", "export jsonld", "HTML view")
PUSH_STEP = "push to Oxigraph server"
# Each way of a workload runs this many times, alternating, and every step reports its fastest run (see fastest):
# Shangrao's steps take hundredths of a second, where one run is mostly noise, and at the larger sizes a step that
# runs the same code both ways (the HTML view) measured 1.73 s and then 1.99 s in two runs of the same build.
# Which way starts a round alternates too. The HTML view runs the same `to_html` both ways and spreads by ±0.15 s
# between processes at 1M triples, so each run renders it VIEW_RENDERS times and keeps the fastest.
ROUNDS = {"shangrao": 7, "national": 5, "synthetic-1000000": 2}
VIEW_RENDERS = 3


def default_out(quick: bool) -> Path:
    """Where the table goes without ``--out``: the committed docs for a full run, ``out/`` (ignored by git) for
    ``--quick``, so CI never overwrites the measured numbers."""
    return ROOT / ("out/benchmarks-quick.md" if quick else "docs/benchmarks.md")


def step_names(queries: list[str]) -> list[str]:
    """Every step of one (workload, way) run, for the named queries ``queries``."""
    return [*E2E_STEPS, PUSH_STEP, *(f"query {name}" for name in queries)]


MARKER = "<!-- analysis: kept by scripts/bench.py -->"


# -- measuring ----------------------------------------------------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="utf-8") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Meter:
    """Wall time and peak RSS per step."""

    def __init__(self) -> None:
        self.steps: list[dict] = []
        self._peak = 0.0
        self._stop = False
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self._stop:
            self._peak = max(self._peak, _rss_mb())
            time.sleep(0.005)

    @contextmanager
    def step(self, name: str, note: str = ""):
        self._peak = _rss_mb()
        start, cpu = time.perf_counter(), time.process_time()
        record = {"step": name, "note": note}
        yield record
        record["seconds"] = time.perf_counter() - start
        # CPU seconds of the process (all its threads): steadier than wall time on a shared machine
        record["cpu_seconds"] = time.process_time() - cpu
        record["peak_mb"] = max(self._peak, _rss_mb())
        self.steps.append(record)


class Stopped(BaseException):
    """Raised in the measured code when its time cap runs out; a BaseException, so that no ``except Exception`` in
    rdflib or chainkg swallows it."""


def capped(fn, seconds: float):
    """``fn()``, or None when it runs past ``seconds``: an interval timer raises :class:`Stopped` in the code.

    In this process, not in a forked child: a forked child's first query paid copy-on-write page faults that a
    `chainkg query` process never pays (Oxigraph's read locks write to pages the fork shares: 50,000-140,000 faults
    and 0.1-0.2 s for a query at 1M triples, docs/benchmarks.md). The timer stops rdflib, whose evaluator is
    Python; Oxigraph sees it only when it hands back a row, which is why every query the chainkg way runs is one
    that finishes.
    """

    done = False

    def stop(signum, frame):
        if not done:  # a repeat that comes while the timer is being turned off is ignored
            raise Stopped

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)  # and again every 0.5 s until the code stops
    try:
        return fn()
    except Stopped:
        return None
    finally:
        done = True
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- the synthetic chain graph ------------------------------------------------------------------------------------


def synthetic_triples(n_triples: int, iri, lit, *, seed: int = 6):
    """Yield about ``n_triples`` triples of a seeded synthetic zone: chains → stages → segments, enterprises and
    projects placed on segments (the shape the named queries and the gap rules read)."""
    from rdflib.namespace import ORG, RDF, RDFS, SKOS, XSD

    from graph.vocab.namespaces import CKG, SCHEMA, data_iri

    rng = random.Random(seed)
    T = {
        k: iri(str(v))
        for k, v in {
            "type": RDF.type,
            "label": RDFS.label,
            "broader": SKOS.broader,
            "inScheme": SKOS.inScheme,
            "top": SKOS.topConceptOf,
            "Chain": CKG.IndustryChain,
            "Stage": CKG.ChainStage,
            "Seg": CKG.ChainSegment,
            "Ent": CKG.Enterprise,
            "Proj": CKG.InvestmentProject,
            "Site": ORG.Site,
            "hasSite": ORG.hasSite,
            "in": SCHEMA.containedInPlace,
            "inSegment": CKG.inSegment,
            "up": CKG.upstreamOf,
            "idx": CKG.stageIndex,
            "anchor": CKG.isAnchor,
            "investor": CKG.investor,
            "status": CKG.status,
            "site": CKG.projectSite,
            "Zone": CKG.DevelopmentZone,
            "code": CKG.stockCode,
        }.items()
    }
    statuses = [iri(str(s)) for s in (CKG.signed, CKG.underConstruction, CKG.inProduction)]
    zone = iri(str(data_iri("zone", "syn")))
    yield zone, T["type"], T["Zone"]
    yield zone, T["label"], lit("合成开发区", "zh", None)
    per_firm = 6.8  # triples per enterprise with its projects, measured on this generator
    n_firms = max(20, int(n_triples / per_firm))
    n_chains = max(2, min(50, n_firms // 2000))
    segments: list[object] = []
    for c in range(n_chains):
        chain = iri(str(data_iri("chain", f"c{c}")))
        yield chain, T["type"], T["Chain"]
        yield chain, T["label"], lit(f"产业链{c}", "zh", None)
        previous: list[object] = []
        for s in range(6):
            stage = iri(str(data_iri("stage", f"c{c}-s{s}")))
            yield stage, T["type"], T["Stage"]
            yield stage, T["label"], lit(f"环节{c}-{s}", "zh", None)
            yield stage, T["top"], chain
            yield stage, T["idx"], lit(str(s + 1), None, str(XSD.positiveInteger))
            current = []
            for k in range(5):
                seg = iri(str(data_iri("seg", f"c{c}-s{s}-{k}")))
                current.append(seg)
                yield seg, T["type"], T["Seg"]
                yield seg, T["label"], lit(f"细分{c}-{s}-{k}", "zh", None)
                yield seg, T["broader"], stage
                yield seg, T["inScheme"], chain
                for up in rng.sample(previous, min(2, len(previous))):
                    yield up, T["up"], seg
            previous = current
            segments.extend(current)
    for n in range(n_firms):
        firm = iri(str(data_iri("org", f"e{n}")))
        yield firm, T["type"], T["Ent"]
        yield firm, T["label"], lit(f"企业{n}号", "zh", None)
        yield (
            firm,
            T["inSegment"],
            rng.choice(segments[: int(len(segments) * 0.8)]),
        )  # some segments stay empty
        if rng.random() < 0.6:
            site = iri(str(data_iri("site", f"e{n}")))
            yield firm, T["hasSite"], site
            yield site, T["type"], T["Site"]
            yield site, T["in"], zone
        if rng.random() < 0.01:
            yield firm, T["anchor"], lit("true", None, str(XSD.boolean))
        if rng.random() < 0.3:
            proj = iri(str(data_iri("proj", f"p{n}")))
            yield proj, T["type"], T["Proj"]
            yield proj, T["label"], lit(f"项目{n}号", "zh", None)
            yield proj, T["investor"], firm
            yield proj, T["inSegment"], rng.choice(segments)
            yield proj, T["status"], rng.choice(statuses)
            yield proj, T["site"], zone


def synthetic_ntriples(n_triples: int) -> tuple[bytes, bytes]:
    """The synthetic zone as N-Triples text written in one pass (no RDF term objects): in the order generated, for
    Oxigraph's loader, and sorted without duplicates, as :func:`graph.inputs.national.rdf.national_ntriples` writes
    the national dataset, for the N-Triples export (and the Turtle and JSON-LD written from it).

    The store is loaded in generated order because the order of loading changes how fast some queries run (a store
    loaded from the sorted text answered gaps-segments in 2.1 s instead of 1.3 s): data arrives in its own order.
    """
    from graph.rdf.fastio import nt_literal

    iris: dict[str, str] = {}

    def node(text: str) -> str:
        return iris.get(text) or iris.setdefault(text, f"<{text}>")

    text = "\n".join(f"{s} {p} {o} ." for s, p, o in synthetic_triples(n_triples, node, nt_literal)).encode(
        "utf-8"
    )
    lines = sorted(set(text.split(b"\n")))  # as bytes, as graph.rdf.fastio.sorted_ntriples sorts
    return text, b"\n".join(lines) + b"\n"


SYNTHETIC_PARAMS = {
    "segment": "ckd:seg-c0-s2-0",
    "chain": "ckd:chain-c0",
    "node": "ckd:org-e1",
    "zone": "ckd:zone-syn",
    "name": "企业1号",
}


# -- one workload, one way ----------------------------------------------------------------------------------------


def run(workload: str, way: str, quick: bool) -> list[dict]:
    from rdflib import Graph, Literal, URIRef

    sys.path.insert(
        0, str(ROOT / "tests")
    )  # the loopback server helpers live with the tests (tests/servers.py)
    from servers import OxigraphServer

    from graph.analysis.digraph import to_digraph
    from graph.analysis.gaps import find_gaps
    from graph.rdf.fastio import fast_bytes, ntriples_lines, sorted_ntriples
    from graph.rdf.serialize import dumps
    from graph.sparql.engine import RdflibEngine
    from graph.sparql.engines import OxigraphEngine, engine_for
    from graph.sparql.named import load_named_queries
    from graph.sparql.push import push_lines
    from graph.sparql.storeview import view_digraph
    from graph.view.page import to_html

    m = Meter()
    fast = way == "chainkg"
    cap = 5 if quick else 20  # seconds before a plain-way query is given up
    g = store = engine = nt = None
    params: dict[str, str] = {}

    def lit(text, lang, dt):
        return Literal(text, lang=lang, datatype=URIRef(dt) if dt else None)

    if workload == "shangrao":
        from graph.build.pipeline import make_build
        from graph.rdf.validate import validate
        from graph.seeds.load import load_seeds

        with m.step("load"):
            seeds = load_seeds(ROOT / "seeds")
        with m.step("build RDF", note="Oxigraph copies it at the first query (below)" if fast else ""):
            g = make_build(seeds).g
            engine = engine_for(g, "auto" if fast else "rdflib")
        if not quick:  # pySHACL takes over a second even here; CI only checks that the benchmark runs
            with m.step("validate"):
                validate(g)
    elif workload == "national":
        from graph.inputs.national.rdf import national_graph, national_ntriples, national_store
        from graph.inputs.national.read import read_national

        with m.step("load"):
            nat = read_national(DATASET)
        with m.step("build RDF", note="one-pass N-Triples text into Oxigraph's loader" if fast else ""):
            if fast:
                nt = national_ntriples(nat)  # already sorted: it is also the N-Triples export
                store = national_store(nat, nt=nt)
                engine = OxigraphEngine(store)
            else:
                g = national_graph(nat)
                engine = RdflibEngine(g)
    else:
        import pyoxigraph as ox

        size = int(workload.split("-")[1])
        params = SYNTHETIC_PARAMS
        with m.step("load", note="generate"):
            pass  # generated while building: there is no file to read
        with m.step(
            "build RDF", note="one-pass sorted N-Triples text into Oxigraph's loader" if fast else ""
        ):
            if fast:
                text, nt = synthetic_ntriples(size)  # nt, sorted, is also the N-Triples export
                store = ox.Store()
                store.load(text, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
                del text
                engine = OxigraphEngine(store)
            else:
                g = Graph()
                for t in synthetic_triples(size, URIRef, lit):
                    g.add(t)
                engine = RdflibEngine(g)
    source = store if store is not None else g
    triples = len(source)
    named = load_named_queries()
    with m.step("gap analysis", note="rule inputs as SELECT columns from the store" if store else "") as rec:
        # the networkx view read from the store as columns (graph.storeview), then the same networkx rules
        G = view_digraph(engine) if store is not None else to_digraph(g)
        rec["rows"] = len(find_gaps(G))
    if store is None and isinstance(engine, OxigraphEngine):
        # the copy from_graph defers to the first query, timed on its own
        with m.step("copy into Oxigraph", note="once, at the first query; the plain way has no copy"):
            engine.store  # noqa: B018 (the property makes the copy)
    # This process holds the networkx view of every node, which `chainkg query` never builds: frozen, the collector
    # does not walk those millions of objects while a query runs.
    gc.freeze()
    for name, q in sorted(named.items()):
        values = {p.name: params[p.name] for p in q.params if p.name in params}
        text = q.bind(values, use_examples=True)
        with m.step(f"query {name}") as rec:
            rows = capped(lambda text=text: len(engine.query(text).rows), cap)
            rec["rows"] = rows
            rec["timeout"] = rows is None
    gc.unfreeze()
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("nt", "turtle", "jsonld"):
            note = "" if store is None else "from the sorted N-Triples"
            if fmt == "nt" and store is not None:
                note = "the text the store was loaded from" if nt is not None else ""
            with m.step(f"export {fmt}", note=note) as rec:
                if store is not None:
                    nt = nt or sorted_ntriples(store)  # sorted once, for the three formats
                    data = fast_bytes(store, fmt, nt=nt)
                else:
                    data = dumps(g, fmt, fast=None if fast else False).encode("utf-8")
                Path(tmp, f"kg.{fmt}").write_bytes(data)
                rec["mb"] = round(len(data) / 2**20, 1)
                del data
        renders = []
        for _ in range(1 if quick else VIEW_RENDERS):
            with m.step(
                "HTML view",
                note="the networkx view made for the gaps, as chainkg build reuses it; "
                f"fastest of {VIEW_RENDERS} renders",
            ) as rec:
                html = to_html(G)
                rec["mb"] = round(len(html.encode("utf-8")) / 2**20, 1)
            renders.append([m.steps.pop()])
            del html
        m.steps.append(fastest(renders)[0])
        with OxigraphServer(Path(tmp) / "server") as server:
            with m.step(PUSH_STEP) as rec:
                lines = (
                    ([line for line in nt.split(b"\n") if line] if nt is not None else ntriples_lines(source))
                    if fast
                    else sorted(
                        line.encode("utf-8") for line in g.serialize(format="nt").splitlines() if line.strip()
                    )
                )
                push_lines(lines, server.store_url, replace=True)
    for s in m.steps:
        s["triples"] = triples
    return m.steps


# -- reporting ----------------------------------------------------------------------------------------------------


def _cell(rec: dict | None) -> tuple[str, str, str]:
    if rec is None:
        return "–", "–", "–"
    if rec.get("timeout"):
        return f">{rec['seconds']:.0f} (stopped)", "", f"{rec['peak_mb']:.0f}"
    return f"{rec['seconds']:.2f}", f"{rec.get('cpu_seconds', 0.0):.2f}", f"{rec['peak_mb']:.0f}"


def _ratio(a: dict, b: dict | None, key: str) -> str:
    if b is None or a.get(key, 0.0) <= 0.0005 or (b.get("timeout") and key != "seconds"):
        return ""
    return ("≥" if b.get("timeout") else "") + f"{b[key] / a[key]:.1f}×"


def fastest(runs: list[list[dict]]) -> list[dict]:
    """One record per step from several runs of the same (workload, way): the fastest wall and CPU seconds (other
    work on the machine only ever adds time, so the minimum is the best estimate of the step's own cost, as
    ``timeit`` reasons), the highest peak memory, and how many runs were taken."""
    steps = []
    for records in zip(*runs, strict=True):
        best = dict(min(records, key=lambda r: r["seconds"]))
        best["cpu_seconds"] = min(r.get("cpu_seconds", 0.0) for r in records)
        best["peak_mb"] = max(r["peak_mb"] for r in records)
        best["runs"] = len(records)
        steps.append(best)
    return steps


def table(results: dict[str, dict[str, list[dict]]]) -> str:
    """The Markdown tables: per workload, every step on both ways, wall and CPU seconds, and their ratios."""
    lines = []
    for workload, ways in results.items():
        fast = {s["step"]: s for s in ways.get("chainkg", [])}
        plain = {s["step"]: s for s in ways.get("plain", [])}
        triples = next(iter(fast.values()))["triples"] if fast else 0
        lines += [
            f"\n### {workload} ({triples:,} triples)\n",
            "| step | chainkg s | cpu s | peak MB | plain rdflib s | cpu s | peak MB | plain ÷ chainkg | cpu ratio | note |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for name in fast:
            a, b = fast[name], plain.get(name)
            note = a.get("note", "") or ""
            if "mb" in a:
                note = f"{note} {a['mb']} MB".strip()
            lines.append(
                f"| {name} | {' | '.join(_cell(a))} | {' | '.join(_cell(b))} | {_ratio(a, b, 'seconds')} "
                f"| {_ratio(a, b, 'cpu_seconds')} | {note} |"
            )
        if all(k in fast for k in E2E_STEPS) and all(k in plain for k in E2E_STEPS):
            ta, tb = (sum(w[k]["seconds"] for k in E2E_STEPS) for w in (fast, plain))
            ca, cb = (sum(w[k].get("cpu_seconds", 0.0) for k in E2E_STEPS) for w in (fast, plain))
            pa, pb = (max(w[k]["peak_mb"] for k in E2E_STEPS) for w in (fast, plain))
            cpu_ratio = f"**{cb / ca:.1f}×**" if ca else ""
            lines.append(
                f"| **end to end** (load → gaps → exports → view) | **{ta:.1f}** | **{ca:.1f}** | **{pa:.0f}** "
                f"| **{tb:.1f}** | **{cb:.1f}** | **{pb:.0f}** | **{tb / ta:.1f}×** | {cpu_ratio} | |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description="chainkg benchmark 基准测试")
    ap.add_argument("--quick", action="store_true", help="small workloads, for CI")
    ap.add_argument("--out", type=Path, help="Markdown table (default docs/benchmarks.md; --quick: out/)")
    ap.add_argument(
        "--workload", action="append", help="only this workload (repeatable): shangrao, national, synthetic-N"
    )
    ap.add_argument("--run", help=argparse.SUPPRESS)
    ap.add_argument("--way", choices=WAYS, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.out is None:
        args.out = default_out(args.quick)
    if args.run:
        print(json.dumps(run(args.run, args.way, args.quick), ensure_ascii=False))
        return
    workloads = (
        ["shangrao", "synthetic-5000"] if args.quick else ["shangrao", "national", "synthetic-1000000"]
    )
    if args.workload:
        workloads = args.workload
    if "national" in workloads and not DATASET.is_dir():
        print(f"bench: {DATASET} not found; skipping the national workload", file=sys.stderr)
        workloads.remove("national")
    results: dict[str, dict[str, list[dict]]] = {}
    for workload in workloads:
        rounds = min(ROUNDS.get(workload, 1), 2 if args.quick else 99)
        runs: dict[str, list[list[dict]]] = {way: [] for way in WAYS}
        for round_ in range(rounds):
            # alternating, and each way starting every other round, so a busy moment falls on both ways
            for way in WAYS if round_ % 2 == 0 else WAYS[::-1]:
                print(f"bench: {workload} / {way} ({round_ + 1}/{rounds}) …", file=sys.stderr, flush=True)
                cmd = [sys.executable, __file__, "--run", workload, "--way", way] + (
                    ["--quick"] if args.quick else []
                )
                out = subprocess.run(
                    cmd, check=True, capture_output=True, text=True, encoding="utf-8", cwd=ROOT
                )
                runs[way].append(json.loads(out.stdout.strip().splitlines()[-1]))
        results[workload] = {way: fastest(rounds_) for way, rounds_ in runs.items()}
    header = (
        "# Benchmarks 基准测试\n\n"
        f"Measured by `python scripts/bench.py{' --quick' if args.quick else ''}` on {time.strftime('%Y-%m-%d')}: "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.system()}. **chainkg** is the scaled "
        "path (pyoxigraph store and engine, the default at every size; Oxigraph serialisers), **plain** the "
        "rdflib in-memory store, rdflib's SPARQL and serialisers. Each way runs in its own process; peak MB is the "
        "highest resident set size seen during the step.\n"
    )
    text = header + table(results)
    # keep the hand-written reading of the numbers below the marker across reruns
    old = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
    if MARKER in old:
        text += "\n" + old[old.index(MARKER) :]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    (args.out.with_suffix(".json")).write_text(
        json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(text)


if __name__ == "__main__":
    main()
