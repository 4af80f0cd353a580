"""Chain-map pictures (产业链图谱): one SVG and one PNG per chain, for an officer's slides.

Stages are columns left → right; each segment is a box coloured present (green), present but no firm named (pale
green, dotted), weak (amber), missing (red, dashed) or unknown (white, blue dotted: 待核实 to verify), listing its
local firms (short names, ★ for anchors; a company and its own project are one firm) and their count; a confirmed
empty end stage (延链 extend) is drawn grey and dashed. A line under the title says what the map rests on. Text is set in Noto Sans CJK, chosen explicitly (Debian ``fonts-noto-cjk``), and the SVG
stores glyphs as paths so the picture needs no font on the viewer's machine. The PNG is 1600 px wide.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import networkx as nx
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch, Patch

from graph.analysis.chainindex import ChainIndex
from graph.analysis.digraph import seed_id
from graph.analysis.gaps import Gap, chain_coverage
from graph.analysis.provenance import About
from graph.errors import ExportError
from graph.files import write_bytes, write_text

__all__ = [
    "CJK_FONTS",
    "cjk_font",
    "short_name",
    "draw_chain",
    "fit_to_size",
    "render_chain",
    "write_chain_maps",
    "COLOURS",
    "SIZES",
]

# Debian fonts-noto-cjk; the first that exists is used (installed by scripts/install.sh).
CJK_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
)
COLOURS = {  # face, edge, line style
    "present": ("#d9f2d9", "#2e7d32", "solid"),
    "weak": ("#ffe0a3", "#e69500", "solid"),
    "missing": ("#fbd0d0", "#c62828", "dashed"),
    "extend": ("#eeeeee", "#757575", "dashed"),
    "present-unnamed": ("#eef8ee", "#66bb6a", "dotted"),
    "verify": ("#ffffff", "#3949ab", "dotted"),
}
WIDTH_PX = 1600
_DPI = 100
_MAX_NAMES = 4
_SUFFIX = re.compile(r"(股份有限公司|有限责任公司|有限公司)$")


def cjk_font() -> Path:
    """Return the CJK font file used for the pictures.

    Raises:
        ExportError: no Noto CJK font is installed.
    """
    for path in CJK_FONTS:
        if path.exists():
            return path
    raise ExportError(
        f"找不到中文字体 no CJK font: expected {CJK_FONTS[0]} (install Debian fonts-noto-cjk: bash scripts/install.sh)"
    )


def short_name(label: str) -> str:
    """Drop a company-form suffix so boxes stay narrow.

    Example:
        >>> short_name("安驰新能源科技有限公司"), short_name("晶科能源")
        ('安驰新能源科技', '晶科能源')
    """
    return _SUFFIX.sub("", label) or label


_EMPTY_TEXT = {
    "present-unnamed": "已有·未具名 present, unnamed",
    "absent": "确认空白 confirmed absent",
    "unknown": "未知 unknown（待核实）",
}


def _box_text(ix: ChainIndex, seg: str) -> tuple[str, str]:
    firms = sorted(ix.firms(seg), key=lambda f: (ix.G.nodes[f]["kind"] == "project", ix.label(f), f))
    names = [("★" if ix.anchor(f) else "") + short_name(ix.label(f)) for f in firms]
    shown = names[:_MAX_NAMES] + ([f"…等 {len(names)} 家"] if len(names) > _MAX_NAMES else [])
    title = f"{ix.label(seg)}  ({len(firms)})"
    return title, "\n".join(shown) if shown else _EMPTY_TEXT.get(ix.coverage[seg].state, "")


def _wrap(counts: list[int], max_rows: int | None) -> list[int]:
    """Sub-columns per stage so that no stage has more than ``max_rows`` boxes in a column.

    Example:
        >>> _wrap([7, 5, 2], 4), _wrap([7, 5, 2], None)
        ([2, 2, 1], [1, 1, 1])
    """
    return [max(1, -(-n // max_rows)) if max_rows else 1 for n in counts]


def draw_chain(
    G: nx.DiGraph, chain: str, gaps: list[Gap], *, about: About | None = None, max_rows: int | None = None
) -> Figure:
    """Return the chain map of ``chain`` (an id such as ``liion``) as a matplotlib figure (no file written).

    ``about`` puts the zone and as-of date in the title and the sources in a footer; ``max_rows`` wraps a stage
    with more segments into side-by-side sub-columns (for a slide's 16:9 shape).
    """
    ix = ChainIndex(G)
    font = FontProperties(fname=str(cjk_font()))
    node = f"chain-{chain}" if f"chain-{chain}" in G else chain
    stages = ix.stage_order(node)
    state = {g.segment: g.kind for g in gaps if g.chain == chain and g.segment}
    extend = {g.stage for g in gaps if g.chain == chain and g.kind == "extend"}
    verify = {g.stage for g in gaps if g.chain == chain and g.kind == "verify" and not g.segment}
    subs = _wrap([len(ix.stage_segments[s]) for s in stages], max_rows)
    per_col = [-(-len(ix.stage_segments[s]) // n) for s, n in zip(stages, subs, strict=True)]
    rows = max(per_col, default=1)
    lines = max(
        (min(len(ix.firms(seg)), _MAX_NAMES + 1) for s in stages for seg in ix.stage_segments[s]),
        default=1,
    )
    box_h = 0.5 + 0.26 * max(lines, 1)  # inches
    height = (
        1.6 + rows * (box_h + 0.2) + 0.6 + (0.3 if about is not None else 0.0)
    )  # room for the sources footer
    fig = Figure(figsize=(WIDTH_PX / _DPI, height), dpi=_DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_PX / _DPI)
    ax.set_ylim(height, 0)
    ax.axis("off")
    cov = next((c for c in chain_coverage(G) if c.chain == chain), None)
    title = f"产业链图谱 Chain map：{ix.label(node)} {chain}"
    if about is not None:
        title = f"{about.zone} · {ix.label(node)}产业链图谱 chain map（截至 as of {about.as_of or '—'}）"
    if cov:
        title += f"    已有 present {cov.covered}、未具名 unnamed {cov.unnamed}、未知 unknown {cov.unknown} / {cov.total}"
    ax.text(0.3, 0.45, title, fontproperties=font, fontsize=18, va="center")
    if about is not None:
        rests = f"来源 sources: {'；'.join(about.articles)}"
        if about.caveat:
            rests += f"；{about.caveat}"
        ax.text(0.3, height - 0.15, rests, fontproperties=font, fontsize=8.5, va="center", color="#444444")
    col_w = (WIDTH_PX / _DPI - 0.6) / max(sum(subs), 1)
    for i, st in enumerate(stages):
        x0 = 0.3 + sum(subs[:i]) * col_w
        head = ix.label(st) + (
            "  延链 extend" if seed_id(st) in extend else "  待核实 verify" if seed_id(st) in verify else ""
        )
        ax.text(
            x0 + subs[i] * col_w / 2, 1.1, head, fontproperties=font, fontsize=14, ha="center", va="center"
        )
        if i:
            ax.annotate("", xy=(x0 + 0.05, 1.1), xytext=(x0 - 0.15, 1.1), arrowprops={"arrowstyle": "->"})
        for j, seg in enumerate(ix.stage_segments[st]):
            kind = (
                "extend"
                if seed_id(st) in extend
                else "verify"
                if seed_id(st) in verify
                else state.get(seed_id(seg), "")
            )
            kind = kind or ("present-unnamed" if ix.coverage[seg].state == "present-unnamed" else "present")
            face, edge, style = COLOURS[kind]
            x = x0 + (j // per_col[i]) * col_w
            y = 1.5 + (j % per_col[i]) * (box_h + 0.2)
            ax.add_patch(
                FancyBboxPatch(
                    (x + 0.08, y),
                    col_w - 0.16,
                    box_h,
                    boxstyle="round,pad=0.02,rounding_size=0.08",
                    facecolor=face,
                    edgecolor=edge,
                    linestyle=style,
                    linewidth=1.6,
                )  # fmt: skip
            )
            title_text, body = _box_text(ix, seg)
            ax.text(
                x + 0.18, y + 0.22, title_text, fontproperties=font, fontsize=11.5, va="center", weight="bold"
            )
            ax.text(x + 0.18, y + 0.42, body, fontproperties=font, fontsize=10, va="top", linespacing=1.25)
    legend = [
        Patch(facecolor=COLOURS[k][0], edgecolor=COLOURS[k][1], linestyle=COLOURS[k][2], label=text)
        for k, text in (
            ("present", "本地已有 present"),
            ("present-unnamed", "已有·未具名 unnamed"),
            ("weak", "强链 weak"),
            ("missing", "补链 missing"),
            ("extend", "延链 extend"),
            ("verify", "未知·待核实 unknown"),
        )
    ]
    foot = height - (0.3 if about is not None else 0.0)  # legend and notes sit above the sources footer
    ax.legend(
        handles=legend,
        loc="lower left",
        ncol=6,
        prop=font,
        frameon=False,
        bbox_to_anchor=(0.2, foot),
        bbox_transform=ax.transData,
    )
    ax.text(
        WIDTH_PX / _DPI - 0.3, foot - 0.3, "★ 链主 anchor；(n) 本地企业数 local firms",
        fontproperties=font, fontsize=10, ha="right", va="center",
    )  # fmt: skip
    return fig


SIZES = {"16:9": (16.0, 9.0), "4:3": (16.0, 12.0), "auto": None}
_ROWS = {"16:9": 4, "4:3": 6, "auto": None}  # boxes per column before a stage wraps


def fit_to_size(fig: Figure, size: str) -> Figure:
    """Fit a drawn chain map into a slide shape (``16:9``, ``4:3``; ``auto`` keeps its natural height).

    The map is drawn in inches on one axes spanning the figure. A map taller than the slide is scaled down as a
    whole, text included, and centred; a shorter one keeps its scale and gains room at the bottom.
    """
    if SIZES.get(size) is None:
        return fig
    width, height = SIZES[size]
    natural_w, natural_h = fig.get_size_inches()
    (ax,) = fig.axes
    scale = min(1.0, height / natural_h, width / natural_w)
    span_w, span_h = width / scale, height / scale
    pad = (span_w - natural_w) / 2
    ax.set_xlim(-pad, natural_w + pad)
    ax.set_ylim(span_h if scale == 1.0 else natural_h, 0)
    for text in fig.findobj(lambda a: hasattr(a, "set_fontsize") and hasattr(a, "get_text")):
        text.set_fontsize(text.get_fontsize() * scale)
    fig.set_size_inches(width, height)
    return fig


def render_chain(
    G: nx.DiGraph, chain: str, gaps: list[Gap], *, about: About | None = None, size: str = "16:9"
) -> tuple[str, bytes]:
    """Return the chain map as SVG text and PNG bytes, both free of timestamps (same input, same bytes).

    ``size`` is the slide shape (:data:`SIZES`); the PNG is 1600 px wide.
    """
    fig = fit_to_size(draw_chain(G, chain, gaps, about=about, max_rows=_ROWS.get(size)), size)
    with rc_context({"svg.hashsalt": "chainkg", "svg.fonttype": "path"}):
        svg = io.StringIO()
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=_DPI, metadata={"Software": None})
    return svg.getvalue(), png.getvalue()


def write_chain_maps(
    G: nx.DiGraph, gaps: list[Gap], folder: Path, *, about: About | None = None
) -> list[str]:
    """Write ``chain-<id>.svg`` and ``chain-<id>.png`` for every chain of ``G`` into ``folder``."""
    folder = Path(folder)
    names = []
    for node in sorted(n for n, a in G.nodes(data=True) if a.get("kind") == "chain"):
        chain = seed_id(node)
        svg, png = render_chain(G, chain, gaps, about=about)
        write_text(folder / f"chain-{chain}.svg", svg)
        write_bytes(folder / f"chain-{chain}.png", png)
        names += [f"chain-{chain}.png", f"chain-{chain}.svg"]
    return names
