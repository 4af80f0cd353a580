"""Reading a filled workbook (.xlsx or .csv) safely: size limits before parsing, text encodings detected (not guessed),
formula cells without a saved value refused, and every sheet name and header checked against what chainkg expects.

Every problem is one line naming the file, sheet and cell (``zone.xlsx:企业!C1: …``); :func:`read_sheets` raises
them all together, so an import never silently reads nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from graph.errors import SeedError
from graph.inputs.charset import UnknownEncoding, decode_chinese
from graph.seeds.yamlio import MAX_NAME, MAX_TEXT
from graph.text import did_you_mean

__all__ = [
    "MAX_BYTES",
    "MAX_UNPACKED",
    "MAX_ROWS",
    "SHEET_ALIASES",
    "IGNORED_SHEETS",
    "decode_csv",
    "read_tables",
    "read_sheets",
]

# A zone's workbook lists hundreds of rows; these limits leave room for a thousand times that and refuse the rest
# before any parsing (openpyxl needs minutes and gigabytes for millions of rows).
MAX_BYTES = 10_000_000  # the file as saved
# An .xlsx unpacked (its sheets' XML), read from the zip directory without unpacking.
MAX_UNPACKED = 100_000_000
MAX_ROWS = 100_000  # rows in one sheet
SHEET_ALIASES = {"zone": "园区", "enterprises": "企业", "projects": "项目", "indicators": "指标"}
IGNORED_SHEETS = ("说明", "选项")  # the template's instructions and its hidden drop-down lists

Table = list[list[object]]


def _size_check(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SeedError(
            [f"{path}: {size:,} bytes, more than the {MAX_BYTES:,} a workbook may have; split it or import a CSV "
             "per sheet"]
        )  # fmt: skip


def decode_csv(path: Path, data: bytes) -> str:
    """Return the text of a CSV file, in the encodings :func:`graph.inputs.charset.decode_chinese` reads (UTF-8,
    UTF-16, GB18030/GBK, Big5); anything else is refused with one line."""
    try:
        return decode_chinese(data)[0]
    except UnknownEncoding as err:
        found = (
            f"a zero byte at byte {err.zero_at}: not text" if err.zero_at is not None else "not Chinese text"
        )
        raise SeedError(
            [f"{path}: 无法识别的文字编码 the text encoding is not UTF-8, GBK/GB18030, Big5 or UTF-16 ({found}); "
             "save the sheet as CSV UTF-8 (另存为 CSV UTF-8)"]
        ) from None  # fmt: skip


def _read_csv(path: Path) -> Table:
    text = decode_csv(path, path.read_bytes())
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel  # one column, or nothing to sniff
    rows: Table = []
    for row in csv.reader(io.StringIO(text, newline=""), dialect):
        rows.append(list(row))
        if len(rows) > MAX_ROWS + 1:
            raise SeedError([f"{path}: more than {MAX_ROWS:,} rows; split the list"])
    return rows


def _xlsx_check(path: Path) -> None:
    """Refuse an .xlsx whose sheets unpack to more than :data:`MAX_UNPACKED` bytes (read from the zip directory)."""
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError) as err:
        raise SeedError([f"{path}: not a readable .xlsx workbook ({err})"]) from err
    if unpacked > MAX_UNPACKED:
        raise SeedError(
            [f"{path}: unpacks to {unpacked:,} bytes, more than the {MAX_UNPACKED:,} a workbook may hold; "
             f"chainkg reads at most {MAX_ROWS:,} rows a sheet"]
        )  # fmt: skip


def _read_xlsx(path: Path) -> tuple[dict[str, Table], list[str]]:
    """Sheet -> rows of values, and a problem for each formula cell that has no saved value."""
    from openpyxl import load_workbook

    _xlsx_check(path)
    try:
        values = load_workbook(path, data_only=True, read_only=True)
        formulas = load_workbook(path, data_only=False, read_only=True)
    except Exception as err:  # openpyxl raises zipfile, KeyError and others for a broken file
        raise SeedError([f"{path}: not a readable .xlsx workbook ({err})"]) from err
    tables: dict[str, Table] = {}
    problems: list[str] = []
    try:
        for ws, wf in zip(values.worksheets, formulas.worksheets, strict=True):
            if ws.max_row and ws.max_row > MAX_ROWS + 1:
                raise SeedError(
                    [f"{path}:{ws.title}: {ws.max_row:,} rows, more than {MAX_ROWS:,}; split the list"]
                )
            rows: Table = []
            for row_v, row_f in zip(ws.iter_rows(), wf.iter_rows(), strict=False):
                if len(rows) > MAX_ROWS:
                    raise SeedError([f"{path}:{ws.title}: more than {MAX_ROWS:,} rows; split the list"])
                for cell_v, cell_f in zip(row_v, row_f, strict=False):
                    if getattr(cell_f, "data_type", None) == "f" and cell_v.value is None:
                        problems.append(
                            f"{path.name}:{ws.title}!{cell_f.coordinate}: formula {cell_f.value} has no saved value; "
                            "open the workbook in Excel or WPS and save it, or type the value"
                        )
                rows.append([c.value for c in row_v])
            tables[ws.title] = rows
    finally:
        values.close()
        formulas.close()
    return tables, problems


def read_tables(path: Path) -> tuple[dict[str, Table], list[str]]:
    """Sheet name -> rows of cell values (a CSV is one sheet named ``""``), and the cell problems found."""
    _size_check(path)
    if path.suffix.lower() == ".csv":
        return {"": _read_csv(path)}, []
    return _read_xlsx(path)


def _norm(text: object) -> str:
    return " ".join(str(text or "").split()).lower()


def _column_names(columns: Sequence[tuple[str, str, str]]) -> dict[str, str]:
    """Every accepted spelling of each header -> its key: ``名称``, ``名称 name``, ``name``, the key itself."""
    names: dict[str, str] = {}
    for zh, en, key in columns:
        for name in (zh, f"{zh} {en}", en, key, key.replace("_", " ")):
            if name.strip():
                names.setdefault(_norm(name), key)
    return names


def _header_key(head: object, names: Mapping[str, str], zh_first: Sequence[str]) -> str | None:
    text = _norm(head)
    if text in names:
        return names[text]
    for zh in zh_first:  # "名称 name (必填)" and other decorated headers still start with the Chinese name
        if text.startswith(_norm(zh)):
            return names[_norm(zh)]
    _, _, english = text.partition(" ")  # "名稱 name": traditional characters, then the English name
    return names.get(english)


def _csv_sheet(header: list[object], sheets: Mapping[str, Sequence[tuple[str, str, str]]]) -> str:
    """Which sheet a CSV is, by its headers: the sheet whose columns it matches best (ties: the first listed)."""

    def score(name: str) -> int:
        names = _column_names(sheets[name])
        zh = [c[0] for c in sheets[name]]
        return sum(1 for h in header if _header_key(h, names, zh) not in (None, "id", "name", "source"))

    return max(sheets, key=lambda name: (score(name), name == "企业", -list(sheets).index(name)))


def read_sheets(
    path: Path, sheets: Mapping[str, Sequence[tuple[str, str, str]]]
) -> dict[str, list[tuple[int, dict[str, str], dict[str, str]]]]:
    """Read ``path`` and map each sheet's headers to the keys of ``sheets`` (sheet -> (zh, en, key) columns).

    Returns:
        Sheet -> ``[(row number, {key: text}, {key: column letter})]``, blank rows left out.

    Raises:
        SeedError: every unknown sheet or header (with what was expected), formula cell without a value, and a
            workbook with nothing chainkg can read; nothing has been written.
    """
    from openpyxl.utils import get_column_letter

    tables, problems = read_tables(path)
    if "" in tables:
        table = tables.pop("")
        tables[_csv_sheet(table[0] if table else [], sheets)] = table
    named: dict[str, Table] = {}
    for title, table in tables.items():
        sheet = title if title in sheets else SHEET_ALIASES.get(_norm(title))
        if sheet in sheets:
            named[sheet] = table
        elif title not in IGNORED_SHEETS and any(any(v not in (None, "") for v in r) for r in table):
            expected = ", ".join(f"{zh} ({en})" for en, zh in SHEET_ALIASES.items() if zh in sheets)
            expected += "".join(f", {s}" for s in sheets if s not in SHEET_ALIASES.values())
            hint = did_you_mean(title, [*sheets, *SHEET_ALIASES])
            problems.append(f"{path.name}:{title}: unknown sheet{hint}; expected {expected}")
    result: dict[str, list[tuple[int, dict[str, str], dict[str, str]]]] = {}
    for sheet, table in named.items():
        if not table:
            continue
        names = _column_names(sheets[sheet])
        zh_first = [c[0] for c in sheets[sheet]]
        keys: dict[int, str] = {}
        for index, head in enumerate(table[0]):
            if _norm(head) == "":
                continue
            key = _header_key(head, names, zh_first)
            where = f"{path.name}:{sheet}!{get_column_letter(index + 1)}1"
            if key is None:
                expected = ", ".join(f"{zh} {en}".strip() for zh, en, _ in sheets[sheet])
                hint = did_you_mean(
                    str(head), [*(c[0] for c in sheets[sheet]), *(c[1] for c in sheets[sheet] if c[1])]
                )
                problems.append(f'{where}: unknown header "{head}"{hint}; expected {expected}')
            elif key in keys.values():
                problems.append(f'{where}: header "{head}" repeats an earlier column')
            else:
                keys[index] = key
        letters = {key: get_column_letter(i + 1) for i, key in keys.items()}
        rows = []
        for number, values in enumerate(table[1:], start=2):
            rec = {keys[i]: _text(v) for i, v in enumerate(values) if i in keys and _text(v)}
            for key, text in rec.items():
                limit = MAX_NAME if key.startswith("name") else MAX_TEXT
                if len(text) > limit:
                    problems.append(
                        f"{path.name}:{sheet}!{letters[key]}{number}: {len(text):,} characters; at most {limit:,}"
                    )
            if rec:
                rows.append((number, rec, letters))
        result[sheet] = rows
    if problems:
        raise SeedError(problems)
    return result


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):  # a date cell (签约/开工/投产 dates): keep the day, not midnight
        value = value.date()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
