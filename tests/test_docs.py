"""docs/GUIDE.md stays in step with the code: its lexicon example loads, every user section is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from newsan.lexicons import USER_SECTIONS, load_lexicon

GUIDE = ROOT / "docs" / "GUIDE.md"


def test_docs_guide_documents_every_user_section() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    table = {m.group(1) for m in re.finditer(r"^\| `([a-z_]+)` \|", text, re.M)}
    assert table == set(USER_SECTIONS)


def test_docs_guide_lexicon_example_loads(tmp_path: Path) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert example
    f = tmp_path / "my-beat.yaml"
    f.write_text(example.group(1), encoding="utf-8")
    lex = load_lexicon(f)
    assert lex.labelled("names")["راس تنوره"] == "LOC"


@pytest.mark.parametrize("command", ["analyze", "report", "normalize", "eval quotes"])
def test_docs_guide_mentions_each_command(command: str) -> None:
    assert f"newsan {command}" in GUIDE.read_text(encoding="utf-8")
