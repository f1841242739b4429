"""The HTML report in a real browser: headless Chromium (Debian's package) driven by Playwright.

Checks each filter and their combinations, the URL state (a page opened at
the URL shows the same selection), the CSV export's contents, the citation,
the timeline brush, that nothing is fetched and that the malicious article
executed nothing, and that screenshots are not blank. Screenshots are kept in
``$NEWSAN_SCREENSHOTS`` when set (CI artifacts), else in pytest's tmp dir.

Skips with the reason when Chromium or the playwright package is missing;
``.ci/run`` installs both (``apt-get install -y chromium``, ``pip install playwright``;
never ``playwright install``: no browser is downloaded).
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_report import EVIL_IMG, EVIL_TEXT, EVILS, evil_pair, simple_pair

pytestmark = pytest.mark.browser

CHROMIUM = next(
    (p for p in (os.environ.get("NEWSAN_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")) if p and os.path.exists(p)),
    None,
)
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # plus --headless and a fresh --user-data-dir

if CHROMIUM is None:
    pytest.skip("Chromium not found (apt-get install -y chromium; or set NEWSAN_CHROMIUM)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing (pip install playwright)")


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 900}, offline=True,
        )
        try:
            yield ctx
        finally:
            ctx.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = os.environ.get("NEWSAN_SCREENSHOTS")
    if d:
        Path(d).mkdir(parents=True, exist_ok=True)
        return Path(d)
    return tmp_path_factory.mktemp("screenshots")


class Loaded:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: self.requests.append(r.url))

        def dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)

    def js(self, expr: str, arg: Any = None) -> Any:
        return self.page.evaluate(expr, arg)


def load(context: Any, path: Path) -> Loaded:
    page = context.new_page()
    loaded = Loaded(page)
    page.goto(path.as_uri(), wait_until="load")
    return loaded


def assert_not_blank(context: Any, png: bytes) -> None:
    """Decode the screenshot in a blank page's canvas: many colours, not one background."""
    page = context.new_page()
    try:
        page.set_content("<canvas id=c></canvas>")
        stats = page.evaluate(
            """async (b64) => {
                const img = new Image();
                img.src = "data:image/png;base64," + b64;
                await img.decode();
                const c = document.getElementById("c");
                c.width = img.width; c.height = img.height;
                const g = c.getContext("2d");
                g.drawImage(img, 0, 0);
                const d = g.getImageData(0, 0, c.width, c.height).data;
                const counts = new Map();
                for (let i = 0; i < d.length; i += 4) {
                    const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
                    counts.set(k, (counts.get(k) || 0) + 1);
                }
                const top = Math.max(...counts.values());
                return {colors: counts.size, other: 1 - top / (d.length / 4), w: c.width, h: c.height};
            }""",
            base64.b64encode(png).decode(),
        )
    finally:
        page.close()
    assert stats["colors"] > 50 and stats["other"] > 0.05, stats


def docs_shown(page: Loaded) -> list[int]:
    return page.js("() => newsanReport.docs()")


def quotes_shown(page: Loaded) -> list[list[int]]:
    return page.js("() => newsanReport.quotes()")


def external(requests: list[str]) -> list[str]:
    return [u for u in requests if not u.startswith(("file:", "data:", "about:", "blob:"))]


# --------------------------------------------------------------------------- hand-made records

FOURTH = 'خبر رابع\nقالت إن "الشركة" قررت التوسع هذا العام، بحسب أرامكو.\n'


def hand_pairs() -> list[tuple[Any, dict[str, Any]]]:
    from newsan.load import article_from_text
    from test_report import make_record

    a1, r1 = simple_pair(1, meta={"outlet": "وكالة", "date": "2017-01-02"})
    a2, r2 = evil_pair()
    a3, r3 = simple_pair(3, meta={"outlet": "صحيفة", "date": "2017-03-15"})
    a4 = article_from_text(FOURTH, "d4.txt", meta={"outlet": "صحيفة", "date": "2016-12-20"})
    r4 = make_record(a4, quotes=[("mixed", "قالت", 'إن "الشركة" قررت التوسع', None, None)],
                     entities=[("أرامكو", "ORG", ["أرامكو"])])
    return [(a1, r1), (a2, r2), (a3, r3), (a4, r4)]


