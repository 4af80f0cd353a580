"""More SPARQL engines behind :class:`graph.sparql.Engine`: Oxigraph (embedded) and any SPARQL 1.1 endpoint.

- :class:`OxigraphEngine` runs queries in a pyoxigraph ``Store``, in memory or in an on-disk folder. It has no
  join-order trap (tooling notes §2) and is much faster than rdflib past about 100k triples.
- :class:`RemoteEngine` sends queries to a server over the SPARQL 1.1 Protocol (Oxigraph server, Virtuoso, Jena
  Fuseki, GraphDB, Amazon Neptune) and reads JSON results, including Virtuoso's old-style ``typed-literal``.

Every engine returns rdflib terms, normalised the same way (a simple literal has no datatype), so a named query or a
gap report prints the same on every engine. :func:`choose_engine` and :func:`engine_for` pick the engine by size.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from graph.errors import QueryError
from graph.namespaces import PREFIXES
from graph.remote import RemoteError, check_endpoint, request
from graph.sparql import QueryResult, RdflibEngine, is_update, prefix_block, used_prefixes

__all__ = [
    "ENGINES",
    "AUTO_THRESHOLD",
    "OxigraphEngine",
    "RemoteEngine",
    "choose_engine",
    "engine_for",
    "open_local",
    "open_remote",
    "view_graph",
    "to_store",
    "from_ox",
    "to_ox",
    "memoized",
    "query_form",
]

ENGINES = ("auto", "rdflib", "oxigraph")
# Past this many triples the embedded Oxigraph store wins even counting the copy into it (docs/benchmarks.md).
AUTO_THRESHOLD = 50_000
AUTO_BYTES = 5_000_000  # a data file this big holds roughly AUTO_THRESHOLD triples or more
_XSD_STRING = str(XSD.string)
_READ_ONLY = (
    "query: SPARQL Update is not allowed here 只读 (read-only); send SELECT, ASK, CONSTRUCT or DESCRIBE"
)


def choose_engine(n_triples: int, requested: str = "auto") -> str:
    """Return the engine to use: ``requested`` unless it is ``auto``, then by size.

    Example:
        >>> choose_engine(5_000), choose_engine(400_000), choose_engine(400_000, "rdflib")
        ('rdflib', 'oxigraph', 'rdflib')
    """
    if requested not in ENGINES:
        from graph.yamlio import did_you_mean

        raise QueryError(
            f'--engine: unknown engine "{requested}"; expected one of {", ".join(ENGINES)}'
            f"{did_you_mean(requested, ENGINES)}"
        )
    if requested != "auto":
        return requested
    return "oxigraph" if n_triples >= AUTO_THRESHOLD else "rdflib"


# -- terms --------------------------------------------------------------------------------------------------------


def from_ox(term: object) -> URIRef | BNode | Literal | None:
    """Convert a pyoxigraph term to the rdflib term chainkg uses (a simple literal has no datatype)."""
    import pyoxigraph as ox

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
    import pyoxigraph as ox

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
    import pyoxigraph as ox

    store = ox.Store() if store is None else store
    conv = memoized(to_ox)
    default = ox.DefaultGraph()
    store.bulk_extend(ox.Quad(conv(s), conv(p), conv(o), default) for s, p, o in g)  # type: ignore[attr-defined]
    return store


def _result_graph(triples: object) -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    conv = memoized(from_ox)
    add = g.add
    for t in triples:  # type: ignore[attr-defined]
        add((conv(t.subject), conv(t.predicate), conv(t.object)))
    return g


# -- engines ------------------------------------------------------------------------------------------------------


class OxigraphEngine:
    """SPARQL on a pyoxigraph ``Store``: in memory (``OxigraphEngine()``) or in a folder (``OxigraphEngine(path)``)."""

    name = "oxigraph"

    def __init__(self, store: object | Path | str | None = None) -> None:
        import pyoxigraph as ox

        if store is None or isinstance(store, str | Path):
            try:
                store = ox.Store(str(store)) if store is not None else ox.Store()
            except OSError as err:  # a locked or unreadable RocksDB folder
                raise QueryError(f"{store}: cannot open the Oxigraph store ({err})") from err
        self.store = store

    @classmethod
    def from_graph(cls, g: Graph) -> OxigraphEngine:
        """An in-memory engine holding a copy of ``g``."""
        return cls(to_store(g))

    def __len__(self) -> int:
        return len(self.store)  # type: ignore[arg-type]

    def query(self, text: str) -> QueryResult:
        import pyoxigraph as ox

        if is_update(text):
            raise QueryError(_READ_ONLY)
        try:
            result = self.store.query(text, prefixes=PREFIXES)  # type: ignore[attr-defined]
        except SyntaxError as err:
            msg = str(err).splitlines()[0] if str(err) else "bad query"
            raise QueryError(f"query: SPARQL 语法错误 syntax error: {msg}") from err
        except OSError as err:
            raise QueryError(f"query: Oxigraph could not run the query ({err})") from err
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(kind="ask", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            return QueryResult(kind="graph", graph=_result_graph(result))
        names = [v.value for v in result.variables]
        # Big results repeat terms (classes, segments, statuses): convert each distinct term once.
        conv = memoized(from_ox)
        rows = [tuple(map(conv, sol)) for sol in result]
        return QueryResult(kind="select", vars=names, rows=rows)


_PROLOGUE = re.compile(r"^\s*(?:(?:#[^\n]*\n)|(?:PREFIX\s+[\w.-]*:\s*<[^>]*>)|(?:BASE\s+<[^>]*>)|\s+)*", re.I)


def query_form(text: str) -> str:
    """The query form, ``select`` | ``ask`` | ``construct`` | ``describe``, after the prologue and comments.

    Example:
        >>> query_form("# hi\\nPREFIX a: <urn:a#>\\nASK { ?s ?p ?o }"), query_form("select * {}")
        ('ask', 'select')
    """
    rest = text[_PROLOGUE.match(text).end() :]  # type: ignore[union-attr]
    word = re.match(r"[A-Za-z]+", rest)
    return word.group(0).lower() if word else ""


def _json_term(cell: dict) -> URIRef | BNode | Literal:
    kind, value = cell.get("type"), cell.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):  # typed-literal: SPARQL JSON before 1.1, still sent by Virtuoso
        lang, dt = cell.get("xml:lang"), cell.get("datatype")
        if lang:
            return Literal(value, lang=lang)
        if dt and dt != _XSD_STRING:
            return Literal(value, datatype=URIRef(dt))
        return Literal(value)
    raise ValueError(f"unknown term type {kind!r}")


class RemoteEngine:
    """SPARQL 1.1 Protocol client: POSTs each query to ``endpoint`` and reads JSON (or N-Triples/Turtle) back.

    Args:
        endpoint: the query URL, e.g. ``http://127.0.0.1:7878/query`` or ``http://host:8890/sparql``.
        graph: the IRI of the named graph to query as the default graph (``default-graph-uri``), if any.
    """

    name = "remote"

    def __init__(self, endpoint: str, *, graph: str | None = None, timeout: float = 300.0) -> None:
        self.endpoint = check_endpoint(endpoint)
        self.graph = graph
        self.timeout = timeout

    def query(self, text: str) -> QueryResult:
        if is_update(text):
            raise QueryError(_READ_ONLY)
        declared = {m.group(1) for m in re.finditer(r"PREFIX\s+([\w.-]*):", text, re.I)}
        full = prefix_block([p for p in used_prefixes(text) if p not in declared]) + text
        form = query_form(full)
        fields = [("query", full)] + ([("default-graph-uri", self.graph)] if self.graph else [])
        accept = (
            "application/n-triples, text/turtle;q=0.9"
            if form in ("construct", "describe")
            else "application/sparql-results+json"
        )
        resp = request(
            "POST",
            self.endpoint,
            data=urllib.parse.urlencode(fields).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            timeout=self.timeout,
            what="query",
        )
        try:
            if form in ("construct", "describe"):
                fmt = "turtle" if "turtle" in resp.content_type else "nt"
                g = Graph(bind_namespaces="none").parse(data=resp.body.decode("utf-8"), format=fmt)
                return QueryResult(kind="graph", graph=_result_graph_rdflib(g))
            data = json.loads(resp.body.decode("utf-8"))
            if "boolean" in data:
                return QueryResult(kind="ask", boolean=bool(data["boolean"]))
            names = list(data["head"]["vars"])
            rows = [
                tuple(_json_term(b[v]) if v in b else None for v in names)
                for b in data["results"]["bindings"]
            ]
        except (ValueError, KeyError, TypeError) as err:
            raise RemoteError(
                f"query: {self.endpoint}: 意外的回答 unexpected answer ({resp.content_type or 'no content type'}): "
                f"{err}; is this a SPARQL query endpoint?"
            ) from err
        return QueryResult(kind="select", vars=names, rows=rows)


def _result_graph_rdflib(src: Graph) -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for s, p, o in src:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        g.add((s, p, o))
    return g


def engine_for(g: Graph, engine: str = "auto") -> RdflibEngine | OxigraphEngine:
    """Return an engine over ``g``: rdflib's own, or Oxigraph on a copy; ``auto`` chooses by size."""
    if choose_engine(len(g), engine) == "oxigraph":
        return OxigraphEngine.from_graph(g)
    return RdflibEngine(g)


