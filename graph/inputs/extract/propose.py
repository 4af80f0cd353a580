"""Read a Chinese zone report and propose seeds: enterprises, projects, figures, statuses and chain segments.

Rule-based and offline (the rules are in :mod:`graph.inputs.extract.rules`). Every proposal carries its quote and code-point
offsets and ``reviewed: false``; a name that matches an existing seed says ``same_as: <id>`` instead of becoming a
second node. :func:`extract` is pure; :func:`dumps_proposals` renders the YAML that ``chainkg extract`` writes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from graph.inputs.extract.figures import Figure, describe_figures, find_figures
from graph.inputs.extract.rules import (
    GENERIC,
    LEGAL_SUFFIXES,
    PROJECT_SUFFIXES,
    SHORT_SUFFIXES,
    STATUS_WORDS,
    clause_bounds,
    is_generic,
    name_core,
    trim_lead,
)
from graph.seeds.model import Seeds
from graph.vocab.namespaces import digest_id

__all__ = ["Entity", "Figure", "Proposals", "extract"]

_HAN = "\u4e00-\u9fff"
_NAME_RUN = (
    rf"(?:[{_HAN}A-Za-z0-9()（）]|(?<=[A-Za-z]) (?=[A-Za-z]))"  # Mini LED: a space between Latin words
)
_ZONE = re.compile(rf"([{_HAN}]{{2,4}}?)(经济技术开发区|高新技术产业开发区|经开区|高新区|开发区|工业园区)")
_HONOUR = ("获评", "荣获", "评为", "授予", "荣誉", "称号", "入选")
_CHAIN_WORDS = ("锂电", "新能源", "电池", "汽车", "光电", "光伏", "电子", "整车", "零部件", "应用")
_COMPANY_ACTS = (
    "相关负责人",
    "负责人",
    "总经理",
    "董事长",
    "获评",
    "荣获",
    "在深交所",
    "在上交所",
    "投资",
    "落户",
    "签约",
)


@dataclass
class Entity:
    """A proposed enterprise or project, with every surface form and mention found."""

    kind: str  # enterprise | project
    names: Counter = field(default_factory=Counter)
    spans: set[tuple[int, int]] = field(default_factory=set)
    segments: dict[str, tuple[int, int]] = field(default_factory=dict)  # segment id -> evidence span
    investor: str | None = None  # core of the investing enterprise
    status: tuple[str, int, int] | None = None
    same_as: str | None = None

    @property
    def name(self) -> str:
        legal = [n for n in self.names if n.endswith(LEGAL_SUFFIXES)]
        pool = [n for n in self.names if n not in legal] or legal
        return max(pool, key=lambda n: (self.names[n], len(n), n))

    @property
    def ident(self) -> str:
        return self.same_as or f"{self.kind[0]}-{digest_id(self.kind, self.name)[:8]}"


@dataclass
class Proposals:
    text: str
    zone: str | None
    enterprises: list[Entity]
    projects: list[Entity]
    figures: list[Figure]


class _Finder:
    def __init__(self, text: str, seeds: Seeds | None) -> None:
        self.text = text
        self.seeds = seeds
        self.found: list[tuple[str, str, int, int]] = []  # (kind, name, start, end)
        self.investors: dict[tuple[int, int], str] = {}  # project span -> investor name
        self.phases: list[tuple[str, int]] = []  # 三期项目: a phase of the company named before it

    def add(self, kind: str, name: str, start: int) -> None:
        if name.count("“") != name.count("”"):
            name = name.strip("“”")
        if len(name) >= 2 and not is_generic(name_core(name) if kind == "enterprise" else name):
            self.found.append((kind, name, start, start + len(name)))

    def taken(self, start: int, end: int, kind: str | None = None) -> bool:
        return any(s <= start and end <= e for k, _, s, e in self.found if kind in (None, k))

    # -- enterprises --------------------------------------------------------------------------------------------
    def legal_names(self) -> None:
        for suffix in LEGAL_SUFFIXES:
            for m in re.finditer(rf"({_NAME_RUN}{{2,24}}?){re.escape(suffix)}", self.text):
                if self.taken(m.start(), m.end()):
                    continue
                name = trim_lead(m.group(0))
                self.add("enterprise", name, m.end() - len(name))

    def short_names(self) -> None:
        pattern = "|".join(sorted(SHORT_SUFFIXES, key=len, reverse=True))
        cores = {name_core(n) for k, n, _, _ in self.found if k == "enterprise"}
        for m in re.finditer(rf"([{_HAN}]{{2,8}}?)(?:{pattern})", self.text):
            name = trim_lead(m.group(0))
            start = m.end() - len(name)
            core = name_core(name)
            if self.taken(start, m.end()) or not 2 <= len(core) <= 4 or is_generic(core):
                continue  # inside a project name, the project's investor rule decides
            if self.text[m.end() : m.end() + 1] in ("片", "组", "包", "级", "厂", "系"):
                continue  # 电池片, 电池组: the suffix is the start of a product word
            # A short name alone is weak evidence: keep it when it recurs, heads a caption line, names a company
            # found another way, or is followed by what companies do (相关负责人, 获评, 在…上市).
            after = self.text[m.end() : m.end() + 4]
            if (
                self.text.count(name) >= 2
                or self.text[start - 1 : start] in ("", "\n")
                or core in cores
                or after.startswith(_COMPANY_ACTS)
            ):
                self.add("enterprise", name, start)

    def counted_lists(self) -> None:
        """引进了A、B及C三家…企业: every item of a list counted with 家 is an enterprise."""
        item = rf"[{_HAN}A-Za-z]{{2,12}}"
        for m in re.finditer(
            rf"({item}(?:[、及和与]{item})+)(?:等)?[一二三四五六七八九十两\d]+家", self.text
        ):
            pos = m.start()
            for part in re.split(r"[、及和与]", m.group(1)):
                name = trim_lead(part)
                self.add("enterprise", name, pos + len(part) - len(name))
                pos += len(part) + 1

    def listed(self) -> None:
        """X在深交所…上市: X is a listed company."""
        for m in re.finditer(
            rf"([{_HAN}]{{2,8}})在(?:深交所|上交所|北交所|港交所|科创板|创业板|主板)", self.text
        ):
            name = trim_lead(m.group(1))
            self.add("enterprise", name, m.end(1) - len(name))

    # -- projects -----------------------------------------------------------------------------------------------
    def projects(self) -> None:
        suffixes = "|".join(PROJECT_SUFFIXES)
        for m in re.finditer(rf"({_NAME_RUN}{{2,30}}?)(?:{suffixes})", self.text):
            # 投资8.5亿元建设光学镜头扩产项目: the name starts after the amount and the building verb
            self._project(trim_lead(re.split(r"亿元|万元|建设|打造|新建|实施", m.group(0))[-1]), m.end())
        # 总投资106亿元的…生产线: whatever carries an investment amount is a project, whatever its name ends with
        for m in re.finditer(
            rf"投资(?:约|近)?[\d.]+亿元的({_NAME_RUN}{{2,40}}?(?:生产线|工厂|车间))", self.text
        ):
            self._project(m.group(1), m.end())

    def _project(self, name: str, end: int) -> None:
        start = end - len(name)
        left, right = clause_bounds(self.text, start, end)
        if any(w in self.text[left:right] for w in _HONOUR) or self.taken(start, end, "project"):
            return  # 获评…基地 is an honour, not a project
        if re.fullmatch(r"[一二三四五六七八九首]期(?:项目|工程)", name):
            self.phases.append((name, start))
            return
        head = name[: -len(next((s for s in PROJECT_SUFFIXES if name.endswith(s)), ""))] or name
        if head.endswith("等") or any(w in head for ws in STATUS_WORDS.values() for w in ws) or "区" in head:
            return  # A、B等项目 is a list (listed_projects); 共引进项目 is a count, not a name
        legal = next((s for s in LEGAL_SUFFIXES if s in name[:-2]), None)
        if legal:  # 江西彩虹光伏有限公司超薄高透光伏玻璃生产线: the company, then its project
            cut = name.index(legal) + len(legal)
            self.investors[(start + cut, end)] = name[:cut]
            name, start = name[cut:], start + cut
        self.add("project", name, start)

    def listed_projects(self) -> None:
        """A、B等项目: each item is a project."""
        item = rf"[{_HAN}A-Za-z]{{2,16}}"
        for m in re.finditer(rf"({item}(?:、{item})+)等项目", self.text):
            pos = m.start()
            for part in m.group(1).split("、"):
                name = trim_lead(part)
                start = pos + len(part) - len(name)
                if len(name) >= 2 and not is_generic(name):  # the span is the item; its name gains 项目
                    self.found.append(("project", name + "项目", start, start + len(name)))
                pos += len(part) + 1

    def quoted_projects(self) -> None:
        """晶科能源“智慧大工厂”: a company followed by a quoted plant or park name."""
        for m in re.finditer(r"“([^”]{2,12}(?:工厂|基地|园|中心|工程|项目))”", self.text):
            before = trim_lead(re.findall(rf"[{_HAN}]{{0,8}}$", self.text[: m.start()])[0])
            left, right = clause_bounds(self.text, m.start(), m.end())
            if any(w in self.text[left:right] for w in _HONOUR) or not before.endswith(SHORT_SUFFIXES):
                continue
            if len(before) >= 2 and not is_generic(name_core(before)):
                self.add("enterprise", before, m.start() - len(before))
                self.add("project", before + m.group(0), m.start() - len(before))
                self.investors[(m.start() - len(before), m.end())] = before


def _known_names(seeds: Seeds | None) -> dict[str, tuple[str, str]]:
    """Every name, alias and core of the existing enterprises and projects -> (kind, id)."""
    known: dict[str, tuple[str, str]] = {}
    for kind, items in (("enterprise", seeds.enterprises), ("project", seeds.projects)) if seeds else ():
        for item in items:
            names = [item.name, *item.aliases, getattr(item, "name_full", None), item.name_en]
            for name in filter(None, names):
                known.setdefault(name, (kind, item.id))
                if kind == "enterprise" and len(name_core(name)) >= 2:
                    known.setdefault("core:" + name_core(name), (kind, item.id))
    return known


def _merge(found: list[tuple[str, str, int, int]], known: dict[str, tuple[str, str]]) -> list[Entity]:
    """Group mentions into entities: same core (enterprises) or same name (projects); resolve to seeds."""
    groups: dict[tuple[str, str], Entity] = {}
    for kind, name, start, end in sorted(found, key=lambda f: (f[2], -f[3])):
        key = (kind, name_core(name) if kind == "enterprise" else name)
        entity = groups.setdefault(key, Entity(kind))
        entity.names[name] += 1
        entity.spans.add((start, end))
    for entity in groups.values():
        for name in entity.names:
            hit = known.get(name) or (
                known.get("core:" + name_core(name)) if entity.kind == "enterprise" else None
            )
            if hit and hit[0] == entity.kind:
                entity.same_as = hit[1]
    # 晶科能源 and JinkoSolar share no characters but resolve to one seed: one proposal
    merged: dict[object, Entity] = {}
    for key, entity in groups.items():
        into = merged.setdefault(entity.same_as or key, entity)
        if into is not entity:
            into.names.update(entity.names)
            into.spans |= entity.spans
    return sorted(merged.values(), key=lambda e: min(e.spans))


def _fold_listed(projects: list[Entity]) -> list[Entity]:
    """引进了华屏显示等项目 … 华屏显示Mini LED显示屏项目: a bare "<company>项目" is the company's named project."""
    result = []
    for p in projects:
        head = p.name.removesuffix("项目")
        full = [q for q in projects if q is not p and q.name.startswith(head) and len(q.name) > len(p.name)]
        if len(p.names) == 1 and p.name.endswith("项目") and len(full) == 1:
            full[0].names.update(p.names)
            full[0].spans |= p.spans
        else:
            result.append(p)
    return result