@pytest.fixture(scope="module")
def hand_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from newsan.report import write_report

    path = tmp_path_factory.mktemp("hand") / "hand.html"
    with path.open("w", encoding="utf-8") as fh:
        write_report(hand_pairs(), fh)
    return path


def test_browser_injected_markup_is_inert_and_nothing_is_fetched(context: Any, hand_report: Path, shots: Path) -> None:
    page = load(context, hand_report)
    page.page.click("#doc-2 .doc-title")  # the malicious article, rendered on demand
    page.page.fill("#q", "بيروت")  # its text through the search highlighter too
    page.page.wait_for_function("() => newsanReport.docs().length === 1")  # doc-2 stays open (it is in the URL)
    assert page.js("() => window.__xss") is None
    assert page.dialogs == [] and page.errors == []
    assert page.js("() => document.querySelectorAll('img, textarea, iframe, object, embed').length") == 0
    assert page.js("() => document.scripts.length") == 3
    body = page.js("() => document.querySelector('#doc-2 .text').textContent")
    assert body == hand_pairs()[1][0].text
    for evil in EVILS:
        assert evil in body
    assert page.js("() => document.querySelectorAll('#doc-2 .text .hl').length") == 1
    assert external(page.requests) == []
    png = page.page.screenshot(path=str(shots / "report-hand.png"))
    assert_not_blank(context, png)
    page.page.close()


FILTERS = [
    ({}, [1, 2, 3, 4], 7),
    ({"outlet": "صحيفة"}, [3, 4], 3),
    ({"from": "2017-01-01", "to": "2017-01-31"}, [1, 2], 4),
    ({"label": "ORG"}, [4], 1),
    ({"kind": "mixed"}, [4], 1),
    ({"kind": "direct"}, [1, 2, 3], 3),
    ({"stype": "source"}, [2], 2),
    ({"stype": "unknown"}, [4], 1),
    ({"stype": "PERS"}, [1, 3], 4),
    ({"names": ["سامي علي"]}, [1, 3], 4),
    ({"names": ["سامي علي", "مصر"]}, [1, 3], 4),
    ({"names": ["بيروت"]}, [2], 0),  # a name that never speaks: its articles, no quotations
    ({"names": ["سامي علي"], "outlet": "صحيفة"}, [3], 2),
    ({"kind": "indirect", "from": "2017-01-01"}, [1, 2, 3], 3),
    ({"q": "القاهره"}, [1, 3], 2),  # Arabic-insensitive: ه for ة
]


@pytest.mark.parametrize("patch, docs, n_quotes", FILTERS)
def test_browser_filters_combine_and_live_in_the_url(context: Any, hand_report: Path, patch: dict[str, Any],
                                                     docs: list[int], n_quotes: int) -> None:
    page = load(context, hand_report)
    page.js("(p) => newsanReport.set(p)", patch)
    assert docs_shown(page) == docs
    assert len(quotes_shown(page)) == n_quotes
    # the charts and lists follow: the speakers chart counts only the quotations shown
    spoken = page.js("""() => Array.from(document.querySelectorAll('#c-speakers g.row title'))
        .map(t => +t.textContent.split(': ').pop()).reduce((a, b) => a + b, 0)""")
    assert spoken == sum(1 for q in quotes_shown(page) if q[2])
    assert page.js("() => document.querySelectorAll('#doclist > li').length") == len(docs)
    assert page.js("() => document.querySelectorAll('#qt tbody tr').length") == n_quotes
    # the state is in the hash: a fresh page opened at this URL shows the same selection
    url = page.page.url
    if patch:
        assert "#" in url
    again = load(context, Path(hand_report))
    again.page.goto(url, wait_until="load")
    assert docs_shown(again) == docs and len(quotes_shown(again)) == n_quotes
    state = again.js("() => newsanReport.state()")
    for k, v in patch.items():
        assert state[k] == v
    for k in ("outlet", "from", "to", "label", "kind", "stype"):
        assert again.js(f"() => document.getElementById('f-{k}').value") == patch.get(k, "")
    assert page.errors == [] and again.errors == []
    page.page.close()
    again.page.close()


