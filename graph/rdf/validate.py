"""Check a graph against the SHACL shapes in ``ontology/shapes.ttl`` with pySHACL, and report readably."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rdflib import Graph, Literal
from rdflib.namespace import RDFS, SH, SKOS
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor

from graph.rdf.ontology import load_ontology, load_shapes
from graph.vocab.labels import short_name

__all__ = ["Violation", "Report", "validate"]


@dataclass(frozen=True)
class Violation:
    focus: str
    focus_label: str
    path: str
    message: str
    severity: str
    value: str = ""

    def line(self) -> str:
        label = f" ({self.focus_label})" if self.focus_label else ""
        value = f" [value: {self.value}]" if self.value else ""
        return f"{self.severity}: {self.focus}{label} {self.path}: {self.message}{value}"


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: tuple[Violation, ...]


def _label(g: Graph, node: object) -> str:
    for prop in (RDFS.label, SKOS.prefLabel):
        labels = sorted(
            g.objects(node, prop), key=lambda lit: (getattr(lit, "language", "") != "zh", str(lit))
        )
        if labels:
            return str(labels[0])
    return ""


_ONE_AT_A_TIME = threading.Lock()


@contextmanager
def _each_query_parsed_once() -> Iterator[None]:
    """While pySHACL validates, let rdflib parse each SPARQL text once.

    pySHACL hands rdflib a SPARQL-based constraint's text once per focus node, with only the bindings changed, and
    rdflib parses every text it is given: on the seeds that was 409 parses of ten texts, 11.7 s of a 15.3 s profile
    (docs/benchmarks.md). A parsed and translated query is reusable with other bindings (rdflib's own
    ``prepareQuery`` relies on it), so the translation is kept per text for the length of one validation.
    """
    original = SPARQLProcessor.query
    translated: dict[tuple[str, str | None, tuple], object] = {}

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803 (rdflib's names)
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            prepared = translated.get(key)
            if prepared is None:
                prepared = translated[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    with _ONE_AT_A_TIME:  # one validation patches and restores at a time
        SPARQLProcessor.query = query  # type: ignore[method-assign]
        try:
            yield
        finally:
            SPARQLProcessor.query = original  # type: ignore[method-assign]


def validate(g: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None) -> Report:
    """Validate ``g`` with pySHACL (RDFS inference over the ontology, SHACL-AF on).

    Returns:
        A :class:`Report`; its violations are sorted by focus node, path and message.
    """
    import pyshacl  # imported here: it is slow to import and only validation needs it

    with _each_query_parsed_once():
        conforms, results, _ = pyshacl.validate(
            g,
            shacl_graph=shapes if shapes is not None else load_shapes(),
            ont_graph=ontology if ontology is not None else load_ontology(),
            inference="rdfs",
            advanced=True,
            allow_warnings=True,
        )
    found = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        found.append(
            Violation(
                focus=short_name(focus),
                focus_label=_label(g, focus),
                path=short_name(results.value(result, SH.resultPath)) or "-",
                message=str(message) if isinstance(message, Literal) else "constraint failed",
                severity=short_name(results.value(result, SH.resultSeverity)).removeprefix("sh:"),
                value=short_name(value) if value is not None else "",
            )
        )
    return Report(
        bool(conforms), tuple(sorted(set(found), key=lambda v: (v.focus, v.path, v.message, v.value)))
    )
