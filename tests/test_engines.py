"""The Oxigraph and remote engines: the same answers as rdflib on the real seeds, fast exports, clear errors."""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from graph.analysis.chainindex import as_digraph
from graph.analysis.gaps import chain_coverage, find_gaps
from graph.analysis.supply import anchor_supply
from graph.build.source import load_graph
from graph.errors import QueryError
from graph.rdf.fastio import fast_dumps
from graph.rdf.serialize import dumps
from graph.reports.gaps import render_anchors, render_gaps
from graph.sparql.client import RemoteError
from graph.sparql.engine import RdflibEngine
from graph.sparql.engines import (
    OxigraphEngine,
    RemoteEngine,
    choose_engine,
    engine_for,
    open_data,
    view_graph,
)
from graph.sparql.named import load_named_queries

# The engines agree on values but not always on a number's lexical form or type: Oxigraph stores derived integer
# types as xsd:integer and writes decimals canonically ("7" for "7.0"), rdflib promotes some integer arithmetic to
# xsd:decimal, and the two divide decimals to different numbers of digits. Numbers are compared by value.
_NUMBERS = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.decimal,
}


def _canonical(term):
    if isinstance(term, Literal) and term.datatype in _NUMBERS:
        return ("number", Decimal(str(term)).quantize(Decimal("1e-12")))
    return term


def _rows(result):
    return [tuple(_canonical(t) for t in row) for row in result.rows]


@pytest.fixture(scope="module")
def query_graph(real_seeds):
    from graph.build.pipeline import make_build
    from graph.rdf.ontology import load_ontology

    g = make_build(real_seeds).g
    g += load_ontology()
    return g


@pytest.fixture(scope="module")
def engines(query_graph):
    return RdflibEngine(query_graph), OxigraphEngine.from_graph(query_graph)


@pytest.mark.parametrize("name", sorted(load_named_queries()))
def test_named_queries_same_on_both_engines(engines, name):
    rdf, ox = engines
    text = load_named_queries()[name].bind(use_examples=True) if _bindable(name) else None
    if text is None:
        pytest.skip(f"{name} has a required parameter without an example")
    a, b = rdf.query(text), ox.query(text)
    assert a.vars == b.vars
    assert _rows(a) == _rows(b)


def _bindable(name):
    q = load_named_queries()[name]
    return all(p.default is not None or p.name in q.examples for p in q.params)


def test_every_named_query_is_compared():
    # a skip above would hide a query from the comparison: every shipped query must be bindable
    assert all(_bindable(name) for name in load_named_queries())


def test_ask_construct_and_errors(engines):
    rdf, ox = engines
    assert ox.query("ASK { ckd:org-jinko ckg:isAnchor true }").boolean is True
    a = rdf.query("CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a ckg:Enterprise ; rdfs:label ?l }").graph
    b = ox.query("CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a ckg:Enterprise ; rdfs:label ?l }").graph
    assert len(a) > 10 and isomorphic(a, b)
    with pytest.raises(QueryError, match="syntax error"):
        ox.query("SELEC ?x WHERE { ?x ?p ?o }")
    with pytest.raises(QueryError, match="Update is not allowed"):
        ox.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_gaps_same_on_view_graph(query_graph, engines, real_seeds):
    """Gap analysis on the subgraph a CONSTRUCT fetches equals gap analysis on the seeds."""
    local = as_digraph(real_seeds)
    fetched = as_digraph(view_graph(engines[1]))
    assert render_gaps(find_gaps(fetched), chain_coverage(fetched), "json") == render_gaps(
        find_gaps(local), chain_coverage(local), "json"
    )
    assert render_anchors(anchor_supply(fetched), "json") == render_anchors(anchor_supply(local), "json")


@pytest.mark.parametrize(("fmt", "rdflib_name"), [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_fast_exports_same_triples(real_graph, fmt, rdflib_name):
    fast = fast_dumps(real_graph, fmt)
    assert fast == dumps(real_graph, fmt, fast=True)
    assert isomorphic(Graph().parse(data=fast, format=rdflib_name), real_graph)
    assert "晶科能源" in fast  # UTF-8, not escapes
    # derived integer types survive the fast path (no Store in between)
    assert "nonNegativeInteger" in fast


def test_fast_nt_sorted(real_graph):
    lines = fast_dumps(real_graph, "nt").splitlines()
    assert lines == sorted(lines, key=lambda s: s.encode("utf-8"))


def test_choose_engine():
    # Oxigraph is the default at every size; "auto" is another name for it
    assert choose_engine(10) == "oxigraph" and choose_engine(10**6, "auto") == "oxigraph"
    assert choose_engine(10, "rdflib") == "rdflib"
    with pytest.raises(QueryError, match='unknown engine "oxigrap".*did you mean "oxigraph"'):
        choose_engine(1, "oxigrap")
    g = Graph()
    g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("甲")))
    assert engine_for(g).name == "oxigraph" and engine_for(g, "rdflib").name == "rdflib"


