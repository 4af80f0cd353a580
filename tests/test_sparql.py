"""SPARQL: every named query against rows derived from the real seeds, parameter binding, and result formats."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import ORG

from graph.analysis.digraph import to_digraph
from graph.analysis.gaps import chain_coverage, find_coverage
from graph.build.source import open_engine
from graph.errors import QueryError
from graph.rdf.ontology import load_ontology
from graph.sparql.engine import RdflibEngine, is_update, labels
from graph.sparql.named import get_named_query, load_named_queries, term_text
from graph.sparql.results import format_result, negotiate
from graph.vocab.namespaces import CKD, CKG, data_iri
from graph.vocab.units import UNITS

from conftest import REAL, TINY


@pytest.fixture(scope="module")
def engine(real_graph):
    return RdflibEngine(real_graph + load_ontology())


def real_graph_digraph(engine):
    """The networkx view of the engine's graph (the coverage rules run on it)."""
    return to_digraph(engine.g)


@pytest.fixture(scope="module")
def facts(real_seeds):
    """What the seeds say, in plain Python: local players per segment and the upstream edges."""
    zone = real_seeds.zone
    players: dict[str, set[str]] = {s.id: set() for s in real_seeds.segments}
    for e in real_seeds.enterprises:
        if e.in_zone and zone:
            for p in e.segments:
                players[p.segment].add(str(data_iri("org", e.id)))
    for p in real_seeds.projects:
        for pl in p.segments:
            players[pl.segment].add(str(data_iri("proj", p.id)))
    ups = [(e.up, e.down) for e in real_seeds.edges if not e.feedback]
    return players, ups


def seg(ident: str) -> str:
    return str(data_iri("seg", ident))


def closure(start: str, edges: list[tuple[str, str]], *, up: bool) -> set[str]:
    found, todo = set(), [start]
    while todo:
        node = todo.pop()
        for a, b in edges:
            nxt = a if up and b == node else b if not up and a == node else None
            if nxt and nxt not in found:
                found.add(nxt)
                todo.append(nxt)
    return found


def run(engine, query_name: str, **params: str):
    result = engine.query(get_named_query(query_name).bind(params))
    return [{k: str(v) for k, v in row.items()} for row in result.dicts()]


def test_at_least_twelve_named_queries_with_headers():
    queries = load_named_queries()
    own = [q for q in queries.values() if not q.name.startswith("gaps-")]
    assert len(own) >= 12
    for q in queries.values():
        assert q.title_zh and q.title_en and q.about, q.name


@pytest.mark.parametrize("name", sorted(load_named_queries()))
def test_every_named_query_runs_on_the_real_graph(engine, name):
    # Regression guard for rdflib's join-order trap: each query must finish on realistic data (rdflib's BGP reordering can build a cartesian product).
    q = load_named_queries()[name]
    result = engine.query(q.bind(use_examples=True))
    assert result.kind == "select" and result.vars


def test_chain_members(engine, real_seeds, facts):
    players, _ = facts
    liion = {s.id for s in real_seeds.segments if s.chain == "liion"}
    expected = {(seg(s), p) for s in liion for p in players[s]}
    rows = run(engine, "chain-members", chain="ckd:chain-liion")
    assert {(r["segment"], r["member"]) for r in rows} == expected
    assert [int(r["stageIndex"]) for r in rows] == sorted(int(r["stageIndex"]) for r in rows)
    names = {r["member"]: r["name"] for r in rows}
    assert names[str(CKD["proj-hongxin-anode"])] == "宏信锂电碳负极项目"


def test_projects_over_investment(engine, real_seeds):
    def expected(min_yi: Decimal) -> dict[str, Decimal]:
        return {
            str(
                data_iri("proj" if o.about in {p.id for p in real_seeds.projects} else "org", o.about)
            ): o.value * Decimal(str(UNITS[o.unit].to_yuan))
            for o in real_seeds.observations
            if o.indicator == "total-investment"
            and o.value * Decimal(str(UNITS[o.unit].to_yuan)) >= min_yi * 10**8
        }

    for min_yi in ("20", "100", "1000"):
        rows = run(engine, "projects-over-investment", min=min_yi)
        assert {r["subject"]: Decimal(r["yuan"]) for r in rows} == expected(Decimal(min_yi))
    assert len(run(engine, "projects-over-investment", min="20")) > len(
        run(engine, "projects-over-investment")
    )


