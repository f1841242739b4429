"""Shared fixtures (one file, as spaCy's tests do)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "seeds" / "000_b3014ee5dfb3bcc9.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repo; tests that need it skip cleanly without it."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present (only on the developers' and CI machines)")
    return SHARED


@pytest.fixture(scope="session")
def dev_dir(shared_dir: Path) -> Path:
    d = shared_dir / "eval" / "dev"
    if not d.is_dir():
        pytest.skip("../shared/eval/dev is not present")
    return d


def assert_spans_exact(record: dict, text: str) -> None:
    """Every span of a record satisfies text[start:end] == span.text."""

    def check(s: dict | None) -> None:
        if s is None:
            return
        assert text[s["start"] : s["end"]] == s["text"], (s, text[s["start"] : s["end"]])

    for q in record["quotes"]:
        for key in ("cue", "content", "speaker", "role", "addressee", "via"):
            check(q[key])
    for e in record["entities"]:
        for m in e["mentions"]:
            check(m)
