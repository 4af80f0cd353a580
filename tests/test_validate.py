"""SHACL: the real seeds conform; broken graphs give the expected violations, readably."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from graph.rdf.validate import validate
from graph.vocab.namespaces import CKD, CKG, OA, SDMX_MEASURE


def test_real_seeds_conform(real_graph):
    report = validate(real_graph)
    assert report.conforms, "\n".join(v.line() for v in report.violations)


def test_tiny_seeds_conform(tiny_graph):
    assert validate(tiny_graph).conforms


def _broken(tiny_graph):
    g = tiny_graph.__class__()
    for triple in tiny_graph:
        g.add(triple)
    for prefix, ns in tiny_graph.namespaces():
        g.bind(prefix, ns, override=True)
    return g


def _messages(g) -> set[tuple[str, str]]:
    report = validate(g)
    assert not report.conforms
    return {(v.focus, v.message.split(" ")[0]) for v in report.violations}


def test_cycle_is_a_violation(tiny_graph):
    g = _broken(tiny_graph)
    g.add((CKD["seg-bat-vehicle"], CKG.upstreamOf, CKD["seg-bat-cathode"]))
    found = _messages(g)
    assert ("ckd:seg-bat-cathode", "上下游关系成环") in found
    assert ("ckd:seg-bat-vehicle", "上下游关系成环") in found


def test_quote_drift_and_reversed_offsets(tiny_graph):
    g = _broken(tiny_graph)
    span = next(s for s in g.subjects(OA.exact, Literal("甲材料公司")))
    g.set((span, OA.exact, Literal("乙材料公司")))
    pos = URIRef(str(span).replace("-quote", "-pos"))
    g.set((pos, OA.end, Literal(3, datatype=XSD.nonNegativeInteger)))
    report = validate(g)
    lines = "\n".join(v.line() for v in report.violations)
    assert "引文与原文位置不符" in lines
    assert "oa:start" in lines  # start 12 is not less than end 3


def test_unasserted_fact_and_bad_status_and_text_value(tiny_graph):
    g = _broken(tiny_graph)
    g.remove((CKD["org-jia"], CKG.inSegment, CKD["seg-bat-cathode"]))
    g.set((CKD["proj-bing-vehicles"], CKG.status, CKD["status-maybe"]))
    g.set((CKD["obs-yi-cells-investment"], SDMX_MEASURE.obsValue, Literal("50亿元")))
    report = validate(g)
    messages = [v.message for v in report.violations]
    assert any(m.startswith("事实未被断言") for m in messages)
    assert any(m.startswith("status must be one of") for m in messages)
    assert any(m.startswith("数值须为 xsd:decimal") for m in messages)
    # and the enterprise lost its only segment
    assert any(m.startswith("本地企业需归入细分领域") for m in messages)


def test_missing_zh_label_is_reported_with_focus_label(tiny_graph):
    g = _broken(tiny_graph)
    g.remove((CKD["org-jia"], RDFS.label, Literal("甲材料", lang="zh")))
    report = validate(g)
    (violation,) = [v for v in report.violations if v.focus == "ckd:org-jia"]
    assert violation.path == "rdfs:label"
    assert violation.focus_label == "Jia Materials"
    assert violation.line().startswith("Violation: ckd:org-jia (Jia Materials) rdfs:label: 企业需要中文名称")


def test_stage_order_checked(tiny_graph):
    g = _broken(tiny_graph)
    g.add((CKD["stage-bat-raw"], CKG.nextStage, CKD["stage-bat-apps"]))
    g.remove((CKD["stage-bat-raw"], CKG.nextStage, CKD["stage-bat-cells"]))
    assert ("ckd:stage-bat-raw", "下一环节须在同一产业链且序号加一") in _messages(g)


def test_each_constraint_text_parsed_once_same_report_as_pyshacl(tiny_graph, monkeypatch):
    """pySHACL hands rdflib one constraint text per focus node; validate parses each text once and still reports
    exactly what pySHACL alone reports (two SPARQL constraints broken, on several focus nodes)."""
    import pyshacl
    from rdflib.namespace import SH

    import graph.rdf.validate as validate_module
    from graph.rdf.ontology import load_ontology, load_shapes

    g = _broken(tiny_graph)
    g.add(
        (CKD["seg-bat-vehicle"], CKG.upstreamOf, CKD["seg-bat-cathode"])
    )  # a cycle through several segments
    g.remove((CKD["org-jia"], CKG.inSegment, CKD["seg-bat-cathode"]))  # a fact no longer asserted
    parsed: list[str] = []
    real_parse = validate_module.parseQuery
    monkeypatch.setattr(validate_module, "parseQuery", lambda text: parsed.append(text) or real_parse(text))
    report = validate(g)
    assert parsed and len(parsed) == len(set(parsed))  # each text once
    focus_nodes = len(set(g.subjects(RDF.type, CKG.ChainSegment))) + len(set(g.subjects(RDF.type, CKG.Fact)))
    assert len(parsed) < focus_nodes  # fewer parses than the focus nodes a constraint ran on

    monkeypatch.undo()
    _, alone, _ = pyshacl.validate(
        g,
        shacl_graph=load_shapes(),
        ont_graph=load_ontology(),
        inference="rdfs",
        advanced=True,
        allow_warnings=True,
    )
    expected = {
        (str(alone.value(r, SH.focusNode)), str(alone.value(r, SH.resultMessage)))
        for r in alone.subjects(SH.resultSeverity, None)
    }
    got = {(str(CKD[v.focus.removeprefix("ckd:")]), v.message) for v in report.violations}
    assert got == expected
    assert any(m.startswith("上下游关系成环") for _, m in got) and any(
        m.startswith("事实未被断言") for _, m in got
    )
