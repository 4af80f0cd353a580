"""Reading one seeds folder's records: typed fields, ids, references and evidence, every problem collected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.seeds.checks import Refs
from graph.seeds.evidence import span_problem
from graph.seeds.fields import type_problem
from graph.seeds.model import (
    Article,
    Evidence,
    Link,
    Placement,
)
from graph.seeds.yamlio import LineDict, Problems, read_yaml
from graph.text import did_you_mean
from graph.vocab.namespaces import is_slug

__all__ = ["Reader"]


class Reader:
    """Field-level reading of one seeds folder; problems accumulate in ``self.problems``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems = Problems()
        self.articles: dict[str, Article] = {}
        self.refs = Refs()
        self.unreadable_articles: set[str] = set()  # reported once; their quotes are not checked again
        # "FILE:LINE: id" of machine proposals not yet reviewed (docs/zone.md)
        self.unreviewed: list[str] = []

    # -- generic fields ---------------------------------------------------------------------------------------
    def fields(
        self,
        path: Path,
        rec: Any,
        what: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...],
        kind: str = "",
    ) -> bool:
        """Check a record's field names and required fields; with ``kind``, define its id even if it is incomplete."""
        if not isinstance(rec, LineDict):
            line = getattr(rec, "line", 1)
            self.problems.add(path, line, what, f"expected a mapping with fields {', '.join(required)}")
            return False
        wrong = set()
        for key in rec:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed)
                self.problems.add(path, rec.line_of(key), str(key), f"unknown field{hint}")
            elif problem := type_problem(str(key), rec[key]):
                self.problems.add(path, rec.line_of(key), str(key), problem)
                wrong.add(key)
        for key in wrong:
            rec[key] = None
        if kind and rec.get("id") is not None:
            self.ident(path, rec, kind)
        ok = not (wrong & set(required))
        for key in required:
            if rec.get(key) in (None, "") and key not in wrong:
                self.problems.add(path, rec.line, what, f'has no "{key}"')
                ok = False
        return ok

    def text(self, path: Path, rec: LineDict, key: str) -> str | None:
        value = rec.get(key)
        if value is None:
            return None
        if isinstance(value, bool | dict | list):
            self.problems.add(path, rec.line_of(key), key, f"expected text, got {value!r}")
            return None
        return str(value)

    def texts(self, path: Path, rec: LineDict, key: str) -> tuple[str, ...]:
        value = rec.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
            self.problems.add(path, rec.line_of(key), key, "expected a list of texts")
            return ()
        return tuple(str(v) for v in value)

    def flag(self, path: Path, rec: LineDict, key: str, default: bool = False) -> bool:
        value = rec.get(key, default)
        if not isinstance(value, bool):
            self.problems.add(path, rec.line_of(key), key, f"expected true or false, got {value!r}")
            return default
        return value

    def ident(self, path: Path, rec: LineDict, kind: str, key: str = "id") -> str | None:
        value = rec.get(key)
        if value is None:
            return None
        value = str(value)
        if not is_slug(value):
            self.problems.add(
                path, rec.line_of(key), key, f'"{value}" is not a valid id (lower-case a-z, 0-9 and "-")'
            )
        self.refs.define(kind, value, path, rec.line_of(key))
        return value

    def ref(self, path: Path, rec: LineDict, key: str, kinds: tuple[str, ...]) -> str | None:
        value = rec.get(key)
        if value is None:
            return None
        self.refs.use(kinds, str(value), path, rec.line_of(key), key)
        return str(value)

    # -- evidence -----------------------------------------------------------------------------------------------
    def evidence(self, path: Path, rec: LineDict, key: str = "evidence", required: bool = True) -> tuple:
        raw = rec.get(key)
        if raw is None:
            if required:
                self.problems.add(path, rec.line, key, "missing: every fact needs evidence (docs/seeds.md)")
            return ()
        items = raw if isinstance(raw, list) else [raw]
        lines = getattr(raw, "lines", None) or [rec.line_of(key)] * len(items)
        result = []
        for item, line in zip(items, lines, strict=True):
            ev = self._one_evidence(path, item, line)
            if ev is not None:
                result.append(ev)
        if required and not items:
            self.problems.add(path, rec.line_of(key), key, "empty: every fact needs evidence")
        return tuple(result)

    def _one_evidence(self, path: Path, item: Any, line: int) -> Evidence | None:
        if not isinstance(item, LineDict):
            self.problems.add(path, line, "evidence", "expected {doc, quote, start, end} or {source, note}")
            return None
        line = item.line
        if "source" in item:
            if not self.fields(path, item, "evidence", ("source", "note"), ("source",)):
                return None
            self.refs.use(("source",), str(item["source"]), path, line, "evidence.source")
            return Evidence(source=str(item["source"]), note=self.text(path, item, "note"))
        if not self.fields(path, item, "evidence", ("doc", "quote", "start", "end"), ("doc", "quote")):
            return None
        doc, quote = str(item["doc"]), str(item["quote"])
        start, end = item.get("start"), item.get("end")
        article = self.articles.get(doc)
        if doc in self.unreadable_articles:
            return None
        if article is None:
            hint = did_you_mean(doc, self.articles)
            self.problems.add(path, item.line_of("doc"), "evidence.doc", f'unknown article "{doc}"{hint}')
            return None
        problem = span_problem(article.text, quote, start, end, article.path)
        if problem:
            self.problems.add(path, line, *problem)
            return None
        return Evidence(doc=doc, quote=quote, start=start, end=end)

    def placements(self, path: Path, rec: LineDict) -> tuple[Placement, ...]:
        raw = rec.get("segments") or []
        if not isinstance(raw, list):
            self.problems.add(
                path, rec.line_of("segments"), "segments", "expected a list of {segment, evidence}"
            )
            return ()
        result = []
        for item in raw:
            if not self.fields(path, item, "segments", ("segment", "evidence", "rule"), ("segment",)):
                continue
            seg = self.ref(path, item, "segment", ("segment",))
            rule = self.text(path, item, "rule")
            result.append(Placement(segment=str(seg), evidence=self.evidence(path, item), rule=rule))
        return tuple(result)

    def links(self, path: Path, rec: LineDict, key: str, kinds: tuple[str, ...]) -> tuple[Link, ...]:
        raw = rec.get(key) or []
        if not isinstance(raw, list):
            self.problems.add(path, rec.line_of(key), key, "expected a list of {org, evidence}")
            return ()
        result = []
        for item in raw:
            if self.fields(path, item, key, ("org", "evidence"), ("org",)):
                target = self.ref(path, item, "org", kinds)
                result.append(Link(target=str(target), evidence=self.evidence(path, item)))
        return tuple(result)

    def records(self, name: str) -> tuple[Path, list]:
        path = self.folder / name
        if not path.exists():
            return path, []
        data = read_yaml(path, self.problems)
        if data is None:
            return path, []
        if not isinstance(data, list):
            self.problems.add(path, getattr(data, "line", 1), "", "expected a list of entries")
            return path, []
        return path, data
