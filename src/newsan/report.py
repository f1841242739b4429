"""``newsan report``: one self-contained HTML file showing what ``analyze`` found.

The page opens offline in any browser: CSS, script, charts (inline SVG) and
data are all inline; nothing is fetched at view time. Per article it shows the
text with entity mentions highlighted by label and quotations marked (content
underlined, cue in bold, speaker beside it), a table of quotes and one of
entities, and the warnings; for the corpus, charts of top speakers and entities,
an entity co-occurrence matrix and quotes per outlet and per day. Clicking a
name filters the articles and quotes that involve it; a search box filters by
text.

Safety: every piece of article text reaches the page through HTML escaping
(Jinja autoescape / :func:`markupsafe.escape`), and data embedded for the
script is JSON with ``<``, ``>`` and ``&`` written as ``\\u003c`` … so that no
text can close a tag or a ``<script>`` element.

Memory stays flat for big corpora: articles are rendered one by one into a
temporary file, and the page (whose corpus section, at the top, needs every
record) is assembled from it at the end, through :func:`newsan.export.atomic_writer`
when writing to a path.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import secrets
import sys
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from newsan.aggregate import CorpusSummary
from newsan.errors import InputError
from newsan.model import Article

# and report_command, the click command (built on first access, see __getattr__ at the end)
__all__ = ["LABELS", "ReportStats", "json_for_script", "render_article_text", "write_report"]

LABELS = ("PERS", "LOC", "ORG", "MISC")
LABEL_NAMES = {"PERS": "شخص", "LOC": "مكان", "ORG": "منظمة", "MISC": "أخرى"}
LABEL_PLURALS = {"PERS": "الأشخاص", "LOC": "الأماكن", "ORG": "المنظمات", "MISC": "الكيانات الأخرى"}
KIND_NAMES = {"direct": "مباشر", "indirect": "غير مباشر", "mixed": "مختلط"}
# details (tables) are open by default in small reports, closed in big ones
OPEN_TABLES_UP_TO = 30


# --------------------------------------------------------------------------- escaping helpers


def json_for_script(data: Any) -> Markup:
    """JSON safe to place inside ``<script type="application/json">``: ``<``, ``>``
    and ``&`` (and the JS line separators) become ``\\uXXXX`` escapes, so the text
    ``</script>`` can never appear in it."""
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    s = (
        s.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return Markup(s)


def _attr_json(data: Any) -> str:
    """Compact JSON for a data-* attribute (escaped by the template as any attribute)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------- highlighted text


@dataclass
class _Mark:
    start: int
    end: int
    rank: int  # nesting preference when two marks cover the same stretch: lower = outer
    tag: str
    cls: str
    attrs: dict[str, str]
    after: Markup | None = None  # inserted right after the mark's real end (speaker badge)
    # per render
    s: int = 0
    e: int = 0


def _token(s: str) -> str:
    """A value usable inside a class name (labels and kinds come from the record)."""
    return re.sub(r"[^A-Za-z0-9_-]", "", s) or "x"


def _open_tag(m: _Mark, cont: bool) -> str:
    cls = m.cls + (" cont" if cont else "")
    parts = [f'<{m.tag} class="{escape(cls)}"']
    for k, v in m.attrs.items():
        parts.append(f' {k}="{escape(v)}"')
    parts.append(">")
    return "".join(parts)


