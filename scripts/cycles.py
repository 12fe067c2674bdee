#!/usr/bin/env python3
"""Print the import cycles between the top-level packages of `revenge` (exit 1 if any).

The graph is grimp's (the library under import-linter): module imports, type-only ones
(`if TYPE_CHECKING:`) left out, folded to top-level packages (`revenge.catalog`, ...;
top-level modules such as `revenge.runtime` count as their own node). A cycle is printed
as its packages, then one import that makes each edge of it.

`--baseline FILE` turns it into a ratchet while the cycles of today are being cut: only an
edge inside a cycle that FILE does not list fails (a new import joining packages in a
circle); listed edges no longer in any cycle are reported, to be deleted from FILE.
`--write-baseline FILE` records today's edges.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="fail only on edges not listed here")
    parser.add_argument("--write-baseline", type=Path, help="record today's cycle edges")
    parser.add_argument("--quiet", action="store_true", help="print only what fails")
    args = parser.parse_args()
    edges, example = package_graph()
    groups = strongly_connected(edges)
    in_cycles: list[tuple[str, str]] = []
    for group in groups:
        members = set(group)
        if not args.quiet:
            print(f"cycle of {len(group)} packages: {' '.join(group)}")
        for a in group:
            for b in sorted(edges[a] & members):
                in_cycles.append((a, b))
                module, imported = example[(a, b)]
                if not args.quiet:
                    print(f"    {a} -> {b}   ({module} imports {imported})")
    print(f"{len(groups)} cycle(s) between the top-level packages of {ROOT}", end="")
    print(f" ({len(in_cycles)} package imports inside them)")
    if args.write_baseline:
        args.write_baseline.write_text("".join(f"{a} -> {b}\n" for a, b in in_cycles))
        return 0
    if args.baseline is None:
        return 1 if groups else 0
    known = {tuple(line.split(" -> ")) for line in args.baseline.read_text().splitlines() if line}
    new = [edge for edge in in_cycles if edge not in known]
    for a, b in new:
        module, imported = example[(a, b)]
        print(f"NEW import in a cycle: {a} -> {b}   ({module} imports {imported})")
    for a, b in sorted(known - set(in_cycles)):
        print(f"no longer in a cycle (delete it from {args.baseline}): {a} -> {b}")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
