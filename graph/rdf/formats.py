"""The one table of RDF formats: names, file extensions, media types, and the rdflib and Oxigraph parsers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graph.errors import GraphError

__all__ = ["Format", "FORMATS", "READABLE", "format_for_path", "ox_format", "read_rdf"]


@dataclass(frozen=True)
class Format:
    """An RDF serialisation chainkg reads, and writes when ``output`` is true."""

    name: str
    label: str  # for people, in messages
    suffix: str
    media_type: str
    rdflib_name: str
    ox: ox.RdfFormat
    output: bool = True


# Output formats first, in the order ``chainkg build`` writes them (kg.ttl, kg.nt, kg.jsonld).
_ALL = (
    Format("turtle", "Turtle", ".ttl", "text/turtle", "turtle", ox.RdfFormat.TURTLE),
    Format("nt", "N-Triples", ".nt", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
    Format("jsonld", "JSON-LD", ".jsonld", "application/ld+json", "json-ld", ox.RdfFormat.JSON_LD),
    Format("rdfxml", "RDF/XML", ".rdf", "application/rdf+xml", "xml", ox.RdfFormat.RDF_XML, output=False),
    Format("owl", "RDF/XML", ".owl", "application/rdf+xml", "xml", ox.RdfFormat.RDF_XML, output=False),
)
FORMATS: dict[str, Format] = {f.name: f for f in _ALL if f.output}
READABLE: dict[str, Format] = {f.suffix: f for f in _ALL}


def format_for_path(path: Path | str, *, error: type[GraphError] = GraphError) -> Format:
    """The format of an RDF file, by its extension.

    Raises:
        GraphError: an extension chainkg does not read.

    Example:
        >>> format_for_path("out/kg.TTL").name
        'turtle'
    """
    suffix = Path(path).suffix
    fmt = READABLE.get(suffix.lower())
    if fmt is None:
        raise error(f'{path}: unknown RDF file type "{suffix}"; expected one of {", ".join(READABLE)}')
    return fmt


def ox_format(path: Path | str) -> ox.RdfFormat:
    """The pyoxigraph ``RdfFormat`` of an RDF file, by its extension (see :func:`format_for_path`)."""
    return format_for_path(path).ox


def read_rdf(path: Path | str, *, fmt: Format | None = None, error: type[GraphError] = GraphError) -> Graph:
    """Read an RDF file into a new rdflib graph, with a one-line error naming the file.

    Raises:
        GraphError (or ``error``): an unknown extension, or text that does not parse.
    """
    path = Path(path)
    fmt = fmt or format_for_path(path, error=error)
    try:
        return Graph().parse(path, format=fmt.rdflib_name)
    except Exception as err:  # rdflib raises several unrelated types for bad RDF
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise error(f"{path}: cannot read {fmt.label} ({first})") from err
