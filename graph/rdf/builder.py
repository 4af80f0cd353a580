"""Build the RDF knowledge graph from checked seeds (pure: no I/O).

Facts are plain asserted triples; each sourced one also gets a ``ckg:Fact`` statement node that points with
``prov:wasDerivedFrom`` at its evidence: an article span (text-quote and text-position selectors) or a named source
with a note. Every figure is a ``qb:Observation`` pointing at its evidence directly. No blank nodes are made, so the
same seeds always serialise to the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDF, RDFS, SKOS, TIME, XSD

from graph.seeds.model import Evidence, Seeds
from graph.vocab.dates import date_literal
from graph.vocab.namespaces import (
    CKG,
    DEFAULT_BASE,
    OA,
    PREFIXES,
    SCHEMA,
    SDMX_ATTR,
    SDMX_DIM,
    SDMX_MEASURE,
    data_iri,
    digest_id,
)
from graph.vocab.units import UNITS

__all__ = [
    "build_graph",
    "new_graph",
    "STATUS_IRIS",
    "MILESTONE_IRIS",
    "CLAIM_KIND_IRIS",
    "QUALIFIER_IRIS",
    "lang_of",
    "decimal_lexical",
]

STATUS_IRIS = {
    "signed": CKG.signed,
    "under_construction": CKG.underConstruction,
    "in_production": CKG.inProduction,
}
MILESTONE_IRIS = {
    "signed": CKG.signingDate,
    "started": CKG.constructionStart,
    "in_production": CKG.productionStart,
}
CLAIM_KIND_IRIS = {"present": CKG.claimsPresence, "complete": CKG.claimsComplete}
QUALIFIER_IRIS = {
    "lower-bound": CKG.lowerBound,
    "more-than": CKG.moreThan,
    "approx": CKG.approximately,
    "planned": CKG.planned,
    "forecast": CKG.forecast,
}
CONTEXT_CHARS = 12  # characters of oa:prefix / oa:suffix around a quote


def decimal_lexical(value: Decimal) -> str:
    """Return the canonical ``xsd:decimal`` form, so Turtle's ``42.0`` shorthand reads back as the same literal.

    Example:
        >>> decimal_lexical(Decimal("42")), decimal_lexical(Decimal("1668.60")), decimal_lexical(Decimal("1E+2"))
        ('42.0', '1668.6', '100.0')
    """
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


def lang_of(text: str) -> str:
    """Return ``"zh"`` when ``text`` has a CJK character, else ``"en"`` (for alias labels).

    Example:
        >>> lang_of("晶科"), lang_of("JinkoSolar")
        ('zh', 'en')
    """
    return "zh" if any("\u3400" <= ch <= "\u9fff" for ch in text) else "en"


def new_graph(base: str = DEFAULT_BASE) -> Graph:
    """Return an empty graph with chainkg's prefixes bound (``ckd:`` to ``base``)."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns if prefix != "ckd" else base, override=True, replace=True)
    return g


