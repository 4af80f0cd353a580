"""Load-test ``chainkg serve`` on loopback: concurrent clients send the named queries and we count errors and time.

Two phases, both bounded in count and time:

- keep-alive: ``--clients`` clients, each on one kept-alive connection, send ``--requests`` named queries in turn
  (parameters bound to their examples, as the query page sends them);
- new connections: ``--burst`` clients each open a new connection per request (``ASK``), ``--burst-requests`` each,
  which is what overflowed the old listen backlog of 5.

Prints a Markdown table and, with ``--out``, writes it with a JSON twin for tests. Usage::

    PYTHONPATH=. python scripts/bench_endpoint.py --out docs/endpoint-load.md
    PYTHONPATH=. python scripts/bench_endpoint.py --engine rdflib --out docs/endpoint-load-rdflib.md
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.build.source import load_for_serving  # noqa: E402
from graph.sparql.named import load_named_queries  # noqa: E402
from graph.sparql.server import make_server  # noqa: E402

DEADLINE = (
    600.0  # seconds for a whole phase; a phase still running then counts its missing requests as errors
)


def _queries() -> list[str]:
    return [q.bind(use_examples=True) for q in load_named_queries().values()]


def _client(
    port: int, texts: list[str], n: int, keep_alive: bool, out: list, errors: list, stop: float
) -> None:
    conn = None
    for i in range(n):
        if time.monotonic() > stop:
            errors.append("deadline")
            continue
        if conn is None or not keep_alive:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = urllib.parse.urlencode({"query": texts[i % len(texts)]}).encode()
        start = time.perf_counter()
        try:
            conn.request(
                "POST",
                "/sparql",
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"},
            )
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                errors.append(f"HTTP {resp.status}")
            else:
                out.append(time.perf_counter() - start)
        except (OSError, http.client.HTTPException) as err:
            errors.append(type(err).__name__)
            conn.close()
            conn = None
        if not keep_alive and conn is not None:
            conn.close()
    if conn is not None:
        conn.close()


def run_phase(port: int, texts: list[str], clients: int, per_client: int, keep_alive: bool) -> dict:
    """Run one phase; figures in seconds."""
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + DEADLINE
    threads = [
        threading.Thread(target=_client, args=(port, texts, per_client, keep_alive, latencies, errors, stop))
        for _ in range(clients)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    qs = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "clients": clients,
        "requests": clients * per_client,
        "keep_alive": keep_alive,
        "ok": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "p50_ms": round(qs[49] * 1000, 1),
        "p95_ms": round(qs[94] * 1000, 1),
        "req_per_s": round(len(latencies) / wall, 1) if wall else 0.0,
        "seconds": round(wall, 1),
    }


def table(results: dict) -> str:
    rows = [
        f"Measured {results['date']} on {results['machine']} ({results['cpus']} cores), engine {results['engine']}, "
        f"{results['workers']} workers at start, seeds `{results['seeds']}`.",
        "",
        "| phase | clients × requests | ok | errors | p50 ms | p95 ms | req/s | wall s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in results["phases"].items():
        rows.append(
            f"| {name} | {r['clients']} × {r['requests'] // r['clients']} | {r['ok']} | {r['errors']} | "
            f"{r['p50_ms']} | {r['p95_ms']} | {r['req_per_s']} | {r['seconds']} |"
        )
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default=str(ROOT / "seeds"))
    ap.add_argument("--engine", default="oxigraph", choices=["rdflib", "oxigraph"])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--burst", type=int, default=50)
    ap.add_argument("--burst-requests", type=int, default=10)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)

    full, view = load_for_serving(seeds_dir=args.seeds)
    srv = make_server(full, view, port=0, workers=args.workers, engine=args.engine)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    try:
        run_phase(port, _queries(), 2, 5, True)  # warm-up: every worker has run each query form once
        phases = {
            "keep-alive, named queries": run_phase(port, _queries(), args.clients, args.requests, True),
            "new connection per request, ASK": run_phase(
                port, ["ASK { ?s a ckg:Enterprise }"], args.burst, args.burst_requests, False
            ),
        }
    finally:
        srv.shutdown()
        srv.server_close()
    results = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        "cpus": os.cpu_count(),
        "engine": args.engine,
        "workers": args.workers,
        "seeds": os.path.relpath(args.seeds, ROOT),
        "phases": phases,
    }
    text = table(results)
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        args.out.with_suffix(".json").write_text(
            json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
    return 0 if all(p["errors"] == 0 for p in phases.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
