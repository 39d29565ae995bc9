"""The shipped packages are imported only as `evharness.<name>` (issue 18).

The folders `simulator/ reference_backend/ scenarios/ loadtests/` stay at the top of the repository (the
design names them), and `evharness/<name>` links to each. Code that imported them by their top-level names
would load a second copy of every module in a checkout, and in a user's project with its own `simulator/` or
`scenarios/` package it would import the user's code instead: so no module of the repository may.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("simulator", "reference_backend", "scenarios", "loadtests")
SOURCES = ("evharness", "features", "tests", "tools", "docs", *SHIPPED)


def top_level_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every absolute import of a shipped package by its top-level name."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, name) for name in names if name.split(".")[0] in SHIPPED]
    return found


def python_files() -> list[Path]:
    files = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            if ".venv" not in path.parts and "__pycache__" not in path.parts:
                files.add(path.resolve())
    return sorted(files)


def test_the_checker_sees_a_top_level_import() -> None:
    source = "import re\nfrom simulator.core import station\nimport scenarios\nfrom evharness import tools"
    assert top_level_imports(ast.parse(source)) == [(2, "simulator.core"), (3, "scenarios")]


def test_no_module_imports_a_shipped_package_by_its_top_level_name() -> None:
    offenders = [
        f"{path.relative_to(ROOT).as_posix()}:{line} imports {name}"
        for path in python_files()
        for line, name in top_level_imports(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_folder_is_linked_into_the_package(name: str) -> None:
    link = ROOT / "evharness" / name
    assert link.is_symlink()
    assert link.resolve() == (ROOT / name).resolve()