def test_browser_filter_controls_and_name_clicks(context: Any, hand_report: Path, shots: Path) -> None:
    page = load(context, hand_report)
    page.page.select_option("#f-outlet", "صحيفة")
    assert docs_shown(page) == [3, 4]
    page.page.click('#c-speakers g.row[data-name="سامي علي"]')
    assert docs_shown(page) == [3]
    assert "outlet=" in page.page.url and "name=" in page.page.url
    # the view of one name: its quotations by date, with links to the articles
    assert page.js("() => document.getElementById('profile').hidden") is False
    assert "سامي علي" in page.js("() => document.querySelector('#profile h2').textContent")
    page.page.click("#qt tbody tr a.doclink")
    assert page.js("() => newsanReport.state().doc") == "3"
    assert page.js("() => document.querySelector('#doc-3 .text') !== null") is True
    png = page.page.screenshot(path=str(shots / "report-profile.png"))
    assert_not_blank(context, png)
    page.page.click("#clear")
    assert docs_shown(page) == [1, 2, 3, 4] and page.page.url.endswith(".html")
    page.page.close()


def test_browser_a_name_that_never_speaks_says_so(context: Any, hand_report: Path) -> None:
    page = load(context, hand_report)
    page.js("() => newsanReport.set({names: ['القاهرة']})")
    assert page.js("() => document.getElementById('qt').hidden") is True  # no empty table
    msg = page.js("() => document.getElementById('quotes-empty').textContent")
    assert "القاهرة" in msg and "2" in msg
    assert docs_shown(page) == [1, 3]
    page.page.close()


def test_browser_timeline_brush_selects_a_date_range(context: Any, hand_report: Path) -> None:
    page = load(context, hand_report)
    box = page.page.locator("#c-time svg").bounding_box()
    y = box["y"] + box["height"] / 2
    page.page.mouse.move(box["x"] + box["width"] * 0.02, y)
    page.page.mouse.down()
    page.page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
    page.page.mouse.up()
    st = page.js("() => newsanReport.state()")
    assert st["from"] and st["to"] and st["from"] <= st["to"]
    # real dates, which the date inputs show
    assert page.js("() => [document.getElementById('f-from').value, document.getElementById('f-to').value]") == [
        st["from"], st["to"]]
    assert "from=" in page.page.url
    dates = {1: "2017-01-02", 2: "2017-01-02", 3: "2017-03-15", 4: "2016-12-20"}
    shown = docs_shown(page)
    assert shown and shown != [1, 2, 3, 4]
    assert all(st["from"] <= dates[n] <= st["to"] for n in shown)
    page.page.close()


def test_browser_csv_export_holds_the_filtered_quotations(context: Any, hand_report: Path) -> None:
    import csv

    page = load(context, hand_report)
    page.js("() => newsanReport.set({kind: 'direct'})")
    with page.page.expect_download() as info:
        page.page.click("#export")
    data = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    pairs = hand_pairs()
    expected = [(a, q) for a, r in pairs for q in r["quotes"] if q["kind"] == "direct"]
    assert len(rows) == len(expected) == 3
    for row, (art, q) in zip(rows, expected, strict=True):
        assert row["kind"] == "direct" and row["content"] == q["content"]["text"] and row["cue"] == q["cue"]["text"]
        assert art.text[int(row["content_start"]):int(row["content_end"])] == row["content"]
    assert rows[1]["speaker"] == "الوزير </script><script>alert(4)</script>" and rows[1]["outlet"] == EVIL_IMG
    assert external(page.requests) == []
    page.page.close()


def test_browser_citation_per_quotation(context: Any, hand_report: Path) -> None:
    page = load(context, hand_report)
    page.page.click("#qt tbody tr:first-child button.cite")
    copied = page.js("() => window.__newsanCopied")
    assert copied == page.js("() => newsanReport.citation(1, 0)")
    assert copied.startswith("«العلاقات مع مصر متينة» — سامي علي") and "وكالة" in copied and "2017-01-02" in copied
    page.page.close()


# --------------------------------------------------------------------------- the real pipeline