@pytest.mark.parametrize(("name", "up"), [("upstream-suppliers", True), ("downstream-buyers", False)])
def test_upstream_and_downstream(engine, facts, name, up):
    players, edges = facts
    column = "upstream" if up else "downstream"
    for start in ("liion-cell", "pv-cell"):
        rows = run(engine, name, segment=f"ckd:seg-{start}")
        related = closure(start, edges, up=up)
        assert related, start
        assert {r[column] for r in rows} == {seg(s) for s in related}
        assert {(r[column], r["player"]) for r in rows if "player" in r} == {
            (seg(s), p) for s in related for p in players[s]
        }


def test_empty_and_single_player_segments(engine, facts):
    players, _ = facts
    # the coverage rules (graph/coverage.py): a segment matched to a held one is not empty
    cov = find_coverage(real_graph_digraph(engine))
    assert {(r["segment"], str(r["state"])) for r in run(engine, "empty-segments")} == {
        (seg(s), c.state) for s, c in cov.items() if c.level == "segment" and c.state != "present"
    }
    assert {seg(s) for s, p in players.items() if not p} >= {
        r["segment"] for r in run(engine, "empty-segments")
    }
    single = {r["segment"]: r["onlyPlayer"] for r in run(engine, "single-player-segments")}
    assert single == {seg(s): next(iter(p)) for s, p in players.items() if len(p) == 1}


def test_anchor_suppliers(engine, real_seeds, facts):
    players, edges = facts
    expected = set()
    for e in real_seeds.enterprises:
        if not e.anchor:
            continue
        me = str(data_iri("org", e.id))
        for pl in e.segments:
            for a, b in edges:
                if b == pl.segment:
                    suppliers = players[a] - {me}
                    expected |= {(me, seg(b), seg(a), s) for s in suppliers} or {(me, seg(b), seg(a), None)}
    rows = run(engine, "anchor-suppliers")
    got = {(r["anchor"], r["anchorSegment"], r["supplierSegment"], r.get("supplier")) for r in rows}
    assert got == expected and any(s is None for *_, s in got)


def test_fact_evidence_quotes_sit_at_their_offsets(engine, real_seeds):
    article = real_seeds.articles[0].text
    p = next(p for p in real_seeds.projects if p.id == "hongxin-anode")
    evidence = list(p.evidence) + list(p.status_evidence)
    evidence += [ev for link in p.investors for ev in link.evidence] + [
        ev for s in p.segments for ev in s.evidence
    ]
    rows = run(engine, "fact-evidence", node="ckd:proj-hongxin-anode")
    assert {(int(r["start"]), int(r["end"])) for r in rows} == {
        (ev.start, ev.end) for ev in evidence if ev.doc
    }
    for r in rows:
        assert article[int(r["start"]) : int(r["end"])] == r["quote"]
    notes = run(engine, "fact-evidence", node="ckd:org-jietai")
    assert any("展宇新能源" in r.get("note", "") for r in notes)  # named-source facts carry their note


def test_zone_indicators_units_periods_and_yuan(engine, real_seeds):
    rows = run(engine, "zone-indicators")
    about = [o for o in real_seeds.observations if o.about == real_seeds.zone.id]
    assert len(rows) == len(about)
    revenue = next(o for o in about if o.indicator == "main-business-revenue")
    row = next(r for r in rows if r["indicator"] == str(data_iri("ind", "main-business-revenue")))
    assert Decimal(row["yuan"]) == revenue.value * 10**8
    assert row["unit"] == str(UNITS[revenue.unit].iri) and row["period"] == str(
        data_iri("period", revenue.period)
    )
    assert all("yuan" not in r for r in rows if UNITS_BY_IRI[r["unit"]].to_yuan is None)


UNITS_BY_IRI = {str(u.iri): u for u in UNITS.values()}


