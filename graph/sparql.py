"""SPARQL over a chainkg graph, behind one small engine interface.

An :class:`Engine` answers SPARQL text with a :class:`QueryResult` of rdflib terms, whatever runs the query (rdflib's
in-memory store here; Oxigraph or a remote SPARQL 1.1 endpoint plug in the same way). Every query is offered
chainkg's prefixes (:data:`graph.namespaces.PREFIXES`), so named queries need no PREFIX lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from rdflib import Graph
from rdflib.query import Result

from graph.errors import QueryError
from graph.namespaces import PREFIXES

__all__ = ["QueryResult", "Engine", "RdflibEngine", "run_query", "prefix_block"]


@dataclass
class QueryResult:
    """What a query returned: ``rows`` for SELECT, ``boolean`` for ASK, ``graph`` for CONSTRUCT/DESCRIBE."""

    kind: str  # "select" | "ask" | "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def dicts(self) -> list[dict[str, object]]:
        """Rows as ``{variable: term}`` dicts, unbound variables left out."""
        return [{v: t for v, t in zip(self.vars, row, strict=True) if t is not None} for row in self.rows]


class Engine(Protocol):
    """Anything that can answer SPARQL over a chainkg graph."""

    name: str

    def query(self, text: str) -> QueryResult: ...


def prefix_block() -> str:
    """``PREFIX`` lines for chainkg's prefixes, for engines that take no initial namespaces."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()))


def _from_rdflib(result: Result) -> QueryResult:
    if result.type == "ASK":
        return QueryResult(kind="ask", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for triple in result.graph or []:
            g.add(triple)
        return QueryResult(kind="graph", graph=g)
    names = [str(v) for v in result.vars or []]
    return QueryResult(kind="select", vars=names, rows=[tuple(row) for row in result])


class RdflibEngine:
    """rdflib's own SPARQL evaluator over an in-memory graph (mind its join order: see docs/benchmarks.md)."""

    name = "rdflib"

    def __init__(self, g: Graph) -> None:
        self.g = g

    def query(self, text: str) -> QueryResult:
        try:
            result = self.g.query(text, initNs=PREFIXES)
            return _from_rdflib(result)
        except Exception as err:  # pyparsing and rdflib raise many unrelated types
            raise QueryError(_describe(err, text)) from err


def _describe(err: Exception, text: str) -> str:
    """A one-line message with the line and column of a syntax error where the parser gives them."""
    line, col = getattr(err, "lineno", None), getattr(err, "col", None)
    msg = getattr(err, "msg", None) or str(err).splitlines()[0]
    if line is not None and col is not None:
        return f"query: SPARQL syntax error at line {line}, col {col}: {msg}"
    return f"query: {type(err).__name__}: {msg}"


def run_query(source: Graph | Engine, text: str) -> QueryResult:
    """Run SPARQL ``text`` on a graph (through :class:`RdflibEngine`) or on any :class:`Engine`.

    Raises:
        QueryError: the query does not parse or cannot be evaluated.

    Example:
        >>> from rdflib import Graph, Literal, URIRef
        >>> g = Graph().add((URIRef("urn:a"), URIRef("urn:p"), Literal("甲")))
        >>> run_query(g, "SELECT ?o WHERE { ?s ?p ?o }").rows
        [(rdflib.term.Literal('甲'),)]
    """
    engine = RdflibEngine(source) if isinstance(source, Graph) else source
    return engine.query(text)
