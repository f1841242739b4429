"""The public record's JSON Schema (src/newsan/schema.json), checked against real output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsan.cli import cli

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def schema() -> dict:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(data)
    return data


def test_schema_validates_real_records(schema: dict, tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    seed = (ROOT / "seeds" / "000_b3014ee5dfb3bcc9.txt").read_text(encoding="utf-8")
    title, body = seed.split("\n", 1)
    corpus.write_text(
        json.dumps({"id": "x1", "title": title, "text": body, "outlet": "Okaz", "date": "2015-07-21"},
                   ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(ROOT / "seeds"), str(corpus), "-f", "jsonl", "-j", "1"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2 and all(r["quotes"] and r["entities"] for r in records)
    validator = jsonschema.Draft202012Validator(schema)
    for rec in records:
        errors = list(validator.iter_errors(rec))
        assert not errors, errors[0].message


@pytest.mark.parametrize(
    "breakage",
    [
        lambda r: r.pop("quotes"),
        lambda r: r["quotes"][0].update(kind="reported"),
        lambda r: r["quotes"][0]["content"].pop("start"),
        lambda r: r["entities"][0].update(label="PERSON"),
        lambda r: r["stats"].update(tokens=-1),
    ],
)
def test_schema_rejects_a_broken_record(schema: dict, breakage) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["analyze", str(ROOT / "seeds"), "-f", "jsonl", "-j", "1"])
    rec = json.loads(result.stdout.splitlines()[0])
    breakage(rec)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(rec))


def test_schema_allows_additive_fields(schema: dict) -> None:
    result = CliRunner().invoke(cli, ["analyze", str(ROOT / "seeds"), "-f", "jsonl", "-j", "1"])
    rec = json.loads(result.stdout.splitlines()[0])
    rec["new_field"] = 1
    rec["quotes"][0]["confidence"] = 0.5
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(rec))
