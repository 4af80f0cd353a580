"""A small load test of ``chainkg serve`` on loopback (scripts/bench_endpoint.py): 10 clients × 100 named queries on
kept-alive connections, then 50 clients × 10 requests on new connections; no request may fail.

Timings are recorded in docs/sparql.md from the script, not asserted here (they depend on the machine)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.servers]


def test_endpoint_under_load_has_no_errors(tmp_path):
    out = tmp_path / "load.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_endpoint.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,  # the script bounds each phase too; this only stops a hung run
    )
    results = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    phases = results["phases"]
    assert phases["keep-alive, named queries"]["requests"] == 1000
    assert phases["new connection per request, ASK"]["requests"] == 500
    for name, phase in phases.items():
        assert phase["errors"] == 0 and phase["ok"] == phase["requests"], (name, phase["error_kinds"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| keep-alive, named queries | 10 × 100 | 1000 | 0 |" in out.read_text(encoding="utf-8")
