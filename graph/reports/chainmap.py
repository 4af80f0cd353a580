"""Chain-map pictures (产业链图谱): one SVG and one PNG per chain, for an officer's slides.

Stages are columns left → right; each segment is a box coloured present (green), weak (amber) or missing (red,
dashed), listing its local players (short names, ★ for anchors) and their count; an empty end stage (延链 extend)
is drawn grey and dashed. Text is set in Noto Sans CJK, chosen explicitly (Debian ``fonts-noto-cjk``), and the SVG
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

from graph.analysis.gaps import Gap, _Chains, _strip, chain_coverage
from graph.errors import ExportError
from graph.files import write_bytes, write_text

__all__ = ["CJK_FONTS", "cjk_font", "short_name", "draw_chain", "render_chain", "write_chain_maps", "COLOURS"]

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


def _box_text(ix: _Chains, seg: str) -> tuple[str, str]:
    players = ix.players.get(seg, [])
    names = [("★" if ix.anchor(p) else "") + short_name(ix.label(p)) for p in players]
    shown = names[:_MAX_NAMES] + ([f"…等 {len(names)} 个"] if len(names) > _MAX_NAMES else [])
    title = f"{ix.label(seg)}  ({len(players)})"
    return title, "\n".join(shown) if shown else "本地空白 none"


def draw_chain(G: nx.DiGraph, chain: str, gaps: list[Gap]) -> Figure:
    """Return the chain map of ``chain`` (an id such as ``liion``) as a matplotlib figure (no file written)."""
    ix = _Chains(G)
    font = FontProperties(fname=str(cjk_font()))
    node = f"chain-{chain}" if f"chain-{chain}" in G else chain
    stages = ix.stage_order(node)
    state = {g.segment: g.kind for g in gaps if g.chain == chain and g.segment}
    extend = {g.stage for g in gaps if g.chain == chain and g.kind == "extend"}
    rows = max((len(ix.stage_segments[s]) for s in stages), default=1)
    lines = max(
        (min(len(ix.players.get(seg, [])), _MAX_NAMES + 1) for s in stages for seg in ix.stage_segments[s]),
        default=1,
    )
    box_h = 0.5 + 0.26 * max(lines, 1)  # inches
    height = 1.6 + rows * (box_h + 0.2) + 0.6
    fig = Figure(figsize=(WIDTH_PX / _DPI, height), dpi=_DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_PX / _DPI)
    ax.set_ylim(height, 0)
    ax.axis("off")
    cov = next((c for c in chain_coverage(G) if c.chain == chain), None)
    title = f"产业链图谱 Chain map：{ix.label(node)} {chain}"
    if cov:
        title += f"    覆盖 covered {cov.covered}/{cov.total}"
    ax.text(0.3, 0.45, title, fontproperties=font, fontsize=18, va="center")
    col_w = (WIDTH_PX / _DPI - 0.6) / max(len(stages), 1)
    for i, st in enumerate(stages):
        x = 0.3 + i * col_w
        head = ix.label(st) + ("  延链 extend" if _strip(st) in extend else "")
        ax.text(x + col_w / 2, 1.1, head, fontproperties=font, fontsize=14, ha="center", va="center")
        if i:
            ax.annotate("", xy=(x + 0.05, 1.1), xytext=(x - 0.15, 1.1), arrowprops={"arrowstyle": "->"})
        for j, seg in enumerate(ix.stage_segments[st]):
            kind = "extend" if _strip(st) in extend else state.get(_strip(seg), "present")
            face, edge, style = COLOURS[kind]
            y = 1.5 + j * (box_h + 0.2)
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
            ("weak", "强链 weak"),
            ("missing", "补链 missing"),
            ("extend", "延链 extend"),
        )
    ]
    ax.legend(handles=legend, loc="lower left", ncol=4, prop=font, frameon=False, bbox_to_anchor=(0.01, 0.0))
    ax.text(
        WIDTH_PX / _DPI - 0.3, height - 0.3, "★ 链主 anchor；(n) 本地企业/项目数 local players",
        fontproperties=font, fontsize=10, ha="right", va="center",
    )  # fmt: skip
    return fig


def render_chain(G: nx.DiGraph, chain: str, gaps: list[Gap]) -> tuple[str, bytes]:
    """Return the chain map as SVG text and PNG bytes, both free of timestamps (same input, same bytes)."""
    fig = draw_chain(G, chain, gaps)
    with rc_context({"svg.hashsalt": "chainkg", "svg.fonttype": "path"}):
        svg = io.StringIO()
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=_DPI, metadata={"Software": None})
    return svg.getvalue(), png.getvalue()


def write_chain_maps(G: nx.DiGraph, gaps: list[Gap], folder: Path) -> list[str]:
    """Write ``chain-<id>.svg`` and ``chain-<id>.png`` for every chain of ``G`` into ``folder``."""
    folder = Path(folder)
    names = []
    for node in sorted(n for n, a in G.nodes(data=True) if a.get("kind") == "chain"):
        chain = _strip(node)
        svg, png = render_chain(G, chain, gaps)
        write_text(folder / f"chain-{chain}.svg", svg)
        write_bytes(folder / f"chain-{chain}.png", png)
        names += [f"chain-{chain}.png", f"chain-{chain}.svg"]
    return names
