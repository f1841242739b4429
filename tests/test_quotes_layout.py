"""The quotation rules are a package of steps in data-flow order
(README, Layout): each module imports only from the modules before it, so a
step can be read, tested and replaced without the ones after it."""

from __future__ import annotations

import ast
from pathlib import Path

import newsan.extract.quotes as quotes

ORDER = (
    "tables",
    "document",
    "cues",
    "phrases",
    "licence",
    "candidates",
    "subjects",
    "contents",
    "attribution",
    "output",
    "__init__",
)
PKG = Path(quotes.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prefix = "newsan.extract.quotes."
    return {
        node.module[len(prefix) :]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(prefix)
    }


def test_every_module_of_the_package_has_its_place_in_the_order() -> None:
    assert {p.stem for p in PKG.glob("*.py")} == set(ORDER)


def test_each_step_imports_only_the_steps_before_it() -> None:
    for i, name in enumerate(ORDER):
        later = _imports(PKG / f"{name}.py") - set(ORDER[:i])
        assert not later, f"{name} imports {sorted(later)}, which come after it"


def test_offsets_are_assembled_in_one_place() -> None:
    # Span(...) records of the output are built by output.py alone
    builders = {p.stem for p in PKG.glob("*.py") if "Span(" in p.read_text(encoding="utf-8")}
    assert builders <= {"output"}, builders
