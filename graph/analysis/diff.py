"""What changed between two builds: enterprises, projects, status and dates, amounts, placements, gaps, coverage,
anchors' local supply, and (as an appendix) every triple added or removed.

Both sides are rdflib graphs as ``chainkg build`` writes them (:mod:`graph.build.revisions`). The business sections are
read from each graph into a :class:`Snapshot`; the appendix compares the graphs themselves with
:func:`rdflib.compare.graph_diff` on their canonical (isomorphic) forms. The build's own description (dataset,
activity, seeds hash) is left out of the appendix and reported in the header, so two builds of the same knowledge
are equal even when their seed files differ in comments or layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from graph.analysis.gaps import KIND_LABELS, chain_coverage
from graph.analysis.supply import anchor_supply
from graph.rdf.builder import MILESTONE_IRIS, STATUS_IRIS
from graph.seeds.model import MILESTONES, STATUSES
from graph.vocab.labels import local_name
from graph.vocab.namespaces import CKG, SCHEMA, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE
from graph.vocab.units import UNITS

__all__ = ["Snapshot", "Change", "Diff", "snapshot", "compare", "SECTIONS"]

_STATUS = {iri: key for key, iri in STATUS_IRIS.items()}
_MILESTONE = {iri: key for key, iri in MILESTONE_IRIS.items()}
_UNIT = {unit.iri: key for key, unit in UNITS.items()}
_STATE_NAMES = {  # coverage state term -> as the gap reports name it
    "present": "已有 present",
    "presentUnnamed": "已有·未具名 present, no firm named",
    "absent": "确认空白 absent",
    "unknown": "未知 unknown",
}
_BUILD_PREFIXES = ("dataset-", "build-", "seeds-", "software-")  # the build description (graph.build.info)

# Section id -> (zh, en) title, in report order.
SECTIONS: dict[str, tuple[str, str]] = {
    "enterprises": ("企业", "enterprises"),
    "projects": ("项目", "projects"),
    "status": ("项目状态", "project status"),
    "dates": ("项目日期", "project dates"),
    "amounts": ("金额与指标", "amounts and figures"),
    "placements": ("环节归属", "placements"),
    "gaps": ("缺口", "gaps"),
    "states": ("覆盖状态", "coverage states"),
    "coverage": ("覆盖率", "coverage per chain"),
    "anchors": ("链主本地配套", "anchors' local supply"),
}


@dataclass
class Snapshot:
    """The facts of one build that a promotion office follows month by month."""

    labels: dict[str, str] = field(default_factory=dict)
    enterprises: set[str] = field(default_factory=set)
    projects: set[str] = field(default_factory=set)
    status: dict[str, str] = field(default_factory=dict)  # project -> status id
    dates: dict[tuple[str, str], str] = field(default_factory=dict)  # (project, milestone) -> date
    amounts: dict[tuple[str, str, str], str] = field(
        default_factory=dict
    )  # (about, indicator, period) -> "v unit"
    placements: set[tuple[str, str]] = field(default_factory=set)  # (player, segment)
    gaps: dict[str, dict[str, str]] = field(default_factory=dict)  # gap target -> {kind, score, ...}
    gap_stage: dict[str, str] = field(default_factory=dict)  # gap target -> its stage
    states: dict[str, str] = field(default_factory=dict)  # chain, stage or segment -> coverage state
    coverage: dict[str, tuple[int, int]] = field(default_factory=dict)  # chain -> (covered, total)
    anchors: dict[str, tuple[int, int]] = field(default_factory=dict)  # anchor -> (supplied, inputs)
    build: dict[str, str] = field(default_factory=dict)  # as_of, seeds hash, version


@dataclass(frozen=True)
class Change:
    """One row of a report: what changed, on what, before and after.

    ``change`` is ``added``, ``removed`` or ``changed``; gaps are ``opened``, ``closed``, ``changed``, ``merged``
    (a segment gap now inside a whole-stage gap) or ``split`` (the reverse); coverage and anchors also list
    ``same`` rows.
    """

    section: str
    change: str
    id: str
    label: str
    before: str = ""
    after: str = ""


@dataclass
class Diff:
    """The comparison of two builds."""

    old: str
    new: str
    changes: list[Change]
    coverage: list[Change]  # every chain, changed or not (before → after)
    anchors: list[Change]  # every anchor, changed or not
    added: list[str]  # N-Triples lines, sorted
    removed: list[str]
    build: dict[str, tuple[str, str]]  # key -> (old, new)

    @property
    def equal(self) -> bool:
        return not self.changes and not self.added and not self.removed


def _label(g: Graph, node: URIRef) -> str:
    found = list(g.objects(node, RDFS.label)) or list(g.objects(node, SKOS.prefLabel))
    labels = sorted(found, key=lambda lit: (getattr(lit, "language", "") != "zh", str(lit)))
    return str(labels[0]) if labels else local_name(node)


def _lexical(value: object) -> str:
    return str(value) if isinstance(value, Literal) else local_name(str(value))


def snapshot(g: Graph) -> Snapshot:
    """Read the followed facts out of a built graph."""
    s = Snapshot()
    for cls, bucket in ((CKG.Enterprise, s.enterprises), (CKG.InvestmentProject, s.projects)):
        for node in g.subjects(RDF.type, cls):
            bucket.add(local_name(node))
            s.labels[local_name(node)] = _label(g, node)
    for cls in (CKG.IndustryChain, CKG.ChainStage, CKG.ChainSegment, CKG.DevelopmentZone, CKG.Indicator,
                URIRef("http://www.w3.org/2006/time#ProperInterval")):  # fmt: skip
        for node in g.subjects(RDF.type, cls):
            s.labels[local_name(node)] = _label(g, node)
    for node, status in g.subject_objects(CKG.status):
        s.status[local_name(node)] = _STATUS.get(status, local_name(status))
    for iri, milestone in _MILESTONE.items():
        for node, value in g.subject_objects(iri):
            s.dates[(local_name(node), milestone)] = str(value)
    for obs in g.subjects(RDF.type, URIRef("http://purl.org/linked-data/cube#Observation")):
        about, ind = g.value(obs, SCHEMA.observationAbout), g.value(obs, CKG.indicator)
        value, unit = g.value(obs, SDMX_MEASURE.obsValue), g.value(obs, SDMX_ATTR.unitMeasure)
        if about is None or ind is None or value is None:
            continue
        period = g.value(obs, SDMX_DIM.refPeriod)
        key = (local_name(about), local_name(ind), local_name(period) if period else "")
        s.amounts[key] = f"{value} {_UNIT.get(unit, local_name(unit)) if unit else ''}".strip()
    players = s.enterprises | s.projects
    for node, seg in g.subject_objects(CKG.inSegment):
        if local_name(node) in players:
            s.placements.add((local_name(node), local_name(seg)))
    for gap in g.subjects(RDF.type, CKG.Gap):
        target = g.value(gap, CKG.gapSegment) or g.value(gap, CKG.gapStage)
        # kind and score today; any further literal or term on a gap (a state, a priority) is compared too
        record = {
            local_name(p): _lexical(o)
            for p, o in g.predicate_objects(gap)
            if p not in (RDF.type, RDFS.label, CKG.reason, CKG.gapChain, CKG.gapStage, CKG.gapSegment)
        }
        key = local_name(target) if target else local_name(gap)
        s.gaps[key] = record
        stage = g.value(gap, CKG.gapStage)
        if stage is not None:
            s.gap_stage[key] = local_name(stage)
    for node, state in g.subject_objects(CKG.coverageState):
        s.states[local_name(node)] = local_name(state)
    for c in chain_coverage(g):
        s.coverage["chain-" + c.chain] = (c.covered, c.total)
        s.labels.setdefault("chain-" + c.chain, c.chain_label)
    for a in anchor_supply(g):
        s.anchors["org-" + a.anchor] = (a.supplied, a.total)
        s.labels.setdefault("org-" + a.anchor, a.anchor_label)
    for dataset in g.subjects(RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset")):
        activity = g.value(dataset, PROV.wasGeneratedBy)
        seeds = g.value(activity, PROV.used) if activity else None
        agent = g.value(activity, PROV.wasAssociatedWith) if activity else None
        s.build = {
            "as_of": str(g.value(dataset, DCTERMS.modified) or ""),
            "seeds_sha256": str(g.value(seeds, DCTERMS.identifier) or "").removeprefix("sha256:")
            if seeds
            else "",
            "version": str(g.value(agent, DCTERMS.hasVersion) or "") if agent else "",
        }
    return s


def _is_build(node: object) -> bool:
    return isinstance(node, URIRef) and local_name(node).startswith(_BUILD_PREFIXES)


def _knowledge(g: Graph) -> Graph:
    """``g`` without the build's own description (its dataset, activity, seeds and software nodes)."""
    result = Graph()
    for t in g:
        if not _is_build(t[0]):
            result.add(t)
    return result


