"""Score ``chainkg extract`` on the real-report corpus (``../shared/corpus``) against its hand-made answer keys.

The scoring follows the corpus README: a proposal matches an entity when one of its names equals the entity's name
or an alias (whitespace ignored, a leading place name may be dropped); recall is over required entities, precision
over proposals that match no optional entry; investor, status and segment are scored over matched entities whose key
states them; figures are compared as multisets of (value, unit), optional entries left out on both sides.

The extractor sees only the chain templates of ``--seeds`` (no enterprises, projects or figures).

Usage: python -m scripts.eval_corpus [--corpus ../shared/corpus] [--seeds seeds] [--show]
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.inputs.extract.names import Gazetteer, load_gazetteer  # noqa: E402
from graph.inputs.extract.propose import extract  # noqa: E402
from graph.seeds.load import load_seeds  # noqa: E402
from graph.seeds.model import Seeds  # noqa: E402

__all__ = ["evaluate_article", "evaluate_corpus", "format_table"]

UNIT_SAME = {"吉瓦时": "GWh", "兆瓦": "MW", "亿元人民币": "亿元", "吉瓦": "GW", "％": "%"}
SEGMENT_SAME = {"太阳能电池": "电池片", "单晶硅棒": "单晶硅", "拉棒": "单晶硅", "单晶拉棒": "单晶硅"}
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,7}?(?:省|市|新区|区|县|镇)")


def _norm(name: str) -> str:
    return re.sub(r"\s", "", name)


def _forms(name: str) -> set[str]:
    """A name and the name without a leading place (兰州新区…)."""
    n = _norm(name)
    rest = _PLACE.sub("", n)
    return {n, rest} if len(rest) >= 2 else {n}


def _unit(unit: str) -> str:
    return UNIT_SAME.get(unit, unit)


def _segment_right(key: str, names: set[str]) -> bool:
    """Whether one of the proposed segment names (and keywords) says the key's segment."""
    k = SEGMENT_SAME.get(key, key)
    return any(k == SEGMENT_SAME.get(n, n) or k in n or (len(n) >= 2 and n in k) for n in names)


def evaluate_article(
    text: str, key: dict, seeds: Seeds, gaz: Gazetteer | None = None, pos: bool = True
) -> dict:
    """Score one article; returns counts and the names that were missed or wrongly proposed."""
    p = extract(text, seeds=seeds, gazetteer=gaz, pos=pos)
    entities = key.get("entities") or []
    forms = [set().union(*(_forms(n) for n in [e["name"], *(e.get("aliases") or [])])) for e in entities]

    def match(names) -> list[int]:
        mine = set().union(*(_forms(n) for n in names))
        return [i for i, f in enumerate(forms) if f & mine]

    proposals = p.enterprises + p.projects
    hits = {id(e): match(e.names) for e in proposals}
    required = [i for i, e in enumerate(entities) if not e.get("optional")]
    found = {i for h in hits.values() for i in h}
    counted = [e for e in proposals if not any(entities[i].get("optional") for i in hits[id(e)])]
    good = [e for e in counted if hits[id(e)]]
    by_ident = {e.ident: e for e in p.enterprises}
    seg_names = {
        s.id: {s.name, *re.split(r"[(（)）/、]", s.name), *s.keywords} - {""} for s in seeds.segments
    }

    inv_n = inv_ok = st_n = st_ok = seg_n = seg_ok = 0
    wrong: list[str] = []
    for e in proposals:
        for i in hits[id(e)][:1]:
            want = entities[i]
            if e.kind == "project" and want.get("investor"):
                inv_n += 1
                names = set(by_ident[e.investor].names) if e.investor in by_ident else set()
                allowed = set()
                for inv in want["investor"]:
                    allowed |= _forms(inv)
                    for j, other in enumerate(entities):
                        if inv in [other["name"], *(other.get("aliases") or [])]:
                            allowed |= forms[j]
                ok = bool(set().union(*(_forms(n) for n in names)) & allowed) if names else False
                inv_ok += ok
                if not ok:
                    wrong.append(f"investor {e.name}: {sorted(names)} ≠ {want['investor']}")
            if e.kind == "project" and want.get("status"):
                st_n += 1
                ok = bool(e.status) and e.status[0] == want["status"]
                st_ok += ok
                if not ok:
                    wrong.append(f"status {e.name}: {e.status[0] if e.status else None} ≠ {want['status']}")
            if want.get("segment"):
                seg_n += 1
                names = set().union(*(seg_names.get(s, set()) for s in e.segments)) if e.segments else set()
                ok = _segment_right(want["segment"], names)
                seg_ok += ok
                if not ok:
                    wrong.append(f"segment {e.name}: {sorted(e.segments)} ≠ {want['segment']}")

    figs = key.get("figures") or []
    want_f = Counter((Decimal(str(f["value"])), _unit(f["unit"])) for f in figs if not f.get("optional"))
    optional_f = {(Decimal(str(f["value"])), _unit(f["unit"])) for f in figs if f.get("optional")}
    got_f = Counter((f.value, _unit(f.unit)) for f in p.figures)
    got_f = Counter({k: v for k, v in got_f.items() if k not in optional_f or k in want_f})
    fig_hit = sum((want_f & got_f).values())
    return {
        "entities": len(required),
        "found": len(found & set(required)),
        "proposals": len(counted),
        "good": len(good),
        "investor": (inv_ok, inv_n),
        "status": (st_ok, st_n),
        "segment": (seg_ok, seg_n),
        "figures": sum(want_f.values()),
        "figures_got": sum(got_f.values()),
        "figures_hit": fig_hit,
        "missed": [entities[i]["name"] for i in required if i not in found],
        "unmatched": [e.name for e in counted if not hits[id(e)]],
        "wrong": wrong,
        "figures_missed": sorted(f"{v}{u}" for (v, u), n in (want_f - got_f).items() for _ in range(n)),
        "figures_extra": sorted(f"{v}{u}" for (v, u), n in (got_f - want_f).items() for _ in range(n)),
    }


