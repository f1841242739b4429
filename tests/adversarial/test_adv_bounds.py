"""Issue 14, case 6: one hostile document must not take the machine down. The
documents of bench/pathological.py (many short sentences plus one very long
one, 136 KB and 301 KB) are analyzed in a subprocess whose address space is
capped (RLIMIT_AS 800 MB, so a regression fails here instead of swapping),
and its peak RSS must stay under 500 MB. No timing here: bench/pathological.py
times them by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from _adv import ROOT, command, env

sys.path.insert(0, str(ROOT / "bench"))
from pathological import SHAPES, build  # noqa: E402

LIMIT_AS = 800 << 20
RSS_MB = 500

_WRAPPER = """
import json, resource, subprocess, sys
def cap():
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
r = subprocess.run(sys.argv[1:], preexec_fn=cap, capture_output=True, text=True)
print(json.dumps({{"code": r.returncode, "stderr": r.stderr, "stdout": r.stdout,
                  "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}}))
"""


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_pathological_document_bounded_memory(tmp_path: Path, name: str) -> None:
    size, share = SHAPES[name]
    doc = tmp_path / f"{name}.txt"
    doc.write_text(build(size, share), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER.format(limit=LIMIT_AS), *command("analyze", str(doc), "-j", "1", "-f", "jsonl")],
        capture_output=True, text=True, env=env(), timeout=300,
    )
    res = json.loads(out.stdout)
    assert res["code"] == 0, res["stderr"]
    assert "Traceback" not in res["stderr"]
    (rec,) = [json.loads(x) for x in res["stdout"].splitlines()]
    assert rec["stats"]["sentences"] > 100
    assert res["rss_kb"] / 1024 < RSS_MB, f"peak RSS {res['rss_kb'] / 1024:.0f} MB"
