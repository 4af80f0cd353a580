"""``chainkg serve``: the SPARQL 1.1 Protocol endpoint with real clients, refusals, the timeout, and the query page."""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner
from rdflib import Graph

from graph.build.source import load_pages_for_serving
from graph.cli.main import cli
from graph.sparql.named import load_named_queries
from graph.sparql.server import make_server

from conftest import REAL, TINY

ANCHORS = "SELECT ?e ?l WHERE { ?e ckg:isAnchor true ; rdfs:label ?l . FILTER(LANG(?l) = 'zh') }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server():
    served = load_pages_for_serving(seeds_dir=REAL)
    srv = make_server(served.full, served.view, map_page=served.map_page, port=0, timeout=4.0, workers=2)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def http(
    server, path: str, *, data: bytes | None = None, headers: dict | None = None, method: str | None = None
):
    """(status, headers, body text) of one request; errors are answers too."""
    request = urllib.request.Request(
        server.url.rstrip("/") + path, data=data, headers=headers or {}, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


def get(server, query: str, accept: str | None = None):
    return http(
        server,
        "/sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": accept} if accept else {},
    )


def test_binds_loopback_by_default(server):
    assert server.server_address[0] == "127.0.0.1"


def test_sparqlwrapper_select_and_construct(server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server.url + "sparql")
    client.setQuery(ANCHORS)  # chainkg's prefixes are predeclared on the server
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert {r["l"]["value"] for r in rows} >= {"晶科能源", "蜂巢能源"}
    client.setQuery("CONSTRUCT { ?e a ckg:Enterprise } WHERE { ?e ckg:isAnchor true }")
    client.setReturnFormat(TURTLE)
    g = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(g) == len(rows)


@pytest.mark.parametrize(
    ("accept", "media", "marker"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", '"bindings"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql xmlns="),
        ("text/csv", "text/csv", "e,l\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", '"晶科能源"@zh'),
        (None, "application/sparql-results+json", '"head"'),
    ],
)
def test_content_negotiation_select(server, accept, media, marker):
    status, headers, body = get(server, ANCHORS, accept)
    assert status == 200 and headers["Content-Type"].startswith(media)
    assert marker in body and "晶科能源" in body


@pytest.mark.parametrize(
    ("accept", "media"), [("text/turtle", "text/turtle"), ("application/ld+json", "application/ld+json")]
)
def test_content_negotiation_construct(server, accept, media):
    query = "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e ckg:isAnchor true ; rdfs:label ?l }"
    status, headers, body = get(server, query, accept)
    assert status == 200 and headers["Content-Type"].startswith(media)
    g = Graph().parse(data=body, format="turtle" if media == "text/turtle" else "json-ld")
    assert "晶科能源" in {str(o) for o in g.objects()}
    assert get(server, query, "image/png")[0] == 406


def test_post_forms(server):
    direct = http(
        server,
        "/sparql",
        data=ANCHORS.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    )
    form = http(
        server,
        "/sparql",
        data=urllib.parse.urlencode({"query": ANCHORS}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"},
    )
    assert direct[0] == form[0] == 200 and direct[2] == form[2]


def test_update_is_refused_and_nothing_changes(server):
    insert = "INSERT DATA { <urn:x> <urn:y> <urn:z> }"
    attempts = [
        http(server, "/sparql", data=insert.encode(), headers={"Content-Type": "application/sparql-update"}),
        http(
            server,
            "/sparql",
            data=urllib.parse.urlencode({"update": insert}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        get(server, insert),
    ]
    for status, _, body in attempts:
        assert status == 403 and "read-only" in body
    assert json.loads(get(server, "ASK { <urn:x> ?p ?o }")[2])["boolean"] is False


def test_bad_queries_are_400_with_the_position(server):
    status, _, body = get(server, "SELECT ?s\nWHERE { ?s ?p }")
    assert status == 400 and "syntax error at line 2, col" in body
    assert http(server, "/sparql")[0] == 400
    assert http(server, "/nowhere")[0] == 404


def test_timeout_stops_the_query_not_the_server(server):
    status, _, body = get(server, SLOW)
    assert status == 503 and "timed out after 4 s" in body
    for _ in range(3):  # the replacement worker and the other one both answer
        assert get(server, ANCHORS, "text/csv")[0] == 200


def test_cors_off_unless_asked(server):
    status, headers, _ = get(server, ANCHORS)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    assert http(server, "/sparql", method="OPTIONS")[0] == 405
    server.cors = "https://intranet.example"
    try:
        assert get(server, ANCHORS)[1]["Access-Control-Allow-Origin"] == "https://intranet.example"
        assert http(server, "/sparql", method="OPTIONS")[0] == 204
    finally:
        server.cors = None


def test_pages_and_assets_are_local(server):
    status, headers, view = http(server, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    status, headers, page = http(server, "/query")
    assert status == 200 and "default-src 'self'" in headers["Content-Security-Policy"]
    status, headers, map_page = http(server, "/map")
    assert status == 200 and "default-src 'self'" in headers["Content-Security-Policy"]
    assert 'data-province="江苏"' in map_page and "<script src" not in map_page
    for html in (view, page, map_page):
        assert not re.search(r"""(?:src|href)\s*=\s*["']https?:""", html)
    for q in load_named_queries().values():
        assert f'"name": "{q.name}"' in page
    assert http(server, "/assets/yasgui.min.js")[0] == 200


def test_query_page_runs_a_named_query_offline(server, browser):
    external: list[str] = []

    def block(route):
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host not in ("127.0.0.1", "localhost"):
            external.append(route.request.url)
            return route.abort()
        return route.continue_()

    page = browser.new_page()
    try:
        page.route(re.compile(r"^https?://"), block)
        page.goto(server.url + "query")
        page.wait_for_selector(".yasqe .CodeMirror")
        page.select_option("#named", "chain-members")
        assert "/id/chain-liion>" in page.evaluate(
            "document.querySelector('.CodeMirror').CodeMirror.getValue()"
        )
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr table.dataTable tbody tr", timeout=60_000)
        text = page.inner_text(".yasr")
    finally:
        page.close()
    assert "宏信锂电碳负极项目" in text and "企业 enterprise" in text
    assert external == []


def test_taken_port_is_a_clear_error(server):
    port = server.server_address[1]
    result = CliRunner().invoke(cli, ["serve", "--seeds", str(TINY), "--port", str(port)])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: serve: cannot listen on 127.0.0.1:{port} (")
    assert "try another port" in result.output