def _rows(graph: Graph) -> list[str]:
    return sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())


def triple_diff(old: Graph, new: Graph) -> tuple[list[str], list[str]]:
    """Return the N-Triples lines only in ``new`` (added) and only in ``old`` (removed), each sorted."""
    _, only_old, only_new = graph_diff(to_isomorphic(_knowledge(old)), to_isomorphic(_knowledge(new)))
    return _rows(only_new), _rows(only_old)


def _status_text(status: str, dates: dict[tuple[str, str], str], project: str) -> str:
    zh, en = STATUSES.get(status, (status, status))
    when = [f"{MILESTONES[m][0]} {dates[(project, m)]}" for m in MILESTONES if (project, m) in dates]
    return f"{zh} {en}" + (f" ({', '.join(when)})" if when else "")


def _ident(key: object, joint: str = "/") -> str:
    return joint.join(k for k in key if k) if isinstance(key, tuple) else str(key)


def _sets(section: str, old: set, new: set, label) -> list[Change]:
    rows = [Change(section, "added", _ident(key, " → "), label(key)) for key in sorted(new - old)]
    return rows + [Change(section, "removed", _ident(key, " → "), label(key)) for key in sorted(old - new)]


def _gap_text(record: dict[str, str] | None) -> str:
    """``补链 missing · 得分 score 8.0``, then any further attribute (a state, a priority) as ``name=value``."""
    if not record:
        return "—"
    kind = record.get("gapKind", "")
    parts = [f"{KIND_LABELS.get(kind, kind)} {kind}".strip()]
    if "score" in record:
        parts.append(f"得分 score {record['score']}")
    parts += [f"{k}={v}" for k, v in sorted(record.items()) if k not in ("gapKind", "score")]
    return " · ".join(parts)


