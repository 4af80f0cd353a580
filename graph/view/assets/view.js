/* chainkg view (docs/view.md): search, filters, side panel with sources, article highlight, zh/en labels, stage lanes,
   and the aggregated overview of big graphs. It runs after pyvis's drawGraph(), whose globals are `network`,
   `nodes` and `edges`. Every name, quote and figure is data: it is only ever set with textContent, never as HTML. */
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("ckg-data").textContent);
  const N = D.nodes;
  const byId = new Map(N.map((n, i) => [n.i, i]));
  const out = N.map(() => []);
  const inc = N.map(() => []);
  D.edges.forEach((e, k) => { out[e[0]].push(k); inc[e[1]].push(k); });
  const $ = (id) => document.getElementById(id);
  const LIMIT = 300; // members added per expansion of an aggregated node
  const kindsPresent = [...new Set(N.map((n) => n.k))].sort();
  const state = { chain: "", stage: "", status: "", date: "", gaps: false, kinds: new Set(kindsPresent.concat(["group"])) };
  let lang = "zh";
  let current = null;

  // Overview groups of big graphs: segment id (or "group:<kind>") -> member indices, biggest investment first.
  const members = new Map();
  const expanded = new Set();
  if (D.big) {
    N.forEach((n, i) => { if (n.g) { if (!members.has(n.g)) members.set(n.g, []); members.get(n.g).push(i); } });
    for (const list of members.values()) {
      list.sort((a, b) => (N[b].an || 0) - (N[a].an || 0) || (N[b].inv || 0) - (N[a].inv || 0) || (N[a].l < N[b].l ? -1 : 1));
    }
  }
  // Stages and chains of gap nodes stay visible under "only gaps", so a gap keeps its lane context.
  const gapContext = new Set();
  N.forEach((n) => { if (n.gap) { gapContext.add(n.i); (n.s || []).forEach((s) => gapContext.add(s)); (n.c || []).forEach((c) => gapContext.add(c)); } });

  function pair(p) { return p ? p[0] + " " + p[1] : ""; }
  function kindName(k) { return pair(D.kinds[k] || [k, k]); }
  function name(n) { return lang === "en" && n.e ? n.e : n.l; }
  function other(n) { return lang === "en" ? (n.e ? n.l : "") : (n.e || ""); }
  function bucketLabel(id) {
    const k = id.slice(6);
    const kn = D.kinds[k] || [k, k];
    const count = (members.get(id) || []).length;
    return (lang === "en" ? kn[1] + " (no segment)" : kn[0] + "（未归入环节）") + " · " + count;
  }
  const FONT_FACE = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif";
  function visLabel(id) {
    if (id.startsWith("group:")) return bucketLabel(id);
    const n = N[byId.get(id)];
    if (!n) return id;
    const label = name(n);
    return D.big && members.has(id) && !expanded.has(id) ? label + " · " + members.get(id).length : label;
  }
  function titleText(n) {
    const lines = [n.l];
    if (n.e) lines.push(n.e);
    if (n.a) lines.push("别名 aliases: " + n.a.split("|").join(", "));
    lines.push(kindName(n.k));
    return lines.join("\n");
  }
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  // ---- filters ----------------------------------------------------------------------------------------------
  function passes(id) {
    if (id.startsWith("group:")) return !state.chain && !state.stage && !state.gaps && state.kinds.has(id.slice(6));
    const n = N[byId.get(id)];
    if (!n) return true;
    if (!state.kinds.has(n.k)) return false;
    // A chain alone: its skeleton and the firms placed in it themselves, not the zone or investors beside them.
    const skeleton = n.k === "chain" || n.k === "stage" || n.k === "segment";
    if (state.chain && !((skeleton ? n.c : n.oc) || []).includes(state.chain)) return false;
    if (state.stage && !(n.s || []).includes(state.stage)) return false;
    if (state.status && n.k === "project" && n.st !== state.status) return false;
    if (state.date && n.k === "project") {
      const [milestone, year] = state.date.split(":");
      if (!((n.dt || {})[milestone] || "").startsWith(year)) return false;
    }
    if (state.gaps && !gapContext.has(n.i)) return false;
    return true;
  }
  function applyFilters(fit) {
    const updates = [];
    nodes.forEach((v) => { const hidden = !passes(v.id); if (Boolean(v.hidden) !== hidden) updates.push({ id: v.id, hidden }); });
    if (updates.length) nodes.update(updates);
    const shown = nodes.getIds({ filter: (v) => !v.hidden });
    $("ckg-count").textContent = "显示 shown " + shown.length + " / 共 total " + N.length + " 节点 nodes";
    if (fit && shown.length) network.fit({ nodes: shown, animation: false }); // zoom to what the filter left
    scheduleLabels();
  }
  function resetFilters() {
    state.chain = state.stage = state.status = state.date = "";
    state.gaps = false;
    state.kinds = new Set(kindsPresent.concat(["group"]));
    $("ckg-chain").value = $("ckg-stage").value = $("ckg-status").value = $("ckg-date").value = "";
    $("ckg-gaps").checked = false;
    document.querySelectorAll("#ckg-kind-list input").forEach((box) => { box.checked = true; });
    fillStages();
    applyFilters(true);
  }
  function option(select, value, text) { const o = el("option", text); o.value = value; select.appendChild(o); }
  function fillStages() {
    const select = $("ckg-stage");
    while (select.options.length > 1) select.remove(1);
    const chains = new Map(D.chains.map((c) => [c.i, c]));
    D.stages.filter((s) => !state.chain || s.c === state.chain).forEach((s) => {
      const c = chains.get(s.c);
      option(select, s.i, (c ? (lang === "en" && c.e ? c.e : c.l) + " / " : "") + (lang === "en" && s.e ? s.e : s.l));
    });
    select.value = state.stage;
  }
  function setupControls() {
    D.chains.forEach((c) => option($("ckg-chain"), c.i, c.l + (c.e ? " " + c.e : "")));
    fillStages();
    Object.keys(D.statuses).forEach((k) => option($("ckg-status"), k, pair(D.statuses[k])));
    // 签约 / 开工 / 投产 by year, from the dates the seeds give (a project without that date is hidden)
    const years = new Set();
    N.forEach((n) => Object.entries(n.dt || {}).forEach(([m, d]) => years.add(m + ":" + d.slice(0, 4))));
    Object.keys(D.milestones).forEach((m) => [...years].filter((y) => y.startsWith(m + ":")).sort().forEach((y) => {
      option($("ckg-date"), y, D.milestones[m][0] + " " + y.split(":")[1] + " " + D.milestones[m][1]);
    }));
    $("ckg-date").addEventListener("change", (ev) => { state.date = ev.target.value; applyFilters(); });
    kindsPresent.forEach((k) => {
      const label = el("label");
      const box = document.createElement("input");
      box.type = "checkbox"; box.checked = true; box.value = k;
      box.addEventListener("change", () => { if (box.checked) state.kinds.add(k); else state.kinds.delete(k); applyFilters(); });
      label.append(box, " " + kindName(k));
      $("ckg-kind-list").appendChild(label);
    });
    $("ckg-chain").addEventListener("change", (ev) => {
      state.chain = ev.target.value;
      if (state.stage && !D.stages.some((s) => s.i === state.stage && (!state.chain || s.c === state.chain))) state.stage = "";
      fillStages(); applyFilters(true);
    });
    $("ckg-stage").addEventListener("change", (ev) => { state.stage = ev.target.value; applyFilters(true); });
    $("ckg-status").addEventListener("change", (ev) => { state.status = ev.target.value; applyFilters(); });
    $("ckg-gaps").addEventListener("change", (ev) => { state.gaps = ev.target.checked; applyFilters(true); });
    $("ckg-reset").addEventListener("click", resetFilters);
    $("ckg-lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; applyLanguage(); });
    $("ckg-panel-close").addEventListener("click", () => { $("ckg-panel").hidden = true; $("ckg-article").hidden = true; });
    $("ckg-article-close").addEventListener("click", () => { $("ckg-article").hidden = true; });
  }

  // ---- language ---------------------------------------------------------------------------------------------
  function applyLanguage() {
    $("ckg-lang").textContent = lang === "zh" ? "EN" : "中文";
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    nodes.update(nodes.getIds().map((id) => ({ id, label: visLabel(id) })));
    layoutLabels(); // the other language's names have other widths
    fillStages();
    if (current !== null) showPanel(current);
    network.redraw();
  }

  // ---- big graphs: expand an aggregated node ---------------------------------------------------------------
  function visNode(i, x, y) {
    const n = N[i];
    return Object.assign({ id: n.i, label: visLabel(n.i), title: titleText(n), x, y, kind: n.k, hidden: !passes(n.i) }, D.styles[n.y]);
  }
  function addEdgesOf(indices) {
    const add = [];
    indices.forEach((i) => {
      out[i].concat(inc[i]).forEach((k) => {
        const e = D.edges[k];
        if (nodes.get(N[e[0]].i) && nodes.get(N[e[1]].i) && !edges.get("e" + k)) {
          add.push(Object.assign({ id: "e" + k, from: N[e[0]].i, to: N[e[1]].i, title: e[2], arrows: "to" }, D.edgeStyles[e[2]] || {}));
        }
      });
    });
    const seen = new Set();
    edges.add(add.filter((e) => !seen.has(e.id) && seen.add(e.id)));
  }
  function place(centre, count, start) {
    // Rings around the aggregated node, 46 px apart along each ring, so members stay near their segment.
    const spots = [];
    let ring = 1, slot = 0, k = 0;
    while (spots.length < start + count) {
      const radius = 70 + 55 * ring;
      const cap = Math.floor((2 * Math.PI * radius) / 46);
      if (k >= start) spots.push({ x: centre.x + radius * Math.cos((2 * Math.PI * slot) / cap), y: centre.y + radius * Math.sin((2 * Math.PI * slot) / cap) });
      k++; slot++;
      if (slot >= cap) { ring++; slot = 0; }
    }
    return spots.slice(start);
  }
  function expand(groupId) {
    if (!members.has(groupId) || expanded.has(groupId)) return;
    expanded.add(groupId);
    const centre = network.getPositions([groupId])[groupId] || { x: 0, y: 0 };
    const list = members.get(groupId).filter((i) => !nodes.get(N[i].i)).slice(0, LIMIT);
    const spots = place(centre, list.length, 0);
    nodes.add(list.map((i, j) => visNode(i, spots[j].x, spots[j].y)));
    addEdgesOf(list);
    nodes.update([{ id: groupId, label: visLabel(groupId) }]);
    applyFilters();
  }
  function collapse(groupId) {
    if (!expanded.has(groupId)) return;
    expanded.delete(groupId);
    const gone = new Set(members.get(groupId).map((i) => N[i].i).filter((id) => nodes.get(id)));
    edges.remove(edges.getIds({ filter: (e) => gone.has(e.from) || gone.has(e.to) }));
    nodes.remove([...gone]);
    nodes.update([{ id: groupId, label: visLabel(groupId) }]);
    applyFilters();
  }
  function ensureShown(i) {
    const n = N[i];
    if (nodes.get(n.i)) return;
    if (n.g) expand(n.g);
    if (!nodes.get(n.i)) {
      const centre = (n.g && network.getPositions([n.g])[n.g]) || { x: 0, y: 0 };
      nodes.add([visNode(i, centre.x + 40, centre.y - 60)]);
      addEdgesOf([i]);
    }
  }
  function focusNode(id) {
    const i = byId.get(id);
    if (i !== undefined) ensureShown(i);
    if (!passes(id)) resetFilters();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    showPanel(id);
  }

  // ---- side panel -------------------------------------------------------------------------------------------
  function link(i, rel) {
    const li = el("li");
    const button = el("button", name(N[i]), "ckg-link");
    button.type = "button";
    button.addEventListener("click", () => focusNode(N[i].i));
    li.appendChild(button);
    if (rel) li.appendChild(el("span", rel, "ckg-rel"));
    return li;
  }
  function fill(list, items, limit) {
    list.replaceChildren();
    items.slice(0, limit).forEach((item) => list.appendChild(item));
    if (items.length > limit) list.appendChild(el("li", "… 另有 more: " + (items.length - limit)));
    if (!items.length) list.appendChild(el("li", "无 none", "ckg-note"));
  }
  function meta(dl, term, value) {
    if (value === undefined || value === null || value === "") return;
    dl.append(el("dt", term), el("dd", String(value)));
  }
  function evidenceItem(ev) {
    const span = el("span");
    if (ev.q) {
      span.appendChild(el("span", "“" + ev.q + "”", "ckg-quote"));
      if (ev.doc && D.articles[ev.doc]) {
        const show = el("button", "在原文中显示 show in article", "ckg-show");
        show.type = "button";
        show.addEventListener("click", () => showArticle(ev.doc, ev.s, ev.e, ev.q));
        span.appendChild(show);
      }
    } else if (ev.src) {
      span.appendChild(el("span", "来源 source: " + ev.src + (ev.note ? " — " + ev.note : ""), "ckg-note"));
    }
    return span;
  }
  function showPanel(id) {
    current = id;
    const panel = $("ckg-panel");
    const dl = $("ckg-panel-meta");
    const actions = $("ckg-panel-actions");
    dl.replaceChildren(); actions.replaceChildren();
    const i = byId.get(id);
    if (i === undefined) { // an aggregated bucket of nodes outside every segment
      $("ckg-targets-box").hidden = true;
      $("ckg-panel-title").textContent = visLabel(id);
      $("ckg-panel-sub").textContent = kindName("group");
      fill($("ckg-facts"), [], 0);
      fill($("ckg-up"), [], 0);
      fill($("ckg-down"), (members.get(id) || []).map((m) => link(m, kindName(N[m].k))), 200);
      panel.hidden = false;
      return;
    }
    const n = N[i];
    $("ckg-panel-title").textContent = name(n);
    $("ckg-panel-sub").textContent = [other(n), kindName(n.k)].filter(Boolean).join(" · ");
    const chains = new Map(D.chains.map((c) => [c.i, c]));
    meta(dl, "别名 aliases", n.a ? n.a.split("|").join("、") : "");
    meta(dl, "产业链 chain", (n.c || []).map((c) => (chains.get(c) ? name(chains.get(c)) : c)).join("、"));
    meta(dl, "阶段 stage", (n.s || []).map((s) => (byId.has(s) ? name(N[byId.get(s)]) : s)).join("、"));
    if (n.inv) meta(dl, "投资 investment", n.inv + " 亿元 (100 million yuan)");
    if (n.st) meta(dl, "状态 status", pair(D.statuses[n.st] || [n.st, n.st]));
    if (n.an) meta(dl, "链主 anchor", "是 yes");
    if (n.rv === 0) meta(dl, "审核 review", "未审核的机器提议 unreviewed machine proposal");
    if (n.gap) meta(dl, "缺口 gap", gapName(n.gap) + (n.gs !== undefined ? " · 得分 score " + n.gs : "") + (n.gr ? " · " + n.gr : ""));
    if (n.cv) meta(dl, "覆盖状态 coverage", n.cv);
    fillTargets(n);
    if (members.has(id)) {
      const count = members.get(id).length;
      meta(dl, "成员 members", count);
      const open = expanded.has(id);
      const button = el("button", open ? "收起成员 collapse members" : "展开成员 expand members (" + Math.min(count, LIMIT) + ")");
      button.type = "button";
      button.addEventListener("click", () => { if (open) collapse(id); else expand(id); showPanel(id); });
      actions.appendChild(button);
    }
    const facts = (n.f || []).map((f) => {
      const li = el("li");
      li.appendChild(el("strong", f.p + " " + f.pe + ": "));
      const value = lang === "en" ? f.oe || f.o : f.o;
      if (f.ref && byId.has(f.ref)) {
        const button = el("button", value, "ckg-link");
        button.type = "button";
        button.addEventListener("click", () => focusNode(f.ref));
        li.appendChild(button);
      } else {
        li.appendChild(document.createTextNode(value));
      }
      (f.ev || []).forEach((ev) => li.appendChild(evidenceItem(ev)));
      return li;
    });
    (n.q || []).forEach((q) => { const li = el("li"); li.appendChild(evidenceItem({ q, doc: Object.keys(D.articles)[0] })); facts.push(li); });
    fill($("ckg-facts"), facts, 500);
    const relation = (k) => pair(D.edgeNames[D.edges[k][2]] || [D.edges[k][2], ""]);
    fill($("ckg-up"), inc[i].map((k) => link(D.edges[k][0], relation(k))), 150);
    fill($("ckg-down"), out[i].map((k) => link(D.edges[k][1], relation(k))), 150);
    panel.hidden = false;
  }

  const GAP_NAMES = { missing: "补链 missing", weak: "强链 weak", extend: "延链 extend", verify: "待核实 to verify (unknown)" };
  function gapName(kind) { return GAP_NAMES[kind] || kind; }
  function fillTargets(n) {
    // A gap's top targets (招商目标) with the ranking's reason; a gap without ranked targets says so.
    const box = $("ckg-targets-box");
    const list = $("ckg-targets");
    list.replaceChildren();
    box.hidden = !n.gap && !(n.tg || []).length;
    (n.tg || []).forEach((t) => {
      const li = el("li", (lang === "en" && t.oe ? t.oe : t.o) + (t.code ? " (" + t.code + ")" : ""));
      if (t.why) li.appendChild(el("span", t.why, "ckg-why"));
      list.appendChild(li);
    });
    if (!list.children.length) list.appendChild(el("li", "没有排名的目标 no ranked target (no candidate pool matches this gap)", "ckg-note"));
  }

  // ---- article reader ---------------------------------------------------------------------------------------
  function showArticle(doc, start, end, quote) {
    const article = D.articles[doc];
    const chars = Array.from(article.text); // offsets count code points, as in the seeds
    if (start === undefined || chars.slice(start, end).join("") !== quote) {
      const at = article.text.indexOf(quote); // no offsets (or stale ones): find the quote itself
      start = at < 0 ? 0 : Array.from(article.text.slice(0, at)).length;
      end = at < 0 ? 0 : start + Array.from(quote).length;
    }
    const mark = el("mark", chars.slice(start, end).join(""));
    mark.id = "ckg-mark";
    $("ckg-article-title").textContent = article.title || doc;
    $("ckg-article-text").replaceChildren(document.createTextNode(chars.slice(0, start).join("")), mark,
      document.createTextNode(chars.slice(end).join("")));
    $("ckg-article").hidden = false;
    mark.scrollIntoView({ block: "center" });
  }

  // ---- search -----------------------------------------------------------------------------------------------
  let hay = null;
  let results = [];
  let active = 0;
  function search(text) {
    const q = text.trim().toLowerCase();
    if (!q) return [];
    if (!hay) hay = N.map((n) => [n.l, n.e || "", n.a || ""].join("|").toLowerCase());
    const found = [];
    for (let i = 0; i < N.length; i++) {
      if (!hay[i].includes(q)) continue;
      const names = hay[i].split("|");
      const score = names.includes(q) ? 0 : names.some((s) => s.startsWith(q)) ? 1 : 2;
      found.push([score, N[i].l.length, N[i].l, i]);
    }
    found.sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
    return found.slice(0, 30).map((f) => f[3]);
  }
  function showResults() {
    const list = $("ckg-results");
    list.replaceChildren();
    results.forEach((i, j) => {
      const li = el("li", name(N[i]));
      li.appendChild(el("small", [other(N[i]), kindName(N[i].k)].filter(Boolean).join(" · ")));
      if (j === active) li.className = "active";
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); pick(i); });
      list.appendChild(li);
    });
    if (!results.length && $("ckg-search").value.trim()) list.appendChild(el("li", "没有匹配 no match"));
    list.hidden = !$("ckg-search").value.trim();
  }
  function pick(i) {
    $("ckg-results").hidden = true;
    focusNode(N[i].i);
  }
  function setupSearch() {
    const input = $("ckg-search");
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => { results = search(input.value); active = 0; showResults(); }, N.length > 20000 ? 150 : 0);
    });
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        active = Math.max(0, Math.min(results.length - 1, active + (ev.key === "ArrowDown" ? 1 : -1)));
        showResults(); ev.preventDefault();
      } else if (ev.key === "Enter") {
        results = search(input.value);
        if (results.length) pick(results[Math.min(active, results.length - 1)]);
      } else if (ev.key === "Escape") {
        $("ckg-results").hidden = true;
      }
    });
    input.addEventListener("blur", () => { $("ckg-results").hidden = true; });
  }

  // ---- legend and lanes -------------------------------------------------------------------------------------
  const SVG = "http://www.w3.org/2000/svg";
  function shape(kind, fill, stroke, dashed) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "22"); svg.setAttribute("height", "16");
    const paths = {
      box: "M2 3h18v10H2z", dot: "M11 2a6 6 0 1 0 0.01 0z", diamond: "M11 1l8 7-8 7-8-7z", square: "M4 2h13v12H4z",
      hexagon: "M6 2h10l4 6-4 6H6l-4-6z", star: "M11 1l2.6 5 5.4.6-4 3.8 1 5.4-5-2.6-5 2.6 1-5.4-4-3.8 5.4-.6z",
      triangle: "M11 2l8 12H3z", line: "M1 8h20",
    };
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", paths[kind]);
    path.setAttribute("fill", kind === "line" ? "none" : fill);
    path.setAttribute("stroke", stroke); path.setAttribute("stroke-width", kind === "line" ? "2" : "1.6");
    if (dashed) path.setAttribute("stroke-dasharray", "4 3");
    svg.appendChild(path);
    return svg;
  }
  function setupLegend() {
    const st = D.states;
    const items = [
      ["box", "#2f3e4e", "#2f3e4e", false, "产业链 chain"], ["box", "#4e79a7", "#4e79a7", false, "阶段 stage (按顺序着色 coloured by order)"],
      ["box", "#ffffff", st.present[1], false, "已有环节 present segment (本地有企业或项目)"],
      ["box", st["present-unnamed"][0], st["present-unnamed"][1], true, "已有·未具名 present, no firm named (来源说有 a source says so)"],
      ["box", st.weak[0], st.weak[1], false, "薄弱环节 weak segment (强链)"],
      ["box", st.missing[0], st.missing[1], true, "缺失环节 missing segment (补链)"],
      ["box", st.extend[0], st.extend[1], true, "可延伸阶段 extension (延链)"],
      ["box", st.verify[0], st.verify[1], true, "未知·待核实 unknown, to verify (未点名≠不存在)"],
      ["box", "#ffffff", "#4e79a7", false, "环节 segment (无本地企业 no local firm named)"],
      ["dot", "#4e79a7", "#2f4b6e", false, "企业 enterprise (大小=投资 size = investment)"], ["dot", "#1f3b5c", "#d4a72c", false, "链主企业 anchor enterprise"],
      ["diamond", "#7b6fb0", "#4b3f80", false, "签约项目 signed project"], ["square", "#7b6fb0", "#4b3f80", false, "在建项目 project under construction"],
      ["hexagon", "#7b6fb0", "#4b3f80", false, "投产项目 project in production"], ["star", "#d4a72c", "#a07d10", false, "园区 zone"],
      ["triangle", "#c9a45c", "#8a6d2f", false, "地点 place"], ["line", "", "#4e79a7", false, "上游→下游 upstream → downstream"],
      ["line", "", "#3f8f8a", true, "回收回流 recycling loop"], ["line", "", "#7b6fb0", true, "投资方 investor"],
    ];
    if (D.big) items.push(["box", "#eef1f4", "#7f8c8d", false, "点击环节展开成员 click a segment to expand its members"]);
    items.forEach(([kind, fill, stroke, dashed, text]) => {
      const li = el("li");
      li.append(shape(kind, fill, stroke, dashed), el("span", text));
      $("ckg-legend-list").appendChild(li);
    });
  }
  function drawLanes(ctx) {
    ctx.save();
    (D.lanes || []).forEach((lane) => {
      if (state.chain && lane.c !== state.chain) return;
      ctx.fillStyle = lane.col + "1c";
      ctx.fillRect(lane.x0, lane.y0, lane.x1 - lane.x0, lane.y1 - lane.y0);
    });
    ctx.restore();
  }

  function setupLegendToggle() {
    // Folded on screens narrower than 1600 px; open, it is a column beside the network, so it covers nothing.
    const legend = $("ckg-legend");
    legend.open = window.innerWidth >= 1600;
    const sync = () => {
      document.documentElement.style.setProperty("--ckg-bar-h", $("ckg-bar").getBoundingClientRect().height + "px");
      document.body.classList.toggle("ckg-legend-open", legend.open);
      network.setSize("100%", "100%");
      applyFilters(true); // the network got narrower or wider: fit what is shown into it again
    };
    legend.addEventListener("toggle", sync);
    sync();
  }
  function setupInfo() {
    const b = D.build || {};
    $("ckg-asof").textContent = b.as_of ? "时点 as of " + b.as_of + (b.as_of_basis ? " (" + b.as_of_basis + ")" : "") : "时点未知 as-of date unknown";
    $("ckg-caveat").textContent = D.caveat || "";
    $("ckg-info").title = [$("ckg-asof").textContent, D.caveat, b.seeds_hash ? "种子 seeds " + b.seeds_hash : ""].filter(Boolean).join("\n");
  }

  // ---- labels at the current zoom ---------------------------------------------------------------------------
  // vis-network draws fonts in canvas units, so zoomed out to the whole map they shrink to a few pixels. After each
  // zoom: chain and stage labels grow to stay >= MIN_PX on screen; segment labels hide until they would be
  // readable; firm labels grow too and, most important first (anchors, then by investment), are kept only where
  // they do not overlap a label already placed, so no two firm labels ever cover each other.
  const MIN_PX = { chain: 13, stage: 12, firm: 11.5, segment: 11 };
  const FIRMS = new Set(["enterprise", "project", "zone", "place", "product", "group"]);
  const measure = document.createElement("canvas").getContext("2d");
  const hiddenLabels = new Set();
  let labelTimer = null;
  function baseFont(n) { const f = (D.styles[n.y] || {}).font || {}; return f.size || 18; }
  function styleFont(n) { return Object.assign({}, (D.styles[n.y] || {}).font || {}); }
  function textWidth(text, size) {
    measure.font = size + "px " + FONT_FACE;
    return Math.max(...String(text).split("\n").map((line) => measure.measureText(line).width));
  }
  function overlaps(a, b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }
  function firmOrder(a, b) {
    const na = N[byId.get(a)], nb = N[byId.get(b)];
    return (nb.an || 0) - (na.an || 0) || (nb.inv || 0) - (na.inv || 0) || (na.k === nb.k ? 0 : na.k === "enterprise" ? -1 : 1) || (na.l < nb.l ? -1 : na.l > nb.l ? 1 : 0);
  }
  function layoutLabels() {
    labelTimer = null;
    hiddenLabels.clear();
    const s = network.getScale();
    const visible = nodes.get({ filter: (v) => !v.hidden });
    const pos = network.getPositions(visible.map((v) => v.id));
    const updates = [];
    const placed = [];
    const firms = [];
    visible.forEach((v) => {
      const n = N[byId.get(v.id)];
      if (!n) return;
      const font = styleFont(n);
      const base = baseFont(n);
      if (n.k === "chain" || n.k === "stage") {
        font.size = Math.max(base, MIN_PX[n.k] / s);
      } else if (n.k === "segment") {
        font.size = base;
        // an empty box until zoomed in; vis merges font options, so the shown colour is always set explicitly
        font.color = base * s < MIN_PX.segment ? "rgba(0,0,0,0)" : font.color || "#343434";
      } else if (FIRMS.has(n.k)) {
        firms.push(v.id);
        return;
      }
      updates.push({ id: v.id, font });
      { // a skeleton box (its label shown or not) is an obstacle for the firm labels
        const p = pos[v.id];
        const w = textWidth(visLabel(v.id), font.size) / 2 + 6;
        const h = (font.size * 1.25) / 2 + 6;
        placed.push({ x0: p.x - w, x1: p.x + w, y0: p.y - h, y1: p.y + h });
      }
    });
    const dot = (id) => { // a firm's marker: a label may not cover the marker of a more important firm either
      const n = N[byId.get(id)], p = pos[id], r = (D.styles[n.y] || {}).size || 10;
      return { x0: p.x - r, x1: p.x + r, y0: p.y - r, y1: p.y + r };
    };
    const dots = [];
    firms.sort(firmOrder).forEach((id) => {
      const n = N[byId.get(id)];
      const size = Math.max(baseFont(n), MIN_PX.firm / s);
      const p = pos[id];
      const r = (D.styles[n.y] || {}).size || 10;
      const label = visLabel(id);
      const half = (textWidth(label, size) + 6 / s) / 2;
      const box = { x0: p.x - half, x1: p.x + half, y0: p.y + r, y1: p.y + r + 3 + size * 1.25 + 4 / s };
      const free = !placed.some((b) => overlaps(b, box)) && !dots.some((d) => overlaps(d, box));
      if (free) placed.push(box);
      dots.push(dot(id));
      const font = Object.assign(styleFont(n), { size });
      if (!free) hiddenLabels.add(id);
      updates.push({ id, font, label: free ? label : "" });
    });
    if (updates.length) nodes.update(updates);
  }
  function scheduleLabels() {
    if (labelTimer === null) labelTimer = setTimeout(layoutLabels, 0);
  }

  // ---- print: one chain per page ----------------------------------------------------------------------------
  function printPages() {
    const box = $("ckg-print");
    box.replaceChildren();
    const saved = Object.assign({}, state, { kinds: new Set(state.kinds) });
    const view = { position: network.getViewPosition(), scale: network.getScale() };
    D.chains.forEach((c) => {
      state.chain = c.i; state.stage = ""; state.gaps = false;
      applyFilters(true);
      layoutLabels();
      network.redraw(); // synchronous, so the canvas holds this chain now
      const page = el("section", null, "ckg-print-page");
      page.append(el("h2", c.l + (c.e ? " " + c.e : "")), el("p", [$("ckg-asof").textContent, D.caveat].filter(Boolean).join(" · ")));
      const img = document.createElement("img");
      img.alt = c.l;
      img.src = network.canvas.frame.canvas.toDataURL("image/png");
      page.appendChild(img);
      box.appendChild(page);
    });
    Object.assign(state, saved);
    applyFilters(false);
    network.moveTo({ position: view.position, scale: view.scale });
    return box.children.length;
  }

  // ---- start ------------------------------------------------------------------------------------------------
  setupControls();
  setupSearch();
  setupLegend();
  setupLegendToggle();
  setupInfo();
  network.on("beforeDrawing", drawLanes);
  network.on("zoom", scheduleLabels);
  window.addEventListener("beforeprint", printPages);
  window.addEventListener("afterprint", () => $("ckg-print").replaceChildren());
  network.on("click", (params) => {
    if (!params.nodes.length) return;
    const id = params.nodes[0];
    if (D.big && members.has(id)) expand(id);
    showPanel(id);
  });
  if (D.big) {
    nodes.update(nodes.getIds().map((id) => ({ id, label: visLabel(id) })));
  }
  applyFilters();
  network.fit({ animation: false });
  layoutLabels();
  network.once("afterDrawing", () => { window.ckgReady = true; });
  network.redraw();
  window.ckgView = { focusNode, expand, collapse, showPanel, search, state, applyFilters, layoutLabels, printPages, hiddenLabels, data: D };
})();
