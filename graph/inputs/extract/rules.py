"""The word lists and small text rules behind :mod:`graph.inputs.extract.propose`: names, numbers, units, periods, statuses.

The rules describe how Chinese zone reports write (…有限公司, 总投资X亿元的…项目, 引进了A、B及C三家…企业,
同比增长Y%), not any one article. Every function here is pure.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

__all__ = [
    "LEGAL_SUFFIXES",
    "SHORT_SUFFIXES",
    "PROJECT_SUFFIXES",
    "STATUS_WORDS",
    "PLANNED_WORDS",
    "ROLE_WORDS",
    "APPROX_WORDS",
    "FIGURE",
    "PERIOD",
    "cn_number",
    "trim_lead",
    "name_core",
    "is_generic",
    "clause_bounds",
]

# Legal-form endings of full company names, longest first.
LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司")
# Endings of short company names (晶科能源, 捷泰科技, 一舟集团, 江西铜业): industry words used as name tails.
SHORT_SUFFIXES = (
    "新能源", "新材料", "微电子", "半导体", "商用车", "科技", "能源", "光电", "集团", "股份", "电子", "光伏",
    "材料", "铜业", "钢铁", "化工", "电气", "汽车", "控股", "实业", "光学", "精密", "智能", "锂业",
    "电池", "动力", "储能", "电力", "机械", "装备", "药业", "医药", "显示", "照明", "通信",
)  # fmt: skip
# Endings of project names, longest first.
# (…工业园 is a zone, not a project: a report's parks are where projects go.)
PROJECT_SUFFIXES = ("产业园项目", "科技园项目", "项目", "产业园", "科技园", "基地")
# Words that say what happened to a project, by status id (graph.seeds.model.STATUSES).
STATUS_WORDS = {
    "in_production": ("投产", "达产", "点火", "下线", "竣工", "量产", "投运", "并网", "建成", "试生产"),
    "under_construction": (
        "开工",
        "动工",
        "在建",
        "启动",
        "奠基",
        "建设中",
        "加快建设",
        "主体完工",
        "施工",
        "正在建设",
        "加快推进",
    ),  # fmt: skip
    "signed": ("签约", "签订", "落户", "引进", "引入", "入驻", "落地", "招引", "签下"),
}
# Words before a status word that make it a plan (即将落地, 拟建, 计划投产): kept apart as "planned".
PLANNED_WORDS = ("即将", "拟", "计划", "规划", "筹建", "预计")
# A role noun before a name (光伏产品供应商东方日升): the name starts after it.
ROLE_WORDS = ("供应商", "制造商", "提供商", "生产商", "服务商", "运营商", "生产企业", "龙头企业", "企业")
APPROX_WORDS = ("约", "近", "余", "多", "以上", "逾", "超过", "突破", "左右", "超")
# Province and large-city names: a leading region word starts a company name (江西兆九光电…).
REGIONS = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
    "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门", "宁波", "广州", "深圳", "厦门", "苏州",
)  # fmt: skip
# Words that precede a name and are not part of it (verbs, articles, roles), longest first when used.
LEAD_WORDS = (
    "走进", "来到", "位于", "引进了", "引进", "引入了", "引入", "落户了", "落户", "布局了", "布局", "签约",
    "还有", "包括", "其中", "以及", "头部企业", "龙头企业", "链主企业", "企业", "公司", "还", "在", "与", "和",
    "及", "是", "由", "为", "对", "了", "的", "把", "将", "同", "从", "等", "如", "像", "让", "向", "总投资",
    "随着", "瞄准", "紧盯", "不仅", "而且", "同时", "目前", "今年", "去年",
)  # fmt: skip
# Words that never make a name by themselves: industries, qualities, places in general, verbs of reports.
GENERIC = (
    "新能源", "锂电", "光伏", "光电", "新光电", "储能", "电池", "汽车", "电子", "信息", "数字", "智能", "科技",
    "能源", "材料", "产业", "企业", "高新", "高新技术", "规上", "全区", "全市", "全省", "全国", "新型",
    "传统", "中小", "高端", "先进", "绿色", "低碳", "生态", "未来", "重点", "主导", "特色", "配套", "上游",
    "中游", "下游", "应用端", "一体化", "国家级", "省级", "市级", "已建", "在建", "新建", "续建", "招商",
    "引进", "实施", "推进", "探索", "积极", "建设", "系列", "总部", "示范", "产业化", "孵化", "创新",
    "研发", "服务", "本", "该", "各", "多", "大", "新", "老", "一批", "一期", "二期", "三期", "四期", "首期",
    "集团", "股份", "项目", "生产", "制造", "基地", "工厂", "园区", "城市", "开发区", "经开区", "高新区",
)  # fmt: skip

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = "[零〇一二两三四五六七八九十百千]+"
NUM = r"\d+(?:\.\d+)?"
# Figure units as chainkg writes them (graph.vocab.units), longest first; 万米 per day is recognised separately.
UNIT_WORDS = (
    "个百分点", "平方公里", "亿平方米", "万平方米", "平方米", "亿余元", "万余元", "亿元", "万元", "万吨/年", "万吨",
    "吨", "吉瓦时", "GWh", "MWh", "兆瓦/年", "兆瓦", "吉瓦", "GW", "MW", "万Ah", "t/d", "万台(套)", "万台", "万套",
    "万辆", "万支", "万盏", "万片", "公里", "亩", "%", "％", "家", "人", "个", "项", "件", "座", "条", "年", "万米",
)  # fmt: skip
FIGURE = re.compile(
    rf"(?P<value>{NUM}|{CN_NUM})(?:(?:至|到|-|~|—)(?P<value2>{NUM}|{CN_NUM}))?(?P<more>余|多)? ?"
    rf"(?P<unit>{'|'.join(re.escape(u) for u in UNIT_WORDS)})(?![A-Za-z])"
)
# Period phrases, longest alternatives first.
PERIOD = re.compile(
    r"(?:今年|去年|上年|\d{4}年)?(?:前三季度|上半年|下半年|第[一二三四]季度|[一二三四]季度|全年|"
    r"\d{1,2}(?:至|到|-|—)\d{1,2}月(?:份)?|\d{1,2}月(?:份)?)|近\d+个月|近[一二三四五六七八九十]+个月|\d{4}年(?!\d)"
)


def cn_number(text: str) -> Decimal | None:
    """Return the value of an Arabic or Chinese numeral, or None.

    Example:
        >>> cn_number("1668.6"), cn_number("三"), cn_number("十二"), cn_number("三百"), cn_number("五十六")
        (Decimal('1668.6'), Decimal('3'), Decimal('12'), Decimal('300'), Decimal('56'))
    """
    if re.fullmatch(NUM, text):
        return Decimal(text)
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    return Decimal(total + (digit or 0))


def trim_lead(name: str, *, joins: bool = True) -> str:
    """Cut what precedes a name: everything up to the last 的/了/与/由 (and 及/、 unless ``joins`` is False, as in
    project names: …电池及配套…项目), a role noun (供应商), a region word, then leading verbs.

    Example:
        >>> trim_lead("上游材料的宏信锂电碳负极"), trim_lead("引进了安驰科技"), trim_lead("走进江西兆九光电")
        ('宏信锂电碳负极', '安驰科技', '江西兆九光电')
        >>> trim_lead("该项目由浙江澜舟新能源科技")
        '浙江澜舟新能源科技'
    """
    marks = ("的", "了", "与", "由", *(("及", "、") if joins else ()), *ROLE_WORDS)
    for mark in marks:  # 本地企业兰溪华晟…: a descriptor, then the name; …领导及南京国轩…: a list
        if mark in name[:-1] and len(name) - name.rindex(mark) - len(mark) >= 2:
            name = name[name.rindex(mark) + len(mark) :]
    plain = re.split(r"[(（]", name)[0]
    at = min((plain.find(r) for r in REGIONS if plain.find(r) > 0), default=-1)
    if at > 0:  # 走进江西兆九光电…: a company's full name starts with its region
        name = name[at:]
    changed = True
    while changed:
        changed = False
        for word in sorted(LEAD_WORDS, key=len, reverse=True):
            if name.startswith(word) and len(name) > len(word) + 1:
                name, changed = name[len(word) :], True
                break
    return name


@lru_cache(maxsize=65536)
def name_core(name: str) -> str:
    """The distinctive part of a company name, for matching its forms: no legal form, region or industry tail.

    Example:
        >>> name_core("安驰新能源科技有限公司"), name_core("安驰科技"), name_core("江西彩虹光伏有限公司")
        ('安驰', '安驰', '彩虹')
        >>> name_core("江西铜业"), name_core("青网(上饶)")
        ('江西铜业', '青网')
    """
    core = re.sub(r"[(（][^)）]*[)）]", "", name)
    for suffix in LEGAL_SUFFIXES:
        if core.endswith(suffix):
            core = core[: -len(suffix)]
            break
    changed = True
    while changed:
        changed = False
        for suffix in sorted(SHORT_SUFFIXES + ("技术",), key=len, reverse=True):
            if core.endswith(suffix) and len(core) - len(suffix) >= 2 and core[: -len(suffix)] not in REGIONS:
                core, changed = core[: -len(suffix)], True
                break
    for region in sorted(REGIONS, key=len, reverse=True):
        rest = core[len(region) :]
        if core.startswith(region) and len(rest) >= 2 and rest not in SHORT_SUFFIXES:
            core = core[len(region) :]
            break
    return core


def is_generic(text: str) -> bool:
    """Tell whether ``text`` is made only of generic words (industries, verbs, qualities) and digits.

    Example:
        >>> is_generic("一体化光伏"), is_generic("重点"), is_generic("藤青青")
        (True, True, False)
    """
    rest = re.sub(r"[\d\sA-Za-z()（）“”\"]", "", text)
    words = sorted(GENERIC, key=len, reverse=True)
    while rest:
        word = next((w for w in words if rest.startswith(w)), None)
        if word is None:
            return False
        rest = rest[len(word) :]
    return True


_CLAUSE_MAX = 300  # a clause longer than this is not a clause but unpunctuated text
_CLAUSE_END = re.compile(r"[。！？!?；;\n]|[，,:：](?!\d)")


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the clause around ``text[start:end]``: from after the previous comma or stop to the next one.

    Example:
        >>> text = "一是,总投资20亿元的甲项目落户,二是"
        >>> a, b = clause_bounds(text, 10, 13)
        >>> text[a:b]
        '总投资20亿元的甲项目落户'
    """
    # Look no further than _CLAUSE_MAX characters either way, so that the cost does not grow with the text.
    lo = max(0, start - _CLAUSE_MAX)
    left = max((m.end() for m in _CLAUSE_END.finditer(text, lo, start)), default=lo)
    hi = min(len(text), end + _CLAUSE_MAX)
    right = _CLAUSE_END.search(text, end, hi)
    return left, right.start() if right else hi
