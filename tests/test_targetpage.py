"""招商地图 page (``/map``): candidates by province and city per chain and gap, names escaped, nothing external."""

from __future__ import annotations

import re

from graph.analysis.targets import Need, rank_targets
from graph.build.source import load_pages_for_serving
from graph.inputs.pool import Company, Pool, Product
from graph.inputs.regions import parse_region
from graph.reports.targetmap import by_province
from graph.reports.targetpage import ALL, by_city, map_page, no_map_page

from conftest import TINY

HOSTILE = "<img src=x onerror=alert(1)>"


def _co(name, region, code, source="test"):
    place = parse_region(region)
    return Company(
        key=code or name,
        name=name,
        code=code,
        region=region,
        province=place.province,
        city=place.city,
        products=(Product("电解液", 0.5),),
        source=source,
    )


def _ranking(tiny_seeds):
    pool = Pool(
        (
            _co("丙", "广东 深圳", "300001.SZ"),
            _co("丁", "广东 广州", "300002.SZ"),
            _co("戊", "广东 深圳", "300003.SZ"),
            _co(HOSTILE, "江苏 苏州", "", source='"><script>alert(2)</script>'),
        ),
        "test.jsonl",
        "curated",
    )
    return rank_targets(tiny_seeds, pool, [Need("bat-electrolyte")], province="江西")


def test_by_city_groups_companies_with_codes_and_segments(tiny_seeds):
    rows = by_city(_ranking(tiny_seeds).targets)
    assert [(r.province, r.city, len(r.companies)) for r in rows] == [
        ("广东", "深圳", 2),
        ("广东", "广州", 1),
        ("江苏", "苏州", 1),
    ]
    assert rows[0].companies[0][:3] == ("丙", "300001.SZ", ("电解液",))


def test_page_escapes_names_and_sources_and_loads_nothing_external(tiny_seeds):
    page = map_page(_ranking(tiny_seeds), None, pool="test.jsonl")
    assert HOSTILE not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert '<td rowspan="2">深圳</td>' in page and "300002.SZ" in page


def test_page_has_one_section_per_chain_and_gap_with_the_cli_counts(tiny_seeds):
    r = _ranking(tiny_seeds)
    page = map_page(r, None, pool="test.jsonl")
    sections = re.findall(r'<section id="s\d+" data-chain="([^"]*)" data-gap="([^"]*)"', page)
    chain = r.targets[0].chain
    assert sections == [(ALL, ALL), (chain, ALL), (chain, "bat-electrolyte")]
    counts = re.findall(r'data-province="([^"]+)" data-count="(\d+)"', page.split("</section>")[0])
    assert counts == [(p.province, str(len(p.companies))) for p in by_province(r)]
    assert counts[0] == ("广东", "3")


def test_no_pool_gives_a_page_that_says_why():
    served = load_pages_for_serving(seeds_dir=TINY)
    assert "种子没有候选池 the seeds have no candidate pool" in served.map_page
    assert "&lt;b&gt;" in no_map_page("<b>")