def _segment_index(seeds: Seeds | None) -> list[tuple[str, str, tuple[str, ...]]]:
    """(keyword, segment id, exclude words), from the chain templates' keywords and segment names."""
    index = []
    chains = {c.name for c in seeds.chains} if seeds else set()
    for seg in seeds.segments if seeds else ():
        words = set(seg.keywords)
        for part in re.split(r"[(（)）/、]", seg.name):
            # 储能系统 -> 储能, 正极材料 -> 正极: the head noun alone is how reports name the product
            for word in (part, re.sub(r"(系统|材料|设备)$", "", part)):
                if len(word) >= 2 and word not in _CHAIN_WORDS and word not in chains:
                    words.add(word)
        index.extend((word, seg.id, seg.exclude) for word in words)
    return sorted(index, key=lambda k: (-len(k[0]), k[0], k[1]))


def _place(entity: Entity, text: str, index: list, names: list[str], inside: list[tuple[int, int]]) -> None:
    """Place an entity in the segments whose keywords occur in its names, else in the clauses that mention it.

    Company names are blanked out of a clause first (超联光电芯取 must not read as 电芯), and a company named
    inside a project name is not placed by that clause: the project is.
    """
    for own in (True, False):
        for start, end in sorted(entity.spans):
            left, right = (start, end) if own else clause_bounds(text, start, end)
            if not own and entity.kind == "enterprise" and any(s <= start and end <= e for s, e in inside):
                continue
            if not own and entity.kind == "project" and sum(left <= s < right for s, _ in inside) > 1:
                continue  # a clause listing several projects does not say which one is which
            window = "|".join(entity.names) if own else text[left:right]
            if not own:
                for name in names:
                    window = window.replace(name, "□")
            for word, seg, exclude in index:
                if word in window and not any(x in window for x in exclude):
                    entity.segments.setdefault(seg, (left, right))
        if entity.segments:
            return