def evaluate_corpus(
    corpus: Path, seeds_dir: Path, *, national: Path | None = None, gazetteer: bool = True, pos: bool = True
) -> dict[str, dict]:
    """Score every article of ``corpus/articles``; the extractor sees only the chain templates.

    ``gazetteer`` adds the company names of the seeds' candidate pool, the shipped groups and ``national`` (the
    A-share dataset folder, when given); ``pos`` turns on the part-of-speech name check.
    """
    gold = load_seeds(seeds_dir)
    blind = dataclasses.replace(gold, enterprises=(), projects=(), observations=())
    gaz = load_gazetteer(pool=seeds_dir / "pool", national=national) if gazetteer else Gazetteer()
    results = {}
    for path in sorted((corpus / "articles").glob("*.txt")):
        key = yaml.safe_load(path.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
        results[path.stem] = evaluate_article(path.read_text(encoding="utf-8"), key, blind, gaz, pos)
    return results


def _pct(a: int, b: int) -> str:
    return f"{a / b:.0%} ({a}/{b})" if b else "–"


def total(results: dict[str, dict]) -> dict:
    """Sum the counts over all articles."""
    t: dict = {}
    for r in results.values():
        for k, v in r.items():
            if isinstance(v, int):
                t[k] = t.get(k, 0) + v
            elif isinstance(v, tuple):
                a, b = t.get(k, (0, 0))
                t[k] = (a + v[0], b + v[1])
    return t


def format_table(results: dict[str, dict]) -> str:
    """A Markdown table: one row per article and the total."""
    head = (
        "| article | entity recall | entity precision | investor | status | segment | figure recall "
        "| figure precision |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    rows = []
    for name, r in [*results.items(), ("**all**", total(results))]:
        rows.append(
            f"| {name} | {_pct(r['found'], r['entities'])} | {_pct(r['good'], r['proposals'])} "
            f"| {_pct(*r['investor'])} | {_pct(*r['status'])} | {_pct(*r['segment'])} "
            f"| {_pct(r['figures_hit'], r['figures'])} | {_pct(r['figures_hit'], r['figures_got'])} |"
        )
    return head + "\n".join(rows) + "\n"


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=root.parent / "shared" / "corpus")
    parser.add_argument("--seeds", type=Path, default=root / "seeds")
    parser.add_argument(
        "--national", type=Path, default=root.parent / "shared" / "datasets" / "a-share-chain"
    )
    parser.add_argument("--no-gazetteer", action="store_true", help="no company-name gazetteer")
    parser.add_argument("--no-pos", action="store_true", help="rules alone: no part-of-speech name check")
    parser.add_argument("--show", action="store_true", help="list what was missed and wrongly proposed")
    args = parser.parse_args()
    if not (args.corpus / "articles").is_dir():
        sys.exit(f"{args.corpus}: no articles/ folder here (the corpus lives in ../shared/corpus)")
    national = args.national if args.national.is_dir() else None
    results = evaluate_corpus(
        args.corpus, args.seeds, national=national, gazetteer=not args.no_gazetteer, pos=not args.no_pos
    )
    print(format_table(results), end="")
    if args.show:
        for name, r in results.items():
            print(f"\n## {name}")
            for k in ("missed", "unmatched", "wrong", "figures_missed", "figures_extra"):
                if r[k]:
                    print(f"{k}: {' | '.join(r[k])}")


if __name__ == "__main__":
    main()
