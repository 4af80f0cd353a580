"""Chain-map pictures: 1600 px PNG, SVG, colours from the gaps, and a CJK font that really covers the text drawn."""

from __future__ import annotations

import io
import warnings

from fontTools.ttLib import TTCollection, TTFont
from matplotlib.font_manager import findfont
from matplotlib.text import Text
from PIL import Image

from graph.analysis.gaps import find_gaps
from graph.reports.chainmap import COLOURS, WIDTH_PX, cjk_font, draw_chain, render_chain


def _cmap(path: str) -> set[int]:
    font = TTCollection(path).fonts[0] if path.lower().endswith(".ttc") else TTFont(path)
    return set(font.getBestCmap())


def _colours(image: Image.Image) -> set[str]:
    return {"#{:02x}{:02x}{:02x}".format(*rgb) for _, rgb in image.getcolors(maxcolors=1 << 24)}


def test_font_used_covers_every_character_drawn(tiny_digraph):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font" for tofu
        fig = draw_chain(tiny_digraph, "bat", find_gaps(tiny_digraph))
        render_chain(tiny_digraph, "bat", find_gaps(tiny_digraph))
    texts = [t for t in fig.findobj(Text) if t.get_text().strip()]
    drawn = "".join(t.get_text() for t in texts)
    assert "电解液" in drawn and "乙电池" in drawn
    for text in texts:
        used = findfont(text.get_fontproperties(), fallback_to_default=False)
        assert used == str(cjk_font()), text.get_text()
    cmap = _cmap(str(cjk_font()))
    missing = {ch for ch in drawn if not ch.isspace() and ord(ch) not in cmap}
    assert missing == set()


def test_png_is_1600_wide_and_coloured_by_gap(tiny_digraph):
    gaps = find_gaps(tiny_digraph)
    svg, png = render_chain(tiny_digraph, "bat", gaps)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width == WIDTH_PX
    colours = _colours(image)
    for kind in ("weak", "missing", "extend"):  # the tiny chain has all three; no segment is fully covered
        assert COLOURS[kind][0] in colours, kind
    assert svg.startswith("<?xml") and "<svg" in svg
    assert render_chain(tiny_digraph, "bat", gaps) == (svg, png)  # same input, same bytes


def test_present_segment_is_green(real_digraph):
    _, png = render_chain(real_digraph, "liion", find_gaps(real_digraph, chain="liion"))
    colours = _colours(Image.open(io.BytesIO(png)).convert("RGB"))
    assert COLOURS["present"][0] in colours  # 电芯 has three local cell makers
