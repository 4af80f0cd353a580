"""The national dataset as chainkg's graph model, for rdflib or straight into a pyoxigraph ``Store``.

A listed company is a ``ckg:Enterprise`` (not in any zone) with ``ckg:stockCode`` ``"600373.SH"``, its 申万 industry
through ``ckg:inIndustry`` and its main products through ``ckg:produces``; industries and products are
``skos:Concept`` in two concept schemes; ``A 上游材料 B`` becomes ``B ckg:upstreamOf A``, ``A 下游产品 B`` becomes
``A ckg:upstreamOf B`` and ``A 产品小类 B`` becomes ``B skos:broader A``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from graph.inputs.national.read import National
from graph.rdf.builder import new_graph
from graph.rdf.fastio import nt_literal
from graph.vocab.namespaces import CKG, DEFAULT_BASE, SCHEMA, data_iri, digest_id

__all__ = [
    "LINK_RELS",
    "national_triples",
    "national_graph",
    "national_store",
    "national_ntriples",
    "company_iri",
    "industry_iri",
    "product_iri",
]

# product_product rel -> (property, reversed?): "A 上游材料 B" means B is an upstream material of A.
LINK_RELS = {
    "上游材料": (CKG.upstreamOf, True),
    "下游产品": (CKG.upstreamOf, False),
    "产品小类": (SKOS.broader, True),
}


def company_iri(code: str, base: str = DEFAULT_BASE) -> URIRef:
    """IRI of a listed company by its 6-digit code: ``ckd:co-600373``."""
    return data_iri("co", code, base)


def industry_iri(code: str, base: str = DEFAULT_BASE) -> URIRef:
    """IRI of a 申万 industry: ``ckd:sw-630701``."""
    return data_iri("sw", code, base)


def product_iri(name: str, base: str = DEFAULT_BASE) -> URIRef:
    """IRI of a product by a hash of its name (names are Chinese and not IRI-safe): ``ckd:prod-<12 hex>``."""
    return data_iri("prod", digest_id(name), base)


Term = object  # an rdflib or a pyoxigraph term


def national_triples(
    nat: National,
    iri: Callable[[str], Term],
    lit: Callable[[str, str | None, str | None], Term],
    *,
    base: str = DEFAULT_BASE,
) -> Iterator[tuple[Term, Term, Term]]:
    """Yield the triples of ``nat`` with terms made by ``iri(text)`` and ``lit(text, lang, datatype)``.

    The factories let one walk feed rdflib and pyoxigraph alike, without converting terms afterwards.
    """
    P = {name: iri(str(term)) for name, term in _PROPS.items()}
    sw_scheme, prod_scheme = (
        iri(str(data_iri("scheme", "sw2021", base))),
        iri(str(data_iri("scheme", "products", base))),
    )
    concept, scheme, ent = iri(str(SKOS.Concept)), iri(str(SKOS.ConceptScheme)), iri(str(CKG.Enterprise))
    yield sw_scheme, P["type"], scheme
    yield sw_scheme, P["label"], lit("申万行业分类 2021", "zh", None)
    yield prod_scheme, P["type"], scheme
    yield prod_scheme, P["label"], lit("A股主营产品", "zh", None)
    # IRIs as plain text (the data_iri pattern, ``<base><kind>-<id>``): no rdflib term per row
    products = {name: iri(f"{base}prod-{digest_id(name)}") for name in nat.products}
    companies = {c.code: iri(f"{base}co-{c.code}") for c in nat.companies}
    industries = {ind.code: iri(f"{base}sw-{ind.code}") for ind in nat.industries}
    for c in nat.companies:
        node = companies[c.code]
        yield node, P["type"], ent
        yield node, P["label"], lit(c.name, "zh", None)
        yield node, P["legalName"], lit(c.full_name, "zh", None)
        for other in c.other_names:
            yield node, P["altLabel"], lit(other, "zh", None)
        yield node, P["stockCode"], lit(c.stock_code, None, None)
        if c.listed:
            yield node, P["listingDate"], lit(c.listed, None, str(XSD.date))
    for ind in nat.industries:
        node = industries[ind.code]
        yield node, P["type"], concept
        yield node, P["label"], lit(ind.name, "zh", None)
        yield node, P["notation"], lit(ind.code, None, None)
        yield node, P["inScheme"], sw_scheme
        if ind.parent:
            yield node, P["broader"], industries.get(ind.parent) or iri(f"{base}sw-{ind.parent}")
    for name, node in products.items():
        yield node, P["type"], concept
        yield node, P["label"], lit(name, "zh", None)
        yield node, P["inScheme"], prod_scheme
    for r in nat.company_industries:
        yield companies[r.company], P["inIndustry"], industries[r.industry]
    for r in nat.company_products:
        yield companies[r.company], P["produces"], products[r.product]
    for link in nat.product_links:
        prop, flip = LINK_RELS[link.rel]
        a, b = products[link.source], products[link.target]
        yield (b, P[_NAMES[prop]], a) if flip else (a, P[_NAMES[prop]], b)


_PROPS = {
    "type": RDF.type,
    "label": RDFS.label,
    "altLabel": SKOS.altLabel,
    "notation": SKOS.notation,
    "inScheme": SKOS.inScheme,
    "broader": SKOS.broader,
    "legalName": SCHEMA.legalName,
    "stockCode": CKG.stockCode,
    "listingDate": CKG.listingDate,
    "inIndustry": CKG.inIndustry,
    "produces": CKG.produces,
    "upstreamOf": CKG.upstreamOf,
}
_NAMES = {term: name for name, term in _PROPS.items()}


def national_graph(nat: National, *, base: str = DEFAULT_BASE) -> Graph:
    """Return ``nat`` as an rdflib graph with chainkg's prefixes bound."""
    g = new_graph(base)

    def lit(text: str, lang: str | None, datatype: str | None) -> Literal:
        return Literal(text, lang=lang, datatype=URIRef(datatype) if datatype else None)

    for triple in national_triples(nat, URIRef, lit, base=base):
        g.add(triple)  # type: ignore[arg-type]
    return g


def national_ntriples(nat: National, *, base: str = DEFAULT_BASE) -> bytes:
    """The triples of ``nat`` as sorted canonical N-Triples, written in one pass as text (no RDF term objects).

    The bytes equal :func:`graph.fastio.sorted_ntriples` of the store :func:`national_store` fills, so they serve
    as the N-Triples export, as the input of Oxigraph's loader, and as the source of the other formats.
    """
    iris: dict[str, str] = {}

    def iri(text: str) -> str:
        term = iris.get(text)
        if term is None:
            term = iris[text] = f"<{text}>"
        return term

    lines = {f"{s} {p} {o} ." for s, p, o in national_triples(nat, iri, nt_literal, base=base)}
    if not lines:
        return b""
    # sorted as bytes, as graph.fastio.sorted_ntriples sorts (and faster than sorting mixed-width str)
    raw = "\n".join(lines).encode("utf-8").split(b"\n")
    raw.sort()
    return b"\n".join(raw) + b"\n"


def national_store(
    nat: National, store: object | None = None, *, base: str = DEFAULT_BASE, nt: bytes | None = None
) -> object:
    """Load ``nat`` into a pyoxigraph ``Store`` (a new in-memory one by default) and return it.

    The records go to Oxigraph's N-Triples loader as the text of :func:`national_ntriples` (pass ``nt`` when it is
    already made), which is faster than building a Python term per triple.
    """
    import pyoxigraph as ox

    store = ox.Store() if store is None else store
    nt = national_ntriples(nat, base=base) if nt is None else nt
    store.load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())  # type: ignore[attr-defined]
    return store