def test_open_data_file_and_store_folder(tmp_path, tiny_graph):
    path = tmp_path / "kg.nt"
    path.write_text(dumps(tiny_graph, "nt"), encoding="utf-8")
    e = open_data(path, engine="oxigraph")
    assert e.name == "oxigraph"
    assert e.query("ASK { ?u qudt:conversionMultiplier ?m }").boolean  # the ontology rides along
    want = (
        RdflibEngine(load_graph(data=path)).query("SELECT ?e WHERE { ?e a ckg:Enterprise } ORDER BY ?e").rows
    )
    assert e.query("SELECT ?e WHERE { ?e a ckg:Enterprise } ORDER BY ?e").rows == want
    folder = tmp_path / "store"
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    from graph.rdf.oxterms import to_store

    to_store(tiny_graph, store)
    store.flush()
    del store
    assert open_data(folder).query("SELECT ?e WHERE { ?e a ckg:Enterprise } ORDER BY ?e").rows == want
    with pytest.raises(QueryError, match="store folder is read by the oxigraph engine"):
        open_data(folder, engine="rdflib")


# -- the remote engine against a stub server: protocol details and error messages --------------------------------


class _Stub(BaseHTTPRequestHandler):
    answers: list[tuple[int, str, bytes]] = []
    seen: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        self.seen.append(
            {"path": self.path, "body": self.rfile.read(length), "accept": self.headers["Accept"]}
        )
        status, ctype, body = self.answers.pop(0)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    _Stub.answers, _Stub.seen = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_remote_reads_virtuoso_typed_literals(stub):
    body = {
        "head": {"vars": ["s", "n", "l", "x"]},
        "results": {
            "bindings": [
                {
                    "s": {"type": "uri", "value": "https://w3id.org/chainkg/id/org-jinko"},
                    "n": {"type": "typed-literal", "datatype": str(XSD.integer), "value": "3"},
                    "l": {"type": "literal", "xml:lang": "zh", "value": "晶科"},
                    "x": {"type": "typed-literal", "datatype": str(XSD.string), "value": "a"},
                }
            ]
        },
    }
    _Stub.answers = [(200, "application/sparql-results+json", json.dumps(body).encode("utf-8"))]
    result = RemoteEngine(stub, graph="urn:g").query("SELECT ?s ?n ?l ?x WHERE { ?s ckg:isAnchor ?n }")
    assert result.rows == [
        (
            URIRef("https://w3id.org/chainkg/id/org-jinko"),
            Literal("3", datatype=XSD.integer),
            Literal("晶科", lang="zh"),
            Literal("a"),
        )
    ]
    sent = _Stub.seen[0]["body"].decode("utf-8")
    assert (
        "PREFIX+ckg%3A" in sent and "default-graph-uri=urn%3Ag" in sent
    )  # the prefixes it uses travel along


def test_remote_retries_then_answers(stub):
    _Stub.answers = [
        (503, "text/plain", b"busy"),
        (200, "application/sparql-results+json", b'{"boolean": true}'),
    ]
    assert RemoteEngine(stub).query("ASK { ?s ?p ?o }").boolean is True
    assert len(_Stub.seen) == 2


def test_remote_errors_are_one_line(stub):
    _Stub.answers = [
        (400, "text/plain", b"Virtuoso 37000 Error SP030: SPARQL compiler\nline 1: syntax error")
    ]
    with pytest.raises(RemoteError, match=r"refused: HTTP 400 .*SP030") as err:
        RemoteEngine(stub).query("SELECT ?x WHERE { ?x ?p ?o }")
    assert "\n" not in str(err.value)
    _Stub.answers = [(200, "text/html", b"<html>hello</html>")]
    with pytest.raises(RemoteError, match="unexpected answer .*text/html.*is this a SPARQL query endpoint"):
        RemoteEngine(stub).query("SELECT ?x WHERE { ?x ?p ?o }")
    _Stub.answers = [(403, "text/plain", b"forbidden")]
    with pytest.raises(RemoteError, match="HTTP 403.*CHAINKG_ENDPOINT_USER"):
        RemoteEngine(stub).query("SELECT ?x WHERE { ?x ?p ?o }")


def test_remote_url_checks():
    with pytest.raises(RemoteError, match='"ftp://x/sparql" is not an http'):
        RemoteEngine("ftp://x/sparql")
    with pytest.raises(RemoteError, match="put credentials in CHAINKG_ENDPOINT_USER"):
        RemoteEngine("http://dba:secret@127.0.0.1:8890/sparql")


def test_from_graph_copies_on_first_use_once():
    """A build that never queries does not pay for the Oxigraph copy; the first query (from any thread) makes it,
    once, and later changes to the rdflib graph are not seen."""
    g = Graph()
    s = URIRef("https://example.org/s")
    p = URIRef("https://example.org/p")
    g.add((s, p, Literal("a")))
    engine = OxigraphEngine.from_graph(g)
    assert len(engine._store) == 0  # nothing copied yet
    assert len(engine) == 1
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answers: list[int] = []
    threads = [
        threading.Thread(target=lambda: answers.append(int(engine.query(text).rows[0][0]))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [1, 1, 1, 1]
    g.add((s, p, Literal("b")))  # after the copy: the engine keeps what it copied
    assert int(engine.query(text).rows[0][0]) == 1
