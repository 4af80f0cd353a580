"""Benchmark of target ranking: read the national pool and rank targets for every gap of the Shangrao seeds.

Run in a fresh process:  python scripts/bench_targets.py [DATASET] [--runs N]
Prints one Markdown table row per run: read seconds, rank seconds, total, peak RSS (MB), companies, gaps, targets.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from graph.analysis.gaps import find_gaps
from graph.analysis.targets import needs_from_gaps, rank_targets
from graph.inputs.pool import load_industries, read_pool
from graph.seeds.load import load_seeds

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", default=str(ROOT.parent / "shared/datasets/a-share-chain"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    seeds = load_seeds(ROOT / "seeds")
    industries = load_industries(ROOT / "seeds/pool/industries.yaml")
    needs = needs_from_gaps(seeds, find_gaps(seeds))
    print(
        "| run | read pool (s) | rank all gaps (s) | total (s) | peak RSS (MB) | companies | segments | targets |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for run in range(1, args.runs + 1):
        t0 = time.perf_counter()
        pool = read_pool(args.dataset)
        t1 = time.perf_counter()
        ranking = rank_targets(seeds, pool, needs, top=5, industries=industries)
        t2 = time.perf_counter()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        print(
            f"| {run} | {t1 - t0:.2f} | {t2 - t1:.2f} | {t2 - t0:.2f} | {rss:.0f} | {len(pool.companies)} | "
            f"{len(needs)} | {len(ranking.targets)} |"
        )


if __name__ == "__main__":
    main()
