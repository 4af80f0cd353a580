"""Every build knows what it is: as-of date, seeds hash and version in build.json and the RDF; project dates."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from graph import __version__, load_seeds
from graph.build.info import BuildInfoError, build_info, seeds_digest
from graph.cli.main import cli
from graph.errors import SeedError
from graph.rdf.builder import build_graph
from graph.vocab.namespaces import CKG, data_iri

from conftest import TINY, edit


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_build_json_and_rdf_carry_date_hash_version(tmp_path):
    out = tmp_path / "out"
    run("build", "--seeds", str(TINY), "--out", str(out))
    info = json.loads((out / "build.json").read_text(encoding="utf-8"))
    digest = seeds_digest(TINY)
    assert info["as_of"] == "2024-01"  # the tiny article's issue month, its only dated source
    assert "demo" in info["as_of_basis"]
    assert info["seeds_sha256"] == digest and len(digest) == 64
    assert info["version"] == __version__
    assert {s["id"] for s in info["sources"]} == {"demo", "test-notes"}
    assert "build.json" in info["files"] and "kg.ttl" in info["files"]
    g = Graph().parse(out / "kg.ttl", format="turtle")
    dataset = data_iri("dataset", digest[:12])
    assert (dataset, DCTERMS.modified, Literal("2024-01", datatype=XSD.gYearMonth)) in g
    activity = g.value(dataset, PROV.wasGeneratedBy)
    seeds = g.value(activity, PROV.used)
    assert g.value(seeds, DCTERMS.identifier) == Literal(f"sha256:{digest}")
    agent = g.value(activity, PROV.wasAssociatedWith)
    assert g.value(agent, DCTERMS.hasVersion) == Literal(__version__)
    assert int(g.value(dataset, URIRef("http://rdfs.org/ns/void#triples"))) == len(g)


def test_as_of_option_and_two_builds_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    run("build", "--seeds", str(TINY), "--out", str(a), "--as-of", "2024-03-31")
    run("build", "--seeds", str(TINY), "--out", str(b), "--as-of", "2024-03-31")
    for path in sorted(a.iterdir()):
        assert path.read_bytes() == (b / path.name).read_bytes(), path.name
    info = json.loads((a / "build.json").read_text(encoding="utf-8"))
    assert info["as_of"] == "2024-03-31" and info["as_of_basis"].startswith("指定")


def test_bad_as_of_exits_2_without_traceback(tmp_path):
    result = CliRunner().invoke(
        cli, ["build", "--seeds", str(TINY), "--out", str(tmp_path / "o"), "--as-of", "2024-13"]
    )
    assert result.exit_code == 2
    assert (
        result.output.strip()
        == 'Error: as-of date: "2024-13" is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)'
    )
    assert not (tmp_path / "o").exists()
    with pytest.raises(BuildInfoError, match="not a date"):
        build_info(load_seeds(TINY), as_of="yesterday")


def test_seeds_hash_follows_the_content(tiny_copy):
    before = seeds_digest(tiny_copy)
    assert before == seeds_digest(TINY)  # the folder's place does not matter
    edit(tiny_copy / "projects.yaml", "value: signed", "value: under_construction")
    assert seeds_digest(tiny_copy) != before


def test_project_dates_with_evidence(tiny_copy):
    edit(
        tiny_copy / "projects.yaml",
        '  evidence: [{doc: demo, quote: "签约整车项目"',
        '  dates: {signed: {value: 2024-01, evidence: [{doc: demo, quote: "签约整车项目", start: 58, end: 64}]}}\n'
        '  evidence: [{doc: demo, quote: "签约整车项目"',
    )
    seeds = load_seeds(tiny_copy)
    project = next(p for p in seeds.projects if p.id == "bing-vehicles")
    assert [(d.milestone, d.value) for d in project.dates] == [("signed", "2024-01")]
    g = build_graph(seeds)
    node = data_iri("proj", "bing-vehicles")
    assert (node, CKG.signingDate, Literal("2024-01", datatype=XSD.gYearMonth)) in g
    assert any(
        g.subjects(
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#object"), g.value(node, CKG.signingDate)
        )
    )


def test_bad_project_dates_are_reported(tiny_copy):
    edit(
        tiny_copy / "projects.yaml",
        '  evidence: [{doc: demo, quote: "签约整车项目"',
        "  dates: {signd: {value: 2024-01}, started: {value: 2024-15, evidence: [{source: test-notes}]}}\n"
        '  evidence: [{doc: demo, quote: "签约整车项目"',
    )
    with pytest.raises(SeedError) as err:
        load_seeds(tiny_copy)
    text = str(err.value)
    assert 'dates.signd: unknown milestone (did you mean "signed"?)' in text
    assert 'value: "2024-15" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)' in text


def test_real_seeds_dates_have_sources(real_seeds):
    dated = {p.id: {d.milestone: d.value for d in p.dates} for p in real_seeds.projects if p.dates}
    assert dated["qingwang-park"] == {"signed": "2023-12-16"}  # 「12月16日…青网(上饶)科技园项目落户」
    for p in real_seeds.projects:
        for d in p.dates:
            assert d.evidence, (p.id, d.milestone)
