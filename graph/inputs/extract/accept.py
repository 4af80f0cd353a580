"""Move reviewed proposals (``chainkg extract`` output) into a seeds folder: enterprises, projects, observations.

Only entries marked ``reviewed: true`` move. An entry still ``reviewed: false``, one whose ``same_as`` names an
existing seed (the reviewer must either delete it or remove ``same_as``), or one the seed format would refuse, is
listed as ``FILE:LINE: field: problem`` and nothing is written. Accepted entries are appended after the existing
ones, which are never rewritten; the article the evidence quotes is copied into ``articles/`` when missing. Every
file is written through a temporary file and a rename, and the result is loaded once before anything is replaced.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from graph.errors import SeedError
from graph.files import write_text
from graph.inputs.extract.article import ArticleError, read_article
from graph.seeds.load import load_seeds
from graph.seeds.model import STATUSES
from graph.seeds.yamlio import LineDict, Problems, read_yaml
from graph.text import did_you_mean

__all__ = ["Accepted", "accept_proposals"]

_SECTIONS = (
    ("enterprises", "enterprises.yaml"),
    ("projects", "projects.yaml"),
    ("figures", "observations.yaml"),
)
_KEEP = {
    "enterprises": ("id", "name", "name_full", "aliases", "in_zone", "evidence", "segments"),
    "projects": ("id", "name", "aliases", "investors", "status", "evidence", "segments"),
    "figures": ("id", "about", "indicator", "value", "unit", "period", "approx", "evidence"),
}


@dataclass(frozen=True)
class Accepted:
    """What was moved: counts per seed file, and the article copied (or None)."""

    counts: dict[str, int]
    article: str | None


def _plain(value: object) -> object:
    """LineDict/LineList -> dict/list, for dumping."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _dump(records: list[dict] | dict) -> str:
    return yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None)


def _check(path: Path, section: str, rec: LineDict, seeds, problems: Problems) -> dict | None:
    """The seed record for one reviewed entry, or None (with problems added) when it cannot move yet."""
    line = rec.line
    if rec.get("reviewed") is not True:
        problems.add(
            path, rec.line_of("reviewed"), "reviewed", f'"{rec.get("id")}" is not reviewed yet (set true)'
        )
        return None
    if rec.get("same_as"):
        problems.add(
            path,
            rec.line_of("same_as"),
            "same_as",
            f'"{rec.get("id")}" is the existing seed "{rec["same_as"]}": delete this entry, or delete same_as '
            "if it is a different one",
        )
        return None
    out = {k: _plain(rec[k]) for k in _KEEP[section] if rec.get(k) is not None}
    if section == "enterprises" and not isinstance(rec.get("in_zone"), bool):
        problems.add(
            path, rec.line_of("in_zone"), "in_zone", "say true (in the zone) or false (an outside firm)"
        )
    if section == "projects" and isinstance(rec.get("status"), dict):
        value = rec["status"].get("value")
        if value not in STATUSES:
            problems.add(
                path,
                rec["status"].line_of("value"),
                "status",
                f'"{value}" is not a seed status ({", ".join(STATUSES)}); change it or delete the status',
            )
    if section == "figures":
        indicators = {i.id: i for i in seeds.indicators}
        by_name = {i.name: i.id for i in seeds.indicators}
        value = str(rec.get("indicator") or "")
        if value in by_name:
            out["indicator"] = by_name[value]
        elif value not in indicators:
            hint = did_you_mean(value, list(indicators) + list(by_name))
            problems.add(path, rec.line_of("indicator"), "indicator", f'"{value}" is no indicator id{hint}')
        if out.get("about") == "zone" and seeds.zone is not None:
            out["about"] = seeds.zone.id
        periods = {p.id for p in seeds.periods}
        if "period" in out and out["period"] not in periods:
            hint = did_you_mean(str(out["period"]), periods)
            problems.add(path, rec.line_of("period"), "period", f'"{out["period"]}" is no period id{hint}')
    if not out.get("evidence"):
        problems.add(path, line, "evidence", "an accepted entry keeps its evidence")
    return out


