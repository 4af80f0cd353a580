"""The package as a user gets it: a built wheel, installed (not editable) into a fresh virtual environment.

Every command is run from a folder outside the repository, so nothing can be read from the checkout: the ontology,
shapes, chain templates, named queries and page assets must all come from the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import REAL

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A virtual environment with the wheel of this checkout installed; dependencies come from the system site."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp / "dist"), str(ROOT)],
        check=True,
        cwd=tmp,
    )
    wheel = next((tmp / "dist").glob("chainkg-*.whl"))
    env_dir = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
        check=True,
        cwd=tmp,
    )
    return env_dir


def _run(venv: Path, cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    out = subprocess.run(
        [str(venv / "bin" / "chainkg"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if check and out.returncode != 0:
        raise AssertionError(f"chainkg {' '.join(args)} exited {out.returncode}:\n{out.stdout}\n{out.stderr}")
    return out


def test_the_installed_package_is_the_wheel(venv, tmp_path):
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import graph; print(graph.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        check=True,
    )
    assert out.stdout.strip().startswith(str(venv)), out.stdout


def test_build_query_validate_outside_the_repository(venv, tmp_path):
    seeds = tmp_path / "zone-seeds"
    shutil.copytree(REAL, seeds)
    _run(venv, tmp_path, "build", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert (tmp_path / "out" / "kg.ttl").exists() and (tmp_path / "out" / "index.html").exists()
    result = _run(
        venv, tmp_path, "query", "--name", "chain-coverage", "--seeds", str(seeds), "--format", "json"
    )
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 4
    checked = _run(venv, tmp_path, "validate", str(tmp_path / "out" / "kg.ttl"))
    assert checked.stdout.startswith("符合 conforms")


def test_template_and_import_into_a_new_folder(venv, tmp_path):
    _run(venv, tmp_path, "template", "--out", "zone.xlsx")  # no seeds/ here: the built-in chains fill it
    wb = load_workbook(tmp_path / "zone.xlsx")
    wb["园区"].append(["", "新城开发区", "", "New Town"])
    wb["企业"].append(["", "甲电池", "", "", "新能源锂电", "电芯", "", "在园", ""])
    wb.save(tmp_path / "zone.xlsx")
    _run(venv, tmp_path, "import", "zone.xlsx", "--seeds", "new-zone")
    assert sorted(p.name for p in (tmp_path / "new-zone" / "chains").iterdir()) == [
        "liion.yaml",
        "nev.yaml",
        "opto.yaml",
        "pv.yaml",
    ]
    _run(venv, tmp_path, "build", "--seeds", "new-zone", "--out", "new-out")
    assert "甲电池" in (tmp_path / "new-out" / "kg.ttl").read_text(encoding="utf-8")


def test_serve_answers_from_the_wheel(venv, tmp_path):
    seeds = tmp_path / "s"
    shutil.copytree(REAL, seeds)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.Popen(
        [str(venv / "bin" / "chainkg"), "serve", "--seeds", str(seeds), "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        line = proc.stdout.readline()  # "chainkg serve: http://127.0.0.1:PORT/ 视图 view · …"
        url = next(word for word in line.split() if word.startswith("http://"))
        # true only when the packaged ontology was loaded beside the data
        query = urllib.parse.urlencode({"query": "ASK { ckg:Enterprise a owl:Class }"})
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}sparql?{query}", timeout=10) as reply:
                    body = json.loads(reply.read())
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert body["boolean"] is True
        with urllib.request.urlopen(f"{url}query", timeout=10) as reply:
            assert b"yasgui" in reply.read()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
