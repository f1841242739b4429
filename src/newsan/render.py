"""Rich terminal tables for analyses and the corpus view.

Terminals differ in how they show Arabic. Those with bidi support (VTE/GNOME
Terminal, Konsole, mlterm, macOS Terminal) reorder and shape the logical text
themselves: print it as is (``--bidi terminal``, the default). Those without
(xterm, tmux, most IDE consoles, Windows console) show letters unjoined and
left to right: ``--bidi visual`` reshapes and reorders each cell so it reads
correctly there. Only the display changes; exports always carry logical text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any, Protocol

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["render_record", "render_summary", "render_boards", "render_quotations", "make_display", "BIDI_MODES"]

BIDI_MODES = ("terminal", "visual")


class Display(Protocol):
    def __call__(self, s: str, width: int | None = None) -> str: ...


def make_display(mode: str) -> Display:
    """A function ``display(text, width=None)`` that prepares a cell's text.

    In visual mode, text is wrapped to ``width`` in *logical* order first and
    each line is then reshaped and reordered: wrapping after reordering would
    put the end of a sentence on its first line.
    """
    if mode == "visual":
        import arabic_reshaper
        from bidi import get_display

        reshaper = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})

        def visual(s: str, width: int | None = None) -> str:
            lines = [w for line in s.split("\n") for w in (textwrap.wrap(line, width) if width else [line]) or [""]]
            return "\n".join(get_display(reshaper.reshape(line)) for line in lines)

        return visual

    def logical(s: str, width: int | None = None) -> str:
        return s

    return logical


def _clip(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _cell(x: Mapping[str, Any] | None, display: Display, key: str = "text", width: int | None = None) -> str:
    if not x:
        return ""
    return display(str(x.get(key) or x.get("text") or ""), width)


def render_record(record: Mapping[str, Any], console: Console, display: Display, content_width: int = 90) -> None:
    """Quotations and entities of one article as two tables."""
    visual = display("ا") != "ا"
    justify = "right" if visual else "left"  # visual RTL text reads from the right edge
    if visual:
        # pre-wrapped lines must fit as they are: rich re-wrapping them would scramble the order
        content_width = max(30, min(content_width, console.width - 100))
    title = record.get("title") or ""
    stats = record.get("stats", {})
    head = Text()
    head.append(f"{record['id']}  ", style="bold")
    head.append(display(_clip(title, 80)))
    head.append(
        f"   {stats.get('quotes', 0)} quotations · {stats.get('entities', 0)} entities · "
        f"{stats.get('tokens', 0)} words",
        style="dim",
    )
    console.rule(head)
    for w in record.get("warnings", []):
        console.print(Text(f"warning: {w}", style="yellow"))

    if record["quotes"]:
        t = Table(box=box.SIMPLE_HEAD, show_lines=False, expand=False, title="Quotations", title_justify="left")
        t.add_column("#", justify="right", style="dim")
        t.add_column("speaker (role)", max_width=32)
        t.add_column("cue", style="cyan")
        t.add_column("kind")
        t.add_column("content", max_width=content_width, justify=justify, no_wrap=visual, overflow="fold")
        t.add_column("to / via", max_width=28)
        for i, q in enumerate(record["quotes"], 1):
            sp = q.get("speaker")
            speaker = _cell(sp, display, "canonical", 30) or Text("?", style="red")
            if q.get("role"):
                speaker = f"{speaker}\n({_cell(q['role'], display, width=28)})" if isinstance(speaker, str) else speaker
            extra = []
            if q.get("addressee"):
                extra.append("→ " + _cell(q["addressee"], display, "canonical", 25))
            if q.get("via"):
                extra.append("via " + _cell(q["via"], display, "canonical", 23))
            kind_style = {"direct": "green", "indirect": "blue", "mixed": "magenta"}.get(q["kind"], "")
            t.add_row(
                str(i),
                speaker,
                _cell(q["cue"], display),
                Text(q["kind"], style=kind_style),
                display(_clip(q["content"]["text"], 240), content_width - 2),
                "\n".join(extra),
            )
        console.print(t)
    else:
        console.print(Text("no quotations found", style="dim"))

    if record["entities"]:
        t = Table(box=box.SIMPLE_HEAD, title="Entities", title_justify="left")
        t.add_column("entity", max_width=40)
        t.add_column("label")
        t.add_column("count", justify="right")
        t.add_column("aliases", max_width=50)
        colors = {"PERS": "green", "LOC": "yellow", "ORG": "cyan", "MISC": "magenta"}
        for e in sorted(record["entities"], key=lambda e: (-e["count"], e["label"])):
            t.add_row(
                display(e["canonical"]),
                Text(e["label"], style=colors.get(e["label"], "")),
                str(e["count"]),
                "، ".join(display(a) for a in e["aliases"]),
            )
        console.print(t)


def render_summary(summary: Mapping[str, Any], console: Console, display: Display, top: int = 10) -> None:
    """The corpus view: counts, top speakers, top entities per label, co-occurrences."""
    console.rule(Text("Corpus summary", style="bold"))
    console.print(
        f"{summary['documents']} documents analyzed, {summary['failed']} failed, "
        f"{summary['quotes']} quotations"
    )
    for reason, n in summary.get("failures", {}).items():
        console.print(Text(f"  {n} × {reason}", style="yellow"))
    if "people" in summary:
        render_boards(summary, console, display, top)
    elif summary["top_speakers"]:
        t = Table(box=box.SIMPLE_HEAD, title="Top speakers", title_justify="left")
        t.add_column("speaker", max_width=40)
        t.add_column("quotes", justify="right")
        t.add_column("addressees / via", max_width=60)
        for s in summary["top_speakers"][:top]:
            extra = [display(k) for k in s["addressees"]] + [f"via {display(k)}" for k in s["via"]]
            t.add_row(display(s["speaker"]), str(s["quotes"]), ", ".join(extra))
        console.print(t)
    ents = summary["top_entities"]
    t = Table(box=box.SIMPLE_HEAD, title="Top entities", title_justify="left")
    for label in ents:
        t.add_column(label, max_width=30)
    rows = max((len(v) for v in ents.values()), default=0)
    for i in range(min(rows, top)):
        cells = []
        for label in ents:
            v = ents[label]
            cells.append(f"{display(v[i]['canonical'])} ({v[i]['mentions']})" if i < len(v) else "")
        t.add_row(*cells)
    if rows:
        console.print(t)
    if summary.get("cooccurrence"):
        t = Table(box=box.SIMPLE_HEAD, title="Entities named together (same sentence)", title_justify="left")
        t.add_column("entity", max_width=36)
        t.add_column("entity", max_width=36)
        t.add_column("sentences", justify="right")
        for c in summary["cooccurrence"][:top]:
            t.add_row(display(c["a"]), display(c["b"]), str(c["sentences"]))
        console.print(t)
    if "over_time" in summary:
        render_time(summary, console, display)
    for key, title in (("quotes_per_outlet", "Quotations per outlet"), ("quotes_per_day", "Quotations per day")):
        if "over_time" in summary:
            break  # the store's view has both, per outlet with its people, and all dates
        data = summary.get(key) or {}
        if data:
            t = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
            t.add_column(key.split("_")[-1])
            t.add_column("quotes", justify="right")
            items = list(data.items())
            for k, n in items[:top] if key == "quotes_per_outlet" else items[-top:]:
                t.add_row(display(str(k)), str(n))
            console.print(t)


def render_eval(result: Mapping[str, Any], console: Console) -> None:
    """Scores of ``newsan eval quotes``: per article, then overall."""
    t = Table(box=box.SIMPLE_HEAD, title="Quotations and entities (SCORING.md)", title_justify="left")
    for col in ("article", "quote P", "quote R", "quote F1", "speaker", "kind", "e2e F1", "ent P", "ent R", "ent F1"):
        t.add_column(col, justify="right" if col != "article" else "left", no_wrap=True)

    def row(name: str, s: Mapping[str, Any], style: str = "") -> None:
        q, e = s["quotes"], s["entities"]
        t.add_row(
            name,
            *(f"{q[k]:.3f}" for k in ("precision", "recall", "f1", "speaker_accuracy", "kind_accuracy", "e2e_f1")),
            *(f"{e[k]:.3f}" for k in ("precision", "recall", "f1")),
            style=style,
        )

    for aid, s in result["articles"].items():
        row(aid, s)
    row("overall", result["overall"], style="bold")
    console.print(t)
    q = result["overall"]["quotes"]
    console.print(f"quotes: {q['matched']} matched of {q['predicted']} predicted, {q['gold']} gold")
    for err in result.get("errors", []):
        line = Text(f"{err['id']} ", style="dim")
        line.append(f"{err['type']}: " + ", ".join(f"{k}={v}" for k, v in err.items() if k not in ("id", "type")))
        console.print(line)


def _cut(shown: int, total: int) -> str:
    return f" (top {shown} of {total})" if total > shown else ""


def render_boards(view: Mapping[str, Any], console: Console, display: Display, top: int = 10) -> None:
    """The store's leaderboards (see :meth:`newsan.store.Store.view`): named
    people, institutions, anonymous sources and roles ranked by the articles
    and outlets quoting them; what each person is quoted about; who addresses
    whom; republished quotations. Every cut list says so in its title."""
    q = view.get("quotations") or {}
    if q:
        console.print(
            f"{q['distinct']} distinct quotations in {q['occurrences']} occurrences; "
            f"{q['republished']} republished in several articles ({q['republished_occurrences']} occurrences)"
        )
    titles = {"people": "Named people quoted", "institutions": "Institutions quoted",
              "anonymous": "Anonymous sources and roles quoted"}
    for board, title in titles.items():
        rows = list(view.get(board) or [])[:top]
        if not rows:
            continue
        t = Table(box=box.SIMPLE_HEAD, title=title + _cut(len(rows), view.get(f"{board}_total", len(rows))),
                  title_justify="left")
        t.add_column("speaker", max_width=36)
        for col in ("articles", "outlets", "quotes", "occurrences"):
            t.add_column(col, justify="right")
        t.add_column("quoted about" if board == "people" else "also written", max_width=60)
        for r in rows:
            extra = (", ".join(display(a["entity"]) for a in r.get("quoted_about", [])[:4]) if board == "people"
                     else ", ".join(display(v) for v in r.get("variants", [])[:3]))
            t.add_row(display(r["name"]), str(r["articles"]), str(r["outlets"]), str(r["quotes"]),
                      str(r["occurrences"]), extra)
        console.print(t)
    rows = list(view.get("addresses") or [])[:top]
    if rows:
        t = Table(box=box.SIMPLE_HEAD, title="Who addresses whom" + _cut(len(rows), view.get("addresses_total", 0)),
                  title_justify="left")
        t.add_column("speaker", max_width=36)
        t.add_column("addressee", max_width=36)
        t.add_column("quotes", justify="right")
        for r in rows:
            t.add_row(display(r["speaker"]), display(r["addressee"]), str(r["quotes"]))
        console.print(t)
    rows = list(view.get("relays") or [])[:top]
    if rows:
        t = Table(box=box.SIMPLE_HEAD, title="Who is quoted through whom" + _cut(len(rows), view.get("relays_total", 0)),
                  title_justify="left")
        t.add_column("speaker", max_width=36)
        t.add_column("via", max_width=36)
        t.add_column("quotes", justify="right")
        for r in rows:
            t.add_row(display(r["speaker"]), display(r["via"]), str(r["quotes"]))
        console.print(t)
    rows = list(q.get("top_republished") or [])[:top]
    if rows:
        t = Table(box=box.SIMPLE_HEAD, title="Republished quotations" + _cut(len(rows), q.get("republished", 0)),
                  title_justify="left")
        t.add_column("quotation", max_width=70)
        t.add_column("speaker", max_width=30)
        t.add_column("articles", justify="right")
        t.add_column("outlets", justify="right")
        for r in rows:
            t.add_row(display(_clip(r["content"], 120), 70), display(r["speaker"] or ""), str(r["articles"]),
                      str(r["outlets"]))
        console.print(t)


def render_time(view: Mapping[str, Any], console: Console, display: Display) -> None:
    """Per outlet (with its most quoted people) and over time (every day, or every month)."""
    outlets = view.get("outlets") or []
    if outlets:
        t = Table(box=box.SIMPLE_HEAD, title="Per outlet", title_justify="left")
        t.add_column("outlet", max_width=30)
        for col in ("articles", "quotes", "occurrences"):
            t.add_column(col, justify="right")
        t.add_column("most quoted people", max_width=60)
        for r in outlets:
            t.add_row(display(str(r["outlet"])), str(r["articles"]), str(r["quotes"]), str(r["occurrences"]),
                      ", ".join(display(p["name"]) for p in r["people"]))
        console.print(t)
    time = view.get("over_time") or {}
    if time.get("rows"):
        unit = time["unit"]
        t = Table(box=box.SIMPLE_HEAD, title=f"Quotations per {unit} (all {unit}s with quotations)",
                  title_justify="left")
        t.add_column(unit)
        t.add_column("articles", justify="right")
        t.add_column("occurrences", justify="right")
        for r in time["rows"]:
            t.add_row(r[unit], str(r["articles"]), str(r["occurrences"]))
        console.print(t)


def render_quotations(rows: list[Mapping[str, Any]], console: Console, display: Display) -> None:
    """Quotations answered by a query: date, outlet, speaker, quotation."""
    t = Table(box=box.SIMPLE_HEAD, title=f"{len(rows)} quotations", title_justify="left")
    t.add_column("date", no_wrap=True)
    t.add_column("outlet", max_width=20)
    t.add_column("speaker", max_width=28)
    t.add_column("kind")
    t.add_column("quotation", max_width=80)
    t.add_column("copies", justify="right")
    for r in rows:
        t.add_row(r.get("date") or "", display(str(r.get("outlet") or "")),
                  display(r.get("speaker") or r.get("speaker_text") or ""), r["kind"],
                  display(_clip(r["content"], 300), 80), str(r.get("quote_occurrences") or 1))
    console.print(t)
