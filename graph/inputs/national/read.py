"""Read the national A-share chain dataset layout into plain records, with its data problems as counted warnings.

The layout (JSON Lines, UTF-8, one object per line) is the one of ``liuhuanyong/ChainKnowledgeGraph``: ``company.json``,
``industry.json``, ``industry_industry.json``, ``company_industry.json``, ``product.json``, ``company_product.json``,
``product_product.json``. Real data has problems (duplicate names, reused codes, a shifted row, dangling codes, missing
products, duplicate pairs); :func:`read_national` keeps what it can and reports each problem as a
:class:`NationalWarning` with a count, instead of failing. Only a missing file or a line that is not JSON is an error.

The records become chainkg's graph model in :mod:`graph.inputs.national.rdf`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from graph.errors import GraphError

__all__ = [
    "FILES",
    "Company",
    "Industry",
    "CompanyIndustry",
    "CompanyProduct",
    "ProductLink",
    "NationalWarning",
    "National",
    "NationalError",
    "read_national",
]

FILES = (
    "company.json",
    "industry.json",
    "industry_industry.json",
    "company_industry.json",
    "product.json",
    "company_product.json",
    "product_product.json",
)
EXCHANGES = {"上海证券交易所": "SH", "深圳证券交易所": "SZ", "北京证券交易所": "BJ"}
LINK_RELS = (
    "上游材料",
    "下游产品",
    "产品小类",
)  # product_product rels; see graph.inputs.national.rdf for their meaning


class NationalError(GraphError):
    """A national dataset folder that cannot be read (missing file, a line that is not JSON)."""


@dataclass(frozen=True)
class Company:
    code: str  # 6 digits, without the exchange suffix
    name: str  # short name (简称), not unique
    full_name: str
    exchange: str | None  # "SH" | "SZ" | "BJ"
    listed: str | None = None  # listing date YYYY-MM-DD
    other_names: tuple[str, ...] = ()  # full names of later rows that reused the code

    @property
    def stock_code(self) -> str:
        """The code as the seeds write it: ``600373.SH``."""
        return f"{self.code}.{self.exchange}" if self.exchange else self.code


@dataclass(frozen=True)
class Industry:
    code: str  # 申万 2021 code, 6 digits
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class CompanyIndustry:
    company: str  # company code
    industry: str  # industry code


@dataclass(frozen=True)
class CompanyProduct:
    company: str
    product: str
    weight: float  # revenue share as published (rel_weight; not normalised, may be negative)


@dataclass(frozen=True)
class ProductLink:
    source: str  # from_entity
    target: str  # to_entity
    rel: str  # 上游材料 | 下游产品 | 产品小类


@dataclass(frozen=True)
class NationalWarning:
    """One kind of data-quality problem, how often it occurs, and a few examples."""

    kind: str
    count: int
    message: str
    examples: tuple[str, ...] = ()

    def __str__(self) -> str:
        more = f" (e.g. {', '.join(self.examples)})" if self.examples else ""
        return f"{self.kind}: {self.count} {self.message}{more}"


@dataclass(frozen=True)
class National:
    folder: str
    companies: tuple[Company, ...]
    industries: tuple[Industry, ...]
    company_industries: tuple[CompanyIndustry, ...]
    products: tuple[str, ...]
    company_products: tuple[CompanyProduct, ...]
    product_links: tuple[ProductLink, ...]
    warnings: tuple[NationalWarning, ...]


def _rows(folder: Path, name: str) -> list[dict]:
    path = folder / name
    if not path.is_file():
        missing = [f for f in FILES if not (folder / f).is_file()]
        raise NationalError(f"{path}: file not found; a national dataset folder needs {', '.join(missing)}")
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    # One parse of the lines as a JSON array: a quarter of a million json.loads calls took seconds. Any problem
    # sends the file through the line-by-line reader below, which names the line.
    try:
        rows = json.loads("[" + ",".join(lines) + "]")
    except json.JSONDecodeError:
        rows = None
    if rows is not None and len(rows) == len(lines) and all(type(row) is dict for row in rows):
        return rows
    return _rows_by_line(path)


def _rows_by_line(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise NationalError(
                    f"{path}:{lineno}: not a JSON object ({err.msg}); expected JSON Lines"
                ) from err
            if not isinstance(row, dict):
                raise NationalError(
                    f"{path}:{lineno}: {type(row).__name__} is not a JSON object; expected JSON Lines"
                )
            rows.append(row)
    return rows


_BREAKS = re.compile(r"[\r\n\t]+")


def _field(row: dict, key: str, path: str, index: int) -> str:
    value = row.get(key)
    if value is None:
        raise NationalError(f'{path}: row {index}: no "{key}" (keys: {", ".join(sorted(row))})')
    text = value if type(value) is str else str(value)
    # a few product names carry line breaks ("光纤复合\n架空地线\n") that would split one product in two
    if "\n" in text or "\r" in text or "\t" in text:
        text = _BREAKS.sub("", text)
    return text.strip()


class _Report:
    def __init__(self) -> None:
        self.items: dict[str, tuple[str, list[str]]] = {}
        self.counts: Counter[str] = Counter()

    def add(self, kind: str, message: str, example: str) -> None:
        self.counts[kind] += 1
        examples = self.items.setdefault(kind, (message, []))[1]
        if len(examples) < 3 and example not in examples:
            examples.append(example)

    def warnings(self) -> tuple[NationalWarning, ...]:
        return tuple(
            NationalWarning(kind, self.counts[kind], msg, tuple(ex))
            for kind, (msg, ex) in sorted(self.items.items())
        )


def _companies(folder: Path, report: _Report) -> tuple[list[Company], dict[str, Company]]:
    by_code: dict[str, Company] = {}
    names: Counter[str] = Counter()
    for i, row in enumerate(_rows(folder, "company.json"), start=1):
        raw = _field(row, "code", "company.json", i)
        code, suffix = raw[:6], raw[7:]
        name, full = _field(row, "name", "company.json", i), str(row.get("fullname") or "").strip()
        if names[name]:
            report.add("duplicate-name", "company rows repeat an earlier row's short name", name)
        names[name] += 1
        location, listed = str(row.get("location") or "").strip(), str(row.get("time") or "").strip()
        exchange = EXCHANGES.get(location)
        if exchange is None:
            # the one shifted row has the listing date in "location": fall back on the code's suffix
            report.add(
                "shifted-row", "company rows with no known exchange in location", f"{name} {location!r}"
            )
            exchange = suffix if suffix in ("SH", "SZ", "BJ") else None
        if code in by_code:
            first = by_code[code]
            report.add(
                "reused-code", "company rows reuse an earlier row's code (kept the first)", f"{code} {name}"
            )
            if full and full != first.full_name and full not in first.other_names:
                by_code[code] = Company(**{**first.__dict__, "other_names": (*first.other_names, full)})
            continue
        date = listed if len(listed) == 10 and listed[4] == "-" else None
        by_code[code] = Company(code, name, full or name, exchange, date)
    return sorted(by_code.values(), key=lambda c: c.code), by_code


def _industries(folder: Path, report: _Report) -> dict[str, Industry]:
    names = {
        _field(r, "code", "industry.json", i): str(r.get("name", ""))
        for i, r in enumerate(_rows(folder, "industry.json"), 1)
    }
    parents: dict[str, str] = {}
    for i, row in enumerate(_rows(folder, "industry_industry.json"), start=1):
        child, parent = (
            _field(row, "from_code", "industry_industry.json", i),
            _field(row, "to_code", "industry_industry.json", i),
        )
        if child in names and parent in names:
            parents[child] = parent
        else:
            report.add(
                "dangling-industry",
                "industry links or company industries name an unknown industry code",
                f"{child}→{parent}",
            )
    return {code: Industry(code, name, parents.get(code)) for code, name in sorted(names.items())}


def read_national(folder: Path | str) -> National:
    """Read a folder in the national dataset layout.

    Args:
        folder: the folder holding the seven JSON Lines files of :data:`FILES`.

    Returns:
        The records, sorted, with every data-quality problem as a :class:`NationalWarning` in ``warnings``.

    Raises:
        NationalError: a file is missing, a line is not a JSON object, or a row lacks a key field.
    """
    folder = Path(folder)
    report = _Report()
    companies, by_code = _companies(folder, report)
    industries = _industries(folder, report)
    ci: set[CompanyIndustry] = set()
    for i, row in enumerate(_rows(folder, "company_industry.json"), start=1):
        code = _field(row, "company_code", "company_industry.json", i)[:6]
        ind = _field(row, "industry_code", "company_industry.json", i)
        if code not in by_code:
            report.add("dangling-company", "company codes in company_industry.json match no company", code)
        if ind not in industries:
            report.add(
                "dangling-industry", "industry links or company industries name an unknown industry code", ind
            )
        if code in by_code and ind in industries:
            ci.add(CompanyIndustry(code, ind))
    known = {
        _field(r, "name", "product.json", i) for i, r in enumerate(_rows(folder, "product.json"), start=1)
    }
    products = set(known)
    pairs: dict[tuple[str, str], CompanyProduct] = {}
    for i, row in enumerate(_rows(folder, "company_product.json"), start=1):
        code = _field(row, "company_code", "company_product.json", i)[
            :6
        ]  # "688268SH": join on the first 6 digits
        product = _field(row, "product_name", "company_product.json", i)
        if code not in by_code:
            report.add("dangling-company", "company codes in company_product.json match no company", code)
            continue
        if (code, product) in pairs:
            report.add(
                "duplicate-pair", "duplicate (company, product) rows (kept the first)", f"{code} {product}"
            )
            continue
        if product not in products:
            report.add(
                "missing-product", "product names used in links but absent from product.json (added)", product
            )
            products.add(product)
        weight = row.get("rel_weight")
        pairs[(code, product)] = CompanyProduct(code, product, float(weight) if weight is not None else 0.0)
    links: set[ProductLink] = set()
    for i, row in enumerate(_rows(folder, "product_product.json"), start=1):
        link = ProductLink(
            *(_field(row, k, "product_product.json", i) for k in ("from_entity", "to_entity", "rel"))
        )
        if link.rel not in LINK_RELS:
            report.add(
                "unknown-rel",
                f"product links with a rel other than {', '.join(LINK_RELS)} (skipped)",
                link.rel,
            )
            continue
        if link in links:
            report.add("duplicate-link", "duplicate product links (kept one)", f"{link.source}→{link.target}")
            continue
        for end in (link.source, link.target):
            if end not in products:
                report.add(
                    "missing-product", "product names used in links but absent from product.json (added)", end
                )
                products.add(end)
        links.add(link)
    return National(
        folder=str(folder),
        companies=tuple(companies),
        industries=tuple(industries.values()),
        company_industries=tuple(sorted(ci, key=lambda r: (r.company, r.industry))),
        products=tuple(sorted(products)),
        company_products=tuple(sorted(pairs.values(), key=lambda r: (r.company, r.product))),
        product_links=tuple(sorted(links, key=lambda r: (r.source, r.target, r.rel))),
        warnings=report.warnings(),
    )
