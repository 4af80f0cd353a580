"""Names for people: prefixed names, IRI local names, and the one rule for choosing a label."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from graph.vocab.namespaces import PREFIXES

__all__ = ["short_name", "local_name", "labels_by_lang", "best_label"]


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


def local_name(iri: URIRef | str) -> str:
    """Return the part of an IRI after its last ``/`` or ``#``.

    Example:
        >>> local_name("https://w3id.org/chainkg/id/org-jinko")
        'org-jinko'
    """
    text = str(iri)
    return text[max(text.rfind("/"), text.rfind("#")) + 1 :]


def labels_by_lang(g: Graph, node: object, props: tuple[URIRef, ...] = (RDFS.label, SKOS.prefLabel)) -> dict:
    """The labels of ``node`` by language tag (``""`` for none), each list sorted."""
    by_lang: dict[str, list[str]] = {}
    for prop in props:
        for o in g.objects(node, prop):
            if isinstance(o, Literal):
                by_lang.setdefault(o.language or "", []).append(str(o))
    return {lang: sorted(values) for lang, values in by_lang.items()}


def best_label(g: Graph, node: object, *, order: tuple[str, ...] = ("zh", "", "en")) -> str:
    """The label people see: the first language of ``order`` that has one (smallest text), else ``""``.

    Example:
        >>> from rdflib import Graph, Literal, URIRef
        >>> g = Graph().add((URIRef("urn:x"), RDFS.label, Literal("Jinko", lang="en")))
        >>> best_label(g, URIRef("urn:x"))
        'Jinko'
    """
    by_lang = labels_by_lang(g, node)
    for lang in order:
        if by_lang.get(lang):
            return by_lang[lang][0]
    return ""
