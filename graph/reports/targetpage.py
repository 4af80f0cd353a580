"""招商地图 as a web page (``chainkg serve`` at ``/map``): for each chain and each gap, the candidates by province
and city, as bars drawn in plain HTML/CSS and as a table, with the data's as-of line and sources.

Like the PNG of :mod:`graph.reports.targetmap` it draws no outline of China (no approved 审图号 outline is
licence-clean; ``docs/targets.md`` says why). The page is one self-contained HTML string: no external script,
style, font or image, so it works on an intranet with no internet. Every name comes from data and goes through
:func:`html.escape`; the small inline script only shows and hides sections that are already on the page.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, replace

from graph.analysis.provenance import About
from graph.analysis.targets import Ranking, Target
from graph.reports.targetmap import UNKNOWN, by_province

__all__ = ["CityRow", "ALL", "by_city", "map_page", "no_map_page"]

ALL = "*"  # the selector's value for "every chain" / "every gap of the chain"
KIND_ZH = {"missing": "补链", "weak": "强链", "extend": "延链", "verify": "待核实"}


@dataclass(frozen=True)
class CityRow:
    """Candidates in one (province, city): each company once, with its stock code and the segments it matches."""

    province: str
    city: str
    companies: tuple[tuple[str, str, tuple[str, ...], str], ...]  # (name, code, segment labels, source)


def by_city(targets: tuple[Target, ...] | list[Target]) -> list[CityRow]:
    """Group targets by (province, city): provinces by name, unknown last, then most companies first; a company
    counts once per place."""
    groups: dict[tuple[str, str], dict[str, tuple[str, set[str], str]]] = defaultdict(dict)
    for t in targets:
        key = (t.province or UNKNOWN, t.city or "")
        code, segments, source = groups[key].setdefault(t.name, (t.code, set(), t.source))
        segments.add(t.segment_label)
    rows = [
        CityRow(p, c, tuple((n, code, tuple(sorted(s)), src) for n, (code, s, src) in sorted(cos.items())))
        for (p, c), cos in groups.items()
    ]
    rows.sort(key=lambda r: (r.province == UNKNOWN, r.province, -len(r.companies), r.city == "", r.city))
    return rows


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _section(key: int, chain: str, gap: str, r: Ranking, hidden: bool) -> str:
    """One chain × gap: the province bars, then the province/city table."""
    provinces = by_province(r)
    total = sum(len(p.companies) for p in provinces)
    most = max((len(p.companies) for p in provinces), default=1)
    out = [
        f'<section id="s{key}" data-chain="{_e(chain)}" data-gap="{_e(gap)}"{" hidden" if hidden else ""}>',
        f'<p class="total">候选企业 candidates: <b>{total}</b> 家 companies, '
        f"<b>{len(provinces)}</b> 个省份 provinces"
        '<span class="legend">（条长为企业数；<span class="own-key">■</span> 园区所在省 '
        "bar length is the count; red is the zone's province）</span></p>",
    ]
    if not provinces:
        why = r.shortfalls.get(gap, "") if gap != ALL else ""
        out.append('<p class="none">池中无匹配企业 no company of the pool matches this gap</p>')
        out.append(f'<p class="note">{_e(why)}</p></section>' if why else "</section>")
        return "\n".join(out)
    out.append('<div class="bars" role="list">')
    for p in provinces:
        cities = "、".join(f"{c} {n}" for c, n in p.cities)
        width = max(2.0, 100.0 * len(p.companies) / most)
        own = " own" if p.same_province else ""
        out.append(
            f'<div class="bar{own}" role="listitem" data-province="{_e(p.province)}" '
            f'data-count="{len(p.companies)}"><span class="name">{_e(p.province)}</span>'
            f'<span class="track"><span class="fill" style="width:{width:.1f}%"></span></span>'
            f'<span class="n">{len(p.companies)}</span><span class="cities">{_e(cities)}</span></div>'
        )
    out.append("</div>")
    out.append(
        "<table><thead><tr><th>省份 province</th><th>城市 city</th><th>企业数 count</th>"
        "<th>企业（代码）companies (code)</th><th>匹配环节 segment matched</th></tr></thead><tbody>"
    )
    order = {p.province: i for i, p in enumerate(provinces)}
    for row in sorted(by_city(r.targets), key=lambda x: order.get(x.province, len(order))):
        n = len(row.companies)
        for j, (name, code, segments, source) in enumerate(row.companies):
            head = (
                f'<td rowspan="{n}">{_e(row.province)}</td><td rowspan="{n}">{_e(row.city or "未知 unknown")}</td>'
                f'<td rowspan="{n}" class="num">{n}</td>'
                if j == 0
                else ""
            )
            code_html = f' <span class="code">{_e(code)}</span>' if code else ""
            out.append(
                f'<tr data-province="{_e(row.province)}">{head}'
                f'<td class="co" title="来源 source: {_e(source)}">{_e(name)}{code_html}</td>'
                f"<td>{_e('、'.join(segments))}</td></tr>"
            )
    out.append("</tbody></table></section>")
    return "\n".join(out)


def _choices(r: Ranking) -> list[tuple[str, str, str, str]]:
    """(chain, chain label, gap segment or ALL, gap label) for every selector entry, in ranking order."""
    chains: dict[str, str] = {}
    gaps: dict[str, dict[str, str]] = defaultdict(dict)
    ids = {t.chain_label: t.chain for t in r.targets}
    for n in r.needs:
        chain_label, seg_label = r.labels.get(n.segment, ("", n.segment))
        chain = ids.get(
            chain_label, chain_label
        )  # a chain none of whose gaps has a match keeps its label as id
        chains.setdefault(chain, chain_label or chain)
        kind = KIND_ZH.get(n.kind, n.kind)
        gaps[chain][n.segment] = f"{seg_label}（{kind}）" if kind else seg_label
    out = [(ALL, "全部产业链 all chains", ALL, "全部缺口 all gaps")]
    for chain, label in chains.items():
        out.append((chain, label, ALL, "本链全部缺口 all gaps of the chain"))
        out += [(chain, label, seg, gap_label) for seg, gap_label in gaps[chain].items()]
    return out


_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em;margin:0 0 .3em} .about{color:#555;font-size:.9em;margin:.1em 0}
form{margin:1em 0} label{margin-right:1em} select{font-size:1em}
.bars{margin:1em 0;max-width:60em} .bar{display:flex;align-items:center;margin:2px 0}
.bar .name{width:6em;text-align:right;padding-right:.5em} .track{flex:0 0 18em;background:#eef2f6}
.fill{display:block;height:1.1em;background:#5b7fa6} .own .fill{background:#c62828}
.bar .n{width:2.5em;text-align:right;padding-right:.6em;font-weight:bold} .cities{color:#555;font-size:.85em}
table{border-collapse:collapse;margin-top:1em} th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f3f3f3;text-align:left} .num{text-align:right} .code{color:#666;font-size:.85em}
.legend{color:#555;font-size:.85em;margin-left:.6em} .own-key{color:#c62828}
.note{color:#555;font-size:.85em;max-width:60em} a{color:#1a5fb4}
"""

