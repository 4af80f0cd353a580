"""The build pipeline: seeds → RDF → networkx → every output file, swapped into place only when all succeed."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import Graph
from rdflib.namespace import RDF

from graph.buildinfo import BuildInfo, add_build_info, build_info, info_json
from graph.digraph import to_digraph
from graph.errors import ExportError
from graph.export import FORMATS, dump, public_mode, write_text
from graph.gapbuild import enrich_gaps, write_chain_maps, write_gaps
from graph.model import Seeds
from graph.namespaces import CKG, DEFAULT_BASE
from graph.rdf import build_graph
from graph.seeds import load_seeds
from graph.targetreport import enrich_targets, write_targets
from graph.viz import write_html

__all__ = ["Build", "Summary", "build", "make_build", "ENRICHERS", "WRITERS", "write_outputs", "summarise"]

log = logging.getLogger(__name__)


@dataclass
class Build:
    """Everything one build made, handed to each output writer."""

    seeds: Seeds
    g: Graph
    G: nx.DiGraph
    extras: dict[str, object] = field(default_factory=dict)


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
    about = b.extras.get("about")
    title = "产业链知识图谱 chainkg"
    if about is not None:  # what the view rests on (graph.provenance): zone, as-of date, sources, caveat
        title += (
            f" · {about.zone} · 截至 as of {about.as_of or '—'} · {len(about.articles)} 篇报道 article(s)"  # type: ignore[attr-defined]
        )
        title += f" + {about.named_sources} 个具名来源 named sources"  # type: ignore[attr-defined]
        title += f" · {about.caveat.split('（')[0]}" if about.caveat else ""  # type: ignore[attr-defined]
    write_html(b.G, folder / "index.html", title=title)
    return ["index.html"]


# Enrichers add computed knowledge to ``b.g`` before the networkx view and the files are made. Order matters: the
# targets (招商目标) rank the gaps that ``enrich_gaps`` (补链强链延链) puts into the graph.
ENRICHERS: list[Callable[[Build], None]] = [enrich_gaps, enrich_targets]
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
    """Run every writer into a temporary folder beside ``out``, then swap it in; on failure ``out`` is untouched."""
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        tmp.chmod(public_mode(directory=True))
    except OSError as err:
        raise ExportError(f"{out}: cannot create the output folder ({err.strerror})") from err
    try:
        files: list[str] = []
        for writer in WRITERS:
            files.extend(writer(b, tmp))
        info = b.extras.get("build_info")
        if isinstance(info, BuildInfo):  # written last: it lists every other file
            files.append("build.json")
            write_text(tmp / "build.json", info_json(info, counts=summarise(b), files=files))
        old = out.with_name(f".{out.name}.old")
        if old.exists():
            shutil.rmtree(old)
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(files)


def make_build(seeds: Seeds, *, base: str = DEFAULT_BASE, as_of: str | None = None) -> Build:
    """Build the graph of ``seeds``, run every enricher, describe the build, then derive the networkx view.

    ``as_of`` is the date the outputs say they hold at (default: the latest issue date of the articles); it is
    checked here, so a bad date fails before anything is computed. No files are written.
    """
    b = Build(seeds=seeds, g=build_graph(seeds, base=base), G=nx.DiGraph())
    info = build_info(seeds, as_of=as_of)
    if as_of is not None:
        b.extras["as_of"] = info.as_of  # the reports' header (graph.provenance) reads it
    for enrich in ENRICHERS:
        enrich(b)
    add_build_info(b.g, info, base=base)
    b.extras["build_info"] = info
    b.G = to_digraph(b.g)
    # strings only: GraphML writes graph attributes too
    b.G.graph.update(as_of=info.as_of or "", as_of_basis=info.as_of_basis, seeds_hash=info.short_hash)
    caveat = getattr(b.extras.get("about"), "caveat", "")  # the gap reports' caveat, when unknowns exist
    if caveat:
        b.G.graph["caveat"] = caveat
    return b


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
    ``as_of`` states the data's as-of date (default: the latest date among the sources).

    Raises:
        SeedError: bad seeds (nothing is written).
        ExportError: an output could not be written (the previous ``out`` stays).
    """
    seeds = load_seeds(seeds_dir, include_unreviewed=include_unreviewed)
    b = make_build(seeds, base=base, as_of=as_of)
    files = write_outputs(b, Path(out))
    return Summary(counts=summarise(b), files=tuple(files), out=str(out))
