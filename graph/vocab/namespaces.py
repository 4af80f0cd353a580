"""Every IRI chainkg writes: the ontology namespace (closed), reused vocabularies, and data IRIs.

The ontology terms live in ``ontology/chainkg.ttl``; :class:`CKG` mirrors them and refuses a misspelt term
(``_fail = True``), so a typo raises instead of minting a new IRI. Data IRIs are made only by :func:`data_iri`.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, QB, RDF, RDFS, SH, SKOS, TIME, XSD, DefinedNamespace

__all__ = [
    "CKG",
    "CKGU",
    "CKD",
    "DEFAULT_BASE",
    "SCHEMA",
    "OA",
    "QUDT",
    "UNIT",
    "CUR",
    "QK",
    "SDMX_DIM",
    "SDMX_MEASURE",
    "SDMX_ATTR",
    "PREFIXES",
    "data_iri",
    "digest_id",
    "is_slug",
]

ONTOLOGY_IRI = "https://w3id.org/chainkg/ontology"
DEFAULT_BASE = "https://w3id.org/chainkg/id/"


class CKG(DefinedNamespace):
    """chainkg ontology terms (``ontology/chainkg.ttl``)."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # classes
    DevelopmentZone: URIRef
    Enterprise: URIRef
    InvestmentProject: URIRef
    IndustryChain: URIRef
    ChainStage: URIRef
    ChainSegment: URIRef
    Indicator: URIRef
    ProjectStatus: URIRef
    Fact: URIRef
    ArticleSpan: URIRef
    SourceNote: URIRef
    NamedSource: URIRef
    Ranking: URIRef
    Honour: URIRef
    Role: URIRef
    Gap: URIRef
    GapKind: URIRef
    Recommendation: URIRef
    CoverageClaim: URIRef
    CoverageState: URIRef
    ClaimKind: URIRef
    FigureQualifier: URIRef
    ValueShare: URIRef
    # chain structure
    nextStage: URIRef
    stageIndex: URIRef
    upstreamOf: URIRef
    upstreamOfTransitive: URIRef
    downstreamOf: URIRef
    feedsBackTo: URIRef
    keyword: URIRef
    excludeKeyword: URIRef
    gbt4754Code: URIRef
    valueShare: URIRef
    sharePercent: URIRef
    shareOf: URIRef
    # coverage: what sources say the zone has (see docs/gaps.md)
    claimKind: URIRef
    covers: URIRef
    basis: URIRef
    coverageState: URIRef
    settledBy: URIRef
    # enterprises, projects, places, people
    inSegment: URIRef
    investor: URIRef
    status: URIRef
    signingDate: URIRef
    constructionStart: URIRef
    productionStart: URIRef
    projectSite: URIRef
    isAnchor: URIRef
    anchorRule: URIRef
    placementRule: URIRef
    stockCode: URIRef
    # national dataset (docs/scaling.md)
    listingDate: URIRef
    inIndustry: URIRef
    produces: URIRef
    unplacedReason: URIRef
    roleTitle: URIRef
    awardedTo: URIRef
    reviewed: URIRef
    # figures
    indicator: URIRef
    approximate: URIRef
    qualifier: URIRef
    rankOf: URIRef
    rankScope: URIRef
    rankPosition: URIRef
    # provenance
    asOf: URIRef
    sourceKind: URIRef
    # gaps and recommendations
    gapKind: URIRef
    gapSegment: URIRef
    gapStage: URIRef
    gapChain: URIRef
    score: URIRef
    reason: URIRef
    forGap: URIRef
    candidate: URIRef
    rank: URIRef
    # individuals
    statusScheme: URIRef
    signed: URIRef
    underConstruction: URIRef
    inProduction: URIRef
    gapKindScheme: URIRef
    missing: URIRef
    weak: URIRef
    extend: URIRef
    verify: URIRef
    coverageScheme: URIRef
    present: URIRef
    presentUnnamed: URIRef
    absent: URIRef
    unknown: URIRef
    claimKindScheme: URIRef
    claimsPresence: URIRef
    claimsComplete: URIRef
    qualifierScheme: URIRef
    lowerBound: URIRef
    moreThan: URIRef
    approximately: URIRef
    planned: URIRef
    forecast: URIRef


CKGU = Namespace("https://w3id.org/chainkg/unit/")
CKD = Namespace(DEFAULT_BASE)
# schema.org always as https (rdflib's SDO); mixing http and https would split the graph (ontology notes).
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
CUR = Namespace("http://qudt.org/vocab/currency/")
QK = Namespace("http://qudt.org/vocab/quantitykind/")
SDMX_DIM = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTR = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")

# Prefix -> namespace, bound on every graph chainkg writes and offered to every SPARQL query.
PREFIXES: dict[str, str] = {
    "ckg": str(CKG._NS),
    "ckd": DEFAULT_BASE,
    "ckgu": str(CKGU),
    "schema": str(SCHEMA),
    "oa": str(OA),
    "qudt": str(QUDT),
    "unit": str(UNIT),
    "cur": str(CUR),
    "qk": str(QK),
    "sdmx-dimension": str(SDMX_DIM),
    "sdmx-measure": str(SDMX_MEASURE),
    "sdmx-attribute": str(SDMX_ATTR),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "org": str(ORG),
    "prov": str(PROV),
    "qb": str(QB),
    "time": str(TIME),
    "dcterms": str(DCTERMS),
    "sh": str(SH),
}

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def is_slug(value: str) -> bool:
    """Tell whether ``value`` is a valid seed id: lower-case ASCII letters, digits and hyphens.

    Example:
        >>> is_slug("liion-cathode"), is_slug("Liion"), is_slug("a/b")
        (True, False, False)
    """
    return bool(_SLUG.match(value))


def data_iri(kind: str, ident: str, base: str = DEFAULT_BASE) -> URIRef:
    """Return the data IRI of a seed entity: ``<base><kind>-<ident>``.

    Flat ASCII local names keep prefixed names valid Turtle (a ``/`` in one is a syntax error).

    Example:
        >>> str(data_iri("org", "jinko"))
        'https://w3id.org/chainkg/id/org-jinko'
    """
    return URIRef(f"{base}{kind}-{ident}")


def digest_id(*parts: object) -> str:
    """Return a short stable hash of ``parts``, for ids of derived nodes (facts, evidence).

    Example:
        >>> digest_id("a", 1) == digest_id("a", 1), len(digest_id("a"))
        (True, 12)
    """
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
