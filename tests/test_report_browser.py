"""The HTML report in a real browser: headless Chromium (Debian's package) driven by Playwright.

Checks the rendered DOM (highlight counts match the JSON records, filtering by a
speaker works, the search box works, the malicious article executed nothing)
and that a screenshot is not blank. Screenshots are kept in
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
from test_report import EVIL_TEXT, EVILS, evil_pair, simple_pair

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


COUNTS_JS = """() => Array.from(document.querySelectorAll("article.doc")).map(d => ({
    quotes: d.querySelectorAll(".text .qc:not(.cont), h2 .qc:not(.cont)").length,
    cues: d.querySelectorAll(".text b.cue:not(.cont), h2 b.cue:not(.cont)").length,
    badges: d.querySelectorAll(".qby").length,
    mentions: d.querySelectorAll("mark.ent[data-e]:not(.cont)").length,
    rows: d.querySelectorAll("table.qt tbody tr").length,
}))"""

VISIBLE_JS = """() => Array.from(document.querySelectorAll("article.doc"))
    .filter(d => !d.hidden && d.offsetParent !== null).map(d => d.id)"""


def expected_counts(records: list[dict[str, Any]]) -> list[dict[str, int]]:
    return [
        {"quotes": len(r["quotes"]), "cues": len(r["quotes"]), "badges": len(r["quotes"]),
         "mentions": sum(len(e["mentions"]) for e in r["entities"]), "rows": len(r["quotes"])}
        for r in records
    ]


def involved(record: dict[str, Any], name: str) -> bool:
    names = {e["canonical"] for e in record["entities"]}
    for q in record["quotes"]:
        for k in ("speaker", "addressee", "via"):
            if q[k]:
                names.add(q[k].get("canonical") or q[k]["text"])
    return name in names


# --------------------------------------------------------------------------- hand-made records


def test_browser_hand_made_report(context: Any, tmp_path: Path, shots: Path) -> None:
    from newsan.report import write_report

    a1, r1 = simple_pair(1)
    a2, r2 = simple_pair(2)
    ev = evil_pair()
    path = tmp_path / "hand.html"
    with path.open("w", encoding="utf-8") as fh:
        write_report([(a1, r1), ev, (a2, r2)], fh)
    page = load(context, path)

    # the malicious article ran nothing and shows as text
    assert page.js("() => window.__xss") is None
    assert page.dialogs == [] and page.errors == []
    assert page.js("() => document.querySelectorAll('img, textarea, iframe').length") == 0
    assert page.js("() => document.scripts.length") == 2
    body_text = page.js("() => document.getElementById('doc-2').textContent")
    for evil in EVILS:
        assert evil in body_text
    assert [u for u in page.requests if not u.startswith(("file:", "data:", "about:"))] == []

    assert page.js(COUNTS_JS) == expected_counts([r1, ev[1], r2])

    # click the speaker in the chart: only the articles with quotes of his, only his quotes
    page.page.click('svg.bars g.row[data-name="سامي علي"]')
    assert page.js(VISIBLE_JS) == ["doc-1", "doc-3"]
    assert page.js("() => document.getElementById('filter').hidden") is False
    assert page.js("() => document.getElementById('filter-name').textContent") == "سامي علي"
    page.page.click("#filter-clear")
    assert page.js(VISIBLE_JS) == ["doc-1", "doc-2", "doc-3"]

    # search box: Arabic-insensitive (هيئة / الف folding), debounced
    page.page.fill("#q", "بيروت")
    page.page.wait_for_function("() => document.getElementById('shown').textContent === 'المعروض: 1 من 3'")
    assert page.js(VISIBLE_JS) == ["doc-2"]
    page.page.fill("#q", "")
    page.page.wait_for_function("() => document.getElementById('shown').textContent === 'المقالات: 3'")

    png = page.page.screenshot(path=str(shots / "report-hand.png"))
    assert_not_blank(context, png)
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

    try:
        from newsan.cli import cli
        from newsan.report import report_command
    except ImportError as exc:  # pragma: no cover
        pytest.skip(f"the analysis pipeline does not import ({exc})")
    from conftest import SEED, SHARED

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
    assert page.js("() => window.__xss") is None
    assert page.js("() => document.querySelectorAll('img, textarea, iframe').length") == 0
    assert page.js(COUNTS_JS) == expected_counts(records)
    assert sum(len(r["quotes"]) for r in records) > 0

    png = page.page.screenshot(path=str(shots / "report-top.png"))
    assert_not_blank(context, png)
    page.js("() => document.getElementById('doc-1').scrollIntoView()")
    png = page.page.screenshot(path=str(shots / "report-article.png"))
    assert_not_blank(context, png)

    # filter by the top speaker (a click on the chart)
    name = page.js("() => document.querySelector('svg.bars g.row[data-name]').getAttribute('data-name')")
    page.page.click("svg.bars g.row[data-name]")
    expected = [f"doc-{i}" for i, r in enumerate(records, 1) if involved(r, name)]
    assert expected and page.js(VISIBLE_JS) == expected
    quoted = page.js(
        """(name) => Array.from(document.querySelectorAll("article.doc:not([hidden]) table.qt tbody tr"))
            .filter(tr => getComputedStyle(tr).display !== "none")
            .map(tr => JSON.parse(tr.getAttribute("data-names")).includes(name))""",
        name,
    )
    n_spoken = sum(1 for r in records for q in r["quotes"] if (q["speaker"] or {}).get("canonical") == name)
    assert quoted and all(quoted) and len(quoted) >= n_spoken
    page.js("() => window.scrollTo(0, 0)")
    png = page.page.screenshot(path=str(shots / "report-filtered.png"))
    assert_not_blank(context, png)
    page.page.close()
