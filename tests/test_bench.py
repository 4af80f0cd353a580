"""scripts/bench.py --quick runs end to end and writes its table (no timing assertions: numbers vary by machine)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from graph.sparql.named import load_named_queries

ROOT = Path(__file__).resolve().parent.parent


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_quick(tmp_path):
    bench = _bench_module()
    out = tmp_path / "bench.md"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick", "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    text = out.read_text(encoding="utf-8")
    assert "### shangrao (" in text and "### synthetic-5000 (" in text
    results = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    wanted = set(bench.step_names(sorted(load_named_queries())))
    for workload in ("shangrao", "synthetic-5000"):
        for way in ("chainkg", "plain"):
            steps = {s["step"]: s for s in results[workload][way]}
            assert wanted <= set(steps), (workload, way)
            assert all(s["seconds"] >= 0 and s["peak_mb"] > 0 for s in steps.values())
            # the short Shangrao steps are the fastest of several alternating runs
            assert all(s["runs"] == (2 if workload == "shangrao" else 1) for s in steps.values())
    # the same rows on both ways where neither was stopped: the benchmark compares like with like
    for step in ["gap analysis"] + [f"query {name}" for name in load_named_queries()]:
        a = {s["step"]: s for s in results["synthetic-5000"]["chainkg"]}[step]
        b = {s["step"]: s for s in results["synthetic-5000"]["plain"]}[step]
        if not a.get("timeout") and not b.get("timeout"):
            assert a["rows"] == b["rows"], step
    assert "**end to end**" in text


def test_quick_does_not_write_the_docs():
    """A --quick run without --out goes to out/ (ignored by git), never over the committed docs/benchmarks.md."""
    bench = _bench_module()
    assert bench.default_out(False) == ROOT / "docs" / "benchmarks.md"
    quick = bench.default_out(True)
    assert quick.parent == ROOT / "out" and quick != bench.default_out(False)
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "out/" in ignored or "/out/" in ignored


def test_fastest_takes_each_steps_minimum_and_highest_peak():
    bench = _bench_module()
    runs = [
        [{"step": "load", "seconds": 0.30, "cpu_seconds": 0.20, "peak_mb": 100, "rows": 3}],
        [{"step": "load", "seconds": 0.10, "cpu_seconds": 0.25, "peak_mb": 120, "rows": 3}],
    ]
    (load,) = bench.fastest(runs)
    assert (load["seconds"], load["cpu_seconds"], load["peak_mb"], load["runs"]) == (0.10, 0.20, 120, 2)


def test_capped_stops_code_that_swallows_exceptions_and_returns_what_finishes():
    """A plain-way query past its cap is stopped in the bench's own process, even inside a broad
    ``except Exception`` (rdflib has some), and the timer is off afterwards."""
    import signal

    bench = _bench_module()

    def forever():
        while True:
            try:
                sum(range(1000))
            except Exception:  # noqa: BLE001, S110 (what the cap must get through)
                pass

    assert bench.capped(forever, 0.2) is None
    assert bench.capped(lambda: 42, 5) == 42
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_synthetic_text_is_the_stores_sorted_dump():
    """The sorted synthetic N-Triples the benchmark exports hold the lines it loads, sorted and without duplicates,
    and the same triples as the store loaded from them (Oxigraph stores an xsd:positiveInteger as xsd:integer; the
    text keeps the datatype the data declares)."""
    import pyoxigraph as ox

    from graph.rdf.fastio import sorted_ntriples

    text, nt = _bench_module().synthetic_ntriples(5_000)
    assert sorted(set(text.split(b"\n"))) == nt.split(b"\n")[:-1]
    lines = nt.split(b"\n")[:-1]
    assert lines == sorted(set(lines)) and nt.endswith(b"\n")
    store = ox.Store()
    store.load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    assert len(store) == len(lines) > 4_000
    declared = nt.replace(b"XMLSchema#positiveInteger>", b"XMLSchema#integer>")
    assert set(sorted_ntriples(store).split(b"\n")) == set(declared.split(b"\n"))
