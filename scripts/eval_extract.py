"""Score ``chainkg extract`` on an article against the curated seeds that cite it.

The extractor sees only the chain templates (no enterprises, projects or figures), so it cannot look the answers up.
A proposal matches a curated enterprise or project when one of its names is one of the curated names (name, full
name, alias) or, for enterprises, has the same core (晶科能源 ~ 晶科). A figure matches a curated observation when
value and unit agree and the number sits inside the observation's quote. Placement is right when every proposed
segment is one of the curated segments of the matched entity.

Usage: python -m scripts.eval_extract [--seeds seeds] [--doc shangrao-edz-2023]
(run from the repository root; ``python scripts/eval_extract.py`` works too).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.inputs.extract.propose import extract  # noqa: E402
from graph.inputs.extract.rules import name_core  # noqa: E402
from graph.seeds.load import load_seeds  # noqa: E402


def _cites(obj: object, doc: str) -> bool:
    """Whether any evidence reachable from a seed object quotes ``doc``."""
    if dataclasses.is_dataclass(obj):
        if getattr(obj, "doc", None) == doc:
            return True
        return any(_cites(getattr(obj, f.name), doc) for f in dataclasses.fields(obj))
    if isinstance(obj, tuple):
        return any(_cites(item, doc) for item in obj)
    return False


def evaluate(seeds_dir: Path, doc: str) -> dict[str, object]:
    gold_seeds = load_seeds(seeds_dir)
    article = next(a for a in gold_seeds.articles if a.id == doc)
    blind = dataclasses.replace(gold_seeds, enterprises=(), projects=(), observations=())
    p = extract(article.text, seeds=blind)

    gold = [e for e in gold_seeds.enterprises + gold_seeds.projects if _cites(e, doc)]
    names = {g.id: {g.name, *g.aliases, getattr(g, "name_full", None) or g.name} for g in gold}
    cores = {g.id: {name_core(n) for n in names[g.id]} for g in gold if g in gold_seeds.enterprises}

    def matches(entity) -> list[str]:
        hit = [gid for gid, ns in names.items() if set(entity.names) & ns]
        if entity.kind == "enterprise":
            mine = {name_core(n) for n in entity.names if len(name_core(n)) >= 2}
            hit += [gid for gid, cs in cores.items() if mine & cs and gid not in hit]
        return hit

    proposals = p.enterprises + p.projects
    matched = {id(e): matches(e) for e in proposals}
    found = {gid for hits in matched.values() for gid in hits}
    segs = {g.id: {pl.segment for pl in g.segments} for g in gold}
    placed = [e for e in proposals if e.segments and matched[id(e)]]
    right = [e for e in placed if set(e.segments) <= set().union(*(segs[g] for g in matched[id(e)]))]

    obs = [
        (o.value, o.unit, [(ev.start, ev.end) for ev in o.evidence if ev.doc == doc])
        for o in gold_seeds.observations
        if _cites(o, doc)
    ]
    used: set[int] = set()
    fig_hits = 0
    for f in p.figures:
        for i, (value, unit, spans) in enumerate(obs):
            inside = any(s <= f.start and f.end <= e for s, e in spans)
            if i not in used and inside and Decimal(value) == f.value and unit == f.unit:
                used.add(i)
                fig_hits += 1
                break
    return {
        "gold_entities": len(gold),
        "proposals": len(proposals),
        "entity_recall": len(found) / len(gold),
        "entity_precision": sum(1 for e in proposals if matched[id(e)]) / max(len(proposals), 1),
        "missed": sorted(g.id for g in gold if g.id not in found),
        "unmatched": sorted(e.name for e in proposals if not matched[id(e)]),
        "gold_figures": len(obs),
        "figures": len(p.figures),
        "figure_recall": fig_hits / len(obs),
        "figure_precision": fig_hits / max(len(p.figures), 1),
        "placed": len(placed),
        "placement_right": len(right) / max(len(placed), 1),
        "misplaced": sorted(e.name for e in placed if e not in right),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=Path("seeds"))
    parser.add_argument("--doc", default="shangrao-edz-2023")
    args = parser.parse_args()
    r = evaluate(args.seeds, args.doc)
    print("| measure | value |\n| --- | --- |")
    print(f"| enterprises + projects recall | {r['entity_recall']:.0%} of {r['gold_entities']} |")
    print(f"| enterprises + projects precision | {r['entity_precision']:.0%} of {r['proposals']} proposals |")
    print(f"| figures (value + unit) recall | {r['figure_recall']:.0%} of {r['gold_figures']} |")
    print(f"| figures precision | {r['figure_precision']:.0%} of {r['figures']} proposals |")
    print(f"| segment placement right | {r['placement_right']:.0%} of {r['placed']} placed |")
    for key in ("missed", "unmatched", "misplaced"):
        print(f"{key}: {', '.join(r[key]) or '-'}")


if __name__ == "__main__":
    main()
