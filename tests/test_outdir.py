"""The output folder survives interrupted builds: a complete ``out/`` (old or new) at every moment, leftovers cleaned."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import graph.build.pipeline as gb
from graph.build.outdir import MANIFEST, check_output_folder, recover
from graph.build.pipeline import build

from conftest import ROOT, TINY


def complete(folder: Path) -> bool:
    """A folder chainkg finished: its manifest lists files that are all there and not empty."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return False
    files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    return bool(files) and all((folder / name).is_file() and (folder / name).stat().st_size for name in files)


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".out."))


@pytest.fixture
def zone(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(TINY, seeds)
    build(seeds, tmp_path / "out")
    (tmp_path / "out" / "kg.ttl").write_text("# the old build\n", encoding="utf-8")  # tell old from new
    return seeds, tmp_path / "out"


class Interrupt(BaseException):
    """Stands for Ctrl-C or a kill at one step of the build."""


def _steps(monkeypatch, at: int) -> list[str]:
    """Count the build's writing steps (each writer, the manifest, each rename and removal); interrupt step ``at``."""
    seen: list[str] = []

    def step(name: str) -> None:
        seen.append(name)
        if len(seen) == at + 1:
            raise Interrupt(name)

    def wrap(fn, name):
        def inner(*args, **kwargs):
            step(name)
            return fn(*args, **kwargs)

        return inner

    monkeypatch.setattr(gb, "WRITERS", [wrap(w, w.__name__) for w in gb.WRITERS])
    monkeypatch.setattr(gb, "write_manifest", wrap(gb.write_manifest, "manifest"))
    monkeypatch.setattr(Path, "rename", wrap(Path.rename, "rename"))
    monkeypatch.setattr("graph.build.outdir.shutil.rmtree", wrap(shutil.rmtree, "rmtree"))
    return seen


@pytest.mark.parametrize("at", range(14))
def test_an_interrupt_at_any_step_leaves_a_complete_out(zone, monkeypatch, at):
    seeds, out = zone
    seen = _steps(monkeypatch, at)
    try:
        build(seeds, out)
        interrupted = False
    except Interrupt:
        interrupted = True
    monkeypatch.undo()
    assert complete(out), f"out/ incomplete after an interrupt at step {at} ({seen[-1]})"
    if not interrupted:
        assert "old build" not in (out / "kg.ttl").read_text(encoding="utf-8")
    build(seeds, out)
    assert complete(out)
    assert leftovers(out.parent) == []


def test_recover_restores_out_from_old(zone):
    seeds, out = zone
    out.rename(out.with_name(".out.old"))
    assert recover(out) == ["restored " + str(out) + " from .out.old"]
    assert complete(out) and "old build" in (out / "kg.ttl").read_text(encoding="utf-8")


_KILLER = """
import os, signal, sys
from pathlib import Path
import graph.build.pipeline as gb
where = sys.argv[3]
if where == "between-renames":
    real = Path.rename
    def rename(self, target):
        real(self, target)
        if Path(target).name == ".out.old":
            os.kill(os.getpid(), signal.SIGKILL)
    Path.rename = rename
else:
    def die(b, folder):
        (folder / "half-written.tmp").write_text("x", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)
    gb.WRITERS.insert(2, die)
gb.build(sys.argv[1], sys.argv[2])
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("where", ["between-renames", "while-writing"])
def test_kill_9_then_the_next_build_recovers(zone, tmp_path, where):
    seeds, out = zone
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_KILLER), str(seeds), str(out), where], env=env, timeout=120
    )
    assert run.returncode == -9
    if where == "between-renames" and sys.platform.startswith("linux"):
        # the folders were exchanged in one step (renameat2) before the old one was renamed: out/ is the new build
        assert complete(out) and complete(out.with_name(".out.old"))
    elif where == "between-renames":  # two plain renames: out/ is missing until the next build restores it
        assert not out.exists() and complete(out.with_name(".out.old"))
    else:
        assert complete(out) and any(name.startswith(".out.new-") for name in leftovers(tmp_path))
    build(seeds, out)
    assert complete(out) and leftovers(tmp_path) == []


def test_leftovers_of_older_versions_are_removed(zone, tmp_path):
    seeds, out = zone
    (tmp_path / ".out.new-k3j_x9ab").mkdir()  # tempfile.mkdtemp's name, before the pid was part of it
    (tmp_path / ".other.new-k3j_x9ab").mkdir()  # another output's: not ours to touch
    recover(out)
    assert leftovers(tmp_path) == [] and (tmp_path / ".other.new-k3j_x9ab").is_dir()


def test_a_running_builds_temp_folder_is_kept(zone, tmp_path):
    seeds, out = zone
    mine = tmp_path / f".out.new-{os.getpid()}-abc"
    mine.mkdir()
    recover(out)
    assert mine.is_dir()


def test_legacy_output_without_manifest_is_replaced(zone):
    seeds, out = zone
    (out / MANIFEST).unlink()
    check_output_folder(out, seeds)  # only names chainkg writes: accepted
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(Exception, match="notes.txt"):
        check_output_folder(out, seeds)
