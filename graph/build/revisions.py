"""What ``chainkg diff`` compares: the graph of a built ``out/`` folder, of a seeds folder, or of a git revision.

Each side becomes the rdflib graph ``chainkg build`` writes (gaps and build description included): read from
``kg.ttl`` for an output folder, built in memory for a seeds folder, and built from ``git archive`` of the seeds
folder at a revision for ``--rev A..B`` (nothing is checked out; the working tree is not touched).
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from graph.build.pipeline import load_build
from graph.errors import GraphError
from graph.rdf.formats import read_rdf
from graph.seeds.load import SEED_FILES

__all__ = ["DiffInputError", "Side", "read_side", "read_revision", "split_range"]


class DiffInputError(GraphError):
    """A folder that is neither an output nor a seeds folder, or a git revision that cannot be read."""


@dataclass(frozen=True)
class Side:
    """One side of a comparison: its graph and how to name it to the reader."""

    name: str
    g: Graph


def _is_seeds(folder: Path) -> bool:
    return any((folder / name).is_file() for name in SEED_FILES) or (folder / "chains").is_dir()


def read_side(path: Path | str) -> Side:
    """Return the graph of a built output folder (with ``kg.ttl``) or of a seeds folder.

    Raises:
        DiffInputError: ``path`` is neither.
        SeedError: the seeds folder has problems.
    """
    folder = Path(path)
    if (folder / "kg.ttl").is_file():
        return Side(str(folder), read_rdf(folder / "kg.ttl", error=DiffInputError))
    if folder.is_dir() and _is_seeds(folder):
        return Side(str(folder), load_build(folder).g)  # as chainkg build makes it, the seeds' pool included
    raise DiffInputError(
        f"{folder}: not a built output folder (no kg.ttl) nor a seeds folder (no {', '.join(SEED_FILES[:3])} …)"
    )


def split_range(spec: str) -> tuple[str, str]:
    """Split ``A..B`` into its two revisions.

    Example:
        >>> split_range("HEAD~1..HEAD")
        ('HEAD~1', 'HEAD')
    """
    old, sep, new = spec.partition("..")
    if not sep or not old or not new or new.startswith("."):
        raise DiffInputError(f'revision range: "{spec}" is not of the form OLD..NEW (e.g. HEAD~1..HEAD)')
    return old, new


def _git(folder: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except FileNotFoundError as err:
        raise DiffInputError("git is not installed; compare two folders instead") from err
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffInputError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout


def read_revision(seeds_dir: Path | str, rev: str) -> Side:
    """Return the graph of ``seeds_dir`` as it was at git revision ``rev``.

    Raises:
        DiffInputError: not a git work tree, unknown revision, or the folder did not exist at ``rev``.
    """
    folder = Path(seeds_dir).resolve()
    if not folder.is_dir():
        raise DiffInputError(f"{seeds_dir}: seeds folder not found")
    prefix = _git(folder, "rev-parse", "--show-prefix").decode("utf-8").strip()
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode("utf-8").strip())
    # REV:PATH names the folder's tree at REV, so the archive holds the seeds files at its root
    data = _git(top, "archive", "--format=tar", f"{rev}:{prefix}" if prefix else rev)
    with tempfile.TemporaryDirectory(prefix="chainkg-rev-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(tmp, filter="data")
        seeds = Path(tmp)
        if not _is_seeds(seeds):
            raise DiffInputError(f"{seeds_dir}: no seeds folder at revision {rev}")
        return Side(f"{rev}:{prefix.rstrip('/') or '.'}", load_build(seeds).g)
