"""Candidate pools: the curated JSON Lines / CSV layout, the national layout, and bad input."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.inputs.pool import PoolError, Product, read_pool

from conftest import DATASET, REAL


def _jsonl(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_curated_jsonl_skips_malformed_lines_and_reports_them(tmp_path):
    good = {
        "name": "丙化学",
        "code": "300001.SZ",
        "region": "江西",
        "products": [{"name": "电解液", "share": 0.5}],
    }
    path = _jsonl(
        tmp_path / "a.jsonl",
        [json.dumps(good, ensure_ascii=False), "{not json", json.dumps({"code": "1"}), '["a list"]'],
    )
    pool = read_pool(tmp_path)
    assert [c.name for c in pool.companies] == ["丙化学"]
    assert pool.companies[0].key == "300001" and pool.companies[0].products == (Product("电解液", 0.5),)
    assert len(pool.warnings) == 3
    assert pool.warnings[0].startswith(f"{path}:2: not a JSON object")
    assert pool.warnings[1].startswith(f'{path}:3: field "name": missing or empty')
    assert pool.warnings[2].startswith(f"{path}:4: not a JSON object (a list)")


def test_curated_csv_products_cell(tmp_path):
    (tmp_path / "pool.csv").write_text(
        "name,code,region,industry,products,source\n丁材料,688001.SH,广东,630702 电池化学品,电解液 41%|添加剂,年报\n",
        encoding="utf-8",
    )
    (company,) = read_pool(tmp_path / "pool.csv").companies
    assert company.products == (Product("电解液", 0.41), Product("添加剂", None))
    assert company.industries == (("630702", "电池化学品"),)


def test_csv_with_unknown_column_names_it(tmp_path):
    (tmp_path / "pool.csv").write_text("name,colour\n甲,red\n", encoding="utf-8")
    with pytest.raises(PoolError, match=r"pool.csv:1: header: columns colour unexpected; expected name"):
        read_pool(tmp_path)


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: p / "nope", "pool folder or file not found"),
        (lambda p: p, "no pool files; expected"),
        (
            lambda p: _jsonl(p / "x.jsonl", ["{bad", "[1]"]).parent,
            r"empty pool, no company could be read \(2 malformed",
        ),
        (lambda p: _jsonl(p / "x.txt", ["a"]), "unknown pool file type '.txt'"),
    ],
)
def test_bad_pools_raise(tmp_path, setup, message):
    with pytest.raises(PoolError, match=message):
        read_pool(setup(tmp_path))


def test_default_pool_has_a_source_and_region_for_every_company():
    pool = read_pool(REAL / "pool")
    assert len(pool.companies) >= 80 and not pool.warnings
    for c in pool.companies:
        listed = c.code[:6].isdigit() or (c.code.endswith(".HK") and c.code[:5].isdigit())
        assert c.source and c.province and c.region_source and listed and c.products, c.name
        assert c.listing == "上市 listed", c.name


@pytest.mark.slow
@pytest.mark.skipif(not DATASET.is_dir(), reason="national dataset not present")
def test_national_pool_places_from_registered_names():
    pool = read_pool(DATASET)
    by_name = {c.name: c for c in pool.companies}
    assert (by_name["新宙邦"].province, by_name["新宙邦"].city) == ("广东", "深圳")
    assert by_name["新宙邦"].region_source.startswith("由注册名推断")
    assert by_name["*ST猛狮"].listing == "风险警示 ST"
    placed = sum(1 for c in pool.companies if c.province) / len(pool.companies)
    assert 0.6 < placed < 0.75  # 3,070 of 4,654 names start with a place; the rest stay unknown


@pytest.mark.skipif(not DATASET.is_dir(), reason="national dataset not present")
def test_national_layout_is_a_pool():
    pool = read_pool(DATASET)
    assert pool.kind == "national" and len(pool.companies) > 4000
    xzb = next(c for c in pool.companies if c.key == "300037")
    assert xzb.name == "新宙邦" and ("630702", "电池化学品") in xzb.industries
    assert "锂电池化学品" in {p.name for p in xzb.products}
    assert "电解液" in pool.parents["锂电池电解液"]  # 电解液 产品小类 锂电池电解液


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.builds(
                json.dumps,
                st.dictionaries(
                    st.sampled_from(["name", "code", "region", "products", "industry"]),
                    st.one_of(
                        st.text(max_size=8),
                        st.integers(),
                        st.none(),
                        st.lists(
                            st.one_of(
                                st.text(max_size=5),
                                st.fixed_dictionaries(
                                    {
                                        "name": st.text(max_size=5),
                                        "share": st.one_of(
                                            st.none(), st.floats(allow_nan=False), st.text(max_size=3)
                                        ),
                                    }
                                ),
                            ),
                            max_size=3,
                        ),
                    ),
                ),
            ),
        ),
        max_size=6,
    )
)
def test_fuzzed_lines_load_or_raise_pool_error(tmp_path, lines):
    path = tmp_path / "fuzz.jsonl"
    path.write_text("\n".join(line.replace("\n", " ").replace("\r", " ") for line in lines), encoding="utf-8")
    try:
        pool = read_pool(path)
    except PoolError:
        return
    assert all(c.name for c in pool.companies)
