"""``chainkg query`` and ``chainkg queries``: each input form, each format, and the user errors (exit 2, one line)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from graph.cli.main import cli
from graph.sparql.named import load_named_queries

from conftest import TINY

ANCHORS = "SELECT ?e WHERE { ?e ckg:isAnchor true }"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, [*args, "--seeds", str(TINY)], input=stdin)


def test_text_file_and_stdin_give_the_same_table(tmp_path):
    path = tmp_path / "anchors.rq"
    path.write_text(ANCHORS, encoding="utf-8")
    outputs = [run("query", ANCHORS), run("query", str(path)), run("query", "-", stdin=ANCHORS)]
    for result in outputs:
        assert result.exit_code == 0, result.output
    assert outputs[0].output == outputs[1].output == outputs[2].output
    assert outputs[0].output.splitlines() == ["e", "-" * 19, "乙电池 (ckd:org-yi)", "1 行 row(s)"]


def test_data_file_input(tmp_path):
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", "--seeds", str(TINY), "--out", str(out)]).exit_code == 0
    result = CliRunner().invoke(cli, ["query", ANCHORS, "--data", str(out / "kg.nt"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["e", "https://w3id.org/chainkg/id/org-yi"]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "table"])
def test_each_format(fmt):
    result = run("query", "--name", "lookup-name", "--param", "name=甲", "--format", fmt)
    assert result.exit_code == 0, result.output
    text = result.output
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["node", "type", "matched"] and rows[1][0] == "https://w3id.org/chainkg/id/org-jia"
    elif fmt == "tsv":
        assert text.splitlines()[0] == "?node\t?type\t?matched"
        assert "<https://w3id.org/chainkg/id/org-jia>" in text
    elif fmt == "json":
        data = json.loads(text)
        assert [b["node"]["value"] for b in data["results"]["bindings"]] == [
            "https://w3id.org/chainkg/id/org-jia"
        ]
    else:
        assert "甲材料 (ckd:org-jia)" in text and "企业 (ckg:Enterprise)" in text


def test_construct_prints_turtle():
    result = run("query", "CONSTRUCT { ?e a ckg:Enterprise } WHERE { ?e ckg:isAnchor true }")
    assert result.exit_code == 0
    assert "ckd:org-yi" in result.output and "a ckg:Enterprise" in result.output


def test_syntax_error_one_line_exit_2():
    result = run("query", "SELECT ?s\nWHERE { ?s ?p }")
    assert result.exit_code == 2
    assert len(result.output.splitlines()) == 1
    assert result.output.startswith("Error: query: SPARQL 语法错误 syntax error at line 2, col ")
    assert "Traceback" not in result.output


def test_unknown_name_lists_close_names():
    result = run("query", "--name", "upstream")
    assert result.exit_code == 2
    assert result.output.startswith(
        'Error: named query: no named query "upstream" (did you mean upstream-suppliers'
    )


def test_missing_and_unknown_param():
    result = run("query", "--name", "node")
    assert result.exit_code == 2
    assert result.output == (
        'Error: query "node": missing parameter node=… (iri: 节点 the node); e.g. node=ckd:org-jinko\n'
    )
    result = run("query", "-n", "node", "-p", "nod=ckd:org-jia")
    assert result.exit_code == 2 and 'has no parameter "nod"' in result.output
    result = run("query", "-n", "node", "-p", "ckd:org-jia")
    assert result.exit_code == 2 and "should be KEY=VALUE" in result.output


def test_query_and_name_together_or_neither():
    assert run("query").exit_code == 2
    assert run("query", ANCHORS, "--name", "node").exit_code == 2
    assert run("query", ANCHORS, "--param", "a=b").exit_code == 2


def test_missing_rq_file():
    result = run("query", "nowhere.rq")
    assert result.exit_code == 2 and result.output.startswith("Error: nowhere.rq: cannot read the query file")


def test_queries_lists_every_named_query():
    result = CliRunner().invoke(cli, ["queries"])
    assert result.exit_code == 0
    for q in load_named_queries().values():
        assert f"{q.name}  {q.title_zh} · {q.title_en}" in result.output
    assert "--param segment=<iri>" in result.output and "必填 required" in result.output


GROUP_CONCAT_OPTIONAL = (
    "SELECT ?e (GROUP_CONCAT(DISTINCT ?a) AS ?aliases) WHERE { ?e a ckg:Enterprise . "
    "OPTIONAL { ?e skos:altLabel ?a } } GROUP BY ?e ORDER BY ?e"
)


def test_default_engine_answers_group_concat_over_optional():
    # Valid SPARQL 1.1 that rdflib 7 fails with NotBoundError; the default engine (Oxigraph) answers it.
    result = run("query", GROUP_CONCAT_OPTIONAL, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and any(row["aliases"] == "" for row in rows) and any(row["aliases"] for row in rows)
    rdflib = run("query", GROUP_CONCAT_OPTIONAL, "--engine", "rdflib")
    assert rdflib.exit_code == 2 and "NotBoundError" in rdflib.output  # why rdflib is no longer the default
