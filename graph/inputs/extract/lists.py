"""Lists of names in a report: "A、B、C等一批锂电企业", "A项目、B项目…等项目已建成投产", "A、B及C三家企业".

Each item of a list closed by 等 (or by a count with 家/个) and a class word (企业, 公司, 项目 …) is a name of that
class. Lists are split on 、 and ; and on 及/和/与 before the last item; parenthesised notes (一期30GW) stay with
their item. The first item loses what leads into it (引进了, 已培育成立, 包括): common verbs, adverbs and
prepositions by jieba's part of speech, and the lead words of :mod:`graph.inputs.extract.rules`.
"""

from __future__ import annotations

import re

import jieba.posseg

from graph.inputs.extract.names import COMMON, word_freq
from graph.inputs.extract.rules import trim_lead

__all__ = ["ListItem", "find_lists", "trim_item"]

_ITEM = r"[\u4e00-\u9fffA-Za-z0-9()（）\s.]{2,40}?"
_LIST = re.compile(
    rf"(?P<items>{_ITEM}(?:[、;；]{_ITEM})+?(?:(?:及|和|与){_ITEM})?|{_ITEM}(?:及|和|与){_ITEM})"
    r"(?:等(?P<what>[^,，。;；、:：!！?？\n“”的]{0,16}?)(?P<cls>企业|公司|龙头|项目|厂商|品牌|家)"
    r"|[一二三四五六七八九十两\d]+\s?(?P<count>家|个(?=[^,，。;；:：!！?？\n]{0,16}?项目)))"
)
_LEAD_FLAGS = ("v", "d", "p", "c", "r", "u", "t", "a", "f")
ListItem = tuple[str, str, int]  # (class: enterprise | project, name as written, start offset)


def trim_item(item: str) -> str:
    """Cut what leads into the first item of a list: 已培育成立睿思科 -> 睿思科, 包括蔚然(南京)… -> 蔚然(南京)….

    Example:
        >>> trim_item("已培育成立睿思科"), trim_item("成功引进高景"), trim_item("天合光能35GW直拉单晶项目")
        ('睿思科', '高景', '天合光能35GW直拉单晶项目')
    """
    lead = trim_lead(item.strip())
    if lead != item.strip():
        return lead  # 引进了远视光电: the lead words said where the name starts
    item = lead
    words = list(jieba.posseg.cut(item))
    cut = 0
    for w in words[:-1]:
        common = word_freq(w.word) >= COMMON
        if w.flag.startswith(_LEAD_FLAGS) and common and (len(w.word) >= 2 or w.flag[0] in "dpcru"):
            cut += len(w.word)
        else:
            break
    rest = item[cut:].strip()
    return rest if len(rest) >= 2 else item.strip()


def find_lists(text: str) -> list[ListItem]:
    """Every item of every closed list in ``text``, with its class and offset.

    Example:
        >>> [(k, n) for k, n, _ in find_lists("先后培育了丰元股份、天科新能源等一批锂电企业")]
        [('enterprise', '丰元股份'), ('enterprise', '天科新能源')]
    """
    found: list[ListItem] = []
    for line_start, line in _lines(text):
        for m in _LIST.finditer(line):
            kind = "project" if m["cls"] == "项目" or m["count"] == "个" else "enterprise"
            pos = line_start + m.start("items")
            parts = re.split(r"([、;；]|及|和|与)", m["items"])
            first = True
            for part in parts:
                if re.fullmatch(r"[、;；]|及|和|与", part):
                    pos += len(part)
                    continue
                name = trim_item(part) if first else trim_lead(part.strip())
                # 高景太阳能50GW直拉单晶硅棒(一期30GW): a note after the name is not part of it
                name = (
                    re.sub(r"\s*[(（][^()（）]*[)）]$", "", name) if not name.endswith(("(", "（")) else name
                )
                start = pos + part.find(name)
                if len(name) >= 2:
                    found.append((kind, name, start))
                pos += len(part)
                first = False
    return found


def _lines(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1
