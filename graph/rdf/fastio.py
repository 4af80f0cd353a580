"""Fast RDF output through pyoxigraph's serialisers, for graphs where rdflib's are too slow.

rdflib's Turtle writer takes over a minute on a million triples (docs/benchmarks.md); Oxigraph's takes about a second.
The output stays deterministic: triples are written as canonical N-Triples, the lines sorted, and Turtle and JSON-LD
are written from the sorted triples. An rdflib graph's terms are written as N-Triples text by :func:`nt_term`, byte
for byte as Oxigraph writes them, never through a ``Store``, because a store canonicalises derived integer types
(``xsd:nonNegativeInteger`` becomes ``xsd:integer``).
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from graph.rdf.oxterms import memoized
from graph.vocab.namespaces import PREFIXES

__all__ = [
    "FAST_MIN_TRIPLES",
    "nt_literal",
    "nt_term",
    "sorted_ntriples",
    "fast_bytes",
    "fast_dumps",
    "ntriples_lines",
]

# Below this size rdflib's sorted longturtle is quick enough and diffs more readably.
FAST_MIN_TRIPLES = 20_000


# Oxigraph's canonical N-Triples escapes (oxrdf's print_quoted_str): the quote, the backslash, and control
# characters, five of them by letter and the rest as \uXXXX with upper-case hex.
_ESCAPES = {
    **{i: f"\\u{i:04X}" for i in (*range(0x20), 0x7F)},
    **{ord(c): e for c, e in (("\b", "\\b"), ("\t", "\\t"), ("\n", "\\n"), ("\f", "\\f"), ("\r", "\\r"))},
    ord('"'): '\\"',
    ord("\\"): "\\\\",
}
_XSD_STRING = str(XSD.string)


def nt_literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal in canonical N-Triples, byte for byte as Oxigraph writes it (``xsd:string`` left implicit).

    Example:
        >>> nt_literal('say "hi"', "zh"), nt_literal("2020-01-01", None, "http://www.w3.org/2001/XMLSchema#date")
        ('"say \\\\"hi\\\\""@zh', '"2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>')
    """
    quoted = '"' + text.translate(_ESCAPES) + '"'
    if lang:
        return f"{quoted}@{lang.lower()}"
    return f"{quoted}^^<{datatype}>" if datatype and datatype != _XSD_STRING else quoted


def nt_term(term: object) -> str:
    """An rdflib term in canonical N-Triples, as Oxigraph writes the same term."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return nt_literal(str(term), term.language, str(term.datatype) if term.datatype is not None else None)
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def _graph_lines(g: Graph) -> list[bytes]:
    """The N-Triples lines of ``g``, each distinct term written once (terms repeat: predicates, classes)."""
    nt = memoized(nt_term)
    text = "\n".join([f"{nt(s)} {nt(p)} {nt(o)} ." for s, p, o in g])
    return text.encode("utf-8").split(b"\n") if text else []


def sorted_ntriples(source: Graph | object) -> bytes:
    """Canonical N-Triples of an rdflib graph or of a pyoxigraph ``Store``'s default graph, lines sorted."""
    if isinstance(source, Graph):
        lines = _graph_lines(source)
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