def test_projects_by_status(engine, real_seeds):
    iris = {
        "signed": CKG.signed,
        "under_construction": CKG.underConstruction,
        "in_production": CKG.inProduction,
    }
    rows = run(engine, "projects-by-status")
    assert {(r.get("status"), r["project"]) for r in rows} == {
        (str(iris[p.status]) if p.status else None, str(data_iri("proj", p.id))) for p in real_seeds.projects
    }
    order = [r.get("status") for r in rows if r.get("status")]
    assert order.index(str(CKG.signed)) < order.index(str(CKG.inProduction))


def test_chain_coverage(engine, real_seeds, facts):
    players, _ = facts
    rows = {r["chain"]: r for r in run(engine, "chain-coverage")}
    assert set(rows) == {str(data_iri("chain", c.id)) for c in real_seeds.chains}
    for c in real_seeds.chains:
        mine = [s.id for s in real_seeds.segments if s.chain == c.id]
        row = rows[str(data_iri("chain", c.id))]
        assert int(row["segments"]) == len(mine)
        assert int(row["covered_segments"]) >= sum(
            1 for s in mine if players[s]
        )  # matched segments count too
    by_chain = {c.chain: c for c in chain_coverage(real_graph_digraph(engine))}
    for c in real_seeds.chains:
        row, want = rows[str(data_iri("chain", c.id))], by_chain[c.id]
        got = tuple(
            int(row[k])
            for k in ("covered_segments", "unnamed_segments", "absent_segments", "unknown_segments")
        )
        assert got == (want.covered, want.unnamed, want.absent, want.unknown)


def test_facts_without_evidence(engine, real_seeds):
    zone = data_iri("zone", real_seeds.zone.id)
    expected = {
        (str(data_iri("proj", p.id)), str(CKG.projectSite), str(zone))
        for p in real_seeds.projects
        if not p.place
    }
    expected |= {
        (str(data_iri("org", e.id)), str(CKG.inSegment), seg(pl.segment))
        for e in real_seeds.enterprises
        for pl in e.segments
        if not pl.evidence
    }
    rows = run(engine, "facts-without-evidence")
    assert {(r["subject"], r["predicate"], r["object"]) for r in rows} == expected
    assert str(ORG.hasSite) not in {r["predicate"] for r in rows}


@pytest.mark.parametrize("name", ["晶科", "JinkoSolar", "jinkosolar", "蜂巢"])
def test_lookup_by_name_or_alias(engine, real_seeds, name):
    expected = set()
    for kind, items in (("org", real_seeds.enterprises), ("proj", real_seeds.projects)):
        for item in items:
            names = [item.name, item.name_en or "", *item.aliases, getattr(item, "name_full", None) or ""]
            if any(name.lower() in n.lower() for n in names):
                expected.add(str(data_iri(kind, item.id)))
    rows = run(engine, "lookup-name", name=name)
    assert {r["node"] for r in rows} == expected and expected


def test_node_shows_both_directions(engine, real_seeds):
    jinko = next(e for e in real_seeds.enterprises if e.id == "jinko")
    rows = run(engine, "node", node="ckd:org-jinko")
    out = {r["value"] for r in rows if r["direction"] == "→ out" and r["predicate"] == str(CKG.inSegment)}
    assert out == {seg(p.segment) for p in jinko.segments}
    assert ("← in", str(CKG.investor), str(CKD["proj-jinko-smart-factory"])) in {
        (r["direction"], r["predicate"], r["value"]) for r in rows
    }


def test_binding_refuses_injection_and_bad_values():
    q = get_named_query("lookup-name")
    text = q.bind({"name": 'x") } SELECT * { ?s ?p ?o } #'})
    assert '"x\\") } SELECT * { ?s ?p ?o } #"' in text
    with pytest.raises(
        QueryError, match=r'parameter segment: "ckd:x> \} DROP ALL" has a character an IRI cannot hold'
    ):
        get_named_query("upstream-suppliers").bind({"segment": "ckd:x> } DROP ALL"})
    with pytest.raises(QueryError, match='parameter min: "lots" is not a number'):
        get_named_query("projects-over-investment").bind({"min": "lots"})
    with pytest.raises(
        QueryError, match=r'has no parameter "segmnt"; it takes segment \(did you mean "segment"\?\)'
    ):
        get_named_query("upstream-suppliers").bind({"segmnt": "ckd:seg-pv-cell"})
    with pytest.raises(QueryError, match="missing parameter node=…"):
        get_named_query("node").bind({})
    assert term_text("https://example.org/a", "iri") == "<https://example.org/a>"
    with pytest.raises(QueryError, match='"seg-pv-cell" is not an IRI'):
        term_text("seg-pv-cell", "iri")


