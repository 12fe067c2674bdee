#!/usr/bin/env python3
"""Print the import cycles between the top-level packages of `revenge` (exit 1 if any).

The graph is grimp's (the library under import-linter): module imports, type-only ones
(`if TYPE_CHECKING:`) left out, folded to top-level packages (`revenge.catalog`, ...;
top-level modules such as `revenge.runtime` count as their own node). A cycle is printed
as its packages, then one import that makes each edge of it. `scripts/check` runs it: a new
import that joins packages in a circle fails CI.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict

import grimp

ROOT = "revenge"


def top(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def package_graph() -> tuple[dict[str, set[str]], dict[tuple[str, str], tuple[str, str]]]:
    graph = grimp.build_graph(ROOT, exclude_type_checking_imports=True)
    edges: dict[str, set[str]] = defaultdict(set)
    example: dict[tuple[str, str], tuple[str, str]] = {}
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            a, b = top(module), top(imported)
            if a != b and a != ROOT and b != ROOT:
                edges[a].add(b)
                example.setdefault((a, b), (module, imported))
    return edges, example


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of packages that import each other in a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for node in sorted(set(edges) | {b for bs in edges.values() for b in bs}):
        if node not in index:
            visit(node)
    return groups


def main() -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    edges, example = package_graph()
    groups = strongly_connected(edges)
    inside = 0
    for group in groups:
        members = set(group)
        print(f"cycle of {len(group)} packages: {' '.join(group)}")
        for a in group:
            for b in sorted(edges[a] & members):
                inside += 1
                module, imported = example[(a, b)]
                print(f"    {a} -> {b}   ({module} imports {imported})")
    print(f"{len(groups)} cycle(s) between the top-level packages of {ROOT}", end="")
    print(f" ({inside} package imports inside them)")
    return 1 if groups else 0


if __name__ == "__main__":
    sys.exit(main())