def _marks_for(record: Mapping[str, Any], text: str, problems: list[str]) -> list[_Mark]:
    """The highlight marks of one record; spans whose offsets do not match the text are dropped
    (and reported in ``problems``)."""
    marks: list[_Mark] = []
    n = len(text)

    def valid(span: Mapping[str, Any] | None, what: str) -> bool:
        if not span:
            return False
        st, en = span.get("start"), span.get("end")
        if not isinstance(st, int) or not isinstance(en, int) or not 0 <= st < en <= n:
            problems.append(f"{what}: offsets {st}-{en} not within the text; not highlighted")
            return False
        if text[st:en] != span.get("text", text[st:en]):
            problems.append(f"{what}: offsets {st}-{en} do not match its text; not highlighted")
            return False
        return True

    for qi, q in enumerate(record.get("quotes", [])):
        sp = q.get("speaker")
        sp_name = (sp or {}).get("canonical") or (sp or {}).get("text") or ""
        kind = str(q.get("kind") or "direct")
        content = q.get("content")
        if valid(content, f"quote {qi + 1} content"):
            if sp_name:  # the speaker shown beside the quotation
                badge = Markup('<span class="qby" data-name="{}" data-q="{}">{}</span>').format(
                    sp_name, qi, sp_name)
            else:
                badge = Markup('<span class="qby unknown" data-q="{}" title="متحدث غير معروف">؟</span>').format(qi)
            title = f"اقتباس {KIND_NAMES.get(kind, kind)}" + (f" — {sp_name}" if sp_name else "")
            marks.append(_Mark(content["start"], content["end"], 1, "span", f"qc k-{_token(kind)}",
                               {"data-q": str(qi), "title": title}, badge))
        if valid(sp, f"quote {qi + 1} speaker"):
            marks.append(_Mark(sp["start"], sp["end"], 2, "span", "sp",
                               {"data-q": str(qi), "data-name": sp_name, "title": f"المتحدث: {sp_name}"}))
        for key, cls, label in (("role", "role", "الصفة"), ("addressee", "addr", "المخاطَب"), ("via", "via", "عبر")):
            s = q.get(key)
            if valid(s, f"quote {qi + 1} {key}"):
                attrs = {"data-q": str(qi), "title": label}
                if key != "role":
                    attrs["data-name"] = s.get("canonical") or s["text"]
                    attrs["title"] = f"{label}: {attrs['data-name']}"
                marks.append(_Mark(s["start"], s["end"], 3, "span", cls, attrs))
        cue = q.get("cue")
        if valid(cue, f"quote {qi + 1} cue"):
            marks.append(_Mark(cue["start"], cue["end"], 4, "b", "cue", {"data-q": str(qi)}))
    for ei, ent in enumerate(record.get("entities", [])):
        label = str(ent.get("label") or "MISC")
        canonical = ent.get("canonical") or ""
        for mi, m in enumerate(ent.get("mentions", [])):
            if valid(m, f"entity {canonical} mention {mi + 1}"):
                marks.append(_Mark(m["start"], m["end"], 5, "mark", f"ent l-{_token(label)}",
                                   {"data-name": canonical, "data-e": str(ei),
                                    "title": f"{LABEL_NAMES.get(label, label)} · {canonical}"}))
    return marks


def _render_range(text: str, marks: Sequence[_Mark], lo: int, hi: int, opened: set[int]) -> Markup:
    """HTML of ``text[lo:hi]`` with the marks that touch it, well nested whatever the overlaps:
    the text is cut at every mark boundary; a mark crossing another is closed and reopened
    (the reopened piece has class ``cont``, so each mark has exactly one element without it)."""
    live = []
    for m in marks:
        if m.start < hi and m.end > lo:
            m.s, m.e = max(m.start, lo), min(m.end, hi)
            live.append(m)
    bounds = sorted({lo, hi, *(m.s for m in live), *(m.e for m in live)})
    starting: dict[int, list[_Mark]] = {}
    for m in live:
        starting.setdefault(m.s, []).append(m)
    out: list[str] = []
    stack: list[_Mark] = []

    def open_(m: _Mark) -> None:
        out.append(_open_tag(m, id(m) in opened))
        opened.add(id(m))
        stack.append(m)

    for i, pos in enumerate(bounds):
        reopen: list[_Mark] = []
        ending = [k for k, m in enumerate(stack) if m.e == pos]
        if ending:
            popped = stack[ending[0]:]
            del stack[ending[0]:]
            for m in reversed(popped):
                out.append(f"</{m.tag}>")
                if m.e == pos and m.end == pos and m.after is not None:
                    out.append(m.after)
            reopen = [m for m in popped if m.e != pos]
        if pos == hi:
            break
        for m in sorted(reopen + starting.get(pos, []), key=lambda m: (-m.e, m.rank, m.s)):
            open_(m)
        out.append(str(escape(text[pos : bounds[i + 1]])))
    return Markup("".join(out))