@pytest.mark.parametrize("value", ['") } SELECT * { ?s ?p ?o } #', "\\u0022) } #", "晶科\\", "a\nb"])
def test_hostile_string_values_stay_one_string(engine, value):
    result = engine.query(get_named_query("lookup-name").bind({"name": value}))
    assert result.vars == ["node", "type", "matched"] and result.rows == []


def test_unknown_name_suggests_close_ones():
    with pytest.raises(QueryError, match=r'no named query "upstream" \(did you mean upstream-suppliers'):
        get_named_query("upstream")


def test_syntax_error_is_one_line_with_line_and_column(engine):
    with pytest.raises(QueryError, match=r"syntax error at line 2, col \d+") as info:
        engine.query("SELECT ?s\nWHERE { ?s ?p }")
    assert "\n" not in str(info.value)


def test_update_is_refused(engine):
    assert is_update("# c\nDELETE WHERE { ?s ?p ?o }") and not is_update(
        "SELECT ?delete WHERE { ?delete ?p ?o }"
    )
    with pytest.raises(QueryError, match="Update is not allowed"):
        engine.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_open_engine_from_data_file_and_unknown_engine(tmp_path, tiny_graph):
    path = tmp_path / "kg.ttl"
    path.write_text(tiny_graph.serialize(format="turtle"), encoding="utf-8")
    e = open_engine(data=path)
    assert e.query("ASK { ?u qudt:conversionMultiplier ?m }").boolean  # the ontology rides along
    assert len(e.query("SELECT ?e WHERE { ?e a ckg:Enterprise }").rows) == len(
        open_engine(seeds_dir=TINY).query("SELECT ?e WHERE { ?e a ckg:Enterprise }").rows
    )
    with pytest.raises(QueryError, match='unknown engine "rdflb".*did you mean "rdflib"'):
        open_engine(data=path, engine="rdflb")
    bad = tmp_path / "kg.txt"
    bad.write_text("x", encoding="utf-8")
    with pytest.raises(QueryError, match=r'unknown RDF file type "\.txt"'):
        open_engine(data=bad)