def _maps(section: str, old: dict, new: dict, label, show) -> list[Change]:
    rows = []
    for key in sorted(set(old) | set(new), key=str):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        change = "added" if a is None else "removed" if b is None else "changed"
        if section == "gaps":
            change = {"added": "opened", "removed": "closed"}.get(change, change)
        rows.append(Change(section, change, _ident(key), label(key), show(key, a), show(key, b)))
    return rows


def _ratio(value: tuple[int, int] | None) -> str:
    if value is None:
        return "—"
    done, total = value
    return f"{done}/{total} ({done / total:.0%})" if total else f"{done}/{total}"


def compare(old: Graph, new: Graph, *, old_name: str = "old", new_name: str = "new") -> Diff:
    """Compare two built graphs (old first) and return every change, Chinese labels as the graphs give them."""
    a, b = snapshot(old), snapshot(new)
    labels = {**a.labels, **b.labels}

    def name(key: object) -> str:
        return (
            labels.get(key, key) if isinstance(key, str) else " · ".join(labels.get(k, k) for k in key if k)
        )

    changes = _sets("enterprises", a.enterprises, b.enterprises, name)
    changes += _sets("projects", a.projects, b.projects, name)
    for p in sorted(a.projects & b.projects):  # an added or removed project is reported as such, not here
        sa, sb = a.status.get(p), b.status.get(p)
        if sa != sb:
            before = _status_text(sa, a.dates, p) if sa else "—"
            after = _status_text(sb, b.dates, p) if sb else "—"
            changes.append(Change("status", "changed", p, name(p), before, after))
    changes += _maps(
        "dates",
        a.dates,
        b.dates,
        lambda k: f"{name(k[0])} {MILESTONES[k[1]][0]} {MILESTONES[k[1]][1]}",
        lambda k, v: v or "—",
    )
    changes += _maps("amounts", a.amounts, b.amounts, name, lambda k, v: v or "—")
    changes += _sets("placements", a.placements, b.placements, lambda k: f"{name(k[0])} → {name(k[1])}")
    for c in _maps("gaps", a.gaps, b.gaps, name, lambda k, v: _gap_text(v)):
        # a segment gap that disappears into (or comes out of) a whole-stage gap was not closed (or opened)
        if c.change == "closed" and a.gap_stage.get(c.id) in b.gaps and a.gap_stage.get(c.id) != c.id:
            c = replace(c, change="merged", after=f"{name(a.gap_stage[c.id])} (整段 whole stage)")
        elif c.change == "opened" and b.gap_stage.get(c.id) in a.gaps and b.gap_stage.get(c.id) != c.id:
            c = replace(c, change="split", before=f"{name(b.gap_stage[c.id])} (整段 whole stage)")
        changes.append(c)
    changes += _maps("states", a.states, b.states, name, lambda k, v: _STATE_NAMES.get(v or "", v or "—"))
    coverage = [
        Change("coverage", "changed" if a.coverage.get(c) != b.coverage.get(c) else "same", c, name(c),
               _ratio(a.coverage.get(c)), _ratio(b.coverage.get(c)))
        for c in sorted(set(a.coverage) | set(b.coverage))
    ]  # fmt: skip
    anchors = [
        Change("anchors", "changed" if a.anchors.get(x) != b.anchors.get(x) else "same", x, name(x),
               _ratio(a.anchors.get(x)), _ratio(b.anchors.get(x)))
        for x in sorted(set(a.anchors) | set(b.anchors))
    ]  # fmt: skip
    changes += [c for c in coverage + anchors if c.change == "changed"]
    added, removed = triple_diff(old, new)
    build = {k: (a.build.get(k, ""), b.build.get(k, "")) for k in ("as_of", "seeds_sha256", "version")}
    return Diff(old_name, new_name, changes, coverage, anchors, added, removed, build)
