"""CLI behaviour: stdout carries data only, stderr messages, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import SEED, assert_spans_exact
from newsan.cli import cli

ARTICLE = "الوزير يؤكد أهمية التعاون\nقال وزير الخارجية إن العلاقات بين البلدين متينة.\n"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, input: bytes | None = None):
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.mark.parametrize(
    "command", [[], ["analyze"], ["normalize"], ["eval"], ["eval", "quotes"], ["eval", "ner"], ["report"]]
)
def test_cli_help(runner: CliRunner, command: list[str]) -> None:
    result = run(runner, *command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    # every help shows an example, each line a real newsan invocation
    examples = result.output.split("Examples:")[1].split("\n\n")[0].strip().splitlines()
    assert examples and all("newsan" in line for line in examples)


def test_cli_help_imports_no_heavy_module() -> None:
    """`newsan --help` stays fast: camel-tools, rich and jinja2 are imported where used."""
    import subprocess
    import sys

    code = ("import sys; from newsan.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('camel_tools', 'rich', 'jinja2', 'numpy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_cli_every_command_has_help_text() -> None:
    def walk(group, prefix=""):
        for name, cmd in group.commands.items():
            assert cmd.help, f"{prefix}{name} has no help"
            if hasattr(cmd, "commands"):
                walk(cmd, f"{prefix}{name} ")

    walk(cli)


def test_cli_analyze_seed_jsonl(runner: CliRunner) -> None:
    result = run(runner, "analyze", str(SEED), "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    rec = json.loads(lines[0])
    assert rec["id"] == SEED.stem and rec["path"] == str(SEED)
    assert set(rec) >= {"id", "path", "title", "stats", "quotes", "entities", "warnings"}
    assert rec["quotes"] and rec["entities"]
    for q in rec["quotes"]:
        assert q["kind"] in ("direct", "indirect", "mixed")
        assert set(q) == {"kind", "cue", "content", "speaker", "role", "addressee", "via", "sentence", "confidence"}
        assert 0.0 <= q["confidence"] <= 1.0
    assert_spans_exact(rec, SEED.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["json", "csv", "yaml", "table"])
def test_cli_analyze_formats(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    a = tmp_path / "a.txt"
    a.write_text(ARTICLE, encoding="utf-8")
    result = run(runner, "analyze", str(a), str(SEED), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if fmt == "json":
        data = json.loads(out)
        assert len(data["documents"]) == 2 and data["summary"]["documents"] == 2
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows and {r["article_id"] for r in rows} <= {"a", SEED.stem} and all(r["content"] for r in rows)
    elif fmt == "yaml":
        docs = yaml.safe_load(out)
        assert [d["id"] for d in docs] == ["a", SEED.stem]
    else:
        assert "Quotations" in out and "Corpus summary" in out


def test_cli_analyze_output_file_atomic(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run(runner, "analyze", str(SEED), "-f", "jsonl", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == SEED.stem
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_cli_analyze_bad_inputs_batch_goes_on(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    (tmp_path / "english.txt").write_text("hello world", encoding="utf-8")
    result = run(runner, "analyze", str(tmp_path), "-f", "jsonl")
    assert result.exit_code == 1
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["good"]
    err = result.stderr
    assert "Traceback" not in err
    assert f"{tmp_path / 'empty.txt'}: empty file" in err
    assert f"{tmp_path / 'binary.txt'}: binary data" in err
    assert f"{tmp_path / 'english.txt'}: no Arabic text" in err
    assert "1 analyzed, 3 failed" in err


def test_cli_analyze_missing_path_is_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    result = run(runner, "analyze", str(good), str(tmp_path / "nope.txt"), "-f", "jsonl")
    assert result.exit_code == 2
    assert len(result.stdout.splitlines()) == 1  # the good file was still analyzed
    assert "nope.txt: no such file or directory" in result.stderr


def test_cli_analyze_bad_option(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["analyze", str(SEED), "--format", "xml"])
    assert result.exit_code == 2


def test_cli_analyze_stdin(runner: CliRunner) -> None:
    result = run(runner, "analyze", "-", "-f", "jsonl", input=ARTICLE.encode("utf-8"))
    assert result.exit_code == 0
    rec = json.loads(result.stdout)
    assert rec["path"] == "-" and rec["quotes"]


def test_cli_analyze_cp1256_warns_with_encoding(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "legacy.txt"
    f.write_bytes(ARTICLE.encode("cp1256"))
    result = run(runner, "analyze", str(f), "-f", "jsonl")
    assert result.exit_code == 0
    assert "Windows-1256" in result.stderr
    assert json.loads(result.stdout)["title"] == "الوزير يؤكد أهمية التعاون"


def test_cli_analyze_bad_lexicon_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    lex = tmp_path / "lex.yaml"
    lex.write_text("bogus: [x]\n", encoding="utf-8")
    result = runner.invoke(cli, ["analyze", str(SEED), "--lexicon", str(lex)])
    assert result.exit_code == 2
    assert "unknown section 'bogus'" in result.stderr and "Traceback" not in result.stderr


def test_cli_analyze_user_lexicon_names(runner: CliRunner, tmp_path: Path) -> None:
    lex = tmp_path / "lex.yaml"
    lex.write_text("names:\n  ORG: [مجموعة الزهراني للتقنية]\n", encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text("خبر\nوقعت مجموعة الزهراني للتقنية اتفاقا جديدا.\n", encoding="utf-8")
    result = run(runner, "analyze", str(art), "--lexicon", str(lex), "-f", "jsonl", "--ner", "none")
    ents = {(e["canonical"], e["label"]) for e in json.loads(result.stdout)["entities"]}
    assert ("مجموعة الزهراني للتقنية", "ORG") in ents


def test_cli_analyze_summary_only(runner: CliRunner, tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(ARTICLE, encoding="utf-8")
    result = run(runner, "analyze", str(a), str(SEED), "--summary", "-f", "json")
    data = json.loads(result.stdout)
    assert data["documents"] == 2 and data["top_speakers"]


def test_cli_analyze_bidi_visual_table(runner: CliRunner) -> None:
    result = run(runner, "analyze", str(SEED), "--bidi", "visual")
    assert result.exit_code == 0
    assert "ﻝﺎﻗ" in result.stdout  # قال shaped and reordered for terminals without bidi


def test_cli_normalize(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "n.txt"
    f.write_text("قالَ الوزيــر إنّ المدرسة&nbsp;مغلقة", encoding="utf-8")
    assert run(runner, "normalize", str(f)).stdout == "قال الوزير ان المدرسه مغلقه\n"
    assert run(runner, "normalize", str(f), "--no-teh", "--no-alef").stdout == "قال الوزير إن المدرسة مغلقة\n"
    assert run(runner, "normalize", str(f), "--letters-only").stdout == "قالَ الوزيــر إنّ المدرسة مغلقة\n"


def test_cli_normalize_missing_file(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["normalize", "/nonexistent.txt"])
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_cli_default_path_does_not_import_torch(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from newsan.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['analyze', {str(SEED)!r}, '-f', 'jsonl'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('torch' in sys.modules, 'transformers' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_cli_analyze_failed_run_keeps_previous_output(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    result = runner.invoke(cli, ["analyze", str(SEED), "-f", "jsonl", "-o", str(out), "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_cli_analyze_user_lexicon_cue_verbs(runner: CliRunner, tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("خبر\nوغمغم الوزير إن الأمر انتهى.\n", encoding="utf-8")
    before = json.loads(run(runner, "analyze", str(art), "-f", "jsonl", "--ner", "none").stdout)
    assert before["quotes"] == []
    lex = tmp_path / "lex.yaml"
    lex.write_text("cue_verbs:\n  غمغم: [غمغم, غمغمت, يغمغم]\n", encoding="utf-8")
    rec = json.loads(run(runner, "analyze", str(art), "-f", "jsonl", "--ner", "none", "--lexicon", str(lex)).stdout)
    (q,) = rec["quotes"]
    assert (q["cue"]["text"], q["speaker"]["text"], q["content"]["text"]) == ("غمغم", "الوزير", "الأمر انتهى")


def test_cli_analyze_ner_crf_nn_backend(runner: CliRunner) -> None:
    """``--ner crf+nn`` adds the network to the CRF; its spans are as exact as the default's."""
    recs = {}
    for backend in ("default", "crf+nn"):
        result = run(runner, "analyze", str(SEED), "-f", "jsonl", "--ner", backend)
        assert result.exit_code == 0, result.stderr
        recs[backend] = json.loads(result.stdout.splitlines()[0])
        assert recs[backend]["entities"], backend
        assert_spans_exact(recs[backend], SEED.read_text(encoding="utf-8"))


