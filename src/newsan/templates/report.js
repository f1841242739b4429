(function () {
  "use strict";
  var docs = Array.prototype.slice.call(document.querySelectorAll("article.doc"));
  var input = document.getElementById("q");
  var shown = document.getElementById("shown");
  var banner = document.getElementById("filter");
  var bannerName = document.getElementById("filter-name");
  var none = document.getElementById("none");
  var state = { name: null, query: "" };
  var names = new Map();   // article -> Set of names it involves
  var texts = new Map();   // article -> normalized text (built on first search)

  docs.forEach(function (d) {
    try { names.set(d, new Set(JSON.parse(d.getAttribute("data-names") || "[]"))); }
    catch (e) { names.set(d, new Set()); }
  });

  // Arabic-insensitive search: no diacritics or tatweel, alef/yaa/teh marbuta folded
  function norm(s) {
    return s.replace(/[\u064B-\u065F\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064A").replace(/\u0629/g, "\u0647")
      .toLowerCase().replace(/\s+/g, " ");
  }
  function textOf(d) {
    if (!texts.has(d)) texts.set(d, norm(d.textContent));
    return texts.get(d);
  }
  function rowNames(tr) {
    try { return JSON.parse(tr.getAttribute("data-names") || "[]"); } catch (e) { return []; }
  }

  function apply() {
    var n = 0, q = norm(state.query.trim()), name = state.name;
    docs.forEach(function (d) {
      var ok = (!name || names.get(d).has(name)) && (!q || textOf(d).indexOf(q) >= 0);
      d.hidden = !ok;
      if (ok) n++;
      // quotes and entities in view: involve the name or not
      d.querySelectorAll("table.qt tbody tr").forEach(function (tr) {
        var involved = name && rowNames(tr).indexOf(name) >= 0;
        tr.classList.toggle("off", !!name && !involved);
        tr.classList.toggle("hit", !!involved);
      });
      d.querySelectorAll("table.et tbody tr").forEach(function (tr) {
        var b = tr.querySelector("[data-name]");
        tr.classList.toggle("hit", !!name && !!b && b.getAttribute("data-name") === name);
      });
      if (ok && name) d.querySelectorAll("details.quotes").forEach(function (x) { x.open = true; });
    });
    document.querySelectorAll(".hit[data-name]").forEach(function (el) { el.classList.remove("hit"); });
    document.querySelectorAll(".chart .row.active").forEach(function (el) { el.classList.remove("active"); });
    if (name) {
      document.querySelectorAll("[data-name]").forEach(function (el) {
        if (el.getAttribute("data-name") !== name) return;
        if (el.closest(".chart")) { if (el.classList.contains("row")) el.classList.add("active"); }
        else if (!el.matches("button")) el.classList.add("hit");
      });
    }
    banner.hidden = !name;
    bannerName.textContent = name || "";
    shown.textContent = n === docs.length ? "المقالات: " + docs.length : "المعروض: " + n + " من " + docs.length;
    none.hidden = n > 0;
  }

  function setName(name) {
    state.name = state.name === name ? null : name;
    apply();
    var first = docs.filter(function (d) { return !d.hidden; })[0];
    if (state.name && first) {
      var articles = document.getElementById("articles");
      if (articles.getBoundingClientRect().top > window.innerHeight) articles.scrollIntoView();
    }
  }

  document.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-name]") : null;
    if (!el || (el.closest("a"))) return;
    ev.preventDefault();
    setName(el.getAttribute("data-name"));
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" && ev.key !== " ") return;
    var el = ev.target;
    if (el && el.getAttribute && el.getAttribute("data-name") && !el.matches("button")) {
      ev.preventDefault();
      setName(el.getAttribute("data-name"));
    }
  });
  document.getElementById("filter-clear").addEventListener("click", function () { state.name = null; apply(); });
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.query = input.value; apply(); }, 150);
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (x) { x.open = true; });
  });
  window.newsanReport = { filter: function (name) { state.name = name; apply(); },
                          search: function (q) { state.query = q; apply(); } };
})();
