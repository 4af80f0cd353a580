"""scripts/bench.py --quick runs end to end and writes its table (no timing assertions: numbers vary by machine)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from graph.sparql.named import load_named_queries

ROOT = Path(__file__).resolve().parent.parent


def test_bench_quick(tmp_path):
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
    for workload in ("shangrao", "synthetic-5000"):
        for way in ("chainkg", "plain"):
            steps = {s["step"]: s for s in results[workload][way]}
            wanted = {
                "load",
                "build RDF",
                "gap analysis",
                "export turtle",
                "export nt",
                "export jsonld",
                "HTML view",
            }
            wanted |= {"push to Oxigraph server"} | {f"query {name}" for name in load_named_queries()}
            assert wanted <= set(steps), (workload, way)
            assert all(s["seconds"] >= 0 and s["peak_mb"] > 0 for s in steps.values())
    # the same rows on both ways where neither was stopped: the benchmark compares like with like
    for name in load_named_queries():
        a = {s["step"]: s for s in results["synthetic-5000"]["chainkg"]}[f"query {name}"]
        b = {s["step"]: s for s in results["synthetic-5000"]["plain"]}[f"query {name}"]
        if not a["timeout"] and not b["timeout"]:
            assert a["rows"] == b["rows"], name
    assert "**end to end**" in text
