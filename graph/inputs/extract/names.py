"""Names people write: a gazetteer of company names, and a check that a proposed name looks like a name.

The gazetteer joins the short and full names of the seeds, the candidate pool, the national A-share dataset (when
a folder is given) and a shipped list of major groups (``groups.yaml``, each with its source), so that
比亚迪集团, 比亚迪 and 比亚迪股份有限公司 resolve to one firm.

A name "looks like a name" when it holds no pronoun or demonstrative (这, 该), preposition (以, 在), conjunction,
particle (着, 的), adverb, common verb at its edges (加快推动, 滁州市抓), or numeral with a measure word (10个);
the part of speech and the word frequency come from jieba's dictionary, which ships inside the jieba package
(https://github.com/fxsjy/jieba, MIT). Nothing is downloaded.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.posseg
import yaml

from graph.inputs.extract.rules import LEGAL_SUFFIXES, PROJECT_SUFFIXES, REGIONS, name_core

__all__ = [
    "COMMON",
    "GROUPS",
    "Gazetteer",
    "load_gazetteer",
    "shipped_gazetteer",
    "find_known",
    "looks_like_name",
    "distinctive",
    "everyday",
    "plain_core",
    "word_freq",
    "trim_to_name",
    "anchored",
]

GROUPS = Path(__file__).with_name("groups.yaml")
jieba.setLogLevel(
    logging.CRITICAL
)  # jieba logs its dictionary loading (and a cache it cannot write) on stderr

# A dictionary word at least this frequent is an everyday word, not the distinctive part of a name.
COMMON = 300
# Flags (jieba / ICTCLAS tag set) that never occur inside a name: pronouns and demonstratives, prepositions,
# conjunctions, particles, adverbs, onomatopoeia and interjections.
_NEVER = ("r", "p", "c", "u", "d", "o", "e", "y")
# Verbs that name the work inside a project name (…零部件制造项目, …回收利用项目), so stay allowed there.
_WORK = {
    "制造",
    "生产",
    "加工",
    "研发",
    "建设",
    "应用",
    "回收",
    "利用",
    "封装",
    "封测",
    "组装",
    "储能",
    "发电",
}
_PROPER = ("nr", "nz", "nt", "eng", "nrt", "nrfg")
_MEASURE = re.compile(r"(?:\d+|[一二三四五六七八九十两几这那每]+)\s?[个家批项条座位名场次大]")
_BAD_CHARS = re.compile(r"[等之丨|、,，。;；:：!！?？《》【】]|的")
# Words that praise or rank rather than name (全市重大项目, 这一重磅项目, 核心项目, 重要补链项目).
_EVALUATIVE = (
    "重大",
    "重要",
    "重磅",
    "重点",
    "优质",
    "核心",
    "知名",
    "龙头",
    "标志性",
    "全市",
    "全区",
    "全省",
)
_PLACE_END = ("省", "市", "区", "县", "镇", "乡", "村", "州", "湖", "山", "江", "河")


@dataclass
class Gazetteer:
    """Surface forms of company names -> the firm's canonical name (its full name where known)."""

    forms: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # canonical name -> where it came from
    cores: dict[str, str] = field(
        default_factory=dict
    )  # 吉利 -> 吉利汽车控股有限公司: to confirm, not to search

    def add(self, short: str | None, full: str | None, source: str) -> None:
        canon = full or short
        if not canon:
            return
        self.sources.setdefault(canon, source)
        for form in company_forms(short, full):
            self.forms.setdefault(form, canon)
        for name in filter(None, (short, full)):
            if len(name_core(name)) >= 2:
                self.cores.setdefault(name_core(name), canon)