def _status(entity: Entity, text: str) -> None:
    best = None
    for start, end in sorted(entity.spans):
        left, right = clause_bounds(text, start, end)
        if not any(w in text[left:right] for ws in STATUS_WORDS.values() for w in ws):
            left = max(text.rfind(c, 0, start) for c in "。！？\n") + 1  # 与…签约,计划…建设X: the sentence
        for value, words in STATUS_WORDS.items():
            for word in words:
                for m in re.finditer(word, text[left:right]):
                    pos = left + m.start()
                    future = text[pos + len(word) : pos + len(word) + 1] == "后"  # 建成投产后: not yet
                    found = ("under_construction" if future else value, pos, pos + len(word))
                    distance = min(abs(pos - start), abs(pos - end))
                    if best is None or distance < best[0]:
                        best = (distance, found)
    if best:
        entity.status = best[1]


def _strip_products(head: str, words: list[str]) -> str:
    """Cut product and industry words off the end of a project name's head: 宏信锂电碳负极 -> 宏信."""
    strong = ("集团", "股份", "科技", "控股", "实业", "公司")
    while head and not head.endswith(strong):
        head = re.sub(
            r"(?<=[\u4e00-\u9fff])[A-Za-z\s]+$", "", head
        )  # 华屏显示Mini: a Latin tail is a product
        word = next((w for w in words if head.endswith(w) and len(head) > len(w)), None)
        # 远视光电 is a company's short name; 一舟集团储能 is a company (…集团) and its product
        if word is None or (head.endswith(SHORT_SUFFIXES) and not head[: -len(word)].endswith(strong)):
            break
        head = head[: -len(word)]
    return head if len(head) >= 2 and not is_generic(head) and head not in words else ""


