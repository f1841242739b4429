"""Helpers of the adversarial suite (issue 14): run newsan as a user would, in a
subprocess, on inputs each test builds itself in a temporary folder.

The subprocess runs the same ``newsan`` the tests import (its source folder is
put first on PYTHONPATH), so ``PYTHONPATH=OTHER/src pytest tests/adversarial``
checks another tree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import newsan

SRC = str(Path(newsan.__file__).resolve().parents[1])
ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_b3014ee5dfb3bcc9.txt"
#: A small article with a quotation and a named person.
ARTICLE = "الوزير يؤكد أهمية التعاون\nقال وزير الخارجية أحمد الصفدي إن العلاقات بين البلدين متينة.\n"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = SRC + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e.pop("NEWSAN_MAX_SIZE", None)
    return e


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsan", *args]


def run(*args: str, timeout: float = 120, **kw) -> subprocess.CompletedProcess[str]:
    """``newsan analyze ARGS`` to completion; stdout and stderr as text."""
    kw.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run(command("analyze", *args), capture_output=True, text=True, env=env(), timeout=timeout, **kw)


def popen(*args: str, **kw) -> subprocess.Popen:
    """``newsan analyze ARGS`` started."""
    kw.setdefault("stdout", subprocess.DEVNULL)
    return subprocess.Popen(command("analyze", *args), env=env(), **kw)


def errors(stderr: str) -> list[str]:
    """The error lines of a run's stderr."""
    return [ln for ln in stderr.splitlines() if ln.startswith("newsan: error:")]


def assert_one_error(stderr: str, *names: str) -> str:
    """Exactly one error line, naming each of ``names``; no traceback."""
    assert "Traceback" not in stderr, stderr
    errs = errors(stderr)
    assert len(errs) == 1, stderr
    for name in names:
        assert name in errs[0], (name, errs[0])
    return errs[0]


def parts(folder: Path) -> list[str]:
    """Temporary files of the atomic writer left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def wait_for(cond, timeout: float = 60.0, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return False


def jsonl_ids(stdout: str) -> list[str]:
    import json

    return [json.loads(line)["id"] for line in stdout.splitlines() if line.strip()]