def open_remote(endpoint: str, *, graph: str | None = None) -> RemoteEngine:
    """A :class:`RemoteEngine` on ``endpoint`` (checked: http(s), no credentials in the URL)."""
    return RemoteEngine(endpoint, graph=graph)


def open_local(
    *, seeds_dir: Path | str | None = None, data: Path | str | None = None, engine: str = "auto"
) -> RdflibEngine | OxigraphEngine:
    """The local engine over ``data`` (a file or an Oxigraph store folder) or the graph built from ``seeds_dir``.

    Every graph gets the ontology added, as :func:`graph.sparql.load_graph` does. A big data file goes straight
    into Oxigraph (its parser is about 8× faster than rdflib's) instead of through an rdflib graph.
    """
    choose_engine(0, engine)  # an unknown name fails before any loading
    path = Path(data) if data is not None else None
    if path is not None and path.is_dir():
        if engine == "rdflib":
            raise QueryError(f"{path}: an Oxigraph store folder needs --engine oxigraph (or auto)")
        import pyoxigraph as ox

        try:
            return OxigraphEngine(ox.Store.read_only(str(path)))
        except OSError as err:
            raise QueryError(f"{path}: not an Oxigraph store folder ({err})") from err
    if (
        path is not None
        and engine != "rdflib"
        and (engine == "oxigraph" or path.stat().st_size >= AUTO_BYTES)
    ):
        return OxigraphEngine(_load_file(path))
    from graph.sparql import load_graph

    return engine_for(load_graph(seeds_dir=seeds_dir, data=data), engine)