def _ner_backend() -> str:
    from newsan.pipeline import Analyzer

    try:
        Analyzer(ner="default").check()
        return "default"
    except Exception:  # noqa: BLE001
        return "none"  # the embedded CRF model is not built in this checkout


def test_browser_real_report_matches_analyze_json(context: Any, tmp_path: Path, shots: Path) -> None:
    from click.testing import CliRunner

    from conftest import SEED, SHARED
    from newsan.cli import cli
    from newsan.report import report_command

    evil = tmp_path / "evil.txt"
    evil.write_text(EVIL_TEXT, encoding="utf-8")
    inputs = [str(SEED), str(evil)]
    dev = SHARED / "eval" / "dev"
    if dev.is_dir():
        inputs[1:1] = sorted(str(p) for p in dev.glob("*.txt") if p.name != SEED.name)
    ner = _ner_backend()
    runner = CliRunner()
    res = runner.invoke(cli, ["analyze", *inputs, "--format", "jsonl", "--ner", ner, "-j", "1", "-q"])
    assert res.exit_code == 0, res.stderr
    records = [json.loads(line) for line in io.StringIO(res.stdout) if line.strip()]
    out = tmp_path / "report.html"
    res = runner.invoke(report_command, [*inputs, "--ner", ner, "-j", "1", "-q", "-o", str(out)])
    assert res.exit_code == 0, res.stderr
    page = load(context, out)
    assert page.errors == [] and page.dialogs == []
    assert len(quotes_shown(page)) == sum(len(r["quotes"]) for r in records) > 0
    texts = [Path(p).read_text(encoding="utf-8") for p in inputs]
    for n in range(1, len(records) + 1):
        page.page.click(f"#doc-{n} .doc-title")
        body = page.js(f"() => document.querySelector('#doc-{n} .text').textContent")
        assert body == texts[n - 1].lstrip("\ufeff"), n
        speakers = page.js(f"() => document.querySelectorAll('#doc-{n} .text .sp').length")
        assert speakers >= len({(q["speaker"]["start"], q["speaker"]["end"]) for q in records[n - 1]["quotes"]
                                if q["speaker"]})
    assert page.js("() => window.__xss") is None
    png = page.page.screenshot(path=str(shots / "report-real.png"))
    assert_not_blank(context, png)

    # filter by the top speaker (a click on the chart): every quotation shown involves them
    name = page.js("() => document.querySelector('#c-speakers g.row[data-name]').getAttribute('data-name')")
    page.page.click("#c-speakers g.row[data-name]")
    expected = [i for i, r in enumerate(records, 1) if involved(r, name)]
    assert expected and docs_shown(page) == expected
    n_spoken = sum(1 for r in records for q in r["quotes"] if (q["speaker"] or {}).get("canonical") == name)
    assert len(quotes_shown(page)) >= n_spoken
    page.page.close()


def involved(record: dict[str, Any], name: str) -> bool:
    names = {e["canonical"] for e in record["entities"]}
    for q in record["quotes"]:
        for k in ("speaker", "addressee", "via"):
            if q[k]:
                names.add(q[k].get("canonical") or q[k]["text"])
    return name in names


def test_browser_monthly_timeline_brush_gives_real_month_ends(context: Any, tmp_path: Path) -> None:
    from newsan.report import write_report

    pairs = [simple_pair(1, meta={"outlet": "أ", "date": "2015-01-05"}),
             simple_pair(2, meta={"outlet": "ب", "date": "2016-02-10"})]
    path = tmp_path / "months.html"
    with path.open("w", encoding="utf-8") as fh:
        write_report(pairs, fh)
    page = load(context, path)
    assert "الشهر" in page.js("() => document.getElementById('c-time-cap').textContent")
    box = page.page.locator("#c-time svg").bounding_box()
    y = box["y"] + box["height"] / 2
    page.page.mouse.move(box["x"] + 2, y)
    page.page.mouse.down()
    page.page.mouse.move(box["x"] + box["width"] - 2, y, steps=5)
    page.page.mouse.up()
    st = page.js("() => newsanReport.state()")
    assert (st["from"], st["to"]) == ("2015-01-01", "2016-02-29")  # a leap year's February
    assert docs_shown(page) == [1, 2]
    page.page.close()
