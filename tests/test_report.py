"""The 招商简报: chainkg report writes a .docx and a PDF whose pages render and whose text holds the zone, every
chain and every top gap; the lists for Excel; bad input gives one line and exit 2."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from graph.analysis.gaps import find_gaps
from graph.cli.main import cli
from graph.seeds.load import load_seeds

from conftest import REAL

pytestmark = pytest.mark.slow
POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")


@pytest.fixture(scope="module")
def brief(tmp_path_factory):
    out = tmp_path_factory.mktemp("brief")
    result = CliRunner().invoke(
        cli, ["report", "--seeds", str(REAL), "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return out


def _top_gaps(seeds):
    """Per chain, the highest gap's label as the brief's tables print it."""
    tops = {}
    for g in sorted(find_gaps(seeds), key=lambda g: -g.score):
        tops.setdefault(g.chain, g.segment_label or g.stage_label)
    return tops


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftoppm, pdftotext) not installed")
def test_pdf_renders_and_holds_zone_chains_and_top_gaps(brief, tmp_path):
    pdf = brief / "brief.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts and all(" yes " in line for line in fonts.splitlines()[2:])  # embedded
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 6 and all(p.stat().st_size > 1000 for p in pages)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())  # table cells wrap; compare without white space
    seeds = load_seeds(REAL)
    assert "上饶经开区" in flat and "截至" in flat and "2023-12" in flat
    for chain in seeds.chains:
        assert f"{chain.name}产业链" in flat, chain.name
    for chain, top in _top_gaps(seeds).items():
        assert "".join(top.split()) in flat, (chain, top)
    for part in ("一图", "一表", "一清单", "链主本地配套", "招商地图", "来源sources", "注意caveats"):
        assert part in flat, part


def test_docx_structure(brief):
    doc = Document(str(brief / "brief.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    seeds = load_seeds(REAL)
    assert headings[0].startswith("上饶经开区")
    for chain in seeds.chains:
        assert any(h.endswith(f"{chain.name}产业链 {chain.id}") for h in headings), chain.name
    assert sum(h.startswith("一清单") for h in headings) == len(seeds.chains)
    assert len(doc.inline_shapes) == len(seeds.chains) + 1  # one chain map each, and the province chart
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    rows = list(load_workbook(brief / "targets.xlsx")["汇总 summary"].iter_rows(values_only=True))
    head = next(i for i, row in enumerate(rows) if row[0] == "产业链 chain")
    firsts = {}
    for chain, _segment, _kind, _score, _n, top, *_rest in rows[head + 1 :]:
        if top:
            firsts.setdefault(chain, top)  # each chain's highest gap that has a candidate
    assert len(firsts) == len(seeds.chains) and set(firsts.values()) | {"上市 listed"} <= cells


def test_lists_have_every_chain(brief):
    seeds = load_seeds(REAL)
    for name in ("targets.xlsx", "gaps.xlsx"):
        wb = load_workbook(brief / name)
        assert [n for n in wb.sheetnames if n != "依据 about"] == [
            "汇总 summary",
            *(c.name for c in seeds.chains),
        ]


def test_same_seeds_same_bytes(brief, tmp_path):
    result = CliRunner().invoke(cli, ["report", "--seeds", str(REAL), "--out", str(tmp_path)])
    assert result.exit_code == 0
    for name in ("brief.docx", "brief.pdf", "targets.xlsx", "gaps.xlsx"):
        assert (tmp_path / name).read_bytes() == (brief / name).read_bytes(), name


def test_one_chain(tmp_path):
    result = CliRunner().invoke(
        cli, ["report", "--seeds", str(REAL), "--chain", "光伏", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "targets.xlsx").sheetnames == ["汇总 summary", "依据 about", "光伏"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--chain", "光福"], 'Error: --chain: unknown chain "光福"'),
        (["--out", "/proc/chainkg-no"], "Error: /proc/chainkg-no/brief.docx: cannot write"),
    ],
)
def test_bad_input_exit_2(args, message):
    result = CliRunner().invoke(cli, ["report", "--seeds", str(REAL), *args])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith(message) and len(result.output.strip().splitlines()) == 1, result.output


def test_pool_without_regions_exit_2(tmp_path):
    line = {
        "name": "某公司",
        "code": "300099.SZ",
        "products": [{"name": "电解液", "share": None}],
        "source": "x",
    }
    (tmp_path / "pool.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    for command in (["report", "--out", str(tmp_path / "o")], ["targets", "--by", "province"]):
        result = CliRunner().invoke(cli, [*command, "--seeds", str(REAL), "--pool", str(tmp_path)])
        assert result.exit_code == 2 and "no company has a region" in result.output, command
        assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()  # nothing half-written
