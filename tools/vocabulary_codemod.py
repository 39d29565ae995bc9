"""Replace OCPP action names and status words written as string literals with the constants of
`evharness.ocppj.vocabulary` (mechanically; rerun it after a merge brings new literals):

    python tools/vocabulary_codemod.py simulator reference_backend evharness/conformance
    ruff check --fix --select I <same folders>   # sorts the import it adds

A string token whose whole value is an action name becomes `Action.<name>`, a status word of `Status`
becomes `Status.<NAME>`. Left alone: f-strings and bytes, docstrings, anything inside `Literal[...]`,
the member values of Enum classes, and the generated payload modules. In a module that already has
its own `Action` or `Status`, the constants are reached as `vocabulary.Action.<name>` instead.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from pathlib import Path

from evharness.ocppj.vocabulary import ACTIONS, Status

STATUS_WORDS = {value: name for name, value in vars(Status).items() if name.isupper()}
SKIPPED_PARTS = ("payloads", "vocabulary.py", "remote_operations.py")  # its tables are `fmt: skip` lines


def _skipped_lines(tree: ast.Module) -> set[int]:
    """Lines of docstrings, `Literal[...]` subscripts and Enum class bodies."""
    lines: set[int] = set()

    def span(node: ast.AST) -> None:
        lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))  # type: ignore[attr-defined]

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                span(body[0])
        if isinstance(node, ast.Subscript) and _name(node.value) == "Literal":
            span(node)
        if isinstance(node, ast.ClassDef) and any("Enum" in _name(base) for base in node.bases):
            span(node)
    return lines


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _own_names(tree: ast.Module) -> set[str]:
    """Top-level names the module binds to something other than the vocabulary's."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ImportFrom) and node.module != "evharness.ocppj.vocabulary":
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return names


def rewrite(source: str) -> tuple[str, set[str]]:
    """The source with the literals replaced, and the vocabulary names it now uses."""
    tree = ast.parse(source)
    skipped = _skipped_lines(tree)
    qualified = bool({"Action", "Status"} & _own_names(tree))
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    edits: list[tuple[tuple[int, int], tuple[int, int], str]] = []
    used: set[str] = set()
    for token in tokens:
        if token.type != tokenize.STRING or token.start[0] in skipped:
            continue
        text = token.string
        if text[:1] not in "\"'" or text.startswith(('"""', "'''")):
            continue
        value = ast.literal_eval(text)
        if value in ACTIONS:
            constant, kind = f"Action.{value}", "Action"
        elif value in STATUS_WORDS:
            constant, kind = f"Status.{STATUS_WORDS[value]}", "Status"
        else:
            continue
        edits.append((token.start, token.end, f"vocabulary.{constant}" if qualified else constant))
        used.add("vocabulary" if qualified else kind)
    lines = source.splitlines(keepends=True)
    for (row, col), (end_row, end_col), new in reversed(edits):
        assert row == end_row
        line = lines[row - 1]
        lines[row - 1] = line[:col] + new + line[end_col:]
    return "".join(lines), used


def add_import(source: str, used: set[str]) -> str:
    if not used:
        return source
    if "vocabulary" in used:
        statement = "from evharness.ocppj import vocabulary\n"
    else:
        have = {
            alias.name
            for node in ast.parse(source).body
            if isinstance(node, ast.ImportFrom) and node.module == "evharness.ocppj.vocabulary"
            for alias in node.names
        }
        if not used - have:
            return source
        statement = f"from evharness.ocppj.vocabulary import {', '.join(sorted(used - have))}\n"
    if statement in source:
        return source
    tree = ast.parse(source)
    after = 0
    for node in tree.body:
        if isinstance(node, ast.ImportFrom | ast.Import):
            after = node.end_lineno or node.lineno
        elif after:
            break
    lines = source.splitlines(keepends=True)
    lines.insert(after, statement)
    return "".join(lines)


def main(folders: list[str]) -> int:
    changed = 0
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.py")):
            if any(part in path.parts or path.name == part for part in SKIPPED_PARTS):
                continue
            source = path.read_text(encoding="utf-8")
            rewritten, used = rewrite(source)
            rewritten = add_import(rewritten, used)
            if rewritten != source:
                path.write_text(rewritten, encoding="utf-8")
                changed += 1
                print(f"{path}: {', '.join(sorted(used))}")
    print(f"{changed} files changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