# Shows the section of the chosen chain and gap; builds no HTML from data (the sections are rendered server-side).
_SCRIPT = """
(function () {
  var chain = document.getElementById('chain'), gap = document.getElementById('gap');
  function show() {
    var c = chain.value, first = null;
    Array.prototype.forEach.call(gap.options, function (o) {
      o.hidden = o.getAttribute('data-chain') !== c;
      if (!o.hidden && first === null) { first = o; }
    });
    if (gap.selectedOptions[0].hidden) { gap.value = first.value; }
    var g = gap.selectedOptions[0].getAttribute('data-gap');
    document.querySelectorAll('section[data-chain]').forEach(function (s) {
      s.hidden = !(s.getAttribute('data-chain') === c && s.getAttribute('data-gap') === g);
    });
  }
  chain.addEventListener('change', show);
  gap.addEventListener('change', show);
  show();
})();
"""


def _frame(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>\n{body}\n</body></html>\n"
    )


def _nav() -> str:
    return '<p class="about"><a href="/">图谱 view</a> · <a href="/query">查询 SPARQL</a></p>'


def map_page(r: Ranking, about: About | None, *, pool: str) -> str:
    """The 招商地图 page of ranking ``r``; ``about`` gives the zone, as-of date and sources, ``pool`` the pool's path.

    Example:
        >>> page = map_page(Ranking(targets=(), needs=()), None, pool="seeds/pool")
        >>> "全部产业链 all chains" in page and "<script src" not in page
        True
    """
    zone = about.zone if about else ""
    title = f"{zone} 招商地图 where the candidates are".strip()
    chain_opts, gap_opts, sections = [], [], []
    seen: set[str] = set()
    for i, (chain, chain_label, seg, gap_label) in enumerate(_choices(r)):
        if chain not in seen:
            seen.add(chain)
            text = chain_label if chain == ALL or chain == chain_label else f"{chain_label} {chain}"
            chain_opts.append(f'<option value="{_e(chain)}">{_e(text)}</option>')
        gap_opts.append(
            f'<option value="{i}" data-chain="{_e(chain)}" data-gap="{_e(seg)}">{_e(gap_label)}</option>'
        )
        picked = tuple(
            t for t in r.targets if (chain == ALL or t.chain == chain) and (seg == ALL or t.segment == seg)
        )
        sections.append(_section(i, chain, seg, replace(r, targets=picked), hidden=i > 0))
    dates = sorted({t.data_date for t in r.targets if t.data_date})
    lines = about.lines() if about else ["数据截至 as of: 未知 unknown"]
    body = [
        _nav(),
        f"<h1>{_e(title)}</h1>",
        *(f'<p class="about">{_e(line)}</p>' for line in lines),
        f'<p class="about">候选池 pool: {_e(pool)}'
        + (f"；企业数据日期 company data dates: {_e('、'.join(dates))}" if dates else "")
        + "；每家企业的来源见其名称的提示 each company's source is in its name's tooltip</p>",
        '<form><label>产业链 chain <select id="chain">' + "".join(chain_opts) + "</select></label>"
        '<label>缺口 gap <select id="gap">' + "".join(gap_opts) + "</select></label></form>",
        *sections,
        '<p class="note">按总部省份、城市计数（每个缺口的排名候选，一家企业只计一次）；红色为园区所在省。不画中国地图轮廓：'
        "没有经审核（审图号）且许可清楚的边界数据，见 docs/targets.md。 Counted by headquarters province and city "
        "(the ranked candidates of each gap, each company once); red is the zone's province. No outline of China is drawn: no approved "
        "(审图号), licence-clean boundary data exists (docs/targets.md).</p>",
        f"<script>{_SCRIPT}</script>",
    ]
    return _frame(title, "\n".join(body))


def no_map_page(reason: str) -> str:
    """The ``/map`` page when there is nothing to map (the server reads a data file, or the seeds have no pool)."""
    body = f'{_nav()}<h1>招商地图 where the candidates are</h1><p class="none">{_e(reason)}</p>'
    return _frame("招商地图 where the candidates are", body)