def _load_file(path: Path) -> object:
    import pyoxigraph as ox

    from graph.fastio import rdf_format
    from graph.validate import load_ontology

    fmt = rdf_format(path)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as err:
        raise QueryError(f"{path}: cannot read {fmt.name} ({str(err).splitlines()[0]})") from err
    return to_store(load_ontology(), store)


# Subjects the networkx view reads (graph.digraph.to_digraph): the chain structure, the players and their sites,
# facts and their evidence (quotes), figures, and gap nodes. Documents' full text stays on the server.
_VIEW_TYPES = (
    "ckg:IndustryChain",
    "ckg:ChainStage",
    "ckg:ChainSegment",
    "ckg:Enterprise",
    "ckg:InvestmentProject",
    "ckg:DevelopmentZone",
    "ckg:Indicator",
    "ckg:Fact",
    "ckg:Gap",
    "ckg:ArticleSpan",
    "ckg:SourceNote",
    "schema:Place",
    "org:Site",
    "qb:Observation",
    "oa:TextQuoteSelector",
    "oa:TextPositionSelector",
)


# Predicates neither the rules nor the view read, left out because they are big: article text, and the national
# dataset's 53,000 product links and company details (graph.nationalrdf).
_VIEW_SKIP = ("schema:text", "ckg:produces", "ckg:inIndustry", "schema:legalName", "ckg:listingDate")


def view_graph(engine: RemoteEngine | OxigraphEngine | RdflibEngine) -> Graph:
    """Fetch, with one CONSTRUCT, the part of a graph that gap analysis and the view read, as an rdflib graph.

    Running :func:`graph.gaps.find_gaps` on it gives the same report on a server as on the local graph.
    """
    text = (
        "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?t { "
        + " ".join(_VIEW_TYPES)
        + " } ?s rdf:type ?t ; ?p ?o . FILTER(?p NOT IN ("
        + ", ".join(_VIEW_SKIP)
        + ")) }"
    )
    result = engine.query(text)
    g = result.graph if result.graph is not None else Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g