def test_cli_analyze_unknown_ner_backend(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["analyze", str(SEED), "--ner", "bogus"])
    assert result.exit_code == 2
    assert "bogus" in result.stderr and "crf+nn" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("preset, expected", [(None, "1"), ("3", "3")])
def test_cli_one_blas_thread_unless_set(preset: str | None, expected: str) -> None:
    """The CLI asks numpy's OpenBLAS for one thread (workers inherit it), unless the user set it."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if preset is not None:
        env["OPENBLAS_NUM_THREADS"] = preset
    code = "import os, newsan.cli; print(os.environ['OPENBLAS_NUM_THREADS'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == expected


def test_cli_eval_ner_domain_option(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`eval ner` tags its CoNLL file in the domain --domain names (general by
    default: ANERcorp's text); the analyzer's domain, news, is one choice."""
    import newsan.pipeline

    asked: list[str] = []
    real = newsan.pipeline.make_tagger

    def spy(spec: str = "default", domain: str = "news"):  # type: ignore[no-untyped-def]
        asked.append(domain)
        return real(spec, domain)

    monkeypatch.setattr(newsan.pipeline, "make_tagger", spy)
    f = tmp_path / "x.conll"
    f.write_text("قال O\nمحمد B-PERS\nالغنوشي I-PERS\nفي O\nتونس B-LOC\n", encoding="utf-8")
    for extra, domain in (((), "general"), (("--domain", "news"), "news"), (("--domain", "general"), "general")):
        result = run(runner, "eval", "ner", str(f), *extra, "-f", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["micro"]["support"] == 2
        assert asked[-1] == domain
    bad = runner.invoke(cli, ["eval", "ner", str(f), "--domain", "sports"])
    assert bad.exit_code == 2 and "sports" in bad.output