def test_result_formats_follow_sparql_1_1(engine):
    result = engine.query(
        'SELECT ?e ?l ?n WHERE { VALUES ?n { 2 } ?e ckg:isAnchor true ; rdfs:label ?l . FILTER(LANG(?l) = "zh") }'
    )
    data = json.loads(format_result(result, "json"))
    assert data["head"]["vars"] == ["e", "l", "n"]
    first = data["results"]["bindings"][0]
    assert first["e"]["type"] == "uri" and first["l"]["xml:lang"] == "zh"
    assert first["n"]["datatype"].endswith("#integer")
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == ["e", "l", "n"] and {r[1] for r in rows[1:]} >= {"晶科能源"}
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0] == "?e\t?l\t?n" and '"晶科能源"@zh' in "\n".join(tsv)
    root = ElementTree.fromstring(format_result(result, "xml").encode("utf-8"))
    assert len(root.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == len(result.rows)
    table = format_result(result, "table", labels(engine, [r[0] for r in result.rows]))
    assert "晶科能源 (ckd:org-jinko)" in table and table.rstrip().endswith("行 row(s)")
    assert json.loads(format_result(engine.query("ASK { ?s ?p ?o }"), "json")) == {
        "boolean": True,
        "head": {},
    }


def test_construct_gives_turtle_or_jsonld(engine):
    result = engine.query("CONSTRUCT { ?e a ckg:Enterprise } WHERE { ?e ckg:isAnchor true }")
    assert "ckd:org-jinko" in format_result(result, "table")
    doc = json.loads(format_result(result, "json"))
    assert {n["@id"] for n in doc["@graph"]} >= {"ckd:org-jinko"}


def test_negotiate():
    assert negotiate("text/tab-separated-values", "select") == ("tsv", "text/tab-separated-values")
    assert negotiate("application/json", "graph") == ("jsonld", "application/json")
    assert negotiate("text/html, */*;q=0.1", "select") == ("json", "application/sparql-results+json")
    assert negotiate("image/png", "select") is None
    assert negotiate("text/*", "graph") == ("turtle", "text/turtle")


def test_labels_prefer_chinese(engine):
    names = labels(engine, [CKD["org-jinko"], URIRef("urn:none"), Literal("x")])
    assert names == {CKD["org-jinko"]: "晶科能源"}


def test_write_snapshot_keeps_data_and_ontology_apart_and_sorted(tmp_path):
    from graph.build.source import load_for_serving
    from graph.sparql.datasets import DATA_GRAPH, write_snapshot
    from graph.vocab.namespaces import ONTOLOGY_IRI

    first, second = tmp_path / "a.nq", tmp_path / "b.nq"
    full, _ = load_for_serving(seeds_dir=TINY)
    write_snapshot(first, full)
    write_snapshot(second, load_for_serving(seeds_dir=TINY)[0])
    lines = first.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and first.read_bytes() == second.read_bytes()
    graphs = {line.rsplit(" ", 2)[-2] for line in lines}
    assert graphs == {f"<{DATA_GRAPH}>", f"<{ONTOLOGY_IRI}>"}
    assert not any(
        line.startswith("<https://w3id.org/chainkg/ontology#Enterprise> ") and DATA_GRAPH in line
        for line in lines
    )  # the ontology is in its own graph, not in the data graph


@pytest.mark.parametrize("engine_name", ["rdflib", "oxigraph"])
def test_nquads_data_keeps_named_graphs_and_protocol_dataset(tmp_path, engine_name):
    path = tmp_path / "two.nq"
    path.write_text(
        "<urn:a> <urn:p> <urn:b> <urn:g1> .\n<urn:c> <urn:p> <urn:d> <urn:g2> .\n", encoding="utf-8"
    )
    eng = open_engine(data=path, engine=engine_name)
    assert eng.query("ASK { <urn:a> ?p ?o . <urn:c> ?p ?o2 }").boolean  # the default graph is the union
    assert not eng.query("ASK { <urn:c> ?p ?o }", default_graphs=["urn:g1"]).boolean
    assert eng.query("ASK { GRAPH <urn:g2> { <urn:c> ?p ?o } }", named_graphs=["urn:g2"]).boolean
    assert not eng.query("ASK { GRAPH ?g { <urn:c> ?p ?o } }", named_graphs=["urn:g1"]).boolean
    q = "ASK FROM <urn:g2> { <urn:a> ?p ?o }"
    assert eng.query(q, default_graphs=["urn:g1"], named_graphs=[]).boolean  # the protocol's dataset wins
    assert not eng.query(q).boolean  # the query's own FROM, when the protocol gives none


def test_protocol_dataset_on_a_plain_graph_names_only_empty_graphs(engine):
    assert engine.query("ASK { ?s a ckg:Enterprise }").boolean
    assert not engine.query("ASK { ?s a ckg:Enterprise }", default_graphs=["urn:nowhere"]).boolean


def test_serving_a_quads_file_keeps_its_graphs_and_explains_the_map(tmp_path):
    from graph.build.source import load_pages_for_serving

    path = tmp_path / "zone.nq"
    path.write_text(
        '<https://w3id.org/chainkg/id/org-x> <http://www.w3.org/2000/01/rdf-schema#label> "甲"@zh <urn:g1> .\n'
        "<https://w3id.org/chainkg/id/org-x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/chainkg/ontology#Enterprise> <urn:g2> .\n",
        encoding="utf-8",
    )
    served = load_pages_for_serving(data=path)
    assert {str(g.identifier) for g in served.full.graphs()} >= {"urn:g1", "urn:g2"}
    assert "甲" in served.view  # the view reads the union of the graphs
    assert "no candidate pool" in served.map_page


def test_queries_see_the_graph_chainkg_build_writes():
    # the seeds' pool ranked for the gaps: the recommendations in out/kg.ttl are in the graph queries and serve read
    engine = open_engine(seeds_dir=REAL)
    assert engine.query("ASK { ?r a ckg:Recommendation ; ckg:forGap ?gap ; ckg:candidate ?c }").boolean
