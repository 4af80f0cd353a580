"""Candidate pools for investment targets (招商候选池): the curated layout and the national A-share layout.

Two layouts are read (``docs/pool.md``):

- **curated** (``seeds/pool/``): ``*.jsonl`` files, one company per line, and/or ``*.csv`` files, one company per
  row; each company has a short name, full name, code, region (province), products with revenue share where known,
  申万 industry and a public source;
- **national** (the ``a-share-chain`` layout, read by :func:`graph.inputs.national.read.read_national`): companies, their main
  products with revenue share (``rel_weight``), 申万 industries and product→subcategory links.

A malformed line is reported as ``FILE:LINE: problem`` in :attr:`Pool.warnings` and skipped; a missing folder or
file, or a pool without a single company, raises :class:`PoolError`.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import GraphError
from graph.inputs.national.read import read_national
from graph.inputs.regions import parse_region, place_from_name
from graph.seeds.yamlio import Problems, read_yaml

__all__ = [
    "PoolError",
    "Product",
    "Company",
    "Pool",
    "read_pool",
    "parse_products",
    "listing_status",
    "load_industries",
    "load_shortfalls",
    "read_default_pool",
]

_CSV_FIELDS = (
    "name",
    "name_full",
    "code",
    "region",
    "region_source",
    "listing",
    "industry",
    "products",
    "source",
    "url",
)
LISTED, WARNED, DELISTED, UNLISTED = "上市 listed", "风险警示 ST", "退市 delisted", "未上市 unlisted"
_SHARE = re.compile(r"^(?P<name>.+?)\s*(?:[:：]\s*|\s+)(?P<share>-?\d+(?:\.\d+)?)\s*%$")


class PoolError(GraphError):
    """A candidate pool that cannot be used (missing, unreadable, or empty)."""


@dataclass(frozen=True)
class Product:
    """A product a company makes, with its share of revenue (0–1) where the pool gives one."""

    name: str
    share: float | None = None


@dataclass(frozen=True)
class Company:
    """One company of a pool. ``key`` is unique within the pool (the 6-digit stock code, or the name)."""

    key: str
    name: str
    name_full: str = ""
    code: str = ""
    region: str = ""
    products: tuple[Product, ...] = ()
    industries: tuple[tuple[str, str], ...] = ()  # (申万 code, name)
    source: str = ""
    url: str = ""
    province: str = ""
    city: str = ""
    region_source: str = ""  # where the place comes from (a source, or "inferred from the registered name")
    listing: str = ""  # LISTED, WARNED (ST / *ST), DELISTED, UNLISTED, or "" when the pool does not say
    data_date: str = ""  # date of the product data (annual report year, dataset snapshot)


def listing_status(name: str, declared: str = "") -> str:
    """Listing status from a declared value or from the short name (*ST…, ST… warned; …退 delisted).

    Example:
        >>> listing_status("*ST猛狮"), listing_status("新宙邦"), listing_status("长生退"), listing_status("x", "退市")
        ('风险警示 ST', '上市 listed', '退市 delisted', '退市 delisted')
        >>> listing_status("新宙邦", "上市 listed"), listing_status("x", "*ST")
        ('上市 listed', '风险警示 ST')
    """
    declared = declared.strip()
    if "退市" in declared or "delisted" in declared.lower() or name.endswith("退") or name.startswith("退市"):
        return DELISTED
    if (
        name.upper().lstrip("*＊").startswith("ST")
        or "风险警示" in declared
        or re.search(r"(?<![A-Za-z])\*?ST\b", declared)
    ):
        return WARNED
    if "未上市" in declared or "unlisted" in declared.lower():
        return UNLISTED
    return LISTED


@dataclass(frozen=True)
class Pool:
    """Companies plus product→subcategory links (``parents[p]``: products that have ``p`` as a 产品小类)."""

    companies: tuple[Company, ...]
    path: str
    kind: str  # "curated" | "national"
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def parse_products(text: str) -> tuple[Product, ...]:
    """Parse a CSV ``products`` cell: items split by ``|`` or ``;``, each ``NAME`` or ``NAME 41%``.

    Example:
        >>> parse_products("电解液 41%|六氟磷酸锂")
        (Product(name='电解液', share=0.41), Product(name='六氟磷酸锂', share=None))
    """
    products = []
    for item in re.split(r"[|;；]", text):
        item = item.strip()
        if not item:
            continue
        m = _SHARE.match(item)
        if m:
            products.append(Product(m["name"].strip(), round(float(m["share"]) / 100, 6)))
        else:
            products.append(Product(item))
    return tuple(products)


def _digits(code: str) -> str:
    """The 6-digit stock code inside ``code`` ('688268SH', '300037.SZ' → '688268', '300037'), or ''."""
    m = re.match(r"^\s*(\d{6})", str(code or ""))
    return m.group(1) if m else ""


def _industries(value: object) -> tuple[tuple[str, str], ...]:
    """``"630702 电池化学品"``, a list of those, or ``{"code", "name"}`` items → ((code, name), …)."""
    items = value if isinstance(value, list) else [value] if value else []
    result = []
    for item in items:
        if isinstance(item, dict):
            result.append((str(item.get("code", "")), str(item.get("name", ""))))
        else:
            code, _, name = str(item).strip().partition(" ")
            result.append((code, name.strip()) if code.isdigit() else ("", str(item).strip()))
    return tuple(result)


def _company(record: dict, where: str, warnings: list[str]) -> Company | None:
    name = str(record.get("name") or "").strip()
    if not name:
        warnings.append(f'{where}: field "name": missing or empty; expected the company\'s short name')
        return None
    products = record.get("products") or ()
    if isinstance(products, str):
        products = parse_products(products)
    elif not isinstance(products, list | tuple):
        warnings.append(
            f'{where}: field "products": {products!r} is not a list; expected [{{"name", "share"}}, …]'
        )
        products = ()
    else:
        items = []
        for item in products:
            if isinstance(item, str):
                items.append(Product(item))
            elif isinstance(item, dict) and item.get("name"):
                share = item.get("share")
                if share is not None and (not isinstance(share, int | float) or not math.isfinite(share)):
                    warnings.append(
                        f'{where}: field "share": {share!r} is not a number; expected 0–1 or null'
                    )
                    share = None
                items.append(Product(str(item["name"]), None if share is None else float(share)))
            else:
                warnings.append(
                    f'{where}: field "products": {item!r} is not a product; expected {{"name", "share"}}'
                )
        products = tuple(items)
    code = str(record.get("code") or "").strip()
    place = parse_region(str(record.get("region") or ""))
    listing = str(record.get("listing") or "").strip()
    return Company(
        key=_digits(code) or name,
        name=name,
        name_full=str(record.get("name_full") or "").strip(),
        code=code,
        region=str(record.get("region") or "").strip(),
        products=tuple(products),
        industries=_industries(record.get("industry")),
        source=str(record.get("source") or "").strip(),
        url=str(record.get("url") or "").strip(),
        province=place.province,
        city=place.city,
        region_source=str(record.get("region_source") or "").strip(),
        listing=listing_status(name, listing) if (listing or code) else "",
        data_date=str(record.get("data_date") or "").strip(),
    )


def _json_lines(path: Path, warnings: list[str]):
    """Yield (line number, object) for each JSON object line; report the rest as warnings."""
    try:
        f = path.open(encoding="utf-8")
    except OSError as err:
        raise PoolError(f"{path}: cannot be read ({err.strerror})") from err
    with f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as err:
                warnings.append(f"{path}:{number}: not a JSON object ({err}); line skipped")
                continue
            if not isinstance(obj, dict):
                warnings.append(f"{path}:{number}: not a JSON object (a {type(obj).__name__}); line skipped")
                continue
            yield number, obj


def _read_curated(folder: Path, files: list[Path]) -> Pool:
    warnings: list[str] = []
    companies: dict[str, Company] = {}
    for path in files:
        if path.suffix == ".jsonl":
            records = ((f"{path}:{n}", obj) for n, obj in _json_lines(path, warnings))
        else:
            with path.open(encoding="utf-8", newline="") as f:
                reader = csv.DictReader(f)
                unknown = sorted(set(reader.fieldnames or ()) - set(_CSV_FIELDS))
                if unknown or "name" not in (reader.fieldnames or ()):
                    raise PoolError(
                        f"{path}:1: header: columns {', '.join(unknown) or '(no name)'} unexpected; "
                        f"expected {', '.join(_CSV_FIELDS)}"
                    )
                records = [(f"{path}:{n}", row) for n, row in enumerate(reader, 2)]
        for where, record in records:
            company = _company(record, where, warnings)
            if company is None:
                continue
            if company.key in companies:
                warnings.append(
                    f'{where}: company "{company.name}" ({company.key}) listed twice; later row skipped'
                )
                continue
            companies[company.key] = company
    return Pool(tuple(companies.values()), str(folder), "curated", {}, tuple(warnings))


_SNAPSHOT = "2021-10-26"  # the a-share-chain snapshot date, from its README


def _read_national(folder: Path) -> Pool:
    """Read the a-share-chain layout through :func:`graph.inputs.national.read.read_national` (it copes with its quirks)."""

    nat = read_national(folder)
    products: dict[str, list[Product]] = defaultdict(list)
    for r in nat.company_products:
        products[r.company].append(Product(r.product, r.weight))
    names = {i.code: i.name for i in nat.industries}
    industries: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in nat.company_industries:
        industries[r.company].append((r.industry, names.get(r.industry, "")))
    parents: dict[str, set[str]] = defaultdict(set)
    for link in nat.product_links:
        if link.rel == "产品小类":  # "A 产品小类 B": B is a kind of A
            parents[link.target].add(link.source)
    companies = tuple(
        Company(
            key=c.code,
            name=c.name,
            name_full=c.full_name,
            code=c.stock_code,
            products=tuple(products.get(c.code, ())),
            industries=tuple(sorted(industries.get(c.code, ()))),
            source=f"{folder.name}: company_product.json (主营产品, rel_weight)",
            province=(place := place_from_name(c.full_name)).province,
            city=place.city,
            region=place.province,
            region_source="由注册名推断 inferred from the registered name" if place.province else "",
            listing=listing_status(c.name),
            data_date=_SNAPSHOT,
        )
        for c in nat.companies
    )
    warnings = tuple(f"{folder}: {w}" for w in nat.warnings)
    return Pool(
        companies, str(folder), "national", {k: tuple(sorted(v)) for k, v in parents.items()}, warnings
    )


def read_pool(path: Path | str) -> Pool:
    """Read a candidate pool from a folder (curated or national layout) or from one ``.jsonl``/``.csv`` file.

    Raises:
        PoolError: the path is missing, a national file is missing, no pool file is found, or no company is left.
    """
    path = Path(path)
    if not path.exists():
        raise PoolError(
            f"{path}: pool folder or file not found; expected a folder of *.jsonl/*.csv files (docs/pool.md)"
        )
    if path.is_file():
        if path.suffix not in (".jsonl", ".csv"):
            raise PoolError(f"{path}: unknown pool file type {path.suffix!r}; expected .jsonl or .csv")
        pool = _read_curated(path.parent, [path])
    elif (path / "company.json").exists():
        pool = _read_national(path)
    else:
        files = sorted(p for p in path.iterdir() if p.suffix in (".jsonl", ".csv"))
        if not files:
            raise PoolError(
                f"{path}: no pool files; expected *.jsonl or *.csv (curated) or company.json + the other national files (national)"
            )
        pool = _read_curated(path, files)
    if not pool.companies:
        raise PoolError(
            f"{path}: empty pool, no company could be read ({len(pool.warnings)} malformed line(s))"
        )
    return pool


def _optional_yaml(path: Path) -> object | None:
    """The parsed YAML of a pool side file, None when the file is absent; YAML problems raise :class:`PoolError`."""
    if not path.exists():
        return None
    problems = Problems()
    data = read_yaml(path, problems)
    if problems:
        raise PoolError("\n".join(problems.lines()))
    return data


def load_industries(path: Path | str) -> dict[str, tuple[str, ...]]:
    """Read ``segment id: [申万 code, …]`` from a YAML file (``seeds/pool/industries.yaml``); missing → {}."""
    path = Path(path)
    data = _optional_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PoolError(f"{path}:1: expected a mapping of segment id → list of 申万 codes")
    result = {}
    for seg, codes in data.items():
        if not isinstance(codes, list) or not all(str(c).isdigit() for c in codes):
            raise PoolError(f"{path}:{data.line_of(seg)}: {seg}: {codes!r} is not a list of 6-digit codes")
        result[str(seg)] = tuple(str(c) for c in codes)
    return result


def load_shortfalls(path: Path | str) -> dict[str, str]:
    """Read ``segment id: why the pool has few makers`` (``seeds/pool/shortfalls.yaml``); missing → {}."""
    path = Path(path)
    data = _optional_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise PoolError(f"{path}:1: expected a mapping of segment id → reason text")
    return {str(k): " ".join(str(v).split()) for k, v in data.items()}


def read_default_pool(seeds_dir: Path | str) -> tuple[Pool, dict[str, tuple[str, ...]]] | None:
    """The zone's own candidate pool (``<seeds>/pool``) and its segment → 申万 codes table; None when absent."""
    folder = Path(seeds_dir) / "pool"
    if not folder.is_dir():
        return None
    return read_pool(folder), load_industries(folder / "industries.yaml")
