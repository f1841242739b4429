"""Quality gate: `newsan eval quotes` on the dev set (shared/eval/dev) must stay
above the issue's floors and the pinned baseline. Skipped without ../shared.

The floors are those the project promises (quote F1 0.80, speaker accuracy
0.85, end-to-end F1 0.70, entity F1 0.70); the baselines pin what each
quotation mode reaches today, a little below, so a regression fails CI. Raise
a baseline when the analyzer improves; never lower it to make a change pass.

The rules (``--quotes rules``) were written against this set, so their
baseline is a ceiling. The default learned pipeline is trained on other news
(``shared/eval/train``) and gives back a little of that fit for what it gains
on unseen news (``newsan eval cv``); its floors on dev are issue 13's
(quote F1 and speaker accuracy at least 0.92).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsan.cli import cli

FLOORS = {"f1": 0.80, "speaker_accuracy": 0.85, "e2e_f1": 0.70, "entity_f1": 0.70}
BASELINE = {
    "rules": {"f1": 0.97, "speaker_accuracy": 0.95, "e2e_f1": 0.95, "entity_f1": 0.81},
    # measured: 0.985 / 0.954 / 0.939 / 0.824
    "learned": {"f1": 0.97, "speaker_accuracy": 0.94, "e2e_f1": 0.92, "entity_f1": 0.81},
}


@pytest.mark.parametrize("mode", ["rules", "learned"])
def test_eval_gate_dev_set(dev_dir: Path, mode: str) -> None:
    result = CliRunner().invoke(
        cli, ["eval", "quotes", str(dev_dir), "--format", "json", "--quotes", mode], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    overall = json.loads(result.stdout)["overall"]
    got = {
        "f1": overall["quotes"]["f1"],
        "speaker_accuracy": overall["quotes"]["speaker_accuracy"],
        "e2e_f1": overall["quotes"]["e2e_f1"],
        "entity_f1": overall["entities"]["f1"],
    }
    for name in FLOORS:
        assert got[name] >= max(FLOORS[name], BASELINE[mode][name]), (name, got[name])


def test_eval_gate_reports_per_article(dev_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", "quotes", str(dev_dir), "--format", "json", "--errors"])
    data = json.loads(result.stdout)
    ids = {p.stem for p in dev_dir.glob("*.json")}
    assert set(data["articles"]) == ids
    assert all({"type", "id"} <= set(e) for e in data["errors"])
