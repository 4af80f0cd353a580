"""The build pipeline: seeds → RDF → networkx → every output file, swapped into place only when all succeed."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from rdflib.namespace import RDF

from graph.analysis.coverage import coverage_detail
from graph.analysis.digraph import to_digraph
from graph.analysis.gaps import (
    chain_coverage,
    find_coverage,
    find_gaps,
    mark_coverage,
    mark_gaps,
)
from graph.analysis.provenance import about
from graph.analysis.supply import anchor_supply
from graph.analysis.targets import rank_for_gaps
from graph.build.gaps import add_coverage, add_gaps, write_chain_maps, write_gaps
from graph.build.info import add_build_info, build_info, info_json
from graph.build.outdir import check_output_folder, locked, new_folder, recover, swap_in, write_manifest
from graph.build.result import Build
from graph.build.targets import add_recommendations, write_targets
from graph.errors import GraphError
from graph.files import write_text
from graph.inputs.pool import Pool, read_default_pool
from graph.rdf.builder import build_graph
from graph.rdf.formats import FORMATS
from graph.rdf.serialize import dump
from graph.seeds.load import load_seeds
from graph.seeds.model import Seeds
from graph.view.facts import add_facts
from graph.view.page import write_html
from graph.vocab.namespaces import CKG, DEFAULT_BASE

__all__ = [
    "Build",
    "Summary",
    "build",
    "check_base",
    "make_build",
    "load_build",
    "WRITERS",
    "write_outputs",
    "summarise",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Summary:
    counts: dict[str, int]
    files: tuple[str, ...]
    out: str

    def lines(self) -> list[str]:
        names = {
            "enterprises": "企业 enterprises",
            "projects": "项目 projects",
            "chains": "产业链 chains",
            "segments": "细分领域 segments",
            "facts": "带出处事实 sourced facts",
            "observations": "指标观测 observations",
            "triples": "三元组 triples",
        }
        width = max(len(v) for v in names.values())
        rows = [f"  {names[k]:<{width}}  {v:>6}" for k, v in self.counts.items() if k in names]
        return ["chainkg build: 完成 done", *rows, f"  输出 written to {self.out}/: {', '.join(self.files)}"]


def _write_rdf(b: Build, folder: Path) -> list[str]:
    names = []
    for fmt in FORMATS.values():
        name = f"kg{fmt.suffix}"
        dump(b.g, fmt.name, folder / name)
        names.append(name)
    return names


def _write_graphml(b: Build, folder: Path) -> list[str]:
    write_text(folder / "graph.graphml", "\n".join(nx.generate_graphml(b.G)) + "\n")
    return ["graph.graphml"]


def _write_view(b: Build, folder: Path) -> list[str]:
    title = "产业链知识图谱 chainkg"
    a = b.about
    if a is not None:  # what the view rests on (graph.analysis.provenance): zone, as-of date, sources, caveat
        title += f" · {a.zone} · 截至 as of {a.as_of or '—'} · {len(a.articles)} 篇报道 article(s)"
        title += f" + {a.named_sources} 个具名来源 named sources"
        title += f" · {a.caveat.split('（')[0]}" if a.caveat else ""
    write_html(b.G, folder / "index.html", title=title)
    return ["index.html"]


# Each writer adds its files to the temporary output folder and returns their names.
WRITERS: list[Callable[[Build, Path], list[str]]] = [
    _write_rdf,
    _write_graphml,
    _write_view,
    write_gaps,  # gaps.json, gaps.csv, gaps.md
    write_chain_maps,  # chain-<id>.svg, chain-<id>.png
    write_targets,  # targets.xlsx
]


def summarise(b: Build) -> dict[str, int]:
    """Count what a build holds."""
    seeds = b.seeds
    return {
        "enterprises": len(seeds.enterprises),
        "projects": len(seeds.projects),
        "chains": len(seeds.chains),
        "segments": len(seeds.segments),
        "facts": len(set(b.g.subjects(RDF.type, CKG.Fact))),
        "observations": len(seeds.observations),
        "triples": len(b.g),
    }


def write_outputs(b: Build, out: Path) -> list[str]:
    """Run every writer into a temporary folder beside ``out``, then swap it in; on failure ``out`` is untouched.

    The caller checks ``out`` first (:func:`graph.build.outdir.check_output_folder`); the folder written is marked
    as chainkg's own with :data:`graph.build.outdir.MANIFEST`.
    """
    out = Path(out)
    with locked(out):
        recover(out)
    tmp = new_folder(out)
    try:
        files: list[str] = []
        for writer in WRITERS:
            files.extend(writer(b, tmp))
        if b.info is not None:  # written after the other outputs: it lists them
            files.append("build.json")
            write_text(tmp / "build.json", info_json(b.info, counts=summarise(b), files=files))
        write_manifest(tmp, files)
        with locked(out):
            swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(files)


# An absolute IRI (RFC 3987): a scheme, then no spaces or characters IRIs forbid; data IRIs append "<kind>-<id>".
_IRI_BASE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+[/#]")


def check_base(base: str) -> None:
    """Refuse a data IRI base that is not an absolute IRI ending in ``/`` or ``#``.

    Example:
        >>> check_base("https://example.org/id/")
    """
    if not _IRI_BASE.fullmatch(base or ""):
        raise GraphError(
            f'base "{base[:80]}": 不是绝对 IRI not an absolute IRI ending in / or # '
            f"(for example {DEFAULT_BASE} or https://example.org/id/)"
        )


def make_build(
    seeds: Seeds,
    *,
    base: str = DEFAULT_BASE,
    pool: tuple[Pool, dict[str, tuple[str, ...]]] | None = None,
    as_of: str | None = None,
) -> Build:
    """Build the graph of ``seeds`` and everything computed from it (no files written).

    The order matters: the coverage states and gaps (补链强链延链待核实) are found on the networkx view of the seeds'
    graph, the targets (招商目标) rank ``pool`` (a pool and its segment → 申万 codes table) for those gaps, and all
    are added to the RDF. The view is converted once; the gap and coverage marks are set on it directly, as
    :func:`to_digraph` would read them back from the ``ckg:Gap`` nodes and ``ckg:coverageState``. ``as_of`` is the
    date the outputs say they hold at (default: the latest issue date of the articles; never the clock).
    """
    info = build_info(
        seeds, as_of=as_of
    )  # checks the date first: a bad one fails before anything is computed
    g = build_graph(seeds, base=base)
    G = to_digraph(g)
    b = Build(
        seeds=seeds, g=g, G=G, gaps=find_gaps(G), coverage=chain_coverage(G), anchor_supply=anchor_supply(G)
    )
    states = find_coverage(G)
    b.coverage_detail = coverage_detail(G, {c.node: c for c in states.values()})
    unknown = sum(1 for c in states.values() if c.level == "segment" and c.state == "unknown")
    b.about = about(G, as_of=as_of, unknown=unknown)
    add_gaps(g, b.gaps, base=base)
    add_coverage(g, states, base=base)
    if pool is not None:
        companies, industries = pool
        b.ranking = rank_for_gaps(seeds, companies, b.gaps, industries=industries)
        add_recommendations(g, b.ranking, base=base)
    mark_gaps(G, b.gaps)
    mark_coverage(G, states)
    add_facts(G, g)
    add_build_info(g, info, base=base)  # last: it counts the graph's triples
    b.info = info
    # strings only: GraphML writes graph attributes too
    G.graph.update(as_of=info.as_of or "", as_of_basis=info.as_of_basis, seeds_hash=info.short_hash)
    if b.about is not None and b.about.caveat:
        G.graph["caveat"] = b.about.caveat  # the gap reports' caveat, shown in the view's header
    return b


def load_build(
    seeds_dir: Path | str,
    *,
    base: str = DEFAULT_BASE,
    include_unreviewed: bool = False,
    as_of: str | None = None,
) -> Build:
    """Load ``seeds_dir`` and its candidate pool (``<seeds>/pool``, when present) and build it.

    Raises:
        SeedError: bad seeds.
        PoolError: a bad pool.
    """
    seeds = load_seeds(seeds_dir, include_unreviewed=include_unreviewed)
    return make_build(seeds, base=base, pool=read_default_pool(seeds_dir), as_of=as_of)


def build(
    seeds_dir: Path | str,
    out: Path | str,
    *,
    base: str = DEFAULT_BASE,
    include_unreviewed: bool = False,
    as_of: str | None = None,
) -> Summary:
    """Load ``seeds_dir``, build the graph and write every output into ``out``.

    ``include_unreviewed`` admits machine proposals (``reviewed: false``); the graph marks them ``ckg:reviewed``.

    Raises:
        SeedError: bad seeds (nothing is written).
        ExportError: ``out`` is not a folder chainkg may replace (the seeds, or a folder with other files in it).
        ExportError: an output could not be written (the previous ``out`` stays).
    """
    check_base(base)
    check_output_folder(out, seeds_dir)
    b = load_build(seeds_dir, base=base, include_unreviewed=include_unreviewed, as_of=as_of)
    files = write_outputs(b, Path(out))
    return Summary(counts=summarise(b), files=tuple(files), out=str(out))
