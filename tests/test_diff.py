"""``chainkg diff`` on seed pairs made here: a status change, a new supplier that closes a gap, a removed
enterprise. Each report lists exactly the changes made (text, Markdown and JSON); identical inputs exit 0."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli.main import cli

from conftest import TINY, edit

STATUS_CHANGE = (
    "projects.yaml",
    'status: {value: signed, evidence: [{doc: demo, quote: "签约整车项目", start: 58, end: 64}]}',
    'status: {value: in_production, evidence: [{source: test-notes, note: "投产 in production"}]}\n'
    '  dates: {in_production: {value: 2024-03, evidence: [{source: test-notes, note: "2024年3月投产"}]}}',
)
NEW_SUPPLIER = (
    "enterprises.yaml",
    "- id: bing\n",
    "- id: ding\n"
    "  name: 丁电解液\n"
    "  in_zone: true\n"
    '  evidence: [{source: test-notes, note: "丁电解液 settled in the zone"}]\n'
    "  segments:\n"
    '    - {segment: bat-electrolyte, evidence: [{source: test-notes, note: "电解液"}]}\n'
    "- id: bing\n",
)


def variant(tmp_path: Path, name: str, *edits: tuple[str, str, str]) -> Path:
    folder = tmp_path / name
    shutil.copytree(TINY, folder)
    for file, old, new in edits:
        edit(folder / file, old, new)
    return folder


def remove_jia(folder: Path) -> None:
    """Drop 甲材料 and the one figure about it."""
    for file, start, stop in (
        ("enterprises.yaml", "- id: jia\n", "- id: yi\n"),
        ("observations.yaml", "- id: jia-capacity\n", None),
    ):
        text = (folder / file).read_text(encoding="utf-8")
        i = text.index(start)
        j = text.index(stop) if stop else len(text)
        (folder / file).write_text(text[:i] + text[j:], encoding="utf-8")


def diff(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["diff", *map(str, args)], catch_exceptions=False)
    return result.exit_code, result.output


def sections(old: Path, new: Path) -> dict:
    code, out = diff(old, new, "--format", "json")
    assert code == 1
    return json.loads(out)


def check_all_formats(old: Path, new: Path, expected: dict[str, list[dict[str, str]]]) -> None:
    """The JSON sections are exactly ``expected`` (other sections empty); text and Markdown show the same rows."""
    code, text = diff(old, new)
    assert code == 1
    _, md = diff(old, new, "--format", "md")
    report = sections(old, new)
    assert report["equal"] is False
    for key, rows in report["sections"].items():
        if key in ("coverage", "anchors"):
            rows = [r for r in rows if r["change"] != "same"]
        assert rows == expected.get(key, []), key
    for rows in expected.values():
        for r in rows:
            assert r["label"] in text and r["label"] in md
            if r["before"] or r["after"]:
                assert f"{r['before'] or '—'} → {r['after'] or '—'}" in text
                assert f"| {r['before']} | {r['after']} |" in md
            else:
                assert f"{r['label']} ({r['id']})" in text
    assert report["triples"]["added"] and all(t.endswith(" .") for t in report["triples"]["added"])
    assert "附录 appendix" in text and "```diff" in md


def row(change: str, ident: str, label: str, before: str = "", after: str = "") -> dict[str, str]:
    return {"change": change, "id": ident, "label": label, "before": before, "after": after}


def gap(folder: Path, target: str) -> str:
    """How the report shows the gap on ``target`` (a segment or stage id) in ``folder``: kind and score, as the
    gap rules score it (graph.gaps; the scoring itself is tested in tests/test_gaps.py)."""
    from decimal import Decimal

    from graph import load_seeds
    from graph.analysis.gaps import KIND_LABELS, find_gaps
    from graph.rdf.builder import decimal_lexical

    found = [g for g in find_gaps(load_seeds(folder)) if (g.segment or g.stage) == target]
    assert len(found) == 1, (folder, target)
    score = decimal_lexical(Decimal(str(found[0].score)))
    return f"{KIND_LABELS[found[0].kind]} {found[0].kind} · 得分 score {score}"


def test_status_change_with_its_date(tmp_path):
    new = variant(tmp_path, "new", STATUS_CHANGE)
    status = row(
        "changed", "proj-bing-vehicles", "丙车业整车项目", "签约 signed", "投产 in production (投产 2024-03)"
    )
    date = row(
        "added", "proj-bing-vehicles/in_production", "丙车业整车项目 投产 in production", "—", "2024-03"
    )
    # the project now in production is the segment's only firm: its weak gap stays weak with another score
    assert gap(TINY, "bat-vehicle").startswith("强链 weak") and gap(new, "bat-vehicle").startswith(
        "强链 weak"
    )
    weak = row("changed", "seg-bat-vehicle", "整车", gap(TINY, "bat-vehicle"), gap(new, "bat-vehicle"))
    check_all_formats(TINY, new, {"status": [status], "dates": [date], "gaps": [weak]})


def test_new_supplier_closes_a_gap(tmp_path):
    new = variant(tmp_path, "new", NEW_SUPPLIER)
    assert gap(TINY, "bat-electrolyte").startswith("补链 missing") and gap(new, "bat-electrolyte").startswith(
        "强链 weak"
    )
    check_all_formats(
        TINY,
        new,
        {
            "enterprises": [row("added", "org-ding", "丁电解液")],
            "placements": [row("added", "org-ding → seg-bat-electrolyte", "丁电解液 → 电解液")],
            "gaps": [
                row(
                    "changed",
                    "seg-bat-electrolyte",
                    "电解液",
                    gap(TINY, "bat-electrolyte"),
                    gap(new, "bat-electrolyte"),
                )
            ],
            # the fixture's roster is complete for its chain, so the empty segment was confirmed absent
            "states": [row("changed", "seg-bat-electrolyte", "电解液", "确认空白 absent", "已有 present")],
            "coverage": [row("changed", "chain-bat", "电池", "3/5 (60%)", "4/5 (80%)")],
            "anchors": [row("changed", "org-yi", "乙电池", "1/2 (50%)", "2/2 (100%)")],
        },
    )


def test_removed_enterprise(tmp_path):
    new = variant(tmp_path, "new")
    remove_jia(new)
    whole = "材料 (整段 whole stage)"
    figure = row("removed", "org-jia/ind-capacity/period-y2023", "甲材料 · 年产能 · 2023年", "5.0 万吨", "—")
    check_all_formats(
        TINY,
        new,
        {
            "enterprises": [row("removed", "org-jia", "甲材料")],
            "amounts": [figure],
            "placements": [row("removed", "org-jia → seg-bat-cathode", "甲材料 → 正极材料")],
            "gaps": [
                row("merged", "seg-bat-cathode", "正极材料", gap(TINY, "bat-cathode"), whole),
                row("merged", "seg-bat-electrolyte", "电解液", gap(TINY, "bat-electrolyte"), whole),
                row("opened", "stage-bat-raw", "材料", "—", gap(new, "bat-raw")),
                row(
                    "changed", "stage-bat-recycle", "回收", gap(TINY, "bat-recycle"), gap(new, "bat-recycle")
                ),
            ],
            "states": [
                row("changed", "seg-bat-cathode", "正极材料", "已有 present", "确认空白 absent"),
                row("changed", "stage-bat-raw", "材料", "已有 present", "确认空白 absent"),
            ],
            "coverage": [row("changed", "chain-bat", "电池", "3/5 (60%)", "2/5 (40%)")],
            "anchors": [row("changed", "org-yi", "乙电池", "1/2 (50%)", "0/2 (0%)")],
        },
    )


def test_identical_inputs_exit_0(tmp_path):
    same = variant(tmp_path, "same")
    (same / "zone.yaml").write_text(
        "# a comment changes the file, not the knowledge\n"
        + (same / "zone.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    code, text = diff(TINY, same)
    assert code == 0 and text.startswith("chainkg diff: 无变化 no change")
    out = tmp_path / "out"
    CliRunner().invoke(cli, ["build", "--seeds", str(TINY), "--out", str(out)], catch_exceptions=False)
    for fmt in ("text", "md", "json"):
        code, report = diff(
            out, TINY, "--format", fmt
        )  # a built folder and its seeds hold the same knowledge
        assert code == 0, report
    assert json.loads(report)["equal"] is True and json.loads(report)["triples"] == {
        "added": [],
        "removed": [],
    }


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_two_git_revisions(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(TINY, repo / "seeds")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    edit(repo / "seeds" / STATUS_CHANGE[0], *STATUS_CHANGE[1:])
    subprocess.run([*git, "commit", "-qam", "two"], check=True)
    code, out = diff("--rev", "HEAD~1..HEAD", repo / "seeds", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert [r["id"] for r in report["sections"]["status"]] == ["proj-bing-vehicles"]
    assert report["old"] == "HEAD~1:seeds"
    code, _ = diff("--rev", "HEAD..HEAD", repo / "seeds")
    assert code == 0


def test_bad_inputs_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["diff", str(tmp_path), str(TINY)])
    assert result.exit_code == 2 and "not a built output folder" in result.output
    result = CliRunner().invoke(cli, ["diff", "--rev", "HEAD", str(TINY)])
    assert result.exit_code == 2 and "OLD..NEW" in result.output
