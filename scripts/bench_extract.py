"""Time ``chainkg extract`` on large articles, to show the cost grows linearly with the text.

The text is the Shangrao article and the test articles (all in this repository) repeated up to each size; the
times are wall-clock seconds on whatever machine runs it (the figures in docs/extraction.md say which).

Usage: python -m scripts.bench_extract [SIZE_IN_CHARACTERS ...]   (default: 100000 1000000 20000000)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.inputs.extract.output import dumps_proposals  # noqa: E402
from graph.inputs.extract.propose import extract  # noqa: E402
from graph.seeds.load import load_seeds  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100_000, 1_000_000, 20_000_000]
    seeds = load_seeds(ROOT / "seeds")
    parts = [
        ROOT / "seeds" / "articles" / "shangrao-edz-2023.txt",
        *sorted((ROOT / "tests/data/articles").glob("*.txt")),
    ]
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in parts)
    extract("预热 warm-up", seeds=seeds)  # jieba loads its dictionary once per process (~1 s)
    print("| characters | extract s | YAML s | figures |\n| --- | --- | --- | --- |")
    for size in sizes:
        text = (base * (size // len(base) + 1))[:size]
        t0 = time.perf_counter()
        p = extract(text, seeds=seeds)
        t1 = time.perf_counter()
        dumps_proposals(p, doc="bench")
        t2 = time.perf_counter()
        print(f"| {size:,} | {t1 - t0:.1f} | {t2 - t1:.1f} | {len(p.figures):,} |", flush=True)


if __name__ == "__main__":
    main()