def _investors(finder: _Finder, projects: list[Entity], index: list) -> list[tuple[str, str, int, int]]:
    """Name each project's investor: a company written before it, the head of its name, or the company last named."""
    kinds = ("扩产", "扩建", "技改", "改造", "升级", "年产")
    words = sorted(
        {w for w, _, _ in index} | set(GENERIC) | set(PROJECT_SUFFIXES) | set(kinds), key=len, reverse=True
    )
    companies = [f for f in finder.found if f[0] == "enterprise"]
    mentions = []
    for project in projects:
        start, end = min(project.spans)
        investor = finder.investors.get((start, end))
        if investor is None:
            head = re.sub(r"[(（][^)）]*[)）]", "", project.name)
            for suffix in PROJECT_SUFFIXES:
                head = head.removesuffix(suffix)
            head = re.sub(r"(一期|二期|三期|四期|首期)$", "", head)
            known = [n for _, n, _, _ in companies + mentions if head.startswith(n) and n != head]
            investor = max(known, key=len) if known else _strip_products(head, words)
            if investor and any(w in investor for w, _, _ in index):
                investor = ""  # 光伏组件自动化设备: a product, not a company
            if investor and finder.text.startswith(investor, start):
                mentions.append(("enterprise", investor, start, start + len(investor)))
        if not investor:  # 公司今年还将投资…建设X项目 / 与Y有限公司签约,…建设X: the company of that sentence
            sentence = max(finder.text.rfind(c, 0, start) for c in "。！？\n")
            paragraph = finder.text.rfind("\n\n", 0, start)
            said = any(w in finder.text[sentence:start] for w in ("公司", "企业"))
            prior = [f for f in companies if (sentence if not said else paragraph) < f[2] < start]
            if prior:
                investor = max(prior, key=lambda f: f[2])[1]
        project.investor = investor
    return mentions


