"""gaps-segments and gaps-extend equal the gap rules on seeded synthetic zones that reach every branch of the rules.

The zones are made here, triple by triple, in the shape ``chainkg build`` writes: three chains (two with a complete
roster, one without), present / present-unnamed (by a claim on a segment or on a stage) / absent / unknown
segments, segments declared the same or overlapping (``skos:exactMatch`` / ``skos:closeMatch``, written in either
direction), recycling edges, projects with each status folded into a local investor or its parent group, firms
outside the zone, anchors, value shares, empty end stages (extend) and an empty middle stage (missing).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import XSD, Graph, Literal
from rdflib.namespace import ORG, RDF, RDFS, SKOS

from graph.analysis.digraph import to_digraph
from graph.analysis.gaps import find_coverage, find_gaps
from graph.sparql.engine import run_query
from graph.sparql.engines import engine_for
from graph.vocab.namespaces import CKG, SCHEMA, data_iri

QUERIES = Path(__file__).resolve().parent.parent / "graph" / "sparql" / "queries"
STATUSES = (CKG.signed, CKG.underConstruction, CKG.inProduction, None)
# chain → (complete roster, stages left empty at the ends, an empty middle stage)
CHAINS = {"ca": (True, (0, 4), 2), "cb": (False, (4,), 2), "cc": (True, (), None)}


def _zone(seed: int) -> Graph:
    """A seeded synthetic zone (see the module docstring); every project has one candidate owner at most."""
    rng = random.Random(seed)
    g = Graph()

    def add(s, p, o):
        g.add((s, p, o))

    def label(node, text):
        add(node, RDFS.label, Literal(text, lang="zh"))

    zone = data_iri("zone", "z")
    add(zone, RDF.type, CKG.DevelopmentZone)
    segments: dict[str, list[list]] = {}
    for c, (complete, _ends, _middle) in CHAINS.items():
        chain = data_iri("chain", c)
        add(chain, RDF.type, CKG.IndustryChain)
        label(chain, f"链{c}")
        if complete:
            roster = data_iri("claim", f"{c}-roster")
            add(roster, RDF.type, CKG.CoverageClaim)
            add(roster, CKG.claimKind, CKG.claimsComplete)
            add(roster, SKOS.inScheme, chain)
        stages = []
        for s in range(5):
            stage = data_iri("stage", f"{c}-s{s}")
            add(stage, RDF.type, CKG.ChainStage)
            add(stage, SKOS.topConceptOf, chain)
            add(stage, CKG.stageIndex, Literal(s + 1, datatype=XSD.positiveInteger))
            label(stage, f"环节{c}{s}")
            segs = []
            for k in range(3):
                seg = data_iri("seg", f"{c}-s{s}-k{k}")
                add(seg, RDF.type, CKG.ChainSegment)
                add(seg, SKOS.broader, stage)
                add(seg, SKOS.inScheme, chain)
                label(seg, f"细分{c}{s}{k}")
                if rng.random() < 0.3:
                    share = data_iri("share", f"{c}-s{s}-k{k}")
                    add(seg, CKG.valueShare, share)
                    add(share, CKG.sharePercent, Literal(str(rng.randint(1, 40)), datatype=XSD.decimal))
                segs.append(seg)
            for seg in segs:
                for up in rng.sample(stages[-1], 2) if stages else []:
                    add(up, CKG.upstreamOf, seg)
            stages.append(segs)
        add(stages[-1][0], CKG.feedsBackTo, stages[0][1])  # recycling
        segments[c] = stages
    # same and overlapping segments across chains, written in either direction
    for a, b, prop in (
        ("ca", "cb", SKOS.exactMatch),
        ("cb", "cc", SKOS.closeMatch),
        ("cc", "ca", SKOS.exactMatch),
    ):
        for s in (1, 3):
            add(segments[a][s][rng.randrange(3)], prop, segments[b][s][rng.randrange(3)])
    # a claim that the zone has a segment, one that it has a whole stage (no firm named in either)
    for n, (node, covers) in enumerate(
        (
            (data_iri("claim", "cb-seg"), segments["cb"][2][0]),
            (data_iri("claim", "cc-stage"), data_iri("stage", "cc-s2")),
        )
    ):
        add(node, RDF.type, CKG.CoverageClaim)
        add(node, CKG.claimKind, CKG.claimsPresence)
        add(node, SKOS.inScheme, data_iri("chain", ("cb", "cc")[n]))
        add(node, CKG.covers, covers)
    held = [
        seg
        for c, (_, ends, middle) in CHAINS.items()
        for s, segs in enumerate(segments[c])
        if s not in ends and s != middle
        for seg in segs
        if rng.random() < 0.75
    ]
    # enterprises: local ones (a site) and outside ones; groups with one subsidiary per segment
    local: dict[object, list] = {seg: [] for seg in held}
    for n in range(40):
        firm = data_iri("org", f"e{n}")
        add(firm, RDF.type, CKG.Enterprise)
        label(firm, f"企业{n}")
        seg = rng.choice(held)
        add(firm, CKG.inSegment, seg)
        if rng.random() < 0.75:
            site = data_iri("site", f"e{n}")
            add(firm, ORG.hasSite, site)
            add(site, SCHEMA.containedInPlace, zone)
            local[seg].append(firm)
            if rng.random() < 0.15:
                add(firm, CKG.isAnchor, Literal(True))
            if rng.random() < 0.2:  # also makes the segment just downstream, where it is no buyer of its own
                down = sorted(g.objects(seg, CKG.upstreamOf))
                if down:
                    add(firm, CKG.inSegment, down[0])
        if rng.random() < 0.3:
            group = data_iri("org", f"g{n}")
            add(group, RDF.type, CKG.Enterprise)
            label(group, f"集团{n}")
            add(firm, ORG.subOrganizationOf, group)
    for n in range(30):
        project = data_iri("proj", f"p{n}")
        add(project, RDF.type, CKG.InvestmentProject)
        label(project, f"项目{n}")
        add(project, CKG.projectSite, zone)
        seg = rng.choice(held)
        add(project, CKG.inSegment, seg)
        status = rng.choice(STATUSES)
        if status is not None:
            add(project, CKG.status, status)
        owners = local[seg]
        choice = rng.random()
        if owners and choice < 0.3:  # a local enterprise of its segment invests: folds into it
            add(project, CKG.investor, owners[0])
        elif owners and choice < 0.5:  # the local enterprise's parent group invests: folds into it too
            parent = next(iter(g.objects(owners[0], ORG.subOrganizationOf)), None)
            if parent is not None and all(
                other == owners[0] or (other, ORG.subOrganizationOf, parent) not in g for other in owners
            ):
                add(project, CKG.investor, parent)
        elif choice < 0.7:  # any enterprise invests (mostly one elsewhere: the project is a firm of its own)
            add(project, CKG.investor, data_iri("org", f"e{rng.randrange(40)}"))
    return g


def _local(iri) -> str:
    return str(iri).rsplit("/", 1)[-1].split("-", 1)[1]


def _rows(g: Graph, engine: str) -> list[tuple]:
    rows = []
    for name in ("gaps-segments", "gaps-extend"):
        text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
        result = engine_for(g, "oxigraph").query(text) if engine == "oxigraph" else run_query(g, text)
        for r in result.dicts():
            rows.append(
                (round(-float(r["score"]), 2), _local(r["chain"]), int(r["stageIndex"]),
                 _local(r["segment"]) if "segment" in r else "", str(r["kind"]), _local(r["stage"]),
                 str(r.get("state", "")))
            )  # fmt: skip
    return sorted(rows)


@pytest.fixture(scope="module", params=[1, 5])
def zone(request):
    return _zone(request.param)


@pytest.fixture(scope="module")
def expected(zone):
    return sorted(
        (round(-g.score, 2), g.chain, g.stage_index, g.segment, g.kind, g.stage, g.state if g.segment else "")
        for g in find_gaps(to_digraph(zone))
    )


def test_the_zone_reaches_every_branch(zone, expected):
    """What the comparison below rests on: every kind, segment and stage verify, every coverage state."""
    gaps = find_gaps(to_digraph(zone))
    kinds = {(g.kind, bool(g.segment)) for g in gaps}
    assert {
        ("missing", True),
        ("weak", True),
        ("extend", False),
        ("verify", True),
        ("verify", False),
    } <= kinds
    assert {g.state for g in gaps if g.segment} == {"present", "absent", "unknown"}
    assert any(g.anchors for g in gaps) and any(g.buyers for g in gaps)
    # a weak segment with more than one player: a firm with its folded projects, or only projects not producing
    assert any(len(g.players) > 1 for g in gaps if g.kind == "weak")
    # a claimed segment with no firm named is present-unnamed, never a gap; it makes its stage seen, so the
    # stage's other segments are verified one by one, not as a whole stage
    assert find_coverage(to_digraph(zone))["cb-s2-k0"].state == "present-unnamed"
    assert not [g for g in gaps if g.segment == "cb-s2-k0"]
    assert {g.kind for g in gaps if g.stage == "cb-s2"} == {"verify"} and all(
        g.segment for g in gaps if g.stage == "cb-s2"
    )


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_queries_equal_the_rules(zone, expected, engine):
    assert _rows(zone, engine) == expected


def _group_fold_zone() -> Graph:
    """One segment held by a local enterprise of a group and a producing project the group invests in: one firm.

    gaps-segments first drops segments that hold a producing firm and a second one; a project that folds into a
    local enterprise through its parent group (``ckg:investor`` the group, ``org:subOrganizationOf`` it) is no
    second firm, whichever of the two that test looks at first.
    """
    g = Graph()
    zone, chain, stage = data_iri("zone", "g"), data_iri("chain", "cg"), data_iri("stage", "cg-s0")
    g.add((zone, RDF.type, CKG.DevelopmentZone))
    g.add((chain, RDF.type, CKG.IndustryChain))
    g.add((chain, RDFS.label, Literal("链cg", lang="zh")))
    g.add((stage, RDF.type, CKG.ChainStage))
    g.add((stage, SKOS.topConceptOf, chain))
    g.add((stage, CKG.stageIndex, Literal(1, datatype=XSD.positiveInteger)))
    g.add((stage, RDFS.label, Literal("环节cg0", lang="zh")))
    for k in range(2):
        seg = data_iri("seg", f"cg-s0-k{k}")
        g.add((seg, RDF.type, CKG.ChainSegment))
        g.add((seg, SKOS.broader, stage))
        g.add((seg, SKOS.inScheme, chain))
        g.add((seg, RDFS.label, Literal(f"细分cg0{k}", lang="zh")))
    seg = data_iri("seg", "cg-s0-k0")
    firm, group, project = data_iri("org", "e0"), data_iri("org", "g0"), data_iri("proj", "p0")
    for node, cls, text in ((firm, CKG.Enterprise, "企业0"), (group, CKG.Enterprise, "集团0")):
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(text, lang="zh")))
    g.add((firm, CKG.inSegment, seg))
    g.add((firm, ORG.hasSite, data_iri("site", "e0")))
    g.add((firm, ORG.subOrganizationOf, group))
    g.add((project, RDF.type, CKG.InvestmentProject))
    g.add((project, RDFS.label, Literal("项目0", lang="zh")))
    g.add((project, CKG.inSegment, seg))
    g.add((project, CKG.projectSite, zone))
    g.add((project, CKG.status, CKG.inProduction))
    g.add((project, CKG.investor, group))
    return g


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_project_of_the_group_is_no_second_firm(engine):
    g = _group_fold_zone()
    gaps = find_gaps(to_digraph(g))
    weak = [x for x in gaps if x.kind == "weak"]
    # one firm (the enterprise, with the project folded in), two players
    assert [(x.segment, x.players) for x in weak] == [("cg-s0-k0", ("企业0", "项目0"))]
    expected = sorted(
        (round(-x.score, 2), x.chain, x.stage_index, x.segment, x.kind, x.stage, x.state if x.segment else "")
        for x in gaps
    )
    assert _rows(g, engine) == expected
