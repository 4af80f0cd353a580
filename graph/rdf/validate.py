"""Check a graph against the SHACL shapes in ``ontology/shapes.ttl`` with pySHACL, and report readably."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal
from rdflib.namespace import RDFS, SH, SKOS

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


def validate(g: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None) -> Report:
    """Validate ``g`` with pySHACL (RDFS inference over the ontology, SHACL-AF on).

    Returns:
        A :class:`Report`; its violations are sorted by focus node, path and message.
    """
    import pyshacl  # imported here: it is slow to import and only validation needs it

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