def _phases(finder: _Finder) -> None:
    """公司还启动了三期项目: a phase project belongs to the company named last before it (same paragraph)."""
    for name, start in finder.phases:
        paragraph = finder.text.rfind("\n\n", 0, start)
        prior = [f for f in finder.found if f[0] == "enterprise" and paragraph < f[2] < start]
        if prior:
            owner = max(prior, key=lambda f: f[2])[1]
            phase = name[:2]
            if any(
                k == "project" and phase in n and n.startswith((owner, phase)) for k, n, _, _ in finder.found
            ):
                continue  # 二期项目全部达产后 refers back to the 二期…项目 already named
            finder.found.append(("project", name_core(owner) + name, start, start + len(name)))
            finder.investors[(start, start + len(name))] = owner


def extract(text: str, *, seeds: Seeds | None = None) -> Proposals:
    """Propose enterprises, projects and figures found in ``text``.

    Args:
        text: the article.
        seeds: existing seeds: their chain templates place proposals in segments, and their enterprises and
            projects resolve names (a proposal that matches one says ``same_as``).

    Returns:
        The proposals, each with its offsets into ``text``.
    """
    finder = _Finder(text, seeds)
    for step in (finder.quoted_projects, finder.listed_projects, finder.projects, finder.legal_names):
        step()
    for step in (finder.counted_lists, finder.listed, finder.short_names):
        step()
    _phases(finder)
    known = _known_names(seeds)
    for name, (kind, _) in known.items():
        if not name.startswith("core:") and len(name) >= 2:
            for m in re.finditer(re.escape(name), text):
                if not finder.taken(m.start(), m.end()):
                    finder.found.append((kind, name, m.start(), m.end()))
    index = _segment_index(seeds)
    projects = _fold_listed(_merge([f for f in finder.found if f[0] == "project"], known))
    extra = _investors(finder, projects, index)
    enterprises = _merge([f for f in finder.found if f[0] == "enterprise"] + extra, known)
    by_core = {name_core(n): e for e in enterprises for n in e.names}
    for project in projects:
        owner = by_core.get(name_core(project.investor or ""))
        project.investor = owner.ident if owner else None
    names = sorted({n for e in enterprises for n in e.names}, key=len, reverse=True)
    inside = [span for p in projects for span in p.spans]
    for entity in enterprises + projects:
        _place(entity, text, index, names, inside)
    for project in projects:
        _status(project, text)
    zones = Counter(m.group(0) for m in _ZONE.finditer(text) if not is_generic(m.group(1)))
    zone = zones.most_common(1)[0][0] if zones else None
    figures = find_figures(text)
    describe_figures(figures, text, zone, enterprises + projects)
    return Proposals(text, zone, enterprises, projects, figures)
