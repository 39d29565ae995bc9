"""Fail on any import cycle between modules of the project (`make architecture` runs it).

import-linter's contracts say which layer may import which; this says that no module reaches
itself through its imports — lazy imports inside functions and `if TYPE_CHECKING:` imports count
too, because they hold cycles together just the same. The graph is grimp's (import-linter's own).
Prints each cycle (the modules of one strongly connected component, and one loop through them).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import grimp

PACKAGES = ("evharness",)  # simulator/, reference_backend/ … are evharness.simulator … (issue 18)


def components(nodes: Iterable[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def loop(component: list[str], edges: dict[str, set[str]]) -> list[str]:
    """One cycle through the component's first module (breadth-first, within the component)."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(edges.get(node, set()) & members):
                if child == start:
                    return [*paths[node], start]
                if child not in paths:
                    paths[child] = [*paths[node], child]
                    following.append(child)
        frontier = following
    return component


def main() -> int:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    edges = {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    cycles = components(graph.modules, edges)
    for component in cycles:
        print(f"import cycle between {len(component)} modules: {' -> '.join(loop(component, edges))}")
    if cycles:
        print(f"{len(cycles)} import cycle(s): break them (no lazy or TYPE_CHECKING imports to hide one)")
        return 1
    print(f"no import cycles ({len(graph.modules)} modules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