def render_article_text(text: str, record: Mapping[str, Any]) -> tuple[Markup | None, Markup, list[str]]:
    """The highlighted title line (or ``None`` when the text does not start with the title),
    the highlighted body, and problems found with the record's offsets."""
    problems: list[str] = []
    marks = _marks_for(record, text, problems)
    opened: set[int] = set()
    nl = text.find("\n")
    title = (record.get("title") or "").strip()
    if nl > 0 and title and text[:nl].strip() == title:
        head = _render_range(text, marks, 0, nl, opened)
        body = _render_range(text, marks, nl + 1, len(text), opened)
        return head, body, problems
    return None, _render_range(text, marks, 0, len(text), opened), problems


# --------------------------------------------------------------------------- per-article data


def _name(span: Mapping[str, Any] | None) -> str | None:
    if not span:
        return None
    return span.get("canonical") or span.get("text") or None


def _quote_names(q: Mapping[str, Any], ents: Sequence[Mapping[str, Any]]) -> list[str]:
    """The names a quotation involves: speaker, addressee, via, and entities mentioned in it."""
    names = [n for n in (_name(q.get("speaker")), _name(q.get("addressee")), _name(q.get("via"))) if n]
    spans = [q.get(k) for k in ("cue", "content", "speaker", "role", "addressee", "via")]
    ranges = [(s["start"], s["end"]) for s in spans if s]
    for e in ents:
        for m in e.get("mentions", []):
            if any(m["start"] < b and m["end"] > a for a, b in ranges):
                names.append(e["canonical"])
                break
    return list(dict.fromkeys(names))


def _article_context(index: int, article: Article, record: Mapping[str, Any], open_tables: bool) -> dict[str, Any]:
    head, body, problems = render_article_text(article.text, record)
    ents = record.get("entities", [])
    quotes = []
    for qi, q in enumerate(record.get("quotes", [])):
        quotes.append({
            "i": qi,
            "kind": q.get("kind") or "",
            "kind_name": KIND_NAMES.get(q.get("kind") or "", q.get("kind") or ""),
            "speaker": _name(q.get("speaker")),
            "speaker_text": (q.get("speaker") or {}).get("text"),
            "role": (q.get("role") or {}).get("text"),
            "cue": (q.get("cue") or {}).get("text") or "",
            "content": (q.get("content") or {}).get("text") or "",
            "addressee": _name(q.get("addressee")),
            "via": _name(q.get("via")),
            "names": _attr_json(_quote_names(q, ents)),
        })
    names: list[str] = []
    for q in record.get("quotes", []):
        names += [n for n in (_name(q.get("speaker")), _name(q.get("addressee")), _name(q.get("via"))) if n]
    names += [e["canonical"] for e in ents]
    meta = record.get("meta") or {}
    mention_total = sum(len(e.get("mentions", [])) for e in ents)
    return {
        "n": index,
        "id": record.get("id") or article.id,
        "path": record.get("path") or article.path,
        "title": record.get("title") or article.title or article.id,
        "title_html": head,
        "body_html": body,
        "outlet": meta.get("outlet") or meta.get("source"),
        "date": meta.get("date"),
        "url": meta.get("url") if isinstance(meta.get("url"), str) and meta["url"].startswith(("http://", "https://")) else None,
        "quotes": quotes,
        "entities": [
            {"canonical": e["canonical"], "label": e["label"], "label_name": LABEL_NAMES.get(e["label"], e["label"]),
             "count": e.get("count", len(e.get("mentions", []))), "aliases": "، ".join(e.get("aliases", []))}
            for e in sorted(ents, key=lambda e: (-e.get("count", 0), e["canonical"]))
        ],
        "mentions": mention_total,
        "warnings": list(record.get("warnings", [])) + problems,
        "names": _attr_json(list(dict.fromkeys(names))),
        "open_tables": open_tables,
    }


# --------------------------------------------------------------------------- charts (inline SVG)


