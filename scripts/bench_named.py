"""Time each named query on the synthetic zone in Oxigraph, the default engine: evaluation alone and as rows.

Usage:
    python scripts/bench_named.py                          # the synthetic million, every named query
    python scripts/bench_named.py gaps-segments node       # only these queries
    python scripts/bench_named.py --triples 50000          # a smaller zone
    python scripts/bench_named.py --nt /tmp/syn1m.nt       # write the zone's N-Triples there once, reuse them after

Each query runs in the process that loaded the store, as in ``chainkg query`` (``bench.capped`` stops it after
``--cap`` seconds once it hands back a row). ``raw`` is Oxigraph evaluating and the solutions iterated; ``rows`` is
``OxigraphEngine.query(text).rows``, what ``chainkg query`` and ``scripts/bench.py`` read (rdflib terms included);
``cpu`` is the CPU seconds of both.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench import SYNTHETIC_PARAMS, capped, synthetic_ntriples  # noqa: E402 (a script beside this one)

from graph.sparql.engines import OxigraphEngine  # noqa: E402
from graph.sparql.named import load_named_queries  # noqa: E402
from graph.vocab.namespaces import PREFIXES  # noqa: E402


def _timed(store: object, engine: OxigraphEngine, text: str) -> str:
    """Evaluate ``text`` (solutions iterated), then read it as rows; one line with both times and the rows."""
    t = time.perf_counter()
    for _ in store.query(text, prefixes=PREFIXES):  # type: ignore[attr-defined]
        pass
    raw = time.perf_counter() - t
    t = time.perf_counter()
    rows = len(engine.query(text).rows)
    return f"raw {raw:6.2f} s  rows {time.perf_counter() - t:6.2f} s  n={rows}"


def main() -> None:
    ap = argparse.ArgumentParser(description="named queries on the synthetic zone, Oxigraph 命名查询计时")
    ap.add_argument("names", nargs="*", help="named queries to time (default: all)")
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic zone")
    ap.add_argument(
        "--nt", type=Path, help="N-Triples file of the zone: written when absent, read when present"
    )
    ap.add_argument("--cap", type=float, default=30.0, help="seconds before a query is stopped")
    args = ap.parse_args()
    if args.nt is not None and args.nt.is_file():
        nt = args.nt.read_bytes()
    else:
        nt, _ = synthetic_ntriples(args.triples)
        if args.nt is not None:
            args.nt.write_bytes(nt)
    store = ox.Store()
    store.load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    engine = OxigraphEngine(store)
    print(f"{len(store):,} triples", flush=True)
    named = load_named_queries()
    gc.freeze()  # the loaded zone's text and terms are never freed here: the collector need not walk them
    unknown = sorted(set(args.names) - set(named))
    if unknown:
        sys.exit(f"bench_named: unknown named queries {', '.join(unknown)}")
    for name, q in sorted(named.items()):
        if args.names and name not in args.names:
            continue
        values = {p.name: SYNTHETIC_PARAMS[p.name] for p in q.params if p.name in SYNTHETIC_PARAMS}
        text = q.bind(values, use_examples=True)
        cpu = time.process_time()
        line = capped(lambda text=text: _timed(store, engine, text), args.cap)
        cpu = time.process_time() - cpu
        print(f"{name:28s} {line or f'> {args.cap:.0f} s (stopped)'}  cpu {cpu:6.2f} s", flush=True)


if __name__ == "__main__":
    main()
