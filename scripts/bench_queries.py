"""Time every named query with rdflib on the Shangrao graph and on copies of it, and write docs/sparql-bench.md.

    python scripts/bench_queries.py [--copies 1 10 40] [--repeat 3] [--out docs/sparql-bench.md]

A copy renames every data IRI (``ckd:org-jinko`` → ``ckd:org-jinko-c3``), so k copies hold k zones side by side with
the same shape: a query that joins in a bad order (rdflib's join-order trap: its BGP reordering can build a cartesian product, docs/benchmarks.md) grows much faster than
the data. Parameters take each query's defaults or examples, pointed at copy 0.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

import rdflib
from rdflib import Graph, URIRef

from graph.build.pipeline import make_build
from graph.files import write_text
from graph.rdf.ontology import load_ontology
from graph.seeds.load import load_seeds
from graph.sparql.engine import RdflibEngine
from graph.sparql.named import load_named_queries
from graph.vocab.namespaces import DEFAULT_BASE

ROOT = Path(__file__).resolve().parent.parent


def copies(g: Graph, k: int) -> Graph:
    """``k`` renamed copies of ``g``'s data plus the ontology (copy 0 keeps the original IRIs)."""

    def rename(term, i):
        if i and isinstance(term, URIRef) and str(term).startswith(DEFAULT_BASE):
            return URIRef(f"{term}-c{i}")
        return term

    out = Graph()
    for i in range(k):
        for s, p, o in g:
            out.add((rename(s, i), p, rename(o, i)))
    out += load_ontology()
    return out


def findings(times: dict[str, list[float | None]], ks: list[int]) -> list[str]:
    """Name the queries whose time grew more than 3× faster than the data between two consecutive sizes."""
    slow = sorted(
        n
        for n, ts in times.items()
        for i in range(1, min(len(ts), len(ks)))
        if ts[i] is not None
        and ts[i - 1] is not None
        and ts[i] > 3 * (ks[i] / ks[i - 1]) * max(ts[i - 1], 0.01)
    )
    if not slow:
        return [
            f"Between each two sizes measured ({', '.join(f'{k}×' for k in ks)}), every query's time grew at most "
            "3× faster than the data; a query skipped at a size (—) is not compared there."
        ]
    names = ", ".join(f"`{n}`" for n in dict.fromkeys(slow))
    return [
        f"Grows much faster than the data (over 3× the data's growth between two consecutive sizes): {names}. "
        "Look for rdflib's join-order trap (docs/benchmarks.md): a group evaluated whole for every row, or a "
        "one-variable pattern that starts a cartesian product; Oxigraph has no such trap."
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, nargs="+", default=[1, 10, 40])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--skip-after",
        type=float,
        default=10.0,
        help="skip a size when the last time, scaled linearly, passes this",
    )
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "sparql-bench.md")
    args = ap.parse_args()
    base = make_build(load_seeds(ROOT / "seeds")).g
    queries = load_named_queries()
    times: dict[str, list[float | None]] = {name: [] for name in queries}
    sizes = []
    prev = args.copies[0]
    for k in args.copies:
        engine = RdflibEngine(copies(base, k))
        sizes.append(len(engine.g))
        for name, q in queries.items():
            last = times[name][-1] if times[name] else 0.0
            if last is None or last * k / prev > args.skip_after:
                # it would take over --skip-after even if it scaled linearly: shown as "—"
                times[name].append(None)
                continue
            text = q.bind(use_examples=True)
            runs = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                engine.query(text)
                runs.append(time.perf_counter() - start)
                if runs[-1] > args.skip_after:
                    break  # one run of a slow query is enough
            times[name].append(statistics.median(runs))
            print(f"{k:>3} copies {name:<28} {times[name][-1]:.3f} s", flush=True)
        prev = k
    head = " | ".join(f"{k}× ({n:,} triples)" for k, n in zip(args.copies, sizes, strict=True))
    lines = [
        "# Named SPARQL queries with rdflib / 命名查询耗时",
        "",
        f"Made by `python scripts/bench_queries.py --copies {' '.join(map(str, args.copies))} --repeat {args.repeat}` "
        f"(median of {args.repeat} runs, seconds; rdflib {rdflib.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}). k× is k renamed copies of the Shangrao graph plus the ontology; parameters are each "
        "query's defaults or examples; — means skipped because, scaled linearly from the smaller graph, it would take "
        f"over {args.skip_after:g} s. The machine was shared with other work, so absolute times are pessimistic.",
        "",
        f"| query | {head} |",
        "| --- |" + " ---: |" * len(args.copies),
    ]
    lines += [
        f"| `{name}` | " + " | ".join("—" if t is None else f"{t:.3f}" for t in ts) + " |"
        for name, ts in sorted(times.items())
    ]
    lines += ["", *findings(times, args.copies)]
    write_text(args.out, "\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
