"""Where a company is (province, city): read from a pool's ``region`` field or from its registered name.

A Chinese registered name usually starts with its place of registration (深圳新宙邦科技股份有限公司 → 深圳 → 广东;
江西赣锋锂业… → 江西). :func:`place_from_name` reads that prefix against the provinces and their prefecture-level
cities below (the administrative divisions as published by the Ministry of Civil Affairs, 民政部 行政区划代码). The
place of registration is not always the headquarters, so a place read this way is marked as inferred wherever it is
shown. Names that start with a brand instead of a place (隆基绿能…, 比亚迪…) give no place: unknown, never a guess.
"""

from __future__ import annotations

__all__ = ["PROVINCES", "CITIES", "Place", "place_from_name", "parse_region"]

PROVINCES = (
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 广西 海南 "
    "重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 香港 澳门 台湾"
).split()

# Prefecture-level cities by province (地级市, short form without 市); municipalities are their own city.
_CITIES = {
    "河北": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布",
    "辽宁": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林": "长春 吉林 四平 辽源 通化 白山 松原 白城",
    "黑龙江": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化",
    "江苏": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",
    "安徽": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",
    "福建": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",
    "江西": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",
    "河南": "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店",
    "湖北": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州",
    "湖南": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底",
    "广东": "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮",
    "广西": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",
    "海南": "海口 三亚 三沙 儋州",
    "四川": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳",
    "贵州": "贵阳 六盘水 遵义 安顺 毕节 铜仁",
    "云南": "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧",
    "西藏": "拉萨 日喀则 昌都 林芝 山南 那曲",
    "陕西": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",
    "甘肃": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南",
    "青海": "西宁 海东",
    "宁夏": "银川 石嘴山 吴忠 固原 中卫",
    "新疆": "乌鲁木齐 克拉玛依 吐鲁番 哈密",
}
CITIES: dict[str, str] = {
    city: prov for prov, names in _CITIES.items() for city in names.split() if city != prov
}  # 吉林 the city is left out: 吉林… reads as the province
CITIES.update({m: m for m in ("北京", "天津", "上海", "重庆")})


class Place(tuple):
    """``(province, city)``; either may be empty when unknown."""

    __slots__ = ()

    def __new__(cls, province: str = "", city: str = "") -> Place:
        return super().__new__(cls, (province, city))

    @property
    def province(self) -> str:
        return self[0]

    @property
    def city(self) -> str:
        return self[1]


def place_from_name(name: str) -> Place:
    """The province and city a registered name starts with; ``Place("", "")`` when it starts with neither.

    Example:
        >>> place_from_name("深圳新宙邦科技股份有限公司"), place_from_name("江西赣锋锂业集团股份有限公司")
        (('广东', '深圳'), ('江西', ''))
        >>> place_from_name("宁德时代新能源科技股份有限公司"), place_from_name("隆基绿能科技股份有限公司")
        (('福建', '宁德'), ('', ''))
    """
    name = (name or "").strip()
    for prov in sorted(PROVINCES, key=len, reverse=True):
        if name.startswith(prov):
            rest = name[len(prov) :].lstrip("省市自治区")
            if CITIES.get(prov) == prov:
                return Place(prov, prov)
            city = next((c for c in _CITIES.get(prov, "").split() if rest.startswith(c)), "")
            return Place(prov, city)
    for city in sorted(CITIES, key=len, reverse=True):
        if name.startswith(city):
            return Place(CITIES[city], city)
    return Place()


def parse_region(text: str) -> Place:
    """Read a pool ``region`` value such as ``广东``, ``广东 深圳``, ``广东省深圳市`` or ``上海``.

    Example:
        >>> parse_region("广东省深圳市"), parse_region("江西 上饶"), parse_region("上海")
        (('广东', '深圳'), ('江西', '上饶'), ('上海', '上海'))
    """
    text = (text or "").replace(" ", "").replace("/", "")
    for prov in sorted(PROVINCES, key=len, reverse=True):
        if text.startswith(prov):
            rest = text[len(prov) :]
            for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
                if rest.startswith(suffix):
                    rest = rest[len(suffix) :]
                    break
            city = rest.removesuffix("市")
            if CITIES.get(prov) == prov:
                city = prov
            return Place(prov, city)
    return Place()
