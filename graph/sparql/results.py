"""Write a :class:`~graph.sparql.engine.QueryResult` as a table for people or in a standard SPARQL result format.

``table`` shows prefixed names and labels (``晶科能源 (ckd:org-jinko)``); ``json``, ``xml``, ``csv`` and ``tsv`` follow
the W3C SPARQL 1.1 result formats; CONSTRUCT/DESCRIBE results are Turtle, N-Triples, JSON-LD or RDF/XML.
:func:`negotiate` picks a format from an HTTP ``Accept`` header.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from graph.cells import csv_text
from graph.errors import QueryError
from graph.rdf.serialize import dumps
from graph.sparql.engine import QueryResult
from graph.text import text_table
from graph.vocab.labels import short_name

__all__ = [
    "RESULT_FORMATS",
    "GRAPH_FORMATS",
    "CLI_FORMATS",
    "format_result",
    "format_table",
    "negotiate",
]

# name -> media type; the first of each dict is the default when the client accepts anything.
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
}
CLI_FORMATS = ("table", "csv", "tsv", "json")
_ALIASES = {  # other media types clients send, -> (result format, graph format)
    "application/json": ("json", "jsonld"),
    "application/xml": ("xml", "xml"),
    "text/xml": ("xml", "xml"),
    "application/x-turtle": (None, "turtle"),
    "text/plain": (None, "nt"),
}


def _cell(term: object, names: dict[URIRef, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        short = short_name(term)
        label = names.get(term)
        return f"{label} ({short})" if label else short
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term).replace("\n", "⏎")


def format_table(result: QueryResult, names: dict[URIRef, str] | None = None) -> str:
    """A plain-text table with prefixed names and labels, and a row count (bilingual).

    Example:
        >>> from rdflib import URIRef, Literal
        >>> r = QueryResult("select", ["s", "n"], [(URIRef("https://w3id.org/chainkg/id/org-a"), Literal(3))])
        >>> print(format_table(r, {URIRef("https://w3id.org/chainkg/id/org-a"): "甲"}))
        s               n
        --------------  -
        甲 (ckd:org-a)  3
        1 行 row(s)
    """
    names = names or {}
    if result.kind == "ask":
        return "是 yes (true)" if result.boolean else "否 no (false)"
    if result.kind == "graph":
        return dumps(result.graph, "turtle").rstrip("\n")
    rows = [[_cell(t, names) for t in row] for row in result.rows]
    out = text_table(result.vars, rows, rule=True)
    out.append(f"{len(rows)} 行 row(s)")
    return "\n".join(out)


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def _json(result: QueryResult) -> str:
    if result.kind == "ask":
        doc: dict[str, object] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [{k: _json_term(v) for k, v in row.items()} for row in result.dicts()]
        doc = {"head": {"vars": result.vars}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _xml_term(term: object) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        attr = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype and term.datatype != XSD.string:
        attr = f" datatype={quoteattr(str(term.datatype))}"
    else:
        attr = ""
    return f"<literal{attr}>{escape(str(term))}</literal>"


def _xml(result: QueryResult) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
    ]
    if result.kind == "ask":
        out += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        out.append("  <head>")
        out += [f"    <variable name={quoteattr(v)}/>" for v in result.vars]
        out += ["  </head>", "  <results>"]
        for row in result.dicts():
            out.append("    <result>")
            out += [f"      <binding name={quoteattr(k)}>{_xml_term(v)}</binding>" for k, v in row.items()]
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _tsv_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef | BNode):
        return term.n3()
    text = (
        str(term)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )
    assert isinstance(term, Literal)
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype and term.datatype != XSD.string:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


def _delimited(result: QueryResult, fmt: str) -> str:
    if result.kind == "ask":
        rows = [["_askResult"], ["true" if result.boolean else "false"]]
    elif fmt == "csv":
        rows = [result.vars] + [["" if t is None else str(t) for t in row] for row in result.rows]
    else:
        rows = [[f"?{v}" for v in result.vars]] + [[_tsv_term(t) for t in row] for row in result.rows]
    if fmt == "tsv":
        return "".join("\t".join(r) + "\n" for r in rows)
    return csv_text(rows, lineterminator="\r\n")  # RFC 4180 line ends, as SPARQL 1.1 CSV asks


def format_result(result: QueryResult, fmt: str, names: dict[URIRef, str] | None = None) -> str:
    """Write ``result`` as ``fmt``: ``table`` or a SPARQL result format for SELECT/ASK, a graph format for
    CONSTRUCT/DESCRIBE (``table``/``csv``/``tsv`` give Turtle and ``json`` gives JSON-LD there).

    Raises:
        QueryError: a format that does not fit the result.
    """
    if result.kind == "graph":
        graph_fmt = {"table": "turtle", "csv": "turtle", "tsv": "turtle", "json": "jsonld"}.get(fmt, fmt)
        if graph_fmt not in GRAPH_FORMATS:
            raise QueryError(
                f'format "{fmt}" cannot hold a graph; expected one of {", ".join(GRAPH_FORMATS)}'
            )
        if graph_fmt == "xml":
            return result.graph.serialize(format="xml")
        return dumps(result.graph, graph_fmt)
    if fmt == "table":
        return format_table(result, names) + "\n"
    if fmt == "json":
        return _json(result)
    if fmt == "xml":
        return _xml(result)
    if fmt in ("csv", "tsv"):
        return _delimited(result, fmt)
    raise QueryError(f'unknown result format "{fmt}"; expected one of table, {", ".join(RESULT_FORMATS)}')


def _accepted(header: str) -> list[tuple[float, int, str]]:
    items = []
    for i, part in enumerate(header.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            items.append((-q, i, media.lower()))
    return sorted(items)


def negotiate(accept: str | None, kind: str) -> tuple[str, str] | None:
    """Pick ``(format, media type)`` for a result ``kind`` ("select", "ask" or "graph") from an ``Accept`` header.

    Returns None when nothing acceptable can be made (HTTP 406).

    Example:
        >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "select")
        ('xml', 'application/sparql-results+xml')
        >>> negotiate(None, "graph")
        ('turtle', 'text/turtle')
    """
    table = GRAPH_FORMATS if kind == "graph" else RESULT_FORMATS
    by_media = {media: name for name, media in table.items()}
    for _, _, media in _accepted(accept or "*/*"):
        if media in by_media:
            return by_media[media], media
        alias = _ALIASES.get(media)
        name = alias and (alias[1] if kind == "graph" else alias[0])
        if name:
            return name, media
        if media in ("*/*", "application/*", "text/*"):
            name = next(n for n, m in table.items() if media == "*/*" or m.startswith(media[:-1]))
            return name, table[name]
    return None
