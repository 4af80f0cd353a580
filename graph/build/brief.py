"""Make the 招商简报 from seeds and a candidate pool: gaps, targets, chain maps, the province view, then the
Word and PDF files. Pure up to :func:`write_brief`, which writes both files atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.analysis.digraph import to_digraph
from graph.analysis.gaps import chain_coverage, find_gaps
from graph.analysis.provenance import about
from graph.analysis.supply import anchor_supply
from graph.analysis.targets import rank_for_gaps
from graph.files import write_bytes
from graph.inputs.pool import Pool
from graph.rdf.builder import build_graph
from graph.reports.brief import Brief, build_brief
from graph.reports.briefdocx import docx_bytes
from graph.reports.briefhtml import brief_html
from graph.reports.briefpdf import pdf_bytes
from graph.reports.chainmap import render_chain
from graph.reports.gapbook import gaps_xlsx_bytes
from graph.reports.targetmap import by_province, check_regions, render_province_chart
from graph.reports.targets import workbook_about, xlsx_bytes
from graph.seeds.model import Seeds

__all__ = ["BriefInputs", "make_brief", "province_rows", "write_brief"]


@dataclass(frozen=True)
class BriefInputs:
    """What a brief is made from besides the seeds: the pool and its side files, and the options."""

    pool: Pool
    industries: dict[str, tuple[str, ...]]
    shortfalls: dict[str, str]
    chains: list[str] | None = None
    top: int = 3
    as_of: str | None = None
    size: str = "16:9"  # chain-map shape (graph.chainmap.SIZES)


def _about(seeds: Seeds, as_of: str | None) -> tuple[str, str, list[str], str]:
    """Zone name, as-of date (latest article issue date unless given), the sources (articles first), the basis."""
    zone = seeds.zone.name if seeds.zone else "未知 unknown"
    if seeds.zone and seeds.zone.name_full:
        zone = f"{seeds.zone.name}（{seeds.zone.name_full}）"
    dates = sorted(a.issued for a in seeds.articles if a.issued)
    articles = [f"{a.title}（{a.issued or '日期未知'}）" for a in seeds.articles]
    named = sorted(f"{s.name}" for s in seeds.sources)
    basis = "；".join(articles) + f"；另引 {len(named)} 个具名来源 named sources (附录 appendix)"
    return zone, as_of or (dates[-1] if dates else ""), articles + named, basis


def province_rows(rows) -> list[list[object]]:
    """The province view as table rows for the brief."""
    return [
        [
            x.province,
            len(x.companies),
            "、".join(f"{c} {n}" for c, n in x.cities) or "—",
            "、".join(x.companies),
        ]
        for x in rows
    ]


def make_brief(seeds: Seeds, inputs: BriefInputs) -> Brief:
    """Compute everything the brief shows (no file written)."""
    check_regions(inputs.pool)
    G = to_digraph(build_graph(seeds))
    gaps = find_gaps(G)
    if inputs.chains is not None:
        gaps = [g for g in gaps if g.chain in inputs.chains]
    ranking = rank_for_gaps(
        seeds,
        inputs.pool,
        gaps,
        top=inputs.top,
        industries=inputs.industries,
        shortfalls=inputs.shortfalls,
    )
    coverage = [c for c in chain_coverage(G) if inputs.chains is None or c.chain in inputs.chains]
    zone, as_of, sources, basis = _about(seeds, inputs.as_of)
    rests = about(G, as_of=as_of, unknown=sum(c.unknown for c in coverage))
    maps = {c.chain: render_chain(G, c.chain, gaps, about=rests, size=inputs.size)[1] for c in coverage}
    provinces = by_province(ranking)
    footer = f"{zone}；截至 {as_of}；候选池 pool: {inputs.pool.path}；未画地图轮廓：见 docs/targets.md no map outline, see docs"
    chart = render_province_chart(
        provinces, title=f"{zone} 候选企业总部分布 candidates by province", footer=footer
    )
    caveats = [rests.caveat] if rests.caveat else []
    caveats += [
        "未点名≠不存在：无来源点名企业的环节是“未知”，不是“空白”。Not named is not absent: a segment no source names "
        "a firm in is unknown until the zone's roster settles it.",
        "招商目标来自候选池，不是全部市场；上市公司主营依年度报告，主营占比多数未知。Targets come from the candidate pool, "
        "not the whole market; most revenue shares are unknown.",
        "链主的直接竞争者不作为其供应商推荐；退市、ST/*ST 企业不列入（附录列出）。An anchor's direct competitors are not "
        "proposed as its suppliers; delisted and ST companies are left out (listed in the appendix).",
        "总部省市取自注册名与年报“公司基本情况”，注册地不一定是总部。HQ places come from registered names and annual "
        "reports; the place of registration is not always the headquarters.",
    ]
    note = (
        f"候选池 pool: {inputs.pool.path}（{len(inputs.pool.companies)} 家）；按总部省份计数，不画地图轮廓（无经审核的标准地图数据）。"
        "Counted by headquarters province; no map outline is drawn (no approved standard-map data)."
    )
    wb_zone, _lines, wb_chains = workbook_about(seeds)
    wb_about = rests.lines()
    wb_chains = [c for c in wb_chains if inputs.chains is None or c[0] in inputs.chains]
    lists = {
        "targets.xlsx": xlsx_bytes(ranking, chains=wb_chains, about=wb_about, zone=wb_zone),
        "gaps.xlsx": gaps_xlsx_bytes(gaps, coverage, about=wb_about, zone=wb_zone),
    }
    return build_brief(
        zone=zone,
        as_of=as_of,
        sources=sources
        + [f"候选池 candidate pool: {inputs.pool.path}（各企业来源见清单 per-company sources in the lists）"],
        caveats=caveats,
        basis=basis,
        gaps=gaps,
        coverage=coverage,
        ranking=ranking,
        maps=maps,
        anchors=anchor_supply(G),
        provinces=provinces,
        province_png=chart,
        chains=inputs.chains,
        pool_note=note,
        lists=lists,
    )


def write_brief(brief: Brief, folder: Path, *, stem: str = "brief") -> list[Path]:
    """Write ``<stem>.docx``, ``<stem>.pdf`` and the lists (targets.xlsx, gaps.xlsx) into ``folder``.

    Everything is rendered before the first file is written, so a rendering error leaves no partial set.
    """
    table = province_rows(brief.provinces)
    files = {
        f"{stem}.docx": docx_bytes(brief, province_table=table),
        f"{stem}.pdf": pdf_bytes(brief_html(brief, province_table=table)),
        f"{stem}-provinces.png": brief.province_png,
        **brief.lists,
    }
    paths = []
    for name, data in files.items():
        write_bytes(Path(folder) / name, data)
        paths.append(Path(folder) / name)
    return paths
