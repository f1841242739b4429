(function () {
  "use strict";
  // Everything on the page is built here from the JSON blocks, with DOM text
  // nodes only: no data is ever parsed as HTML, so article text stays text.
  var DOCS = JSON.parse(document.getElementById("newsan-docs").textContent);
  var META = JSON.parse(document.getElementById("newsan-meta").textContent);
  var LABELS = ["PERS", "LOC", "ORG", "MISC"];
  var LABEL_NAMES = { PERS: "شخص", LOC: "مكان", ORG: "منظمة", MISC: "أخرى" };
  var KIND_NAMES = { direct: "مباشر", indirect: "غير مباشر", mixed: "مختلط" };
  var STYPE_NAMES = { PERS: "شخص", ORG: "منظمة", LOC: "مكان", MISC: "أخرى", source: "مصدر غير مسمّى", unknown: "غير معروف" };
  var PAGE = 100;
  // quotation fields (see newsan.report.doc_data)
  var Q_KIND = 0, Q_CS = 1, Q_CE = 2, Q_S = 3, Q_E = 4, Q_SP = 5, Q_SS = 6, Q_SE = 7, Q_ST = 8, Q_ROLE = 9,
      Q_TO = 10, Q_VIA = 11;

  var $ = function (id) { return document.getElementById(id); };
  function ltr(s) { return "\u2066" + s + "\u2069"; }  // dates and numbers keep their order in Arabic text
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    return e;
  }

  // ------------------------------------------------------------------ quotations as objects
  var QUOTES = [];  // {doc, i, q}
  DOCS.forEach(function (d) {
    d.q.forEach(function (q, i) { QUOTES.push({ doc: d, i: i, q: q }); });
    var names = new Set();
    d.q.forEach(function (q) { [q[Q_SP], q[Q_TO], q[Q_VIA]].forEach(function (n) { if (n) names.add(n); }); });
    d.e.forEach(function (e) { names.add(e[0]); });
    d.names = names;
    d.labels = new Set(d.e.map(function (e) { return e[1]; }));
  });
  function content(x) { return x.doc.x.slice(x.q[Q_S], x.q[Q_E]); }
  function cue(x) { return x.doc.x.slice(x.q[Q_CS], x.q[Q_CE]); }

  // ------------------------------------------------------------------ Arabic-insensitive matching
  var DIAC = /[\u064B-\u065F\u0670\u0640\u200c-\u200f\u2066-\u2069]/;
  function foldChar(c) {
    if (DIAC.test(c)) return "";
    if (c === "\u0622" || c === "\u0623" || c === "\u0625" || c === "\u0671") return "\u0627";
    if (c === "\u0649") return "\u064A";
    if (c === "\u0629") return "\u0647";
    if (/\s/.test(c)) return " ";
    return c.toLowerCase();
  }
  // the same folding as foldChar, done by the regex engine over a whole text (fast)
  function norm(s) {
    return s.replace(/[\u064B-\u065F\u0670\u0640\u200c-\u200f\u2066-\u2069]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627").replace(/\u0649/g, "\u064A").replace(/\u0629/g, "\u0647")
      .toLowerCase().replace(/\s+/g, " ");
  }
  // the folded text and, for each of its characters, the index of the raw one
  function normMap(s) {
    var out = [], idx = [];
    for (var i = 0; i < s.length; i++) {
      var c = foldChar(s[i]);
      if (!c || (c === " " && out[out.length - 1] === " ")) continue;
      for (var k = 0; k < c.length; k++) { out.push(c[k]); idx.push(i); }
    }
    return { n: out.join(""), idx: idx };
  }
  // raw [start, end) ranges of the query's matches in s
  function hits(s, q) {
    if (!q) return [];
    var m = normMap(s), out = [], from = 0, at;
    while ((at = m.n.indexOf(q, from)) >= 0) {
      out.push([m.idx[at], m.idx[at + q.length - 1] + 1]);
      from = at + q.length;
    }
    return out;
  }
  // A folded query as a regular expression over raw text: each letter matches
  // its unfolded variants, diacritics and tatweel may stand between letters,
  // a space matches any white space. Searching 40,000 raw texts this way needs
  // no folded copy of them.
  var VARIANTS = { "\u0627": "[\u0627\u0622\u0623\u0625\u0671]", "\u064A": "[\u064A\u0649]", "\u0647": "[\u0647\u0629]" };
  function queryRegex(q) {
    var units = [];
    for (var i = 0; i < q.length; i++) {
      var c = q[i];
      units.push(c === " " ? "\\s+" : VARIANTS[c] || c.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&"));
    }
    return new RegExp(units.join("[\u064B-\u065F\u0670\u0640\u200c-\u200f\u2066-\u2069]*"), "i");
  }

  // ------------------------------------------------------------------ state <-> URL hash
  var KEYS = ["q", "name", "outlet", "from", "to", "label", "kind", "stype", "doc"];
  var state = {};
  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    state = {};
    KEYS.forEach(function (k) { state[k] = p.get(k) || ""; });
    state.names = p.getAll("name").filter(Boolean);
  }
  function writeHash() {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    state.names.forEach(function (n) { p.append("name", n); });
    ["outlet", "from", "to", "label", "kind", "stype", "doc"].forEach(function (k) { if (state[k]) p.set(k, state[k]); });
    var h = p.toString();
    var url = location.pathname + location.search + (h ? "#" + h : "");
    if (("#" + h) !== location.hash && !(h === "" && location.hash === "")) history.replaceState(null, "", url);
  }
  function setState(patch) {
    for (var k in patch) if (Object.prototype.hasOwnProperty.call(patch, k)) state[k] = patch[k];
    writeHash();
    apply();
  }
  function toggleName(name) {
    var i = state.names.indexOf(name);
    var names = state.names.slice();
    if (i >= 0) names.splice(i, 1); else names.push(name);
    setState({ names: names });
    var top = $("profile").hidden ? $("corpus") : $("profile");
    if (top.getBoundingClientRect().top < 0) top.scrollIntoView();
  }

  // ------------------------------------------------------------------ filtering
  var view = { docs: [], quotes: [], q: "" };
  function filter() {
    var q = norm(state.q.trim());
    var rx = q ? queryRegex(q) : null;
    var names = state.names, from = state.from, to = state.to;
    var quoteLevel = !!(state.kind || state.stype);
    var docs = [], quotes = [];
    DOCS.forEach(function (d) {
      if (state.outlet && d.o !== state.outlet) return;
      if ((from || to) && (!d.d || (from && d.d < from) || (to && d.d > to))) return;
      if (state.label && !d.labels.has(state.label)) return;
      for (var i = 0; i < names.length; i++) if (!d.names.has(names[i])) return;
      if (rx && !rx.test(d.x)) return;
      var n = 0;
      d.q.forEach(function (qq, qi) {
        if (state.kind && qq[Q_KIND] !== state.kind) return;
        if (state.stype && qq[Q_ST] !== state.stype) return;
        if (names.length && !names.some(function (nm) { return qq[Q_SP] === nm || qq[Q_TO] === nm || qq[Q_VIA] === nm; })) return;
        if (rx && !rx.test(d.x.slice(qq[Q_S], qq[Q_E])) && !rx.test(qq[Q_SP] || "")) return;
        quotes.push({ doc: d, i: qi, q: qq });
        n++;
      });
      if (quoteLevel && !n) return;
      docs.push(d);
    });
    if (names.length) {  // a person's page reads by date
      quotes.sort(function (a, b) { return (a.doc.d || "9").localeCompare(b.doc.d || "9") || a.doc.n - b.doc.n || a.i - b.i; });
    }
    view = { docs: docs, quotes: quotes, q: q };
  }

  // ------------------------------------------------------------------ charts
  // the n largest entries of a Map, in one pass (the maps of a big corpus hold
  // hundreds of thousands of names: sorting them all on every filter is slow)
  function top(counter, n) {
    var best = [];
    function before(a, b) { return a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]); }
    counter.forEach(function (v, k) {
      if (best.length === n && !before([k, v], best[n - 1])) return;
      var i = best.length < n ? best.length : n - 1;
      best[i] = [k, v];
      while (i > 0 && before(best[i], best[i - 1])) { var t = best[i]; best[i] = best[i - 1]; best[i - 1] = t; i--; }
    });
    return best;
  }
  function count(map, key, by) { map.set(key, (map.get(key) || 0) + (by || 1)); }
  function bars(box, rows, opts) {
    box.textContent = "";
    if (!rows.length) { box.appendChild(el("p", "empty", "لا بيانات")); return; }
    var w = 360, rowH = 22, labelW = 150, max = rows[0][1] || 1;
    var s = svg("svg", { "class": "bars", viewBox: "0 0 " + w + " " + rows.length * rowH, width: "100%", role: "img" });
    rows.forEach(function (r, k) {
      var g = svg("g", { "class": "row" + (opts.clickable ? " click" : "") + (state.names.indexOf(r[0]) >= 0 ? " active" : "") });
      if (opts.clickable) { g.setAttribute("data-name", r[0]); g.setAttribute("tabindex", "0"); }
      var t = svg("title", {}); t.textContent = r[0] + ": " + r[1]; g.appendChild(t);
      var bw = Math.max(2, (w - labelW - 40) * r[1] / max);
      g.appendChild(svg("rect", { x: w - labelW - bw, y: k * rowH + 4, width: bw, height: rowH - 8, fill: opts.color }));
      var lbl = svg("text", { "class": "lbl", x: w - 2, y: k * rowH + rowH / 2 + 5, "text-anchor": "start", direction: "rtl" });
      lbl.textContent = r[0].length > 22 ? r[0].slice(0, 21) + "…" : r[0];
      g.appendChild(lbl);
      var val = svg("text", { "class": "val", x: w - labelW - bw - 4, y: k * rowH + rowH / 2 + 5, "text-anchor": "end", direction: "ltr" });
      val.textContent = String(r[1]);
      g.appendChild(val);
      s.appendChild(g);
    });
    box.appendChild(s);
  }

  var pairCache = new Map();
  function docPairs(d) {  // entity pairs named in one sentence: [[a, b, sentences]]
    var p = pairCache.get(d);
    if (p) return p;
    var bySent = new Map();
    d.e.forEach(function (e) {
      for (var k = 0; k < e[4].length; k += 3) {
        var s = e[4][k + 2];
        if (!bySent.has(s)) bySent.set(s, new Set());
        bySent.get(s).add(e[0]);
      }
    });
    var pairs = new Map();
    bySent.forEach(function (set) {
      var xs = Array.from(set).sort();
      for (var i = 0; i < xs.length; i++) for (var j = i + 1; j < xs.length; j++) count(pairs, xs[i] + "\u0000" + xs[j]);
    });
    p = Array.from(pairs.entries());
    pairCache.set(d, p);
    return p;
  }

  function week(day) {  // the Monday of an ISO date's week, as YYYY-MM-DD
    var t = Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10));
    var dow = (new Date(t).getUTCDay() + 6) % 7;
    return new Date(t - dow * 864e5).toISOString().slice(0, 10);
  }
  function addDays(day, n) {
    var t = Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) + n * 864e5;
    return new Date(t).toISOString().slice(0, 10);
  }
  function monthEnd(key) {  // "2016-09" -> "2016-09-30"
    return new Date(Date.UTC(+key.slice(0, 4), +key.slice(5, 7), 0)).toISOString().slice(0, 10);
  }
  function timeline(box) {
    box.textContent = "";
    var days = view.quotes.map(function (x) { return x.doc.d; }).filter(Boolean);
    var what = "الاقتباسات";
    if (!days.length) { days = view.docs.map(function (d) { return d.d; }).filter(Boolean); what = "المقالات"; }
    if (!days.length) { box.appendChild(el("p", "empty", "لا تواريخ")); $("c-time-cap").textContent = "الخط الزمني"; return; }
    days.sort();
    var first = days[0], last = days[days.length - 1];
    var span = (Date.parse(last) - Date.parse(first)) / 864e5;
    var weekly = span <= 366;
    var buckets = [], key = weekly ? week(first) : first.slice(0, 7);
    var end = weekly ? week(last) : last.slice(0, 7);
    while (key <= end) {
      buckets.push(key);
      if (weekly) key = addDays(key, 7);
      else { var y = +key.slice(0, 4), m = +key.slice(5, 7) + 1; if (m > 12) { m = 1; y++; } key = y + "-" + (m < 10 ? "0" : "") + m; }
    }
    var counts = new Map(buckets.map(function (b) { return [b, 0]; }));
    days.forEach(function (d) { count(counts, weekly ? week(d) : d.slice(0, 7)); });
    $("c-time-cap").textContent = what + " حسب " + (weekly ? "الأسبوع" : "الشهر") + " " + ltr("(" + first + " – " + last + ")");
    var w = 720, h = 150, pad = 18, n = buckets.length, cw = (w - 2 * pad) / n;
    var max = Math.max.apply(null, Array.from(counts.values())) || 1;
    var s = svg("svg", { "class": "timeline", viewBox: "0 0 " + w + " " + (h + 20), width: "100%", role: "img", direction: "ltr" });
    buckets.forEach(function (b, i) {
      var v = counts.get(b), bh = (h - 10) * v / max;
      var r = svg("rect", { "class": "col", x: pad + i * cw + 0.5, y: h - bh, width: Math.max(1, cw - 1), height: bh, "data-from": b,
                            "data-to": weekly ? addDays(b, 6) : monthEnd(b) });
      var t = svg("title", {}); t.textContent = b + ": " + v; r.appendChild(t);
      s.appendChild(r);
    });
    [[0, "start"], [n - 1, "end"]].forEach(function (x) {
      var t = svg("text", { "class": "val", x: x[1] === "start" ? pad : w - pad, y: h + 15, "text-anchor": x[1] });
      t.textContent = buckets[x[0]]; s.appendChild(t);
    });
    var brush = svg("rect", { "class": "brush", x: 0, y: 0, width: 0, height: h, hidden: "" });
    s.appendChild(brush);
    // brushing: drag across the columns to filter by that date range
    var startX = null;
    function xOf(ev) { var r = s.getBoundingClientRect(); return (ev.clientX - r.left) * w / r.width; }
    function bucketAt(x) { return Math.max(0, Math.min(n - 1, Math.floor((x - pad) / cw))); }
    s.addEventListener("pointerdown", function (ev) { startX = xOf(ev); s.setPointerCapture(ev.pointerId); });
    s.addEventListener("pointermove", function (ev) {
      if (startX === null) return;
      var x = xOf(ev), a = Math.min(startX, x), b = Math.max(startX, x);
      brush.removeAttribute("hidden"); brush.setAttribute("x", a); brush.setAttribute("width", b - a);
    });
    s.addEventListener("pointerup", function (ev) {
      if (startX === null) return;
      var a = bucketAt(Math.min(startX, xOf(ev))), b = bucketAt(Math.max(startX, xOf(ev)));
      startX = null;
      var lo = buckets[a], hi = buckets[b];
      setState({ from: weekly ? lo : lo + "-01", to: weekly ? addDays(hi, 6) : monthEnd(hi) });
    });
    box.appendChild(s);
  }

  function charts() {
    var sp = new Map(), outlets = new Map();
    view.quotes.forEach(function (x) {
      if (x.q[Q_SP]) count(sp, x.q[Q_SP]);
      if (x.doc.o) count(outlets, x.doc.o);
    });
    bars($("c-speakers"), top(sp, 12), { color: "var(--sp)", clickable: true });
    var ents = { PERS: new Map(), LOC: new Map(), ORG: new Map(), MISC: new Map() }, pairs = new Map();
    view.docs.forEach(function (d) {
      d.e.forEach(function (e) { if (ents[e[1]]) count(ents[e[1]], e[0], e[2]); });
      docPairs(d).forEach(function (p) { count(pairs, p[0], p[1]); });
    });
    LABELS.forEach(function (l) {
      var card = document.querySelector('figure[data-label="' + l + '"]');
      card.hidden = !!state.label && state.label !== l;
      bars($("c-" + l), top(ents[l], 10), { color: "var(--" + l.toLowerCase() + ")", clickable: true });
    });
    bars($("c-outlets"), top(outlets, 12), { color: "var(--bar)", clickable: false });
    pairList($("c-pairs"), top(pairs, 10));
    timeline($("c-time"));
  }
  function pairList(box, rows) {
    box.textContent = "";
    if (!rows.length) { box.appendChild(el("p", "empty", "لا كيانات متزامنة")); return; }
    var ol = el("ol", "pairs");
    rows.forEach(function (r) {
      var ab = r[0].split("\u0000"), li = el("li");
      li.appendChild(nameButton(ab[0])); li.appendChild(document.createTextNode(" + "));
      li.appendChild(nameButton(ab[1])); li.appendChild(el("small", "", " (" + r[1] + ")"));
      ol.appendChild(li);
    });
    box.appendChild(ol);
  }

  // ------------------------------------------------------------------ text with marks
  function nameButton(name, text) {
    var b = el("button", "name" + (state.names.indexOf(name) >= 0 ? " active" : ""), text || name);
    b.type = "button";
    b.setAttribute("data-name", name);
    return b;
  }
  // Append text[lo:hi] to parent, split at every mark boundary; each piece is a
  // <span> whose classes are those of the marks covering it. Marks: [start, end, class, name].
  function markedText(parent, text, lo, hi, marks) {
    var cuts = new Set([lo, hi]);
    marks.forEach(function (m) { if (m[1] > lo && m[0] < hi) { cuts.add(Math.max(lo, m[0])); cuts.add(Math.min(hi, m[1])); } });
    var xs = Array.from(cuts).sort(function (a, b) { return a - b; });
    for (var k = 0; k + 1 < xs.length; k++) {
      var a = xs[k], b = xs[k + 1], cls = [], name = null;
      marks.forEach(function (m) { if (m[0] <= a && m[1] >= b) { cls.push(m[2]); if (m[3]) name = m[3]; } });
      var piece = text.slice(a, b);
      if (!cls.length) { parent.appendChild(document.createTextNode(piece)); continue; }
      var sp = el("span", cls.join(" "), piece);
      if (name) sp.setAttribute("data-name", name);
      parent.appendChild(sp);
    }
  }
  function searchMarks(text, lo, hi) {
    return hits(text.slice(lo, hi), view.q).map(function (h) { return [lo + h[0], lo + h[1], "hl"]; });
  }

  // ------------------------------------------------------------------ quotations list
  var quotesShown = PAGE;
  function citation(x) {
    var d = x.doc, q = x.q;
    var who = q[Q_SP] || "متحدث غير معروف";
    if (q[Q_ROLE]) who += "، " + q[Q_ROLE];
    var where = [d.o, d.d].filter(Boolean).join("، ");
    return "«" + content(x) + "» — " + who + (where ? ". " + where : "") + ". «" + d.t + "»" + (d.u ? ". " + d.u : "") + ".";
  }
  function copy(text, button) {
    function done(ok) { button.textContent = ok ? "✓ نُسخ" : "✕"; setTimeout(function () { button.textContent = "⧉ اقتباس"; }, 1500); }
    window.__newsanCopied = text;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallback()); });
    } else done(fallback());
    function fallback() {  // a temporary textarea, removed at once
      var t = document.createElement("textarea");
      t.value = text; t.setAttribute("readonly", ""); t.style.position = "fixed"; t.style.opacity = "0";
      document.body.appendChild(t); t.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(t);
      return ok;
    }
  }
  function quoteRow(x) {
    var d = x.doc, q = x.q, tr = el("tr");
    tr.setAttribute("data-doc", d.n); tr.setAttribute("data-q", x.i);
    tr.appendChild(el("td", "date", d.d || "—")).setAttribute("dir", "ltr");
    tr.appendChild(el("td", "outlet", d.o || "—"));
    var who = el("td", "who");
    if (q[Q_SP]) who.appendChild(nameButton(q[Q_SP])); else who.appendChild(el("span", "none", "؟"));
    if (q[Q_ROLE]) who.appendChild(el("small", "role-t", " " + q[Q_ROLE]));
    tr.appendChild(who);
    tr.appendChild(el("td", "", "")).appendChild(el("span", "kind k-" + q[Q_KIND], KIND_NAMES[q[Q_KIND]] || q[Q_KIND]));
    tr.appendChild(el("td", "", "")).appendChild(el("b", "cue-t", cue(x)));
    var c = el("td", "content-t");
    markedText(c, d.x, q[Q_S], q[Q_E], searchMarks(d.x, q[Q_S], q[Q_E]));
    tr.appendChild(c);
    var to = el("td", "to");
    if (q[Q_TO]) { to.appendChild(document.createTextNode("← ")); to.appendChild(nameButton(q[Q_TO])); }
    if (q[Q_VIA]) { if (q[Q_TO]) to.appendChild(el("br")); to.appendChild(document.createTextNode("عبر ")); to.appendChild(nameButton(q[Q_VIA])); }
    tr.appendChild(to);
    var link = el("td", "");
    var a = el("a", "doclink", "#" + d.n);
    a.href = "#doc=" + d.n; a.setAttribute("data-doc", d.n); a.title = d.t;
    link.appendChild(a);
    tr.appendChild(link);
    var cite = el("td", "");
    var b = el("button", "cite btn", "⧉ اقتباس");
    b.type = "button"; b.title = citation(x);
    b.addEventListener("click", function () { copy(citation(x), b); });
    cite.appendChild(b);
    tr.appendChild(cite);
    return tr;
  }
  function quotesList() {
    var tbody = $("qt").tBodies[0];
    tbody.textContent = "";
    var qs = view.quotes;
    qs.slice(0, quotesShown).forEach(function (x) { tbody.appendChild(quoteRow(x)); });
    $("qt").hidden = qs.length === 0;
    $("quotes-head").textContent = "الاقتباسات (" + Math.min(qs.length, quotesShown) + " من " + qs.length + ")";
    var empty = $("quotes-empty");
    empty.hidden = qs.length > 0;
    if (!qs.length) {
      empty.textContent = state.names.length
        ? "لا اقتباسات لـ«" + state.names.join("» و«") + "» في هذه التصفية؛ يُذكر في " + view.docs.length + " من المقالات أدناه."
        : "لا اقتباسات تطابق التصفية.";
    }
    $("quotes-more").hidden = qs.length <= quotesShown;
  }

  // ------------------------------------------------------------------ articles, rendered when opened
  var docsShown = PAGE;
  function articleBody(d) {
    var box = el("div", "doc-body");
    var meta = el("p", "meta");
    if (d.o) meta.appendChild(el("span", "outlet", d.o));
    if (d.d) meta.appendChild(el("span", "date", d.d)).setAttribute("dir", "ltr");
    meta.appendChild(el("span", "path", d.p)).setAttribute("dir", "ltr");
    if (d.u) { var a = el("a", "url", "المصدر ↗"); a.href = d.u; a.rel = "noreferrer noopener"; meta.appendChild(a); }
    box.appendChild(meta);
    if (d.w.length) {
      var ul = el("ul", "warnings");
      d.w.forEach(function (w) { ul.appendChild(el("li", "", w)); });
      box.appendChild(ul);
    }
    var marks = [];
    d.e.forEach(function (e) {
      for (var k = 0; k < e[4].length; k += 3) marks.push([e[4][k], e[4][k + 1], "ent l-" + (LABELS.indexOf(e[1]) >= 0 ? e[1] : "MISC"), e[0]]);
    });
    d.q.forEach(function (q) {
      marks.push([q[Q_S], q[Q_E], "qc k-" + (KIND_NAMES[q[Q_KIND]] ? q[Q_KIND] : "direct")]);
      if (q[Q_CE] > q[Q_CS]) marks.push([q[Q_CS], q[Q_CE], "cue"]);
      if (q[Q_SE] > q[Q_SS]) marks.push([q[Q_SS], q[Q_SE], "sp", q[Q_SP]]);
    });
    marks = marks.concat(searchMarks(d.x, 0, d.x.length));
    var text = el("div", "text");
    markedText(text, d.x, 0, d.x.length, marks);
    box.appendChild(text);
    if (d.e.length) {
      var ents = el("p", "ents");
      d.e.slice().sort(function (a, b) { return b[2] - a[2]; }).forEach(function (e) {
        var b = nameButton(e[0], e[0] + " (" + e[2] + ")");
        b.classList.add("l-" + e[1]);
        ents.appendChild(b); ents.appendChild(document.createTextNode(" "));
      });
      box.appendChild(ents);
    }
    return box;
  }
  function toggleDoc(li, d, open) {
    var body = li.querySelector(".doc-body");
    if (open === undefined) open = !body;
    if (body && !open) { body.remove(); li.classList.remove("open"); return; }
    if (!body && open) { li.appendChild(articleBody(d)); li.classList.add("open"); }
  }
  function docItem(d) {
    var li = el("li", "doc");
    li.id = "doc-" + d.n;
    var head = el("button", "doc-title");
    head.type = "button";
    head.appendChild(el("span", "num", d.n)).setAttribute("dir", "ltr");
    head.appendChild(document.createTextNode(" "));
    var t = el("span", "ttl");
    markedText(t, d.t, 0, d.t.length, searchMarks(d.t, 0, d.t.length));
    head.appendChild(t);
    head.appendChild(el("small", "counts", " " + [d.o, d.d && ltr(d.d)].filter(Boolean).join(" · ") + " · الاقتباسات: " + d.q.length + " · الكيانات: " + d.e.length));
    head.addEventListener("click", function () {
      toggleDoc(li, d);
      if (li.classList.contains("open")) { state.doc = String(d.n); writeHash(); }
    });
    li.appendChild(head);
    return li;
  }
  function docList() {
    var ol = $("doclist");
    ol.textContent = "";
    var shown = view.docs.slice(0, docsShown);
    var wanted = state.doc ? DOCS[+state.doc - 1] : null;
    if (wanted && shown.indexOf(wanted) < 0) shown.unshift(wanted);
    shown.forEach(function (d) {
      var li = docItem(d);
      ol.appendChild(li);
      if (wanted === d) toggleDoc(li, d, true);
    });
    $("articles-head").textContent = "المقالات (" + Math.min(view.docs.length, docsShown) + " من " + view.docs.length + ")";
    $("none").hidden = view.docs.length > 0;
    $("docs-more").hidden = view.docs.length <= docsShown;
  }

  // ------------------------------------------------------------------ a view per name
  function profile() {
    var box = $("profile");
    box.textContent = "";
    box.hidden = state.names.length !== 1;
    if (box.hidden) return;
    var name = state.names[0];
    var said = view.quotes.filter(function (x) { return x.q[Q_SP] === name; });
    var labels = new Map(), mentions = 0, aliases = new Set();
    view.docs.forEach(function (d) {
      d.e.forEach(function (e) { if (e[0] === name) { count(labels, e[1]); mentions += e[2]; e[3].forEach(function (a) { aliases.add(a); }); } });
    });
    var h = el("h2", "", name);
    box.appendChild(h);
    var facts = el("ul", "facts");
    var lab = top(labels, 4).map(function (r) { return LABEL_NAMES[r[0]] || r[0]; }).join("، ");
    if (lab) facts.appendChild(el("li", "", "النوع: " + lab));
    facts.appendChild(el("li", "", "اقتباساته: " + said.length));
    var other = view.quotes.length - said.length;
    if (other) facts.appendChild(el("li", "", "اقتباسات موجّهة إليه أو عبره: " + other));
    facts.appendChild(el("li", "", "الإشارات: " + mentions + " في " + view.docs.length + " مقالة"));
    var days = view.docs.map(function (d) { return d.d; }).filter(Boolean).sort();
    if (days.length) facts.appendChild(el("li", "", "من " + ltr(days[0]) + " إلى " + ltr(days[days.length - 1])));
    var outlets = new Map();
    said.forEach(function (x) { if (x.doc.o) count(outlets, x.doc.o); });
    var o = top(outlets, 5).map(function (r) { return r[0] + " (" + r[1] + ")"; }).join("، ");
    if (o) facts.appendChild(el("li", "", "المصادر: " + o));
    if (aliases.size) facts.appendChild(el("li", "", "صيغ أخرى: " + Array.from(aliases).join("، ")));
    box.appendChild(facts);
    var close = el("button", "btn", "✕ إغلاق");
    close.type = "button";
    close.addEventListener("click", function () { setState({ names: [] }); });
    box.appendChild(close);
  }

  // ------------------------------------------------------------------ the filters bar
  var outletSelect = $("f-outlet");
  (function () {
    var outlets = new Map();
    DOCS.forEach(function (d) { if (d.o) count(outlets, d.o); });
    top(outlets, 1000).forEach(function (r) {
      var o = el("option", "", r[0] + " (" + r[1] + ")"); o.value = r[0]; outletSelect.appendChild(o);
    });
  })();
  function syncControls() {
    if ($("q").value !== state.q && document.activeElement !== $("q")) $("q").value = state.q;
    outletSelect.value = state.outlet; $("f-from").value = state.from; $("f-to").value = state.to;
    $("f-label").value = state.label; $("f-kind").value = state.kind; $("f-stype").value = state.stype;
    var box = $("names");
    box.textContent = "";
    state.names.forEach(function (n) {
      var b = el("button", "chip", n + " ✕");
      b.type = "button"; b.title = "إزالة"; b.setAttribute("data-chip", n);
      b.addEventListener("click", function () { toggleName(n); });
      box.appendChild(b);
    });
    var any = state.q || state.names.length || state.outlet || state.from || state.to || state.label || state.kind || state.stype;
    $("clear").hidden = !any;
  }
  [["f-outlet", "outlet"], ["f-from", "from"], ["f-to", "to"], ["f-label", "label"], ["f-kind", "kind"], ["f-stype", "stype"]]
    .forEach(function (x) {
      $(x[0]).addEventListener("change", function () { var p = {}; p[x[1]] = $(x[0]).value; setState(p); });
    });
  $("filters").addEventListener("submit", function (ev) { ev.preventDefault(); });
  $("clear").addEventListener("click", function () {
    setState({ q: "", names: [], outlet: "", from: "", to: "", label: "", kind: "", stype: "", doc: "" });
  });
  var timer = null;
  $("q").addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { setState({ q: $("q").value }); }, 200);
  });
  $("quotes-more").addEventListener("click", function () { quotesShown += PAGE; quotesList(); });
  $("docs-more").addEventListener("click", function () { docsShown += PAGE; docList(); });

  // ------------------------------------------------------------------ CSV export (client side)
  function csvField(s) {
    s = s === null || s === undefined ? "" : String(s);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  var CSV_COLUMNS = ["doc_id", "date", "outlet", "title", "url", "kind", "speaker", "speaker_type", "role", "cue",
                     "content", "addressee", "via", "content_start", "content_end"];
  function csv() {
    var lines = [CSV_COLUMNS.join(",")];
    view.quotes.forEach(function (x) {
      var d = x.doc, q = x.q;
      lines.push([d.id, d.d, d.o, d.t, d.u, q[Q_KIND], q[Q_SP], q[Q_ST], q[Q_ROLE], cue(x), content(x), q[Q_TO], q[Q_VIA],
                  q[Q_S], q[Q_E]].map(csvField).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }
  $("export").addEventListener("click", function () {
    var blob = new Blob(["\ufeff" + csv()], { type: "text/csv;charset=utf-8" });
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = "newsan-quotes.csv";
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  });

  // ------------------------------------------------------------------ clicks on names and article links
  document.addEventListener("click", function (ev) {
    var t = ev.target.closest ? ev.target : null;
    if (!t) return;
    var link = t.closest("a[data-doc]");
    if (link) { ev.preventDefault(); openDoc(+link.getAttribute("data-doc")); return; }
    var n = t.closest("[data-name]");
    if (n && !n.closest("a")) { ev.preventDefault(); toggleName(n.getAttribute("data-name")); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" && ev.key !== " ") return;
    var t = ev.target;
    if (t && t.getAttribute && t.getAttribute("data-name") && !t.matches("button")) { ev.preventDefault(); toggleName(t.getAttribute("data-name")); }
  });
  function openDoc(n) {
    state.doc = String(n);
    writeHash();
    docList();
    var li = $("doc-" + n);
    if (li) li.scrollIntoView();
  }

  // ------------------------------------------------------------------ totals and the whole refresh
  function totals() {
    var ul = $("totals");
    ul.textContent = "";
    function item(label, v, cls) { var li = el("li", cls || "", label + " "); li.appendChild(el("b", "", v)).setAttribute("dir", "ltr"); ul.appendChild(li); }
    item("المقالات", view.docs.length === DOCS.length ? DOCS.length : view.docs.length + " / " + DOCS.length);
    item("الاقتباسات", view.quotes.length === QUOTES.length ? QUOTES.length : view.quotes.length + " / " + QUOTES.length);
    if (META.failed) item("تعذّر تحليلها", META.failed, "failed");
    var f = $("failures");
    f.textContent = "";
    Object.keys(META.failures || {}).forEach(function (r) { f.appendChild(el("li", "", r + ": " + META.failures[r])); });
    f.hidden = !META.failed;
    $("shown").textContent = view.docs.length === DOCS.length ? "المقالات: " + DOCS.length
      : "المعروض: " + view.docs.length + " من " + DOCS.length;
  }
  function apply() {
    var t0 = performance.now();
    quotesShown = PAGE; docsShown = PAGE;
    filter(); syncControls(); totals(); profile(); charts(); quotesList(); docList();
    window.__newsanApplyMs = performance.now() - t0;
  }

  window.addEventListener("hashchange", function () { readHash(); apply(); });
  window.addEventListener("beforeprint", function () {
    view.docs.slice(0, docsShown).forEach(function (d) { var li = $("doc-" + d.n); if (li) toggleDoc(li, d, true); });
  });
  // for tests and scripts: the current selection, the CSV, one citation
  window.newsanReport = {
    set: function (patch) { setState(patch); },
    state: function () { return JSON.parse(JSON.stringify(state)); },
    docs: function () { return view.docs.map(function (d) { return d.n; }); },
    quotes: function () { return view.quotes.map(function (x) { return [x.doc.n, x.i, x.q[Q_SP]]; }); },
    csv: csv,
    citation: function (n, i) { return citation({ doc: DOCS[n - 1], i: i, q: DOCS[n - 1].q[i] }); }
  };
  readHash();
  apply();
  if (state.doc) { var li = $("doc-" + state.doc); if (li) li.scrollIntoView(); }
})();
