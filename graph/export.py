"""Serialise a graph: a name → format table, ``dumps`` to text and ``dump`` to a file (atomically)."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from graph.errors import ExportError
from graph.namespaces import PREFIXES

__all__ = ["Format", "FORMATS", "dumps", "dump", "write_text", "write_bytes", "public_mode"]


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    media_type: str
    rdflib_name: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", ".ttl", "text/turtle", "turtle"),
        Format("nt", ".nt", "application/n-triples", "nt"),
        Format("jsonld", ".jsonld", "application/ld+json", "json-ld"),
    )
}


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
    :data:`graph.fastio.FAST_MIN_TRIPLES` triples, or ``fast=True``) go through Oxigraph's serialisers instead
    (issue 6): the same triples, sorted, with Oxigraph's layout and expanded JSON-LD.
    """
    if fmt not in FORMATS:
        raise ExportError(f'unknown format "{fmt}"; choose one of {", ".join(FORMATS)}')
    from graph.fastio import FAST_MIN_TRIPLES, fast_dumps

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


def public_mode(directory: bool = False) -> int:
    """The mode a new file (or folder) would get from the umask; temp files start private, outputs should not."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


def write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so no half-written file remains."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, public_mode())  # mkstemp makes 0600 files; outputs are meant to be shared
        os.replace(tmp, path)
    except OSError as err:
        raise ExportError(f"{path}: cannot write ({err.strerror})") from err


def write_text(path: Path | str, text: str) -> None:
    """Write ``text`` as UTF-8 with ``\n`` line ends to ``path``, atomically (see :func:`write_bytes`)."""
    write_bytes(path, text.encode("utf-8"))


def dump(g: Graph, fmt: str, path: Path | str) -> None:
    """Write ``g`` as ``fmt`` to ``path`` (UTF-8, atomically)."""
    write_text(path, dumps(g, fmt))
