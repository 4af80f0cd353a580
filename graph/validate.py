"""Check a graph against the SHACL shapes in ``ontology/shapes.ttl`` with pySHACL, and report readably."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH, SKOS

from graph.errors import ValidationError
from graph.namespaces import PREFIXES

__all__ = ["ONTOLOGY_DIR", "Violation", "Report", "validate", "load_ontology", "load_shapes", "short_name"]

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"


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


def short_name(term: object) -> str:
    """Return ``term`` as a prefixed name where a chainkg prefix fits, else as text.

    Example:
        >>> short_name(URIRef("https://w3id.org/chainkg/ontology#inSegment"))
        'ckg:inSegment'
    """
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if text.startswith(ns) and text != ns:
                return f"{prefix}:{text[len(ns) :]}"
        return f"<{text}>"
    return str(term) if term is not None else ""


def _read_turtle(path: Path) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except Exception as err:  # rdflib raises several unrelated types for bad Turtle
        raise ValidationError(f"{path}: cannot read Turtle ({err})") from err


def load_ontology(path: Path | None = None) -> Graph:
    """Read the chainkg ontology (default ``ontology/chainkg.ttl``)."""
    return _read_turtle(path or ONTOLOGY_DIR / "chainkg.ttl")


def load_shapes(path: Path | None = None) -> Graph:
    """Read the SHACL shapes (default ``ontology/shapes.ttl``)."""
    return _read_turtle(path or ONTOLOGY_DIR / "shapes.ttl")


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
