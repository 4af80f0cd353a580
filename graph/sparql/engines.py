"""More SPARQL engines behind :class:`graph.sparql.engine.Engine`: Oxigraph (embedded) and any SPARQL 1.1 endpoint.

- :class:`OxigraphEngine` runs queries in a pyoxigraph ``Store``, in memory or in an on-disk folder. It has no
  join-order trap (rdflib's BGP reordering can make a cartesian product; ``docs/benchmarks.md``) and is the
  default engine.
- :class:`RemoteEngine` sends queries to a server over the SPARQL 1.1 Protocol (Oxigraph server, Virtuoso, Jena
  Fuseki, GraphDB, Amazon Neptune) and reads JSON results, including Virtuoso's old-style ``typed-literal``.

Every engine returns rdflib terms, normalised the same way (a simple literal has no datatype), so a named query or a
gap report prints the same on every engine. :func:`choose_engine` and :func:`engine_for` pick the engine.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from contextlib import closing
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from graph.analysis.gcpause import paused_gc
from graph.errors import QueryError
from graph.rdf.formats import format_for_path, read_rdf
from graph.rdf.ontology import load_ontology, with_ontology
from graph.rdf.oxterms import result_graph, to_store
from graph.sparql.client import RemoteError, check_endpoint, request
from graph.sparql.engine import (
    QUERY_BASE,
    QueryResult,
    RdflibEngine,
    check_query,
    prefix_block,
    used_prefixes,
)
from graph.sparql.ordering import sort_rows, split_order_by
from graph.sparql.policy import keywords
from graph.sparql.tsvrows import parse_tsv_rows, read_tsv_rows, tsv_chunks
from graph.text import did_you_mean
from graph.vocab.namespaces import ONTOLOGY_IRI, PREFIXES

__all__ = [
    "ENGINES",
    "OxigraphEngine",
    "RemoteEngine",
    "choose_engine",
    "engine_for",
    "open_data",
    "open_dataset",
    "QUAD_FORMATS",
    "view_graph",
    "query_form",
]

# Oxigraph is the default at every size: it implements all of SPARQL 1.1 (rdflib 7 fails some valid queries, such as
# GROUP_CONCAT over an OPTIONAL variable) and has no join-order trap. "auto" is kept as another name for it.
ENGINES = ("oxigraph", "rdflib", "auto")
_XSD_STRING = str(XSD.string)


def choose_engine(n_triples: int = 0, requested: str = "oxigraph") -> str:
    """Return the engine to use for ``requested``: ``oxigraph`` (also for ``auto``) or ``rdflib``.

    Example:
        >>> choose_engine(5_000), choose_engine(5_000, "rdflib"), choose_engine(5_000, "auto")
        ('oxigraph', 'rdflib', 'oxigraph')
    """
    if requested not in ENGINES:
        raise QueryError(
            f'engine: unknown engine "{requested}"; expected one of {", ".join(ENGINES)}'
            f"{did_you_mean(requested, ENGINES)}"
        )
    return "rdflib" if requested == "rdflib" else "oxigraph"


_OX_POSITION = re.compile(r"error at (\d+):(\d+): (.*)")


def _syntax_message(error: str, text: str) -> str:
    """Oxigraph's ``error at 2:16: …`` as the same one-line message the rdflib engine gives (line, col, near).

    Example:
        >>> _syntax_message("error at 2:4: expected one of [_]", "SELECT *\\nWHERE { ?s }")
        'query: SPARQL 语法错误 syntax error at line 2, col 4: expected one of [_] near "WHERE { ?s }"'
    """
    first = error.splitlines()[0] if error else "bad query"
    m = _OX_POSITION.match(first)
    if m is None:
        return f"query: SPARQL 语法错误 syntax error: {first}"
    line, col, msg = int(m.group(1)), int(m.group(2)), m.group(3)
    lines = text.splitlines()
    found = lines[line - 1].strip()[:40] if 0 < line <= len(lines) else ""
    near = f' near "{found}"' if found else ""
    return f"query: SPARQL 语法错误 syntax error at line {line}, col {col}: {msg}{near}"


# -- engines ------------------------------------------------------------------------------------------------------


class OxigraphEngine:
    """SPARQL on a pyoxigraph ``Store``: in memory (``OxigraphEngine()``) or in a folder (``OxigraphEngine(path)``).

    With ``union`` the default graph is the union of every graph in the store (unless the query names its own
    ``FROM``); ``default_graphs`` / ``named_graphs`` (the SPARQL 1.1 Protocol's dataset) replace the query's.
    """

    name = "oxigraph"

    def __init__(self, store: object | Path | str | None = None, *, union: bool = False) -> None:
        self.union = union
        self._pending: Graph | None = None  # an rdflib graph not yet copied in (see from_graph)
        self._copying = threading.Lock()

        if store is None or isinstance(store, str | Path):
            try:
                store = ox.Store(str(store)) if store is not None else ox.Store()
            except OSError as err:  # a locked or unreadable RocksDB folder
                raise QueryError(f"{store}: cannot open the Oxigraph store ({err})") from err
        self._store = store

    @classmethod
    def from_graph(cls, g: Graph) -> OxigraphEngine:
        """An in-memory engine over a copy of ``g``, made when it is first used: a build that never queries (or
        only writes files) does not pay for the copy. Change ``g`` before the first query, not after."""
        engine = cls()
        engine._pending = g
        return engine

    @property
    def store(self) -> object:
        """The pyoxigraph ``Store`` (the copy of a graph given to ``from_graph`` is made here, once)."""
        with self._copying:  # two first queries on a server's threads copy once
            if self._pending is not None:
                to_store(self._pending, self._store)
                self._pending = None
        return self._store

    def __len__(self) -> int:
        if self._pending is not None:
            return len(self._pending)
        return len(self.store)  # type: ignore[arg-type]

    def query(
        self,
        text: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QueryResult:
        check_query(text)
        options: dict[str, object] = {}
        if default_graphs is not None or named_graphs is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs or []]
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or []]
        elif self.union and "FROM" not in keywords(text):
            options["use_default_graph_as_union"] = True
        if query_form(text) != "select":
            result = self._run(text, text, options)
            if isinstance(result, ox.QueryBoolean):
                return QueryResult(kind="ask", boolean=bool(result))
            if isinstance(result, ox.QueryTriples):
                return QueryResult(kind="graph", graph=result_graph(result))
            with paused_gc(promote=True):
                names, rows = parse_tsv_rows(result.serialize(format=ox.QueryResultsFormat.TSV))  # type: ignore[attr-defined]
            return QueryResult(kind="select", vars=names, rows=rows)
        # A SELECT's ORDER BY is done here, not in Oxigraph, whose sort decodes terms at every comparison
        # (graph.sparql.ordering); the rows are read as Oxigraph writes them (graph.sparql.tsvrows).
        order = split_order_by(text)
        # the rows are tuples of terms without cycles: the collector need not walk them (graph.analysis.gcpause)
        with paused_gc(promote=True):
            names, rows = self._rows(order.text if order else text, text, options)
            if order is not None:
                ordered = sort_rows(names, rows, order.keys)
                if ordered is None:  # terms it cannot order as Oxigraph does: Oxigraph sorts them
                    names, rows = self._rows(text, text, options)
                else:
                    names, rows = order.finish(names, ordered)
        return QueryResult(kind="select", vars=names, rows=rows)

    def _rows(self, text: str, shown: str, options: dict[str, object]) -> tuple[list[str], list[tuple]]:
        """The variables and rows of a SELECT, read while Oxigraph writes them from another thread."""
        try:
            with closing(
                tsv_chunks(lambda: self._run(text, shown, options))
            ) as chunks:  # closed if reading fails
                return read_tsv_rows(chunks)
        except OSError as err:
            raise QueryError(f"query: Oxigraph could not run the query ({err})") from err

    def _run(self, text: str, shown: str, options: dict[str, object]) -> object:
        """Oxigraph's answer to ``text``; errors quote ``shown``, the query as the user wrote it."""
        try:
            return self.store.query(  # type: ignore[attr-defined]
                text, prefixes=PREFIXES, base_iri=QUERY_BASE, **options
            )
        except ValueError as err:  # a graph name that is not an IRI
            raise QueryError(f"query: {err}") from err
        except SyntaxError as err:
            raise QueryError(_syntax_message(str(err), shown)) from err
        except OSError as err:
            raise QueryError(f"query: Oxigraph could not run the query ({err})") from err


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

    def query(
        self,
        text: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QueryResult:
        check_query(text)
        declared = {m.group(1) for m in re.finditer(r"PREFIX\s+([\w.-]*):", text, re.I)}
        full = prefix_block([p for p in used_prefixes(text) if p not in declared]) + text
        form = query_form(full)
        defaults = default_graphs if default_graphs is not None else ([self.graph] if self.graph else [])
        fields = [("query", full)] + [("default-graph-uri", g) for g in defaults]
        fields += [("named-graph-uri", g) for g in named_graphs or []]
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


def engine_for(g: Graph, engine: str = "oxigraph") -> RdflibEngine | OxigraphEngine:
    """Return an engine over ``g``: Oxigraph on a copy (the default), or rdflib's own."""
    if choose_engine(len(g), engine) == "oxigraph":
        return OxigraphEngine.from_graph(g)
    return RdflibEngine(g)


def open_data(path: Path | str, *, engine: str = "oxigraph") -> RdflibEngine | OxigraphEngine:
    """The local engine over an RDF file (``out/kg.ttl``) or an Oxigraph store folder, the ontology added.

    Oxigraph reads the file itself (its parser is about 8× faster than rdflib's); ``rdflib`` parses it with rdflib.

    Raises:
        QueryError: an unknown engine, an unknown file type, or text that does not parse.
    """
    engine = choose_engine(0, engine)  # an unknown name fails before any loading
    path = Path(path)
    if path.suffix.lower() in QUAD_FORMATS:
        return open_dataset(path, engine)
    if path.is_dir():
        if engine == "rdflib":
            raise QueryError(f"{path}: an Oxigraph store folder is read by the oxigraph engine, not rdflib")
        try:
            return OxigraphEngine(ox.Store.read_only(str(path)))
        except OSError as err:
            raise QueryError(f"{path}: not an Oxigraph store folder ({err})") from err
    fmt = format_for_path(path, error=QueryError)
    if engine == "rdflib":
        return RdflibEngine(with_ontology(read_rdf(path, fmt=fmt, error=QueryError)))
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt.ox)
    except (SyntaxError, ValueError) as err:
        raise QueryError(f"{path}: cannot read {fmt.label} ({str(err).splitlines()[0]})") from err
    return OxigraphEngine(to_store(load_ontology(), store))


QUAD_FORMATS = {".nq": "nquads", ".trig": "trig"}


def open_dataset(path: Path | str, engine: str = "oxigraph") -> RdflibEngine | OxigraphEngine:
    """An engine over an N-Quads or TriG file that keeps its named graphs, plus the ontology in its own graph
    (:data:`graph.vocab.namespaces.ONTOLOGY_IRI`); the default graph is the union of all graphs.

    Raises:
        QueryError: the file cannot be read.
    """
    path = Path(path)
    fmt = QUAD_FORMATS[path.suffix.lower()]
    if choose_engine(0, engine) == "oxigraph":
        store = ox.Store()
        try:
            store.bulk_load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix[1:]))
        except (SyntaxError, ValueError, OSError) as err:
            raise QueryError(f"{path}: cannot read {fmt} ({str(err).splitlines()[0]})") from err
        onto = ox.NamedNode(ONTOLOGY_IRI)
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, onto) for q in to_store(load_ontology()))
        return OxigraphEngine(store, union=True)
    ds = Dataset(default_union=True)
    try:
        ds.parse(path, format=fmt)
    except Exception as err:  # rdflib raises several unrelated types for bad RDF
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise QueryError(f"{path}: cannot read {fmt} ({first})") from err
    onto_graph = ds.graph(URIRef(ONTOLOGY_IRI))
    onto_graph += load_ontology()
    return RdflibEngine(ds)


# Subjects the networkx view reads (graph.analysis.digraph.to_digraph): the chain structure, the players and their sites,
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
    "ckg:CoverageClaim",
    "ckg:ValueShare",
    "ckg:ArticleSpan",
    "ckg:SourceNote",
    "ckg:NamedSource",
    "ckg:Recommendation",
    "schema:NewsArticle",
    "schema:Place",
    "org:Site",
    "qb:Observation",
    "oa:TextQuoteSelector",
    "oa:TextPositionSelector",
)


# Predicates neither the rules nor the view read, left out because they are big: article text, and the national
# dataset's 53,000 product links and company details (graph.inputs.national.rdf).
_VIEW_SKIP = ("schema:text", "ckg:produces", "ckg:inIndustry", "schema:legalName", "ckg:listingDate")


def view_graph(engine: RemoteEngine | OxigraphEngine | RdflibEngine) -> Graph:
    """Fetch, with one CONSTRUCT, the part of a graph that gap analysis and the view read, as an rdflib graph.

    Running :func:`graph.analysis.gaps.find_gaps` on it gives the same report on a server as on the local graph.
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
