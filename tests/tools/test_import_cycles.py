"""The cycle check `make architecture` runs: it finds every loop, however it is imported."""

from __future__ import annotations

from tools.import_cycles import components, loop


def test_a_loop_between_modules_is_found_and_shown_as_one_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"d"}}
    assert components(edges, edges) == [["a", "b", "c"]]
    assert loop(["a", "b", "c"], edges) == ["a", "b", "c", "a"]


def test_a_tree_of_imports_has_no_cycle() -> None:
    edges = {"top": {"left", "right"}, "left": {"floor"}, "right": {"floor"}, "floor": set()}
    assert components(edges, edges) == []


def test_the_project_has_no_import_cycle() -> None:
    from tools import import_cycles

    assert import_cycles.main() == 0
