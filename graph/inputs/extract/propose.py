"""Read a Chinese zone report and propose seeds: enterprises, projects, figures, statuses and chain segments.

Rule-based and offline (the rules are in :mod:`graph.inputs.extract.rules`). Every proposal carries its quote and code-point
offsets and ``reviewed: false``; a name that matches an existing seed says ``same_as: <id>`` instead of becoming a
second node. :func:`extract` is pure; :func:`dumps_proposals` renders the YAML that ``chainkg extract`` writes.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from graph.inputs.extract.figures import Figure, describe_figures, find_figures
from graph.inputs.extract.lists import find_lists
from graph.inputs.extract.names import (
    COMMON,
    Gazetteer,
    anchored,
    distinctive,
    everyday,
    find_known,
    looks_like_name,
    plain_core,
    shipped_gazetteer,
    trim_to_name,
    word_freq,
)
from graph.inputs.extract.parties import find_investors, find_phases
from graph.inputs.extract.rules import (
    LEGAL_SUFFIXES,
    PLANNED_WORDS,
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
_SPANS = 50  # mentions of one entity read for its segment and status: enough evidence, bounded cost
# Mini LED, 12英寸 Micro OLED: a space before a Latin word; Mini-LED: a hyphen between Latin letters
_NAME_RUN = rf"(?:[{_HAN}A-Za-z0-9()（）]|(?<=[{_HAN}A-Za-z0-9]) (?=[A-Za-z])|(?<=[A-Za-z])-(?=[A-Za-z]))"
# Words after an industry phrase that show it is one (…光伏产业链, …新能源领域), not a company's short name.
_INDUSTRY_NEXT = ("产业", "行业", "领域", "生产线", "产品", "企业", "集群", "赛道")
_STATUS_ANY = tuple(w for ws in STATUS_WORDS.values() for w in ws)
_ZONE = re.compile(rf"([{_HAN}]{{2,4}}?)(经济技术开发区|高新技术产业开发区|经开区|高新区|开发区|工业园区)")
_NOT_COMPANY = (
    "大学",
    "学院",
    "研究院",
    "研究所",
    "管委会",
    "政府",
    "局",
    "厅",
    "委员会",
    "协会",
    "学会",
    "银行",
)
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
    def __init__(self, text: str, seeds: Seeds | None, gaz: Gazetteer, pos: bool) -> None:
        self.text = text
        self.seeds = seeds
        self.gaz = gaz
        self.pos = pos  # check the shape of names with jieba's part of speech
        self.products = tuple(w for w, _, _ in _segment_index(seeds))
        # 高安市 … 高安光电: a word the text uses as a place is not a company's core
        self.places = {m[1] for m in re.finditer(rf"([{_HAN}]{{2,3}}?)(?:省|市|县|区|镇)", text)}
        self.found: list[tuple[str, str, int, int]] = []  # (kind, name, start, end)
        self.starts: dict[int, list[tuple[int, str]]] = {}  # start -> [(end, kind)], so taken() stays local
        self.investors: dict[tuple[int, int], str] = {}  # project span -> investor name
        self.aliases: dict[tuple[int, int], str] = {}  # span -> the name it stands for (list item + 项目)
        self.phases: list[tuple[str, int]] = []  # 三期项目: a phase of the company named before it

    def add(self, kind: str, name: str, start: int) -> None:
        if name.count("“") != name.count("”"):
            name = name.strip("“”")
        if len(name) < 2 or is_generic(name_core(name) if kind == "enterprise" else name):
            return
        if self.pos and kind == "project" and not looks_like_name(name, kind):
            return  # 加快推动项目, 这一重磅项目, 10个重大项目: a piece of a sentence, not a name
        self.put(kind, name, start, start + len(name))

    def company_like(self, name: str, *, loose: bool = False) -> bool:
        """A company name: a legal name, a known firm, or a short name whose core is no everyday word.

        ``loose`` (the text says it is a company: a list of 企业, a recurring name): a company word at the end
        (…能源, …集团) and a core that is not an everyday word or a place is enough (蜂巢能源, 一舟集团).

        Universities, institutes and government bodies are not companies (兰州理工大学, 省工信厅), nor are
        products (胶膜, 石英坩埚).
        """
        core = name_core(name)
        if name.endswith(_NOT_COMPANY) or name in self.products or any(p in core for p in self.products):
            return False  # 正负极材料, 石英坩埚: a product
        if self.pos and core in self.places and not name.endswith(LEGAL_SUFFIXES):
            return False
        if name.endswith(LEGAL_SUFFIXES) or (name in self.gaz.forms and not everyday(name)):
            return True
        if core in self.gaz.cores and (word_freq(core) < 3 * COMMON or not plain_core(core)):
            return True  # 吉利 (吉利汽车): a known firm's core, unless an everyday word (中国)
        if not self.pos or distinctive(core):
            return True
        return loose and name.endswith(SHORT_SUFFIXES) and not plain_core(core)

    def put(self, kind: str, name: str, start: int, end: int) -> None:
        self.found.append((kind, name, start, end))
        self.starts.setdefault(start, []).append((end, kind))

    def taken(self, start: int, end: int, kind: str | None = None) -> bool:
        """Whether a name already found covers ``start:end`` (names are at most ~80 characters long)."""
        return any(
            end <= e and kind in (None, k)
            for s in range(max(0, start - 80), start + 1)
            for e, k in self.starts.get(s, ())
        )

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
        matches = list(re.finditer(rf"([{_HAN}]{{2,8}}?)(?:{pattern})(?:{pattern})*", self.text))
        names = [trim_lead(m.group(0)) for m in matches]
        if self.pos:  # 项目包括盛维新能源: the name starts after the last verb
            names = [trim_to_name(n, self.products) for n in names]
        seen = Counter(names)
        for m, name in zip(
            matches, names, strict=True
        ):  # 中玻控股集团: one name may carry several company words
            if not name:
                continue
            start = m.end() - len(name)
            core = name_core(name)
            if self.taken(start, m.end()) or not 2 <= len(core) <= 4 or is_generic(core):
                continue  # inside a project name, the project's investor rule decides
            if self.text[m.end() : m.end() + 1] in ("片", "组", "包", "级", "厂", "系"):
                continue  # 电池片, 电池组: the suffix is the start of a product word
            if self.text.startswith(_INDUSTRY_NEXT, m.end()) or re.match(
                r"[\d一二三四五六七八九十百千万亿]", name
            ):
                continue  # 晶硅光伏产业链, 15条新能源…: an industry or a count, not a company
            # A short name alone is weak evidence: keep it when it recurs, heads a caption line, names a company
            # found another way, or is followed by what companies do (相关负责人, 获评, 在…上市).
            after = self.text[m.end() : m.end() + 4]
            said = (
                seen[name] >= 2
                or self.text[start - 1 : start] in ("", "\n")
                or core in cores
                or after.startswith(_COMPANY_ACTS)
            )
            if self.company_like(name, loose=said) and (said or self.pos):
                self.add("enterprise", name, start)

    def lists(self) -> None:
        """A、B及C三家…企业, A、B等一批锂电企业, A项目、B等项目: every item of a closed list is a name."""
        for kind, name, start in find_lists(self.text):
            if kind == "enterprise" and not self.company_like(name, loose=True):
                continue  # 石英坩埚、铝边框等配套企业: products, not names
            if kind == "project" and self.taken(start, start + len(name), "project"):
                continue
            self.add(kind, name, start)
            if kind == "project" and not name.endswith(PROJECT_SUFFIXES):
                self.aliases[(start, start + len(name))] = name + "项目"  # 吉利新能源商用车(、…等项目)

    def known(self) -> None:
        """Names of firms the gazetteer knows (比亚迪集团, 京东方), wherever they are written."""
        for name, start, end in find_known(self.text, self.gaz):
            if not self.taken(start, end, "enterprise"):
                self.put("enterprise", name, start, end)

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
            head = re.split(r"亿元|万元|建设|打造|新建|实施", m.group(0))[-1]
            self._project(trim_lead(head, joins=False), m.end())
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
        said = [m.end() for w in _STATUS_ANY for m in re.finditer(w, head)]
        if said and self.pos:  # 绵阳签约惠科Mini-LED项目: the name starts after the status word
            cut = max(said)
            name, head, start = name[cut:], head[cut:], start + cut
        if len(head) < 2 or head.endswith("等") or (said and not self.pos) or "区" in head:
            return  # A、B等项目 is a list (graph.inputs.extract.lists); 共引进项目 is a count, not a name
        if self.text[end : end + 1] == "区" or self.text[start - 1 : start] == "等":
            return  # …应用项目区: an area of a park; A、B等补链强链项目: the class of a list
        if re.search(r"(?:是|为|成为)[^,，。]*的[^,，。]*$", self.text[left:start]):
            return  # 是世界单体最大的…生产基地: a description, not a name
        if self.pos:  # 城西镇举行锂电池静脉产业园项目: the name starts after the last verb
            trimmed = trim_to_name(name, self.products)
            listed = self.text[end : end + 1] == "、" or self.text[max(0, start - 8) : start].endswith(
                tuple(f"{s}、" for s in PROJECT_SUFFIXES)
            )  # A项目、B项目、C项目: a list of project names, each a name even when made of plain words
            if not trimmed or not (listed or anchored(trimmed, self.products)):
                return  # 核心项目, 加快推动项目: no name in it
            name, start = trimmed, end - len(trimmed)
            if self.text[start - 1 : start] == "等":
                return  # A、B等补链强链项目: the class of a list
        legal = next((s for s in LEGAL_SUFFIXES if s in name[:-2]), None)
        if legal:  # 江西彩虹光伏有限公司超薄高透光伏玻璃生产线: the company, then its project
            cut = name.index(legal) + len(legal)
            self.investors[(start + cut, end)] = name[:cut]
            name, start = name[cut:], start + cut
        self.add("project", name, start)

    def quoted_projects(self) -> None:
        """晶科能源“智慧大工厂”: a company followed by a quoted plant or park name."""
        for m in re.finditer(r"“([^”]{2,12}(?:工厂|基地|园|中心|工程|项目))”", self.text):
            before = trim_lead(
                re.findall(rf"[{_HAN}]{{0,8}}$", self.text[max(0, m.start() - 8) : m.start()])[0]
            )
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


def _merge(
    found: list[tuple[str, str, int, int]], known: dict[str, tuple[str, str]], canon: dict[str, str]
) -> list[Entity]:
    """Group mentions into entities: same firm or core (enterprises) or same name (projects); resolve to seeds."""
    groups: dict[tuple[str, str], Entity] = {}
    for kind, name, start, end in sorted(found, key=lambda f: (f[2], -f[3])):
        key = (kind, name_core(canon.get(name, name)) if kind == "enterprise" else name)
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
        # 锂电池隔膜生产西南基地项目 is 江苏厚生新能源锂电池隔膜生产西南基地项目 with its company left off
        longer = [
            q
            for q in projects
            if q is not p and len(head) >= 6 and q.name.removesuffix("项目").endswith(head)
        ]
        if len(p.names) == 1 and p.name.endswith("项目") and len(full) == 1:
            full[0].names.update(p.names)
            full[0].spans |= p.spans
        elif len(longer) == 1 and len(longer[0].name) > len(p.name):
            longer[0].names.update(p.names)
            longer[0].spans |= p.spans
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
    starts = [s for s, _ in inside]  # sorted: bisect instead of scanning every project mention
    window = "|".join(entity.names)
    for word, seg, exclude in index:  # first the entity's own names
        if word in window and not any(x in window for x in exclude):
            entity.segments.setdefault(seg, min(entity.spans))
    if entity.segments:
        return
    for start, end in sorted(entity.spans)[:_SPANS]:
        left, right = clause_bounds(text, start, end)
        near = inside[bisect_left(starts, start - 120) : bisect_right(starts, start)]
        if entity.kind == "enterprise" and any(s <= start and end <= e for s, e in near):
            continue
        if entity.kind == "project" and bisect_left(starts, right) - bisect_left(starts, left) > 1:
            continue  # a clause listing several projects does not say which one is which
        window = text[left:right]
        for name in names:
            if name in window:
                window = window.replace(name, "□")
        for word, seg, exclude in index:
            if word in window and not any(x in window for x in exclude):
                entity.segments.setdefault(seg, (left, right))
        if entity.segments:
            return


def _status(entity: Entity, text: str) -> None:
    best = None
    for start, end in sorted(entity.spans)[:_SPANS]:
        left, right = clause_bounds(text, start, end)
        if not any(w in text[left:right] for ws in STATUS_WORDS.values() for w in ws):
            # 与…签约,计划…建设X / X由Y投资建设,目前已开工: the sentence
            left = max(text.rfind(c, max(0, start - 1000), start) for c in "。！？\n") + 1
            stop = re.compile(r"[。！？\n]").search(text, end, end + 300)
            right = stop.start() if stop else min(len(text), end + 300)
        for value, words in STATUS_WORDS.items():
            for word in words:
                for m in re.finditer(word, text[left:right]):
                    pos = left + m.start()
                    future = text[pos + len(word) : pos + len(word) + 1] == "后"  # 建成投产后: not yet
                    # 即将落地, 拟建, …项目拟于明年开工: a plan word before the status word, after the project
                    lead = text[end:pos] if end <= pos else text[max(left, pos - 4) : pos]
                    planned = any(w in lead for w in PLANNED_WORDS)
                    value = "planned" if planned else "under_construction" if future else value
                    found = (value, pos, pos + len(word))
                    distance = min(abs(pos - start), abs(pos - end))
                    if best is None or distance < best[0]:
                        best = (distance, found)
    if best:
        entity.status = best[1]


def extract(
    text: str, *, seeds: Seeds | None = None, gazetteer: Gazetteer | None = None, pos: bool = True
) -> Proposals:
    """Propose enterprises, projects and figures found in ``text``.

    Args:
        text: the article.
        seeds: existing seeds: their chain templates place proposals in segments, and their enterprises and
            projects resolve names (a proposal that matches one says ``same_as``).
        gazetteer: company names known from elsewhere (:func:`graph.inputs.extract.names.load_gazetteer`); their short
            and full forms are found wherever they are written and resolve to one firm.
        pos: check that proposed names look like names (jieba part of speech); False keeps the rules alone.

    Returns:
        The proposals, each with its offsets into ``text``.
    """
    gaz = gazetteer if gazetteer is not None else shipped_gazetteer()
    finder = _Finder(text, seeds, gaz, pos)
    for step in (finder.quoted_projects, finder.lists, finder.projects, finder.legal_names, finder.known):
        step()
    for step in (finder.listed, finder.short_names):
        step()
    find_phases(finder)
    known = _known_names(seeds)
    for name, (kind, _) in known.items():
        if not name.startswith("core:") and len(name) >= 2:
            for m in re.finditer(re.escape(name), text):
                if not finder.taken(m.start(), m.end()):
                    finder.put(kind, name, m.start(), m.end())
    index = _segment_index(seeds)
    projects = _merge([f for f in finder.found if f[0] == "project"], known, gaz.forms)
    for project in projects:
        for span in project.spans:
            if span in finder.aliases:
                project.names[finder.aliases[span]] += 1
    projects = _fold_listed(projects)
    extra = find_investors(finder, projects, index)
    enterprises = _merge([f for f in finder.found if f[0] == "enterprise"] + extra, known, gaz.forms)
    by_core = {name_core(n): e for e in enterprises for n in e.names}
    for project in projects:
        owner = by_core.get(name_core(project.investor or ""))
        project.investor = owner.ident if owner else None
    names = sorted({n for e in enterprises for n in e.names}, key=len, reverse=True)
    inside = sorted(span for p in projects for span in p.spans)
    for entity in enterprises + projects:
        _place(entity, text, index, names, inside)
    for project in projects:
        _status(project, text)
    zones = Counter(m.group(0) for m in _ZONE.finditer(text) if not is_generic(m.group(1)))
    zone = zones.most_common(1)[0][0] if zones else None
    figures = find_figures(text)
    describe_figures(figures, text, zone, enterprises + projects)
    return Proposals(text, zone, enterprises, projects, figures)
