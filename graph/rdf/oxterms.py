"""Convert RDF terms between rdflib and pyoxigraph, and copy an rdflib graph into an Oxigraph store.

Every engine returns rdflib terms normalised the same way (a simple literal has no datatype), so a named query or a
gap report prints the same on every engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from graph.errors import QueryError
from graph.vocab.namespaces import PREFIXES

__all__ = ["from_ox", "from_tsv", "to_ox", "memoized", "rows_from_tsv", "to_store", "result_graph"]

_XSD_STRING = str(XSD.string)


def from_ox(term: object) -> URIRef | BNode | Literal | None:
    """Convert a pyoxigraph term to the rdflib term chainkg uses (a simple literal has no datatype)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value) if dt == _XSD_STRING else Literal(term.value, datatype=URIRef(dt))
    raise QueryError(f"query: unsupported result term {term!r} (RDF-star triples are not supported)")


# SPARQL TSV as Oxigraph writes it (sparesults' csv.rs): "<iri>", "_:id", a quoted string with \t \n \r \" \\
# escaped and then nothing, "@lang" or "^^<datatype>", or a bare Turtle boolean, integer, decimal or double.
_TSV_UNESCAPE = re.compile(r"\\([tnr\"\\])")
_TSV_CHARS = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "\\": "\\"}
_TURTLE_INTEGER = re.compile(r"[+-]?[0-9]+")
_TURTLE_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")
_XSD_BOOLEAN, _XSD_INTEGER = URIRef(str(XSD.boolean)), URIRef(str(XSD.integer))
_XSD_DECIMAL, _XSD_DOUBLE = URIRef(str(XSD.decimal)), URIRef(str(XSD.double))


def from_tsv(token: str) -> URIRef | BNode | Literal | None:
    """Convert one term of Oxigraph's SPARQL TSV results to the rdflib term :func:`from_ox` gives for it.

    Example:
        >>> from_tsv("<urn:a>"), from_tsv('"晶科"@zh'), from_tsv("12").datatype, from_tsv("")
        (rdflib.term.URIRef('urn:a'), rdflib.term.Literal('晶科', lang='zh'), rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'), None)
    """
    if not token:
        return None
    first = token[0]
    if first == "<":
        if token.startswith("<<"):
            raise QueryError("query: unsupported result term (RDF-star triples are not supported)")
        return URIRef(token[1:-1])
    if first == '"':
        end = token.rindex('"')
        value = token[1:end]
        if "\\" in value:
            value = _TSV_UNESCAPE.sub(lambda m: _TSV_CHARS[m.group(1)], value)
        rest = token[end + 1 :]
        if not rest:
            return Literal(value)
        if rest[0] == "@":
            return Literal(value, lang=rest[1:])
        return Literal(value, datatype=URIRef(rest[3:-1]))  # ^^<datatype>
    if token.startswith("_:"):
        return BNode(token[2:])
    if token in ("true", "false"):
        return Literal(token, datatype=_XSD_BOOLEAN)
    if _TURTLE_INTEGER.fullmatch(token):
        return Literal(token, datatype=_XSD_INTEGER)
    if _TURTLE_DECIMAL.fullmatch(token):
        return Literal(token, datatype=_XSD_DECIMAL)
    return Literal(token, datatype=_XSD_DOUBLE)


def rows_from_tsv(data: bytes, width: int) -> list[tuple]:
    """The rows of Oxigraph's SPARQL TSV results (``width`` variables) as tuples of rdflib terms.

    Oxigraph writes the whole result as text in Rust, and each distinct term is converted once: at 400,000 rows
    this takes a fifth of the time of reading each solution's terms as Python objects.
    """
    lines = data.decode("utf-8").split("\n")[1:-1]  # the header, and the empty string after the last newline
    if width == 0:
        return [() for _ in lines]
    cache: dict[str, object] = {}

    def conv(token: str) -> object:
        out = cache.get(token)
        if out is None and token:
            out = cache[token] = from_tsv(token)
        return out

    return [tuple(map(conv, line.split("\t"))) for line in lines]


def to_ox(term: object) -> object:
    """Convert an rdflib term to a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def memoized(convert: Callable[[object], object]) -> Callable[[object], object]:
    """Wrap a term converter so each distinct term is converted once: terms repeat a lot (predicates, classes).

    Example:
        >>> calls = []
        >>> conv = memoized(lambda t: calls.append(t) or t.upper())
        >>> conv("a"), conv("a"), calls
        ('A', 'A', ['a'])
    """
    cache: dict[object, object] = {}

    def conv(term: object) -> object:
        out = cache.get(term)
        if out is None:
            out = cache[term] = convert(term)
        return out

    return conv


def to_store(g: Graph, store: object | None = None) -> object:
    """Copy ``g`` into a pyoxigraph ``Store`` (a new in-memory one by default) and return the store."""
    store = ox.Store() if store is None else store
    conv = memoized(to_ox)
    default = ox.DefaultGraph()
    store.bulk_extend(ox.Quad(conv(s), conv(p), conv(o), default) for s, p, o in g)  # type: ignore[attr-defined]
    return store


def result_graph(triples: Iterable[object]) -> Graph:
    """An rdflib graph of pyoxigraph triples, with chainkg's prefixes bound (a CONSTRUCT or DESCRIBE result)."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    conv = memoized(from_ox)
    add = g.add
    for t in triples:  # type: ignore[attr-defined]
        add((conv(t.subject), conv(t.predicate), conv(t.object)))
    return g
