"""The W3C SPARQL 1.1 Protocol tests against ``chainkg serve`` on both engines (runner: tests/protocol_runner.py).

The manifest and its data are read from ``../shared/conformance/sparql11-protocol/``; the tests skip when it is absent.
"""

from __future__ import annotations

import threading

import pytest
from protocol_runner import MANIFEST, load_manifest, run_all, summary, write_dataset

pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(not (MANIFEST / "manifest.ttl").exists(), reason=f"no W3C manifest in {MANIFEST}"),
]


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def outcomes(request, tmp_path_factory):
    from graph.sparql.datasets import read_dataset
    from graph.sparql.server import make_server

    tests = load_manifest()
    data = write_dataset(tests, tmp_path_factory.mktemp("protocol") / "protocol.nq")
    srv = make_server(read_dataset(data), "<!doctype html>", port=0, engine=request.param, workers=1)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield run_all(tests, "127.0.0.1", srv.server_address[1])
    finally:
        srv.shutdown()
        srv.server_close()


def test_manifest_has_20_query_and_14_update_tests():
    tests = load_manifest()
    assert sum(not t.is_update for t in tests) == 20 and sum(t.is_update for t in tests) == 14


def test_query_tests_pass(outcomes):
    queries = [o for o in outcomes if not o.test.is_update]
    failed = [(o.test.id, o.detail) for o in queries if o.result != "pass"]
    assert len(queries) - len(failed) >= 18, failed
    assert failed == [], summary(outcomes)  # all 20 passed when this was written; say which one regressed


def test_update_tests_are_refused_by_policy_never_run(outcomes):
    updates = [o for o in outcomes if o.test.is_update]
    assert {o.result for o in updates} <= {"refused by policy", "pass"}
    refused = [o for o in updates if o.result == "refused by policy"]
    assert len(refused) >= 12 and all(o.detail.startswith("403 ") for o in refused)
    # the two that pass are malformed requests (no or wrong media type), refused with 415 before any policy applies
    assert all(o.detail.startswith("415 ") for o in updates if o.result == "pass")
