"""SPARQL over a chainkg graph, behind one small engine interface.

An :class:`Engine` answers SPARQL text with a :class:`QueryResult` of rdflib terms, whatever runs the query (rdflib's
in-memory store here; Oxigraph or a remote SPARQL 1.1 endpoint plug in the same way, chosen in
:func:`graph.build.source.open_engine`). Every query is offered chainkg's prefixes (:data:`graph.vocab.namespaces.PREFIXES`), so named
queries need no PREFIX lines. The graph a query sees is the data plus the ontology (terms, statuses, units with
``qudt:conversionMultiplier``), so labels of statuses and money in yuan are one join away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

import rdflib.plugins.sparql
from rdflib import ConjunctiveGraph, Dataset, Graph, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from graph.errors import QueryError
from graph.sparql.hashjoin import hash_joins
from graph.sparql.policy import check_service
from graph.vocab.namespaces import DEFAULT_BASE, PREFIXES

__all__ = [
    "READ_ONLY",
    "check_query",
    "QueryResult",
    "Engine",
    "RdflibEngine",
    "run_query",
    "prefix_block",
    "used_prefixes",
    "labels",
    "is_update",
    "QUERY_BASE",
]

# rdflib fetches the IRI of a FROM / FROM NAMED graph it does not hold from the web; a query must never reach out.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

# Relative IRIs in a query (<org-jinko>) resolve against chainkg's id space, the same on every engine.
QUERY_BASE = DEFAULT_BASE


# Every engine refuses SPARQL Update with this message: chainkg's graphs are read-only outside a build.
READ_ONLY = (
    "query: SPARQL Update is not allowed here 只读 (read-only); send SELECT, ASK, CONSTRUCT or DESCRIBE"
)


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


def prefix_block(prefixes: list[str] | None = None) -> str:
    """``PREFIX`` lines for chainkg's prefixes (all, or the ``prefixes`` named), for engines and editors."""
    names = sorted(PREFIXES) if prefixes is None else sorted(set(prefixes) & set(PREFIXES))
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in names)


def used_prefixes(text: str) -> list[str]:
    """The chainkg prefixes ``text`` uses in prefixed names (string literals and comments may give extras).

    Example:
        >>> used_prefixes("SELECT ?s { ?s a ckg:Enterprise ; rdfs:label ?l }")
        ['ckg', 'rdfs']
    """
    found = {m.group(1) for m in re.finditer(r"(?<![\w:<#-])([A-Za-z][\w-]*):(?=[\w(])", text)}
    return sorted(found & set(PREFIXES))


_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[\w-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def is_update(text: str) -> bool:
    """Tell whether ``text`` is a SPARQL Update request rather than a query (comments are skipped).

    Example:
        >>> is_update("PREFIX a: <urn:a#> INSERT DATA { a:s a:p a:o }"), is_update("SELECT * { ?s ?p ?o }")
        (True, False)
    """
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return bool(_UPDATE.match(body))


def check_query(text: str) -> None:
    """Refuse what no chainkg engine runs: SPARQL Update (the graphs are read-only) and ``SERVICE`` (a query never
    reaches out to another server).

    Raises:
        QueryError: the read-only or the SERVICE message.
    """
    if is_update(text):
        raise QueryError(READ_ONLY)
    check_service(text)


def _from_rdflib(result: Result) -> QueryResult:
    if result.type == "ASK":
        return QueryResult(kind="ask", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = Graph(bind_namespaces="none")
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for triple in result.graph or []:
            g.add(triple)
        return QueryResult(kind="graph", graph=g)
    names = [str(v) for v in result.vars or []]
    return QueryResult(kind="select", vars=names, rows=[tuple(row) for row in result])


class RdflibEngine:
    """rdflib's own SPARQL evaluator over an in-memory graph or dataset (mind its join order: its BGP reordering can
    build a cartesian product, docs/benchmarks.md).

    Over a :class:`rdflib.Dataset` the default graph is the union of its graphs, and ``default_graphs`` /
    ``named_graphs`` (the SPARQL 1.1 Protocol's dataset) replace the query's own ``FROM`` / ``FROM NAMED``.
    """

    name = "rdflib"

    def __init__(self, g: Graph) -> None:
        self.g = g

    def query(
        self,
        text: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QueryResult:
        check_query(text)
        try:
            query: object = text
            target = self.g
            if default_graphs is not None or named_graphs is not None:
                query = _with_dataset(text, default_graphs or [], named_graphs or [])
                if not isinstance(
                    target, ConjunctiveGraph
                ):  # a plain graph holds no named graph: all are empty
                    target = Dataset()
            with hash_joins():  # same answers in the same order, without rdflib's all-pairs joins
                result = target.query(query, initNs=PREFIXES, base=QUERY_BASE)  # type: ignore[arg-type]
                return _from_rdflib(result)
        except Exception as err:  # pyparsing and rdflib raise many unrelated types
            raise QueryError(_describe(err, text)) from err


def _with_dataset(text: str, default_graphs: list[str], named_graphs: list[str]) -> object:
    """The parsed query with its dataset replaced by the protocol's (SPARQL 1.1 Protocol §2.1.4).

    rdflib builds that dataset from the graphs it holds (a graph it does not hold is empty, never fetched), so an
    empty default graph is a ``FROM`` of a graph no one holds.
    """
    query = translateQuery(parseQuery(text), base=QUERY_BASE, initNs=PREFIXES)
    clauses = [CompValue("DatasetClause", default=URIRef(g)) for g in default_graphs] or [
        CompValue("DatasetClause", default=URIRef("urn:chainkg:empty-default-graph"))
    ]
    clauses += [CompValue("DatasetClause", named=URIRef(g)) for g in named_graphs]
    query.algebra["datasetClause"] = clauses
    return query


def _describe(err: Exception, text: str) -> str:
    """A one-line message with the line and column of a syntax error where the parser gives them."""
    line, col = getattr(err, "lineno", None), getattr(err, "col", None)
    msg = getattr(err, "msg", None) or (str(err).splitlines() or [""])[0]
    if line is not None and col is not None:
        found = getattr(err, "line", "")
        near = f' near "{found.strip()[:40]}"' if found and found.strip() else ""
        return f"query: SPARQL 语法错误 syntax error at line {line}, col {col}: {msg}{near}"
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


def labels(engine: Engine, iris: list[URIRef]) -> dict[URIRef, str]:
    """Return a display label for each IRI that has one: Chinese first, then English, then any.

    Asked in one query (a VALUES block), so it works the same on a remote endpoint.
    """
    unique = sorted({i for i in iris if isinstance(i, URIRef)})
    found: dict[URIRef, tuple[int, str]] = {}
    for start in range(0, len(unique), 500):
        values = " ".join(f"<{i}>" for i in unique[start : start + 500] if ">" not in i and " " not in i)
        if not values:
            continue
        text = (
            "SELECT ?s ?l WHERE { VALUES ?s { " + values + " } "
            "{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } UNION "
            "{ ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }"
        )
        for s, lab in engine.query(text).rows:
            rank = {"zh": 0, "en": 1}.get(getattr(lab, "language", None) or "", 2)
            if s not in found or (rank, str(lab)) < found[s]:
                found[s] = (rank, str(lab))
    return {s: lab for s, (_, lab) in found.items()}