def company_forms(short: str | None, full: str | None) -> set[str]:
    """The ways a report writes one company: full name, short name, the short name's core with 集团/股份.

    Example:
        >>> sorted(company_forms("京东方A", "京东方科技集团股份有限公司"))
        ['京东方', '京东方A', '京东方科技集团', '京东方科技集团股份有限公司', '京东方股份', '京东方集团']
    """
    forms = set()
    for name in filter(None, (short, full)):
        forms.add(name)
        plain = re.sub(r"[A-Z]$", "", name)  # 京东方A: the share class is not part of the name
        forms.add(plain)
        for suffix in LEGAL_SUFFIXES:
            if plain.endswith(suffix) and len(plain) > len(suffix) + 2:
                forms.add(plain[: -len(suffix)])
                break
    core = name_core(full or short or "")
    if full and len(core) >= 3:
        forms |= {core, core + "集团", core + "股份"}
    return {f for f in forms if len(f) >= 3 and f not in REGIONS}


def _read_jsonl(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a broken row of a third-party file is skipped, not fatal
    return rows


def load_gazetteer(*, seeds=None, pool: Path | None = None, national: Path | None = None) -> Gazetteer:
    """Collect company names from the seeds, a pool file or folder, the national dataset and the shipped groups."""
    gaz = Gazetteer()
    for item in seeds.enterprises if seeds else ():
        gaz.add(item.name, item.name_full, f"seeds: {item.id}")
        for alias in item.aliases:
            gaz.forms.setdefault(alias, item.name_full or item.name)
    files = (
        sorted(pool.glob("*.jsonl")) if pool and pool.is_dir() else [pool] if pool and pool.is_file() else []
    )
    for path in files:
        for row in _read_jsonl(path):
            gaz.add(row.get("name"), row.get("name_full"), row.get("source") or str(path))
    if national and (national / "company.json").is_file():
        for row in _read_jsonl(national / "company.json"):
            if isinstance(row.get("name"), str) and isinstance(row.get("fullname"), str):
                gaz.add(row["name"], row["fullname"], f"{national.name}: company.json {row.get('code')}")
    for row in yaml.safe_load(GROUPS.read_text(encoding="utf-8"))["groups"]:
        gaz.add(row["name"], row.get("name_full"), row["source"])
        for alias in row.get("aliases", ()):
            gaz.forms.setdefault(alias, row.get("name_full") or row["name"])
    return gaz


@lru_cache(maxsize=1)
def shipped_gazetteer() -> Gazetteer:
    """The shipped list of major groups alone (what ``extract`` uses when given no gazetteer)."""
    return load_gazetteer()


def find_known(text: str, gaz: Gazetteer) -> list[tuple[str, int, int]]:
    """Every gazetteer form in ``text``, longest first and not overlapping; one pass over the text.

    Example:
        >>> g = Gazetteer(); g.add("比亚迪", "比亚迪股份有限公司", "demo")
        >>> find_known("比亚迪集团与比亚迪股份有限公司", g)
        [('比亚迪集团', 0, 5), ('比亚迪股份有限公司', 6, 15)]
    """
    index: dict[str, list[str]] = {}
    for form in gaz.forms:
        index.setdefault(form[:2], []).append(form)
    for forms in index.values():
        forms.sort(key=len, reverse=True)
    found, i, n = [], 0, len(text)
    jieba.dt.check_initialized()
    freq = jieba.dt.FREQ
    while i < n - 1:
        forms = index.get(text[i : i + 2])
        hit = next((f for f in forms if text.startswith(f, i)), None) if forms else None
        end = i + len(hit) if hit else i
        # a common word across either edge means the form is part of a longer word (only where a neighbour exists)
        left = freq.get(text[i - 1 : i + 1]) or 0 if i > 0 else 0
        right = freq.get(text[end - 1 : end + 1]) or 0 if end < n else 0
        inside = hit and max(left, right) >= COMMON
        if hit and (inside or everyday(hit)):
            hit = None  # 中国新能源 is not 国新能源, 天孚光电 is not 天孚光; 太阳能 is a word before it is a short name
        if hit:
            found.append((hit, i, i + len(hit)))
            i += len(hit)
        else:
            i += 1
    return found


@lru_cache(maxsize=65536)
def everyday(form: str) -> bool:
    """A gazetteer form made only of everyday words (太阳能, 智慧能源): too common to mean the firm."""
    if form.endswith(LEGAL_SUFFIXES):
        return False
    return all(freq >= COMMON and not _proper(word, flag, freq) for word, flag, freq in _tokens(form))


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[tuple[str, str, int], ...]:
    """(word, flag, dictionary frequency) for each word of ``text``."""
    jieba.dt.check_initialized()  # the frequency table is filled on first use
    freq = jieba.dt.FREQ
    return tuple((w.word, w.flag, freq.get(w.word) or 0) for w in jieba.posseg.cut(text, HMM=True))


def _head(name: str) -> str:
    head = re.sub(r"[(（][^)）]*[)）]", "", name)
    for suffix in LEGAL_SUFFIXES + PROJECT_SUFFIXES:
        if head.endswith(suffix) and len(head) > len(suffix):
            return head[: -len(suffix)]
    return head


def _proper(word: str, flag: str, freq: int) -> bool:
    """A proper noun (person, organisation, brand, Latin) or a word jieba's dictionary does not know."""
    unknown = freq == 0 and len(word) >= 2 and flag[:1] in ("n", "j", "x", "e") and not flag.startswith("ns")
    # a proper-noun tag on an everyday word (智慧, 石英, 集成电路) is jieba guessing, not a name
    return (flag.startswith(_PROPER) and not flag.startswith("ns") and freq < 3 * COMMON) or unknown


def distinctive(core: str) -> bool:
    """Whether a company core is a proper or unknown word (睿思科, 欣安创能), not everyday words (世界, 白银市, 胶膜).

    Example:
        >>> distinctive("欣安创能"), distinctive("世界"), distinctive("白银市")
        (True, False, False)
    """
    if len(core) < 2 or core.endswith(_PLACE_END) or not re.search(r"[\u4e00-\u9fffA-Za-z]", core):
        return False
    if 0 < word_freq(core) < 20 and not _tokens(core)[0][1].startswith(("v", "a", "d", "m")):
        return True  # 天合, 厚生: a rare dictionary word as a whole (抢抓 is a rare verb, not a name)
    toks = _tokens(core)
    if any(flag.startswith("ns") for _, flag, _ in toks) and len(toks) == 1:
        return False
    common = [w for w, flag, freq in toks if freq >= COMMON and not flag.startswith(_PROPER)]
    return any(_proper(*t) for t in toks) and len("".join(common)) < len(core) / 2


def word_freq(word: str) -> int:
    """How often jieba's dictionary has seen ``word`` (0 when it does not know it)."""
    jieba.dt.check_initialized()
    return jieba.dt.FREQ.get(word) or 0


def plain_core(core: str) -> bool:
    """Whether a company core is an everyday word or a place by itself (世界, 全球, 中国, 白银市): no firm's core.

    Example:
        >>> plain_core("世界"), plain_core("白银市"), plain_core("蜂巢"), plain_core("一舟"), plain_core("铜梁新型")
        (True, True, False, False, True)
    """
    toks = _tokens(core)
    if len(core) < 2 or core.endswith(_PLACE_END) or all(flag.startswith("ns") for _, flag, _ in toks):
        return True
    region = next((r for r in REGIONS if core.startswith(r) and len(core) > len(r) + 1), "")
    toks = _tokens(core[len(region) :]) if region else toks  # 江西铜业: the province is part of the name
    core = core[len(region) :]
    # common words (one-character words aside: names are often cut into single characters, 一舟) make half of it
    common = sum(
        len(w) for w, flag, freq in toks if len(w) >= 2 and freq >= COMMON and not _proper(w, flag, freq)
    )
    return common * 2 >= len(core) or any(_breaker(*t) for t in toks if len(t[0]) >= 2)


def _breaker(word: str, flag: str, freq: int) -> bool:
    """A word that cannot sit inside a name: a common verb, pronoun, preposition, conjunction, particle, adverb."""
    if flag.startswith(_PROPER) or word in _WORK:
        return False
    if flag.startswith(_NEVER) and freq >= COMMON // 3:
        return True
    return flag == "v" and freq >= COMMON


@lru_cache(maxsize=65536)
def _parts(products: tuple[str, ...]) -> frozenset[str]:
    """Every piece of every product word (显示屏 -> 显示, 示屏 …), to ask "is this word inside a product word"."""
    return frozenset(p[i:j] for p in products for i in range(len(p)) for j in range(i + 1, len(p) + 1))


@lru_cache(maxsize=65536)
def trim_to_name(name: str, products: tuple[str, ...] = ()) -> str:
    """Keep what follows the last word that cannot be inside a name: 城西镇举行锂电池静脉产业园项目 -> 锂电池静脉产业园项目.

    Returns "" when nothing name-like is left (加快推动项目).

    Example:
        >>> trim_to_name("城西镇举行锂电池静脉产业园项目"), trim_to_name("加快推动项目"), trim_to_name("启力元")
        ('锂电池静脉产业园项目', '', '启力元')
    """
    head = _head(name)
    toks = _tokens(head) if head else ()
    cut = pos = 0
    for i, (word, flag, freq) in enumerate(toks):
        pos += len(word)
        if i == 0 and flag == "vn" and freq >= COMMON and word not in _WORK:
            cut = pos  # 发展电池新材料: a verbal noun first is the sentence's verb
        # a one-character verb inside is often a mis-cut compound (高透光伏玻璃); at the end it is a verb (…市抓)
        in_product = word in _parts(products)  # 显示 in 显示屏: a product word, not the verb
        if (
            _breaker(word, flag, freq)
            and (len(word) >= 2 or flag != "v" or i == len(toks) - 1)
            and not in_product
        ):
            cut = pos
    if cut == 0:
        return name
    rest = name[cut:]
    return rest if len(_head(rest)) >= 2 and cut < len(head) else ""


def anchored(name: str, products: tuple[str, ...] = ()) -> bool:
    """Whether a project name holds something that names it: a proper or unknown word, Latin letters, a capacity
    (a digit), or a product word; "核心项目", "产业链上下游优质项目" hold none.

    Example:
        >>> anchored("邦奇自动变速箱项目"), anchored("核心项目"), anchored("5GW硅片项目")
        (True, False, True)
    """
    head = _head(name)
    if re.search(r"[\dA-Za-z]", head) or any(p in head for p in products):
        return True
    return any(_proper(*t) or t[1].startswith("ns") for t in _tokens(head))


def looks_like_name(name: str, kind: str) -> bool:
    """Whether ``name`` can be a company or project name rather than a fragment of a sentence.

    Example:
        >>> [looks_like_name(n, "project") for n in ("加快推动项目", "这一重磅项目", "10个重大项目", "邦奇自动变速箱项目")]
        [False, False, False, True]
    """
    head = _head(name.strip())
    if (
        not head
        or _BAD_CHARS.search(head)
        or _MEASURE.search(head)
        or re.match(r"(?:近|约|超|逾)\s?\d", head)
    ):
        return False
    if head.count("“") != head.count("”") or any(w in head for w in _EVALUATIVE):
        return False
    toks = [t for t in _tokens(head) if t[0].strip()]
    for i, (word, flag, freq) in enumerate(toks):
        if flag.startswith(_NEVER) and freq >= COMMON // 3 and not flag.startswith(_PROPER):
            return False
        edge = i == 0 or i == len(toks) - 1
        if flag == "v" and edge and freq >= COMMON and word not in _WORK and len(toks) > 1:
            return False
    return not (len(toks) == 1 and toks[0][1] == "v" and toks[0][2] >= COMMON)