def _clip(s: str, px: float = 140) -> str:
    """A chart label that fits in about ``px`` pixels at 13px (a rough per-letter width: Arabic
    letters join and are narrower than Latin ones), bidi-isolated (FSI … PDI) so that a Latin
    name such as "Jawhara FM (Tunisia)" keeps its own order inside the right-to-left chart."""
    width, out = 0.0, []
    for ch in s:
        width += 7.4 if ch.isascii() and not ch.isspace() else (3.5 if ch.isspace() else 6.0)
        if width > px:
            out.append("…")
            break
        out.append(ch)
    return "\u2068" + "".join(out) + "\u2069"


def bar_chart(rows: Sequence[tuple[str, int]], *, color: str = "var(--bar)", clickable: bool = True,
              label_width: int = 150, width: int = 360, unit: str = "") -> Markup:
    """A horizontal bar chart, bars growing right to left (RTL), labels on the right."""
    if not rows:
        return Markup('<p class="empty">لا بيانات</p>')
    row_h, pad = 22, 4
    h = len(rows) * row_h + pad * 2
    vmax = max(v for _, v in rows) or 1
    area = width - label_width - 44
    out = [(f'<svg class="chart bars" viewBox="0 0 {width} {h}" width="100%" role="img" '
            f'preserveAspectRatio="xMinYMin meet" style="max-width:{width}px">')]
    for i, (label, v) in enumerate(rows):
        y = pad + i * row_h
        bw = max(round(area * v / vmax, 1), 1.5)
        x_right = width - label_width - 6
        name_attr = Markup(' data-name="{}" tabindex="0"').format(label) if clickable else ""
        out.append(Markup('<g class="row{}"{}><title>{}: {}{}</title>').format(
            " click" if clickable else "", name_attr, label, v, unit))
        out.append(f'<rect class="hitbox" x="0" y="{y}" width="{width}" height="{row_h}"></rect>')
        out.append(f'<rect class="bar" x="{x_right - bw}" y="{y + 4}" width="{bw}" height="{row_h - 8}" '
                   f'rx="2" style="fill:{color}"></rect>')
        out.append(Markup('<text class="lbl" x="{}" y="{}" direction="rtl" text-anchor="start">{}</text>').format(
            width - 2, y + row_h - 7, _clip(label, label_width - 10)))
        out.append(f'<text class="val" x="{x_right - bw - 4}" y="{y + row_h - 7}" direction="ltr" '
                   f'text-anchor="end">{v}</text>')
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(str(x) for x in out))


def day_chart(per_day: Mapping[str, int], width: int = 360, height: int = 140) -> Markup:
    """Quotes per day as columns, earliest day on the right (RTL), with both ends labelled."""
    parsed: dict[_dt.date, int] = {}
    for d, v in per_day.items():
        try:
            parsed[_dt.date.fromisoformat(d)] = v
        except ValueError:  # a malformed date in the metadata
            continue
    if not parsed:
        return Markup('<p class="empty">لا بيانات</p>')
    per_day = {d.isoformat(): v for d, v in parsed.items()}
    first, last = min(parsed), max(parsed)
    span = (last - first).days + 1
    if span > 400:  # long ranges: one column per month
        buckets: dict[str, int] = {}
        for d, v in per_day.items():
            buckets[d[:7]] = buckets.get(d[:7], 0) + v
        vals = []
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):  # every month of the range, empty ones too
            k = f"{y:04d}-{m:02d}"
            vals.append((k, buckets.get(k, 0)))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        vals = [((first + _dt.timedelta(days=i)).isoformat(), per_day.get((first + _dt.timedelta(days=i)).isoformat(), 0))
                for i in range(span)]
    vmax = max(v for _, v in vals) or 1
    top, bottom, side = 16, 22, 30
    plot_w, plot_h = width - 2 * side, height - top - bottom
    cw = plot_w / len(vals)
    out = [f'<svg class="chart days" viewBox="0 0 {width} {height}" width="100%" role="img" style="max-width:{width}px">']
    out.append(f'<line class="axis" x1="{side}" y1="{top + plot_h}" x2="{width - side}" y2="{top + plot_h}"></line>')
    out.append(f'<text class="val" x="{width - side + 4}" y="{top + 4}" text-anchor="start">{vmax}</text>')
    for i, (k, v) in enumerate(vals):
        if not v:
            continue
        bh = plot_h * v / vmax
        x = width - side - (i + 1) * cw  # RTL: time runs right to left
        out.append(Markup('<rect class="col" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{}: {}</title></rect>')
                   .format(x + cw * 0.1, top + plot_h - bh, max(cw * 0.8, 0.8), bh, k, v))
    out.append(Markup('<text class="val" x="{}" y="{}" text-anchor="end" direction="ltr">{}</text>').format(
        width - side, height - 6, vals[0][0]))
    if len(vals) > 1:
        out.append(Markup('<text class="val" x="{}" y="{}" text-anchor="start" direction="ltr">{}</text>').format(
            side, height - 6, vals[-1][0]))
    out.append("</svg>")
    return Markup("".join(str(x) for x in out))


