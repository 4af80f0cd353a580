"""The command line: build writes every output, errors are one clear message with exit 2, help everywhere."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from graph.cli.main import cli

from conftest import REAL, TINY, edit


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_build_writes_every_output(tmp_path):
    out = tmp_path / "out"
    result = run("build", "--seeds", str(TINY), "--out", str(out))
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert {"kg.ttl", "kg.nt", "kg.jsonld", "graph.graphml", "index.html"} <= set(files)
    lines = result.output.splitlines()
    assert lines[0] == "chainkg build: 完成 done"
    assert "企业 enterprises" in result.output and "三元组 triples" in result.output
    assert lines[-1].startswith(f"  输出 written to {out}/: ")


def test_build_twice_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    run("build", "--seeds", str(REAL), "--out", str(a))
    run("build", "--seeds", str(REAL), "--out", str(b))
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_bad_seeds_exit_2_list_all_problems_write_nothing(tiny_copy, tmp_path):
    out = tmp_path / "out"
    run("build", "--seeds", str(TINY), "--out", str(out))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    edit(tiny_copy / "enterprises.yaml", "segment: bat-cathode", "segment: bat-catode")
    edit(tiny_copy / "projects.yaml", "value: signed", "value: sined")
    result = CliRunner().invoke(cli, ["build", "--seeds", str(tiny_copy), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: 2 problems 个问题:",
        f'  {tiny_copy}/enterprises.yaml:9: segment: unknown segment id "bat-catode" (did you mean "bat-cathode"?)',
        f'  {tiny_copy}/projects.yaml:10: status: "sined" is not one of signed (签约), under_construction (在建), '
        'in_production (投产) (did you mean "signed"?)',
    ]
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the previous out/ is untouched


def test_single_problem_is_one_line(tiny_copy, tmp_path):
    edit(tiny_copy / "projects.yaml", "value: signed", "value: sined")
    result = CliRunner().invoke(cli, ["build", "--seeds", str(tiny_copy), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert len(result.output.splitlines()) == 1 and result.output.startswith("Error: ")
    assert not (tmp_path / "o").exists()


def test_validate_conforms_and_violations(tmp_path):
    result = run("validate", "--seeds", str(TINY))
    assert result.exit_code == 0 and result.output.startswith("符合 conforms:")
    broken = tmp_path / "broken.ttl"
    out = tmp_path / "out"
    run("build", "--seeds", str(TINY), "--out", str(out))
    text = (out / "kg.ttl").read_text(encoding="utf-8")
    broken.write_text(text.replace('"甲材料"@zh', '"甲材料"@ja'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "Violation: ckd:org-jia" in result.output
    assert result.output.splitlines()[-1].startswith("不符合 does not conform:")


def test_validate_bad_turtle_exit_2(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 2 and result.output.startswith(f"Error: {bad}: cannot read Turtle")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


def test_commands_have_help():
    """Every command has a help text with a Chinese and an English summary and an Example block."""
    for path, command in _commands(cli):
        result = run(*path, "--help")
        assert result.exit_code == 0, path
        assert "Example:" in result.output, path
        assert any("\u4e00" <= ch <= "\u9fff" for ch in command.help or ""), path


def test_readme_documents_every_command():
    readme = (REAL.parent / "README.md").read_text(encoding="utf-8")
    for path, _ in _commands(cli):
        assert f"chainkg {' '.join(path)}" in readme, path


def test_version_and_python_m():
    assert run("--version").output.startswith("chainkg, version ")
    proc = subprocess.run(
        [sys.executable, "-m", "graph", "--help"], capture_output=True, text=True, check=True
    )
    assert "chainkg" in proc.stdout


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_flags(flag):
    assert run(flag).exit_code == 0
