"""``chainkg query --timeout``: a runaway query ends with exit 2 and one line, on every engine, and a silent server
does not hold ``--endpoint`` for ever. Run as a subprocess: the abandoned query thread ends with the process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from graph.cli.main import cli
from graph.errors import QueryError
from graph.sparql.policy import keywords, run_with_timeout

from conftest import ROOT, TINY

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _chainkg(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "graph", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_query_timeout_stops_a_runaway_query(engine):
    start = time.monotonic()
    done = _chainkg("query", "--seeds", str(TINY), "--engine", engine, "--timeout", "1", ENDLESS)
    assert done.returncode == 2
    assert done.stderr == "Error: query: 查询超时 timed out after 1 s and was abandoned\n"
    assert time.monotonic() - start < 60  # loading the seeds, then 1 s, not the query's hours


def test_query_timeout_lets_a_quick_query_through():
    result = CliRunner().invoke(
        cli,
        ["query", "--seeds", str(TINY), "--timeout", "30", "--format", "csv", "ASK { ?s a ckg:Enterprise }"],
    )
    assert result.exit_code == 0 and result.output.split() == ["_askResult", "true"]
    assert "--timeout" in CliRunner().invoke(cli, ["query", "-h"]).output


def test_run_with_timeout_returns_raises_and_passes_errors():
    assert run_with_timeout(lambda: 42, 5) == 42
    assert run_with_timeout(lambda: 7, 0) == 7  # 0: no limit, no thread
    with pytest.raises(QueryError, match=r"timed out after 0\.2 s"):
        run_with_timeout(lambda: time.sleep(2), 0.2)
    with pytest.raises(ValueError, match="boom"):
        run_with_timeout(lambda: (_ for _ in ()).throw(ValueError("boom")), 5)


def test_endpoint_query_against_a_silent_server_times_out():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    try:
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
        start = time.monotonic()
        result = CliRunner().invoke(cli, ["query", "--endpoint", url, "--timeout", "1", "ASK { ?s ?p ?o }"])
        assert result.exit_code == 2
        assert result.output.startswith("Error: query: ") and "(read timeout)" in result.output
        assert time.monotonic() - start < 10
    finally:
        sock.close()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
        ("select * { service silent <http://x/> {} }", True),
        ("SELECT * { SERVICE?g { ?s ?p ?o } }", True),
        ("SELECT * { \\u0053ERVICE <http://x/> {} }", True),
        ("SELECT ?service { ?service ?p ?o }", False),
        ("SELECT * { ?s ex:SERVICE ?o . ?s service:x ?o }", False),
        ('SELECT * { ?s ?p "SERVICE <http://x/>" }', False),
        ("SELECT * { ?s ?p '''\nSERVICE <http://x/> {}''' }", False),
        ("SELECT * { ?s <http://x/SERVICE> ?o } # SERVICE <http://x/>", False),
    ],
)
def test_service_keyword_is_found_only_where_the_grammar_has_it(text, found):
    assert ("SERVICE" in keywords(text)) is found