def cooccurrence_matrix(pairs: Mapping[tuple[str, str], int], size: int = 12) -> Markup:
    """Entities that share sentences, as a heat-map matrix of the ``size`` most connected ones."""
    if not pairs:
        return Markup('<p class="empty">لا كيانات متزامنة</p>')
    weight: dict[str, int] = {}
    for (a, b), n in pairs.items():
        weight[a] = weight.get(a, 0) + n
        weight[b] = weight.get(b, 0) + n
    nodes = sorted(weight, key=lambda k: (-weight[k], k))[:size]
    idx = {k: i for i, k in enumerate(nodes)}
    cells: dict[tuple[int, int], int] = {}
    for (a, b), n in pairs.items():
        if a in idx and b in idx:
            cells[idx[a], idx[b]] = cells[idx[b], idx[a]] = n
    vmax = max(cells.values(), default=1)
    cell, label_w = 22, 150
    k = len(nodes)
    width, height = label_w + k * cell + 8, label_w + k * cell + 8
    out = [(f'<svg class="chart matrix" viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'style="max-width:{width}px">')]
    grid_right = width - label_w  # labels on the right (rows) and at the top (columns)
    for i, name in enumerate(nodes):
        y = label_w + i * cell
        out.append(Markup('<g class="click" data-name="{}" tabindex="0"><title>{}</title>'
                          '<text class="lbl" x="{}" y="{}" direction="rtl" text-anchor="start">{}</text></g>').format(
            name, name, width - 2, y + cell - 7, _clip(name, 140)))
        x = grid_right - (i + 1) * cell
        out.append(Markup('<g class="click" data-name="{}"><title>{}</title>'
                          '<text class="lbl" transform="translate({},{}) rotate(-90)" direction="rtl" '
                          'text-anchor="end">{}</text></g>').format(
            name, name, x + cell - 7, label_w - 4, _clip(name, 140)))
    for i in range(k):
        for j in range(k):
            n = cells.get((i, j), 0)
            x, y = grid_right - (j + 1) * cell, label_w + i * cell
            if i == j:
                out.append(f'<rect class="diag" x="{x}" y="{y}" width="{cell - 1}" height="{cell - 1}"></rect>')
                continue
            op = 0.12 + 0.88 * n / vmax if n else 0
            out.append(Markup('<rect class="cell" x="{}" y="{}" width="{}" height="{}" style="fill-opacity:{:.2f}">'
                              '<title>{} × {}: {}</title></rect>').format(
                x, y, cell - 1, cell - 1, op, nodes[i], nodes[j], n))
    out.append("</svg>")
    return Markup("".join(str(x) for x in out))


# --------------------------------------------------------------------------- the page


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("newsan", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["LABEL_NAMES"] = LABEL_NAMES
    return env


@cache
def _asset(name: str) -> Markup:
    text = resources.files("newsan").joinpath("templates", name).read_text(encoding="utf-8")
    assert "</" + ("style" if name.endswith(".css") else "script") not in text.lower()
    return Markup(text)


@dataclass
class ReportStats:
    documents: int = 0
    quotes: int = 0
    mentions: int = 0
    bytes: int = 0


class _Counter:
    """A text sink that counts what passes through (to report the file size)."""

    def __init__(self, out: IO[str]) -> None:
        self.out, self.bytes = out, 0

    def write(self, s: str) -> None:
        self.out.write(s)
        self.bytes += len(s.encode("utf-8"))


def write_report(
    items: Iterable[tuple[Article, Mapping[str, Any]]],
    out: IO[str],
    *,
    summary: CorpusSummary | None = None,
    title: str = "تقرير newsan",
    generated: str | None = None,
    open_tables: bool | None = None,
) -> ReportStats:
    """Write the HTML report of ``(article, record)`` pairs to ``out``.

    Records are folded into ``summary`` (a new :class:`CorpusSummary` when ``None``;
    pass one to have failures, added by the caller, shown too). Articles are
    rendered as they come and spooled to a temporary file, so only the corpus
    counts are held in memory.
    """
    summary = summary if summary is not None else CorpusSummary()
    stats = ReportStats()
    env = _env()
    article_tpl = env.get_template("article.html.j2")
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        first: list[tuple[Article, Mapping[str, Any]]] = []
        it = iter(items)
        # decide on open tables once we know whether the report is small
        for pair in it:
            first.append(pair)
            if len(first) > OPEN_TABLES_UP_TO:
                break
        opened = open_tables if open_tables is not None else len(first) <= OPEN_TABLES_UP_TO

        def all_pairs() -> Iterator[tuple[Article, Mapping[str, Any]]]:
            yield from first
            yield from it

        for article, record in all_pairs():
            stats.documents += 1
            summary.add_record(record)
            ctx = _article_context(stats.documents, article, record, opened)
            stats.quotes += len(ctx["quotes"])
            stats.mentions += ctx["mentions"]
            for chunk in article_tpl.generate(**ctx):
                spool.write(chunk)
            spool.write("\n")
        spool.seek(0)

        data = summary.to_dict(top=15)
        charts = {
            "speakers": bar_chart([(s["speaker"], s["quotes"]) for s in data["top_speakers"]], color="var(--sp)"),
            "entities": {
                label: bar_chart([(e["canonical"], e["mentions"]) for e in data["top_entities"][label][:10]],
                                 color=f"var(--{label.lower()})")
                for label in LABELS
            },
            "cooccurrence": cooccurrence_matrix(summary.cooccurrence),
            "outlets": bar_chart(list(data["quotes_per_outlet"].items())[:15], clickable=False)
            if data["quotes_per_outlet"] else None,
            "days": day_chart(data["quotes_per_day"]) if data["quotes_per_day"] else None,
        }
        page = env.get_template("report.html.j2")
        sink = _Counter(out)
        ctx = {
            "title": title,
            "generated": generated or _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "summary": data,
            "stats": stats,
            "charts": charts,
            "labels": LABELS,
            "label_plurals": LABEL_PLURALS,
            "css": _asset("report.css"),
            "js": _asset("report.js"),
            "nonce": secrets.token_urlsafe(16),
            "data_json": json_for_script({"summary": data, "documents": stats.documents}),
        }
        body = page.render(**ctx)
        before, marker, after = body.partition("<!--ARTICLES-->")
        assert marker, "report.html.j2 lacks the <!--ARTICLES--> marker"
        sink.write(before)
        while chunk := spool.read(1 << 16):
            sink.write(chunk)
        sink.write(after)
    stats.bytes = sink.bytes
    return stats


# --------------------------------------------------------------------------- the command


def _with_articles(items: Iterable[Article | InputError], outcomes_of: Any) -> Iterator[tuple[Any, Any]]:
    """Pair each outcome of ``analyze_stream`` with its input (same order, one outcome per item),
    keeping only the inputs still in flight."""
    pending: deque[Article | InputError] = deque()

    def feed() -> Iterator[Article | InputError]:
        for item in items:
            pending.append(item)
            yield item

    for outcome in outcomes_of(feed()):
        item = pending.popleft()
        if outcome.path != item.path:  # analyze_stream yields one outcome per input, in order
            raise RuntimeError(f"outcome for {outcome.path} paired with input {item.path}")
        yield item, outcome


def _build_command() -> Any:
    import click

    from newsan import cli as cli_mod

    @click.command("report")
    @cli_mod._analysis_options
    @click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="report.html",
                  show_default=True, help="The HTML file to write (atomically).")
    @click.option("--title", default="تقرير newsan", show_default=False, help="The page title.")
    def report_command(paths: tuple[str, ...], glob: str, ner: str, lexicon: str | None, jobs: int,
                       scheduler: str | None, quiet: bool, max_size: int, output: str, title: str) -> None:
        """Write one self-contained HTML report (opens offline) of what analyze finds.

        PATHS as for analyze. Entities are highlighted by label, quotations marked
        (speaker beside them); charts of speakers, entities, co-occurrences, quotes
        per outlet and day; click a name to filter, or search.
        """
        from newsan.errors import NewsanError
        from newsan.export import atomic_writer
        from newsan.load import iter_articles
        from newsan.runner import analyze_stream

        errors = cli_mod._Errors(quiet)
        cli_mod.check_inputs(paths, glob, output)
        parent = Path(output).parent
        if not parent.is_dir():
            raise click.UsageError(f"{output}: folder {parent} does not exist")
        analyzer, njobs = cli_mod._prepare_analyzer(ner, lexicon, jobs, scheduler, paths)
        summary = CorpusSummary()

        def items() -> Iterator[Article]:
            # unreadable inputs are reported here, as they are read: only articles go to the workers
            for item in iter_articles(paths, glob=glob, max_bytes=max_size, exclude=[output]):
                if isinstance(item, InputError):
                    missing = item.reason == "no such file or directory"
                    errors.error(str(item), cli_mod.EXIT_USAGE if missing else cli_mod.EXIT_FAILED)
                    summary.add_failure(item.reason)
                    continue
                yield item

        interrupted = False

        def pairs() -> Iterator[tuple[Article, Mapping[str, Any]]]:
            nonlocal interrupted
            outcomes = _with_articles(items(), lambda it: analyze_stream(it, analyzer, jobs=njobs, scheduler=scheduler))
            with cli_mod._progress(not quiet and sys.stderr.isatty()) as tick:
                try:
                    for item, outcome in outcomes:
                        tick()
                        rec = cli_mod._accept(outcome, errors, summary)
                        if rec is not None:
                            yield item, rec
                except KeyboardInterrupt:
                    # stop analyzing; the report is written with the articles finished so far
                    interrupted = True
                    errors.error("interrupted: the report shows the articles finished so far", cli_mod.EXIT_INTERRUPTED)
                except NewsanError as exc:  # the backend failed (workers, Dask): same, keep what is done
                    interrupted = True
                    errors.error(f"{exc}; the report shows the articles finished so far")

        stats = ReportStats()
        aborted = False
        try:
            with atomic_writer(output) as out:
                stats = write_report(pairs(), out, summary=summary, title=title)
                if summary.documents == 0:
                    raise cli_mod._NothingWritten
        except cli_mod._NothingWritten:
            pass
        except KeyboardInterrupt:
            aborted = True
            errors.error("interrupted: no report written", cli_mod.EXIT_INTERRUPTED)
        except NewsanError as exc:
            aborted = True
            errors.error(f"{exc}; no report written")
        except OSError as exc:
            aborted = True
            errors.error(f"{output}: cannot write ({exc.strerror or exc})")
        if not quiet and (summary.documents + summary.failed > 1 or summary.failed):
            click.echo(
                f"newsan: {summary.documents} analyzed, {summary.failed} failed"
                + (": " + ", ".join(f"{n} {r}" for r, n in summary.failures.most_common()) if summary.failed else ""),
                err=True,
            )
        if summary.documents == 0 and not (interrupted or aborted):
            if errors.code == cli_mod.EXIT_OK:
                errors.error("no input documents found", cli_mod.EXIT_USAGE)
            else:
                errors.error("no document could be analyzed; no report written")
        elif stats.documents and not quiet:
            click.echo(f"newsan: wrote {output} ({stats.documents} articles, {stats.bytes / 1e6:.1f} MB)", err=True)
        sys.exit(errors.code)

    return report_command


_COMMAND: Any = None


def __getattr__(name: str) -> Any:
    # report_command is built on first access: it reuses newsan.cli's shared options, and
    # newsan.cli imports it, so building it at import time would be a circular import.
    global _COMMAND
    if name == "report_command":
        if _COMMAND is None:
            cmd = _build_command()
            if _COMMAND is None:  # importing newsan.cli above may have built it already
                _COMMAND = cmd
        return _COMMAND
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
