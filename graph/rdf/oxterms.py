"""Convert RDF terms between rdflib and pyoxigraph, and copy an rdflib graph into an Oxigraph store.

Every engine returns rdflib terms normalised the same way (a simple literal has no datatype), so a named query or a
gap report prints the same on every engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from graph.errors import QueryError
from graph.vocab.namespaces import PREFIXES

__all__ = ["from_ox", "to_ox", "memoized", "to_store", "result_graph"]

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
