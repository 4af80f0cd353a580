"""Fast RDF output through pyoxigraph's serialisers, for graphs where rdflib's are too slow.

rdflib's Turtle writer takes over a minute on a million triples (docs/benchmarks.md); Oxigraph's takes about a second.
The output stays deterministic: triples are written as canonical N-Triples, the lines sorted, and Turtle and JSON-LD
are written from the sorted triples. Terms go from rdflib to Oxigraph one by one, never through a ``Store``, because
a store canonicalises derived integer types (``xsd:nonNegativeInteger`` becomes ``xsd:integer``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph

from graph.rdf.oxterms import memoized, to_ox
from graph.vocab.namespaces import PREFIXES

__all__ = ["FAST_MIN_TRIPLES", "sorted_ntriples", "fast_bytes", "fast_dumps", "ntriples_lines"]

# Below this size rdflib's sorted longturtle is quick enough and diffs more readably.
FAST_MIN_TRIPLES = 20_000


def _ox_triples(g: Graph) -> Iterable[object]:
    conv = memoized(to_ox)
    return (ox.Triple(conv(s), conv(p), conv(o)) for s, p, o in g)


def sorted_ntriples(source: Graph | object) -> bytes:
    """Canonical N-Triples of an rdflib graph or of a pyoxigraph ``Store``'s default graph, lines sorted."""
    if isinstance(source, Graph):
        raw = ox.serialize(_ox_triples(source), format=ox.RdfFormat.N_TRIPLES)
    else:
        raw = source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())  # type: ignore[attr-defined]
    lines = [line for line in raw.split(b"\n") if line]
    lines.sort()
    return b"\n".join(lines) + b"\n" if lines else b""


def ntriples_lines(source: Graph | object) -> list[bytes]:
    """The sorted N-Triples lines (without newlines), for chunked uploads."""
    return [line for line in sorted_ntriples(source).split(b"\n") if line]


def fast_bytes(
    source: Graph | object, fmt: str, *, prefixes: dict[str, str] | None = None, nt: bytes | None = None
) -> bytes:
    """Serialise ``source`` (an rdflib graph or a pyoxigraph ``Store``) as UTF-8 ``turtle``, ``nt`` or ``jsonld``.

    Turtle binds ``prefixes`` (chainkg's by default); JSON-LD is Oxigraph's expanded form. Pass ``nt`` (from
    :func:`sorted_ntriples`, or text already sorted the same way) to write several formats from one sort; the
    N-Triples output is then ``nt`` itself.
    """
    nt = sorted_ntriples(source) if nt is None else nt
    if fmt == "nt":
        return nt
    triples = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "turtle":
        out = ox.serialize(
            triples, format=ox.RdfFormat.TURTLE, prefixes=dict(sorted((prefixes or PREFIXES).items()))
        )
    elif fmt == "jsonld":
        out = ox.serialize(triples, format=ox.RdfFormat.JSON_LD)
    else:
        raise ValueError(f"fast_bytes: unknown format {fmt!r}")
    return out if out.endswith(b"\n") else out + b"\n"


def fast_dumps(
    source: Graph | object, fmt: str, *, prefixes: dict[str, str] | None = None, nt: bytes | None = None
) -> str:
    """:func:`fast_bytes` as text."""
    return fast_bytes(source, fmt, prefixes=prefixes, nt=nt).decode("utf-8")