class _Builder:
    def __init__(self, seeds: Seeds, base: str) -> None:
        self.seeds = seeds
        self.base = base
        self.g = new_graph(base)
        self.articles = {a.id: a for a in seeds.articles}
        self.kinds: dict[str, str] = {}  # seed id -> IRI kind prefix
        for kind, items in (
            ("zone", [seeds.zone] if seeds.zone else []),
            ("place", seeds.places),
            ("org", seeds.enterprises),
            ("proj", seeds.projects),
            ("person", seeds.people),
            ("chain", seeds.chains),
            ("stage", seeds.stages),
            ("seg", seeds.segments),
            ("period", seeds.periods),
            ("ind", seeds.indicators),
            ("obs", seeds.observations),
            ("honour", seeds.honours),
            ("src", seeds.sources),
            ("claim", seeds.claims),
            ("doc", seeds.articles),
        ):
            for item in items:
                self.kinds[item.id] = kind

    def iri(self, ident: str) -> URIRef:
        return data_iri(self.kinds[ident], ident, self.base)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.g.add((s, p, o))

    def labels(self, node: URIRef, name: str, name_en: str | None, prop: URIRef = RDFS.label) -> None:
        self.add(node, prop, Literal(name, lang="zh"))
        if name_en:
            self.add(node, prop, Literal(name_en, lang="en"))

    # -- provenance ---------------------------------------------------------------------------------------
    def evidence(self, ev: Evidence) -> URIRef:
        if ev.doc is not None:
            node = data_iri("ev", digest_id(ev.doc, ev.start, ev.end), self.base)
            text = self.articles[ev.doc].text
            quote_sel, pos_sel = URIRef(f"{node}-quote"), URIRef(f"{node}-pos")
            self.add(node, RDF.type, CKG.ArticleSpan)
            self.add(node, RDF.type, OA.SpecificResource)
            self.add(node, OA.hasSource, self.iri(ev.doc))
            self.add(node, OA.hasSelector, quote_sel)
            self.add(node, OA.hasSelector, pos_sel)
            self.add(quote_sel, RDF.type, OA.TextQuoteSelector)
            self.add(quote_sel, OA.exact, Literal(ev.quote))
            prefix = text[max(0, ev.start - CONTEXT_CHARS) : ev.start]
            suffix = text[ev.end : ev.end + CONTEXT_CHARS]
            if prefix:
                self.add(quote_sel, OA.prefix, Literal(prefix))
            if suffix:
                self.add(quote_sel, OA.suffix, Literal(suffix))
            self.add(pos_sel, RDF.type, OA.TextPositionSelector)
            self.add(pos_sel, OA.start, Literal(ev.start, datatype=XSD.nonNegativeInteger))
            self.add(pos_sel, OA.end, Literal(ev.end, datatype=XSD.nonNegativeInteger))
            return node
        node = data_iri("ev", digest_id(ev.source, ev.note), self.base)
        self.add(node, RDF.type, CKG.SourceNote)
        self.add(node, RDF.type, OA.SpecificResource)
        self.add(node, OA.hasSource, self.iri(str(ev.source)))
        if ev.note:
            self.add(node, RDFS.comment, Literal(ev.note))
        return node

    def fact(self, s: URIRef, p: URIRef, o: URIRef | Literal, evidence: Iterable[Evidence]) -> None:
        """Assert ``(s, p, o)`` and, when it has evidence, a ``ckg:Fact`` statement node about it."""
        self.add(s, p, o)
        evidence = tuple(evidence)
        if not evidence:
            return
        fact = data_iri("fact", digest_id(s, p, o), self.base)
        self.add(fact, RDF.type, CKG.Fact)
        self.add(fact, RDF.subject, s)
        self.add(fact, RDF.predicate, p)
        self.add(fact, RDF.object, o)
        for ev in evidence:
            self.add(fact, PROV.wasDerivedFrom, self.evidence(ev))

    def derived(self, node: URIRef, evidence: Iterable[Evidence]) -> None:
        for ev in evidence:
            self.add(node, PROV.wasDerivedFrom, self.evidence(ev))

    # -- sections -------------------------------------------------------------------------------------------
    def documents(self) -> None:
        for a in self.seeds.articles:
            doc = self.iri(a.id)
            self.add(doc, RDF.type, SCHEMA.NewsArticle)
            self.add(doc, SCHEMA.headline, Literal(a.title, lang="zh"))
            for name in a.authors:
                self.add(doc, SCHEMA.author, Literal(name, lang="zh"))
            for name in a.photographers:
                self.add(doc, SCHEMA.contributor, Literal(name, lang="zh"))
            if a.issued:
                dtype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}.get(len(a.issued), XSD.string)
                self.add(doc, DCTERMS.issued, Literal(a.issued, datatype=dtype))
            if a.issued_note:
                self.add(doc, RDFS.comment, Literal(f"issued: {a.issued_note}"))
            if a.origin:
                self.add(doc, DCTERMS.source, Literal(a.origin))
            self.add(doc, SCHEMA.text, Literal(a.text))
        for s in self.seeds.sources:
            node = self.iri(s.id)
            self.add(node, RDF.type, CKG.NamedSource)
            self.add(node, RDFS.label, Literal(s.name, lang=lang_of(s.name)))
            self.add(node, CKG.sourceKind, Literal(s.kind))
            if s.cited_in:
                self.add(node, DCTERMS.source, Literal(s.cited_in))
            if s.detail:
                self.add(node, RDFS.comment, Literal(s.detail))
            if s.date:
                self.add(node, DCTERMS.issued, date_literal(s.date))

    def chains(self) -> None:
        seeds = self.seeds
        for chain in seeds.chains:
            node = self.iri(chain.id)
            self.add(node, RDF.type, CKG.IndustryChain)
            self.add(node, RDF.type, SKOS.ConceptScheme)
            self.labels(node, chain.name, chain.name_en, SKOS.prefLabel)
            self.labels(node, chain.name, chain.name_en)
            self.derived(node, chain.evidence + chain.sources)
        stages = {s.id: s for s in seeds.stages}
        for st in seeds.stages:
            node, chain = self.iri(st.id), self.iri(st.chain)
            self.add(node, RDF.type, CKG.ChainStage)
            self.labels(node, st.name, st.name_en, SKOS.prefLabel)
            self.labels(node, st.name, st.name_en)
            self.add(node, SKOS.topConceptOf, chain)
            self.add(node, SKOS.inScheme, chain)
            self.add(chain, SKOS.hasTopConcept, node)
            self.add(node, CKG.stageIndex, Literal(st.index, datatype=XSD.positiveInteger))
        for chain in seeds.chains:
            for a, b in zip(chain.stages, chain.stages[1:], strict=False):
                if a in stages and b in stages:
                    self.add(self.iri(a), CKG.nextStage, self.iri(b))
        for seg in seeds.segments:
            node = self.iri(seg.id)
            self.add(node, RDF.type, CKG.ChainSegment)
            self.labels(node, seg.name, seg.name_en, SKOS.prefLabel)
            self.labels(node, seg.name, seg.name_en)
            self.add(node, SKOS.broader, self.iri(seg.stage))
            self.add(node, SKOS.inScheme, self.iri(seg.chain))
            for word in seg.keywords:
                self.add(node, CKG.keyword, Literal(word, lang=lang_of(word)))
            if seg.gbt4754:
                self.add(node, CKG.gbt4754Code, Literal(seg.gbt4754))
            for word in seg.exclude:
                self.add(node, CKG.excludeKeyword, Literal(word, lang=lang_of(word)))
            for other in seg.same_as:
                self.add(node, SKOS.exactMatch, self.iri(other))
            for other in seg.overlaps:
                self.add(node, SKOS.closeMatch, self.iri(other))
            if seg.value_share:
                share = data_iri("share", seg.id, self.base)
                self.add(node, CKG.valueShare, share)
                self.add(share, RDF.type, CKG.ValueShare)
                self.add(
                    share,
                    CKG.sharePercent,
                    Literal(decimal_lexical(seg.value_share.percent), datatype=XSD.decimal),
                )
                self.add(share, CKG.shareOf, Literal(seg.value_share.of, lang="zh"))
                if seg.value_share.text:
                    self.add(share, RDFS.label, Literal(seg.value_share.text))
                self.derived(share, seg.value_share.evidence)
        for edge in seeds.edges:
            prop = CKG.feedsBackTo if edge.feedback else CKG.upstreamOf
            self.add(self.iri(edge.up), prop, self.iri(edge.down))

    def places(self) -> None:
        zone = self.seeds.zone
        if zone:
            node = self.iri(zone.id)
            self.add(node, RDF.type, CKG.DevelopmentZone)
            self.fact(node, RDFS.label, Literal(zone.name, lang="zh"), zone.evidence)
            if zone.name_en:
                self.add(node, RDFS.label, Literal(zone.name_en, lang="en"))
            if zone.name_full:
                self.add(node, SKOS.altLabel, Literal(zone.name_full, lang="zh"))
        for place in self.seeds.places:
            node = self.iri(place.id)
            self.add(node, RDF.type, SCHEMA.Place)
            self.labels(node, place.name, place.name_en)
            self.fact(node, SCHEMA.containedInPlace, self.iri(place.within), place.evidence)

    def organisations(self) -> None:
        zone = self.seeds.zone
        for e in self.seeds.enterprises:
            node = self.iri(e.id)
            self.add(node, RDF.type, CKG.Enterprise)
            self.fact(node, RDFS.label, Literal(e.name, lang="zh"), e.evidence)
            if e.name_en:
                self.add(node, RDFS.label, Literal(e.name_en, lang="en"))
            if e.name_full:
                self.add(node, SCHEMA.legalName, Literal(e.name_full, lang=lang_of(e.name_full)))
            for alias in e.aliases:
                self.add(node, SKOS.altLabel, Literal(alias, lang=lang_of(alias)))
            if e.anchor:
                self.fact(node, CKG.isAnchor, Literal(True), e.anchor_evidence)
                if e.anchor_rule:
                    self.add(node, CKG.anchorRule, Literal(e.anchor_rule, lang=lang_of(e.anchor_rule)))
            for kind, code in e.codes:
                self.add(node, CKG.stockCode if kind == "stock" else SCHEMA.identifier, Literal(code))
            if e.parent:
                self.add(node, ORG.subOrganizationOf, self.iri(e.parent))
            if e.in_zone and zone:
                site = data_iri("site", e.id, self.base)
                self.add(site, RDF.type, ORG.Site)
                # the site is named by where it is (落户园区 reads 上饶经开区, not the firm's own name)
                where = next((p.name for p in self.seeds.places if p.id == e.place), zone.name)
                self.add(site, RDFS.label, Literal(where, lang="zh"))
                self.add(site, SCHEMA.containedInPlace, self.iri(e.place or zone.id))
                self.fact(node, ORG.hasSite, site, e.evidence)
            for p in e.segments:
                self.fact(node, CKG.inSegment, self.iri(p.segment), p.evidence)
                if p.rule:  # rule-made until reviewed: the fact says which rule
                    fact = data_iri("fact", digest_id(node, CKG.inSegment, self.iri(p.segment)), self.base)
                    self.add(fact, CKG.placementRule, Literal(p.rule, lang=lang_of(p.rule)))
            if e.unplaced:
                self.add(node, CKG.unplacedReason, Literal(e.unplaced))
            if not e.reviewed:
                self.add(node, CKG.reviewed, Literal(False))
        for p in self.seeds.projects:
            node = self.iri(p.id)
            self.add(node, RDF.type, CKG.InvestmentProject)
            self.fact(node, RDFS.label, Literal(p.name, lang="zh"), p.evidence)
            if p.name_en:
                self.add(node, RDFS.label, Literal(p.name_en, lang="en"))
            for alias in p.aliases:
                self.add(node, SKOS.altLabel, Literal(alias, lang=lang_of(alias)))
            if zone:
                self.fact(node, CKG.projectSite, self.iri(p.place or zone.id), p.evidence if p.place else ())
            for link in p.investors:
                self.fact(node, CKG.investor, self.iri(link.target), link.evidence)
            if p.status:
                self.fact(node, CKG.status, STATUS_IRIS[p.status], p.status_evidence)
            for when in p.dates:
                self.fact(node, MILESTONE_IRIS[when.milestone], date_literal(when.value), when.evidence)
            for pl in p.segments:
                self.fact(node, CKG.inSegment, self.iri(pl.segment), pl.evidence)
            if p.unplaced:
                self.add(node, CKG.unplacedReason, Literal(p.unplaced))
            if not p.reviewed:
                self.add(node, CKG.reviewed, Literal(False))

    def people(self) -> None:
        for person in self.seeds.people:
            node = self.iri(person.id)
            self.add(node, RDF.type, SCHEMA.Person)
            self.labels(node, person.name, person.name_en)
            for i, role in enumerate(person.roles, start=1):
                membership = data_iri("role", f"{person.id}-{i}", self.base)
                self.add(membership, RDF.type, CKG.Role)
                self.add(membership, ORG.member, node)
                if role.org:
                    self.add(membership, ORG.organization, self.iri(role.org))
                self.fact(membership, CKG.roleTitle, Literal(role.title, lang="zh"), role.evidence)

    def figures(self) -> None:
        for period in self.seeds.periods:
            node = self.iri(period.id)
            self.add(node, RDF.type, TIME.ProperInterval)
            self.add(node, RDFS.label, Literal(period.name, lang="zh"))
            for prop, suffix, day in (
                (TIME.hasBeginning, "begin", period.begin),
                (TIME.hasEnd, "end", period.end),
            ):
                instant = URIRef(f"{node}-{suffix}")
                self.add(node, prop, instant)
                self.add(instant, RDF.type, TIME.Instant)
                self.add(instant, TIME.inXSDDate, Literal(day, datatype=XSD.date))
            if period.note:
                self.add(node, RDFS.comment, Literal(period.note))
            self.derived(node, period.evidence)
        for ind in self.seeds.indicators:
            node = self.iri(ind.id)
            self.add(node, RDF.type, CKG.Indicator)
            self.labels(node, ind.name, ind.name_en, SKOS.prefLabel)
        for obs in self.seeds.observations:
            node = self.iri(obs.id)
            self.add(node, RDF.type, QB.Observation)
            self.add(node, SCHEMA.observationAbout, self.iri(obs.about))
            self.add(node, CKG.indicator, self.iri(obs.indicator))
            self.add(node, SDMX_MEASURE.obsValue, Literal(decimal_lexical(obs.value), datatype=XSD.decimal))
            self.add(node, SDMX_ATTR.unitMeasure, UNITS[obs.unit].iri)
            if obs.period:
                self.add(node, SDMX_DIM.refPeriod, self.iri(obs.period))
            for qualifier in obs.qualifiers:
                self.add(node, CKG.qualifier, QUALIFIER_IRIS[qualifier])
            # kept for readers of the older term: true only for 约/近 (an approximation)
            if "approx" in obs.qualifiers:
                self.add(node, CKG.approximate, Literal(True))
            self.derived(node, obs.evidence)
            for i, rank in enumerate(obs.ranks, start=1):
                rnode = data_iri("rank", f"{obs.id}-{i}", self.base)
                self.add(rnode, RDF.type, CKG.Ranking)
                self.add(rnode, CKG.rankOf, node)
                self.add(rnode, CKG.rankScope, Literal(rank.scope, lang="zh"))
                self.add(rnode, CKG.rankPosition, Literal(rank.position, datatype=XSD.positiveInteger))
                self.derived(rnode, rank.evidence)
        for honour in self.seeds.honours:
            node = self.iri(honour.id)
            self.add(node, RDF.type, CKG.Honour)
            self.labels(node, honour.name, honour.name_en)
            self.fact(node, CKG.awardedTo, self.iri(honour.recipient), honour.evidence)

    def claims(self) -> None:
        for claim in self.seeds.claims:
            node = self.iri(claim.id)
            self.add(node, RDF.type, CKG.CoverageClaim)
            self.add(node, CKG.claimKind, CLAIM_KIND_IRIS[claim.kind])
            self.add(node, SKOS.inScheme, self.iri(claim.chain))
            for target in claim.covers:
                self.add(node, CKG.covers, self.iri(target))
            self.add(node, CKG.basis, Literal(claim.basis, lang=lang_of(claim.basis)))
            self.derived(node, claim.evidence)


def build_graph(seeds: Seeds, *, base: str = DEFAULT_BASE) -> Graph:
    """Return the knowledge graph of ``seeds``.

    Args:
        seeds: checked seeds from :func:`graph.seeds.load.load_seeds`.
        base: the data IRI base; ``ckd:`` is bound to it.

    Returns:
        An rdflib graph with chainkg's prefixes bound and no blank nodes.
    """
    b = _Builder(seeds, base)
    b.documents()
    b.chains()
    b.places()
    b.organisations()
    b.people()
    b.figures()
    b.claims()
    return b.g
