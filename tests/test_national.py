"""The national dataset reader: records, data-quality warnings, and the graph model on rdflib and Oxigraph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import ORG, RDF, SKOS

from graph.inputs.national.rdf import (
    company_iri,
    industry_iri,
    national_graph,
    national_ntriples,
    national_store,
    national_triples,
    product_iri,
)
from graph.inputs.national.read import FILES, NationalError, read_national
from graph.rdf.fastio import nt_literal, sorted_ntriples
from graph.vocab.namespaces import CKG

from conftest import DATASET

NATIONAL = Path(__file__).resolve().parent / "data" / "national"


@pytest.fixture(scope="module")
def tiny_national():
    return read_national(NATIONAL)


def test_records(tiny_national):
    nat = tiny_national
    assert [c.code for c in nat.companies] == ["300001", "300003", "600002", "688004"]
    first = nat.companies[0]
    assert (first.name, first.full_name, first.exchange, first.stock_code, first.listed) == (
        "甲锂电",
        "甲锂电股份有限公司",
        "SZ",
        "300001.SZ",
        "2010-01-05",
    )
    reused = nat.companies[2]
    assert reused.full_name == "乙材料股份有限公司" and reused.other_names == ("乙新材料股份有限公司",)
    assert nat.companies[1].exchange == "SZ"  # the shifted row falls back on the code's suffix
    assert nat.companies[3].listed is None  # "-" is no date
    assert [(i.code, i.parent) for i in nat.industries] == [
        ("630000", None),
        ("630700", "630000"),
        ("630701", "630700"),
    ]
    assert [(r.company, r.industry) for r in nat.company_industries] == [("300001", "630701")]
    # "正极\n材料\n" is the same product as "正极材料"; the first of a duplicate pair wins
    assert [(r.company, r.product, r.weight) for r in nat.company_products] == [
        ("300001", "锂电池", 0.8),
        ("300003", "碳酸锂", 1.2),
        ("600002", "正极材料", 0.6),
        ("600002", "电解液", -0.2),
    ]
    assert "电解液" in nat.products and len(nat.product_links) == 3


def test_warnings_have_counts(tiny_national):
    found = {w.kind: w.count for w in tiny_national.warnings}
    assert found == {
        "dangling-company": 1,
        "dangling-industry": 1,
        "duplicate-name": 2,
        "duplicate-pair": 1,
        "missing-product": 1,
        "reused-code": 1,
        "shifted-row": 1,
    }
    text = {w.kind: str(w) for w in tiny_national.warnings}
    assert (
        text["dangling-company"]
        == "dangling-company: 1 company codes in company_industry.json match no company (e.g. 999999)"
    )


def test_graph_model(tiny_national):
    g = national_graph(tiny_national)
    co, li, cathode = company_iri("300001"), product_iri("锂电池"), product_iri("正极材料")
    assert (co, RDF.type, CKG.Enterprise) in g
    assert (co, CKG.stockCode, Literal("300001.SZ")) in g
    assert (co, CKG.inIndustry, industry_iri("630701")) in g
    assert (co, CKG.produces, li) in g
    assert (industry_iri("630701"), SKOS.broader, industry_iri("630700")) in g
    assert (cathode, CKG.upstreamOf, li) in g  # 锂电池 上游材料 正极材料
    assert (product_iri("碳酸锂"), CKG.upstreamOf, cathode) in g  # 碳酸锂 下游产品 正极材料
    assert (li, SKOS.broader, product_iri("电池")) in g  # 电池 产品小类 锂电池
    # listed companies are not placed in any zone
    assert not list(g.triples((None, ORG.hasSite, None)))


def test_store_matches_graph(tiny_national):
    store = national_store(tiny_national)
    text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode("utf-8")
    g = Graph().parse(data=text, format="nt")
    assert isomorphic(g, national_graph(tiny_national))


def _term_store(nat) -> ox.Store:
    """The store as it was filled before the N-Triples path: one pyoxigraph term per node, ``bulk_extend``."""

    def lit(text, lang, datatype):
        if lang:
            return ox.Literal(text, language=lang)
        return ox.Literal(text, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(text)

    store = ox.Store()
    store.bulk_extend(
        ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in national_triples(nat, ox.NamedNode, lit)
    )
    return store


def test_ntriples_equal_the_term_path(tiny_national):
    nt = national_ntriples(tiny_national)
    assert nt == sorted_ntriples(_term_store(tiny_national))
    assert sorted_ntriples(national_store(tiny_national, nt=nt)) == nt


def test_nt_literal_escapes_like_oxigraph():
    text = "".join(chr(i) for i in range(0x80)) + "\u2028\ufeff\U0001f600中文"
    assert nt_literal(text) == str(ox.Literal(text))
    assert nt_literal(text, "zh") == str(ox.Literal(text, language="zh"))
    date = "http://www.w3.org/2001/XMLSchema#date"
    assert nt_literal(text, None, date) == str(ox.Literal(text, datatype=ox.NamedNode(date)))


def test_missing_file(tmp_path):
    shutil.copytree(NATIONAL, tmp_path / "n")
    (tmp_path / "n" / "product.json").unlink()
    with pytest.raises(
        NationalError, match=r"product.json: file not found; a national dataset folder needs product.json"
    ):
        read_national(tmp_path / "n")


def test_bad_line(tmp_path):
    shutil.copytree(NATIONAL, tmp_path / "n")
    with open(tmp_path / "n" / "industry.json", "a", encoding="utf-8") as f:
        f.write('{"code": "1"\n')
    with pytest.raises(NationalError, match=r"industry.json:4: not a JSON object"):
        read_national(tmp_path / "n")


def test_files_listed():
    assert sorted(FILES) == sorted(p.name for p in NATIONAL.iterdir())


@pytest.mark.skipif(not DATASET.is_dir(), reason="national dataset not present in ../shared")
def test_real_dataset():
    nat = read_national(DATASET)
    found = {w.kind: w.count for w in nat.warnings}
    # the counts the dataset README documents
    assert found["dangling-company"] == 103
    assert found["dangling-industry"] == 168
    assert found["duplicate-name"] == 49
    assert found["reused-code"] == 68
    assert found["shifted-row"] == 1
    assert len(nat.companies) == 4654 - 68
    newsun = {c.name: c for c in nat.companies}["新宙邦"]
    assert ("300037", "锂离子电池电解液") in {
        (r.company, r.product) for r in nat.company_products if r.company == newsun.code
    }


@pytest.mark.slow
@pytest.mark.skipif(not DATASET.is_dir(), reason="national dataset not present in ../shared")
def test_real_dataset_ntriples_unchanged():
    """The one-pass N-Triples text of the real dataset is byte for byte what the term-by-term store wrote."""
    nat = read_national(DATASET)
    assert national_ntriples(nat) == sorted_ntriples(_term_store(nat))
