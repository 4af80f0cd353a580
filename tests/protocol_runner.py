"""A runner for the W3C SPARQL 1.1 Protocol tests (``manifest.ttl`` in ``../shared/conformance/sparql11-protocol/``).

Each test is a list of HTTP requests with the expected status class, result format and (for ASK) boolean. The runner
loads the test data into named graphs (the manifest's ``ut:graphData``), sends each request to the endpoint under
test with the manifest's method, path (``/sparql/`` mapped to the endpoint's path), headers and body, and reports
``pass``, ``fail`` (with why) or ``refused by policy`` (an update test that a read-only endpoint refuses with 403).

Usage, to print the table for docs/sparql.md::

    PYTHONPATH=. python tests/protocol_runner.py [rdflib|oxigraph]
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

MANIFEST = Path(__file__).resolve().parent.parent.parent / "shared" / "conformance" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
_FORMATS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": (
        "application/rdf+xml",
        "text/turtle",
        "application/n-triples",
        "text/plain",
        "application/xhtml+xml",
    ),
}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[str]  # "2xx", "3xx", "4xx"
    fmt: str | None
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    id: str
    name: str
    graphs: tuple[tuple[str, Path], ...]  # (graph IRI, data file)
    requests: tuple[Request, ...]

    @property
    def is_update(self) -> bool:
        return "update" in self.id


@dataclass(frozen=True)
class Outcome:
    test: ProtocolTest
    result: str  # "pass" | "fail" | "refused by policy"
    detail: str


def load_manifest(folder: Path = MANIFEST) -> list[ProtocolTest]:
    """The tests of ``folder/manifest.ttl``, in manifest order."""
    g = Graph().parse(folder / "manifest.ttl", format="turtle", publicID=folder.as_uri() + "/manifest.ttl")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        graphs = []
        for data in g.objects(entry, UT.graphData):
            file = Path(urllib.parse.urlsplit(str(g.value(data, UT.graph))).path)
            graphs.append((str(g.value(data, RDFS.label)), folder / file.name))
        action = g.value(entry, MF.action)
        requests = []
        for req in Collection(g, g.value(action, HT.requests)):
            headers = tuple(
                (str(g.value(h, HT.fieldName)), str(g.value(h, HT.fieldValue)))
                for h in Collection(g, g.value(req, HT.headers) or RDF.nil)
            )
            body_node = g.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, CNT.chars)).encode(encoding)
            resp = g.value(req, HT.resp)
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            requests.append(
                Request(
                    method=str(g.value(req, HT.methodName)),
                    path=str(g.value(req, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    statuses=frozenset(str(s).removeprefix(HTS) for s in g.objects(resp, MF.expectedStatus)),
                    fmt=str(fmt) if fmt is not None else None,
                    boolean=boolean.toPython() if boolean is not None else None,
                )
            )
        tests.append(
            ProtocolTest(
                id=str(entry).rsplit("#", 1)[-1],
                name=str(g.value(entry, MF.name)),
                graphs=tuple(sorted(graphs)),
                requests=tuple(requests),
            )
        )
    return tests


def write_dataset(tests: list[ProtocolTest], path: Path) -> Path:
    """Every test graph in one N-Quads file, each in the named graph the manifest gives it."""
    lines = set()
    for test in tests:
        for iri, file in test.graphs:
            for s, p, o in Graph().parse(file, format="nt"):
                lines.add(f"{s.n3()} {p.n3()} {o.n3()} {URIRef(iri).n3()} .\n")
    path.write_text("".join(sorted(lines)), encoding="utf-8")
    return path


def _check(req: Request, status: int, media: str, body: bytes) -> str | None:
    """Why the answer does not meet the expectation, or None."""
    if f"{status // 100}xx" not in req.statuses:
        return f"status {status}, expected {' or '.join(sorted(req.statuses))}: {body[:120]!r}"
    if req.fmt is not None and media not in _FORMATS[req.fmt]:
        return f"format {media!r} is not {req.fmt}"
    if req.boolean is not None:
        if media.endswith("json"):
            got = json.loads(body).get("boolean")
        else:
            node = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
            got = node is not None and node.text == "true"
        if got is not req.boolean:
            return f"boolean {got}, expected {req.boolean}"
    return None


def run_test(test: ProtocolTest, host: str, port: int, endpoint: str = "/sparql") -> Outcome:
    """Send the test's requests in order on one connection and judge each answer."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        for req in test.requests:
            path = endpoint + req.path.removeprefix("/sparql/")  # every manifest path starts with /sparql/
            conn.request(req.method, path, body=req.body, headers=dict(req.headers))
            resp = conn.getresponse()
            body = resp.read()
            media = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
            if test.is_update and resp.status == 403:
                return Outcome(
                    test, "refused by policy", f"403 {body.decode('utf-8', 'replace').strip()[:60]}"
                )
            why = _check(req, resp.status, media, body)
            if why is not None:
                return Outcome(test, "fail", why)
        return Outcome(test, "pass", f"{resp.status} {media}".strip())
    finally:
        conn.close()


def run_all(tests: list[ProtocolTest], host: str, port: int) -> list[Outcome]:
    return [run_test(t, host, port) for t in tests]


def table(outcomes: list[Outcome]) -> str:
    """A Markdown table of the outcomes, with totals."""
    rows = ["| test | kind | result | answer |", "| --- | --- | --- | --- |"]
    for o in outcomes:
        kind = "update" if o.test.is_update else "query"
        rows.append(f"| `{o.test.id}` | {kind} | {o.result} | {o.detail.replace('|', '/')} |")
    rows.append("")
    rows.append(summary(outcomes))
    return "\n".join(rows) + "\n"


def summary(outcomes: list[Outcome]) -> str:
    """One line of counts per kind of test and result."""
    parts = []
    for kind, update in (("Query", False), ("Update", True)):
        mine = [o for o in outcomes if o.test.is_update == update]
        counts = {r: sum(o.result == r for o in mine) for r in ("pass", "fail", "refused by policy")}
        shown = ", ".join(f"{n} {r}" for r, n in counts.items() if n)
        parts.append(f"{kind} tests ({len(mine)}): {shown}.")
    return " ".join(parts)


def main(engine: str) -> None:  # pragma: no cover - the docs helper
    import tempfile

    from graph.sparql.datasets import read_dataset
    from graph.sparql.server import make_server

    tests = load_manifest()
    with tempfile.TemporaryDirectory() as tmp:
        data = read_dataset(write_dataset(tests, Path(tmp) / "protocol.nq"))
        srv = make_server(data, "<!doctype html>", port=0, engine=engine)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        try:
            sys.stdout.write(table(run_all(tests, "127.0.0.1", srv.server_address[1])))
        finally:
            srv.shutdown()
            srv.server_close()


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1] if len(sys.argv) > 1 else "rdflib")
