"""Who invests in a project: a company named in or before its name, "由Y投资建设" after it, or the company of
the sentence; and whose phase project (三期项目) a bare phase is.

``finder`` is the :mod:`graph.inputs.extract.propose` finder: its text, the names found so far (kind, name, start, end) and
``company_like``. Companies near a project are found by bisecting a sorted list, so the cost grows with the text,
not with its square.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from graph.inputs.extract.rules import GENERIC, PROJECT_SUFFIXES, SHORT_SUFFIXES, is_generic, name_core

__all__ = ["find_investors", "find_phases", "strip_products"]


def strip_products(head: str, words: list[str]) -> str:
    """Cut product and industry words off the end of a project name's head: 宏信锂电碳负极 -> 宏信."""
    strong = ("集团", "股份", "科技", "控股", "实业", "公司")
    while head and not head.endswith(strong):
        head = re.sub(r"[一二三四五六七八九十\d]+号?$", "", head)  # 乐金化学电池五(工厂): a plant's number
        head = re.sub(
            r"(?<=[\u4e00-\u9fff])[A-Za-z\s]+$", "", head
        )  # 华屏显示Mini: a Latin tail is a product
        word = next((w for w in words if head.endswith(w) and len(head) > len(w)), None)
        # 远视光电 is a company's short name; 一舟集团储能 is a company (…集团) and its product
        if word is None or (head.endswith(SHORT_SUFFIXES) and not head[: -len(word)].endswith(strong)):
            break
        head = head[: -len(word)]
    return head if len(head) >= 2 and not is_generic(head) and head not in words else ""


def find_investors(finder, projects: list, index: list) -> list[tuple[str, str, int, int]]:
    """Name each project's investor: a company written before it, the head of its name, or the company last named."""
    kinds = ("扩产", "扩建", "技改", "改造", "升级", "年产")
    words = sorted(
        {w for w, _, _ in index} | set(GENERIC) | set(PROJECT_SUFFIXES) | set(kinds), key=len, reverse=True
    )
    companies = sorted((f for f in finder.found if f[0] == "enterprise"), key=lambda f: f[2])
    starts = [f[2] for f in companies]  # bisect into the companies near a project: linear in the text
    distinct = sorted({f[1] for f in companies})
    mentions: list[tuple[str, str, int, int]] = []
    for project in projects:
        start, end = min(project.spans)
        investor = finder.investors.get((start, end)) or next(
            filter(None, (_built_by(finder, companies, starts, e) for _, e in sorted(project.spans)[:20])),
            None,
        )
        if investor is None:
            head = re.sub(r"[(（][^)）]*[)）]", "", project.name)
            for suffix in PROJECT_SUFFIXES:
                head = head.removesuffix(suffix)
            head = re.sub(r"(一期|二期|三期|四期|首期)$", "", head)
            # 高景太阳能50GW直拉单晶硅棒, 丽豪半导体二期年产10万吨多晶硅: the company comes before the capacity
            before = re.split(r"(?=[一二三四首]期|年产|日产|\d)", head, maxsplit=1)[0]
            known = [
                n
                for n in distinct + [m[1] for m in mentions]
                if n != head and (head.startswith(n) or _starts_with_core(head, n))
            ]
            investor = max(known, key=len) if known else ""
            if not investor and before != head and finder.company_like(before) and len(before) >= 2:
                same = [n for n in distinct if name_core(n) == name_core(before)]
                investor = max(same, key=len) if same else before  # 盛维 -> 盛维新能源, named elsewhere
            if (
                not investor
            ):  # 宏信锂电碳负极项目, 一舟集团储能: the head, less its product words, if a company
                head_name = strip_products(head, words)
                investor = head_name if head_name and finder.company_like(head_name, loose=True) else ""
            if investor and any(w in investor for w, _, _ in index) and not known:
                investor = ""  # 光伏组件自动化设备: a product, not a company
            if investor and not known and finder.text.startswith(investor, start):
                mentions.append(("enterprise", investor, start, start + len(investor)))
        if not investor:  # 公司今年还将投资…建设X项目 / 与Y有限公司签约,…建设X: the company of that sentence
            sentence = max(finder.text.rfind(c, max(0, start - 1000), start) for c in "。！？\n")
            paragraph = finder.text.rfind("\n\n", max(0, start - 3000), start)
            said = any(w in finder.text[sentence:start] for w in ("公司", "企业"))
            since = sentence if not said else paragraph
            prior = companies[bisect_right(starts, since) : bisect_left(starts, start)]
            if prior:
                investor = max(prior, key=lambda f: f[2])[1]
        project.investor = investor
    return mentions


def _starts_with_core(head: str, company: str) -> bool:
    """江苏厚生新能源锂电池隔膜…: the head starts (after a place) with the core of 江苏厚生新能源科技有限公司."""
    core = name_core(company)
    plain = re.sub(r"[(（][^)）]*[)）]", "", head)
    return len(core) >= 2 and (plain.startswith(core) or name_core(plain[: len(core) + 4]).startswith(core))


def _built_by(finder, companies: list, starts: list[int], end: int) -> str | None:
    """X项目由Y投资建设: the company named between 由 and the building verb after the project."""
    m = re.match(
        r"[^。；;\n]{0,12}?由([^。,，;；\n]{2,60}?)(?:投资|出资|建设|打造|承建)", finder.text[end : end + 90]
    )
    if not m:
        return None
    window = companies[bisect_left(starts, end + m.start(1)) : bisect_right(starts, end + m.end(1))]
    inside = [f for f in window if f[3] <= end + m.end(1)]
    return max(inside, key=lambda f: f[3] - f[2])[1] if inside else None


def find_phases(finder) -> None:
    """公司还启动了三期项目: a phase project belongs to the company named last before it (same paragraph)."""
    companies = sorted((f for f in finder.found if f[0] == "enterprise"), key=lambda f: f[2])
    starts = [f[2] for f in companies]
    for name, start in finder.phases:
        paragraph = finder.text.rfind("\n\n", max(0, start - 3000), start)
        prior = companies[bisect_right(starts, paragraph) : bisect_left(starts, start)]
        if prior:
            owner = max(prior, key=lambda f: f[2])[1]
            phase = name[:2]
            if any(
                k == "project" and phase in n and n.startswith((owner, phase)) for k, n, _, _ in finder.found
            ):
                continue  # 二期项目全部达产后 refers back to the 二期…项目 already named
            finder.put("project", name_core(owner) + name, start, start + len(name))
            finder.investors[(start, start + len(name))] = owner
