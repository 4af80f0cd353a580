"""Serialise a graph deterministically: ``dumps`` to text and ``dump`` to a file (atomically)."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from graph.errors import ExportError
from graph.files import write_text
from graph.rdf.fastio import FAST_MIN_TRIPLES, fast_dumps
from graph.rdf.formats import FORMATS
from graph.vocab.namespaces import PREFIXES

__all__ = ["dumps", "dump"]


def _context(g: Graph) -> dict[str, str]:
    """The compact JSON-LD ``@context``: the prefixes the graph binds."""
    bound = {prefix: str(ns) for prefix, ns in g.namespaces() if prefix in PREFIXES}
    return dict(sorted(bound.items()))


def _sorted(value: object) -> object:
    """Sort every JSON array: RDF values are sets, and rdflib emits them in hash order (chainkg has no @list)."""
    if isinstance(value, dict):
        return {key: _sorted(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    return value


def dumps(g: Graph, fmt: str, *, fast: bool | None = None) -> str:
    """Return ``g`` serialised as ``fmt`` (one of :data:`FORMATS`), deterministically, ending with a newline.

    Turtle uses rdflib's sorted ``longturtle``; N-Triples lines are sorted; JSON-LD is compacted with the bound
    prefixes as ``@context`` and written with sorted keys. Big graphs (``fast=None`` and at least
    :data:`graph.rdf.fastio.FAST_MIN_TRIPLES` triples, or ``fast=True``) go through Oxigraph's serialisers instead
    (docs/benchmarks.md): the same triples, sorted, with Oxigraph's layout and expanded JSON-LD.
    """
    if fmt not in FORMATS:
        raise ExportError(f'unknown format "{fmt}"; choose one of {", ".join(FORMATS)}')
    if fast or (fast is None and len(g) >= FAST_MIN_TRIPLES):
        bound = {prefix: str(ns) for prefix, ns in g.namespaces() if prefix in PREFIXES}
        return fast_dumps(g, fmt, prefixes=bound or None)
    if fmt == "turtle":
        text = g.serialize(format="longturtle")
    elif fmt == "nt":
        lines = sorted(line for line in g.serialize(format="nt").splitlines() if line.strip())
        text = "\n".join(lines)
    else:
        raw = g.serialize(format="json-ld", context=_context(g), auto_compact=True)
        text = json.dumps(_sorted(json.loads(raw)), ensure_ascii=False, indent=2, sort_keys=True)
    return text if text.endswith("\n") else text + "\n"


def dump(g: Graph, fmt: str, path: Path | str) -> None:
    """Write ``g`` as ``fmt`` to ``path`` (UTF-8, atomically)."""
    write_text(path, dumps(g, fmt))