def _article_files(data: LineDict, path: Path, seeds_dir: Path, problems: Problems) -> dict[str, str]:
    """The article text and metadata to copy into ``articles/`` when the seeds do not have it yet."""
    doc = str(data.get("doc") or "")
    if not doc or (seeds_dir / "articles" / f"{doc}.txt").exists():
        return {}
    source = Path(str(data.get("article") or ""))
    if not source.is_file():
        problems.add(
            path, data.line_of("article"), "article", f'"{source}" not found; the evidence quotes it'
        )
        return {}
    try:
        text, _ = read_article(source)
    except ArticleError as err:
        problems.add(path, data.line_of("article"), "article", str(err))
        return {}
    title = next((ln.strip() for ln in text.splitlines() if ln.strip()), doc)[:80]
    meta = {"id": doc, "title": title, "origin": f"chainkg accept from {source.name}"}
    return {f"articles/{doc}.txt": text, f"articles/{doc}.yaml": _dump(meta)}


def accept_proposals(proposals: Path, seeds_dir: Path) -> Accepted:
    """Append the reviewed entries of ``proposals`` to the seed files of ``seeds_dir``; see the module docstring.

    Raises:
        SeedError: every problem, one ``FILE:LINE: field: problem`` line each; nothing was written.
    """
    problems = Problems()
    data = read_yaml(proposals, problems)
    if problems:
        raise SeedError(problems.lines())
    if not isinstance(data, dict):
        raise SeedError([f"{proposals}:1: expected the proposals chainkg extract writes"])
    seeds = load_seeds(seeds_dir)
    known = (
        {e.id for e in seeds.enterprises}
        | {p.id for p in seeds.projects}
        | {o.id for o in seeds.observations}
    )
    new: dict[str, list[dict]] = {}
    for section, _ in _SECTIONS:
        for rec in data.get(section) or []:
            if not isinstance(rec, dict):
                continue
            if rec.get("id") in known and not rec.get("same_as"):
                problems.add(proposals, rec.line_of("id"), "id", f'"{rec["id"]}" is already a seed')
                continue
            out = _check(proposals, section, rec, seeds, problems)
            if out is not None:
                new.setdefault(section, []).append(out)
    files = _article_files(data, proposals, seeds_dir, problems) if new else {}
    if problems:
        raise SeedError(problems.lines())
    for section, name in _SECTIONS:
        if new.get(section):
            old = (seeds_dir / name).read_text(encoding="utf-8") if (seeds_dir / name).exists() else ""
            head = old if not old or old.endswith("\n") else old + "\n"
            files[name] = head + f"# chainkg accept: reviewed from {proposals.name}\n" + _dump(new[section])
    _try(seeds_dir, files)
    for rel, text in sorted(files.items()):
        write_text(seeds_dir / rel, text)
    left = dict(data)
    for section, _ in _SECTIONS:
        moved = {r["id"] for r in new.get(section, [])}
        left[section] = [_plain(r) for r in data.get(section) or [] if r.get("id") not in moved]
    write_text(proposals, _dump(_plain(left)))
    counts = {name: len(new.get(section, [])) for section, name in _SECTIONS}
    article = next((rel for rel in files if rel.endswith(".txt")), None)
    return Accepted(counts, article)


def _try(seeds_dir: Path, files: dict[str, str]) -> None:
    """Load the seeds as they would be after writing ``files``; raise SeedError (paths as in ``seeds_dir``)."""
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "seeds"
        shutil.copytree(seeds_dir, trial)
        for rel, text in files.items():
            (trial / rel).parent.mkdir(parents=True, exist_ok=True)
            (trial / rel).write_text(text, encoding="utf-8", newline="")
        try:
            load_seeds(trial)
        except SeedError as err:
            raise SeedError([line.replace(str(trial), str(seeds_dir)) for line in err.problems]) from err
