"""Naming parser accuracy per kind on both conformance corpora, and parse time per path.

Run: .venv/bin/python bench/naming.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT / "src"), str(REPO_ROOT)]

from revenge.testing import naming_conformance, realnames
from revenge.testing.naming_conformance import find_corpus, load_cases

TARGET_PATHS = 50_000
# The best of several rounds: other processes on a shared machine only ever add time.
ROUNDS = 10
Case = Mapping[str, Any]


def report(
    title: str,
    cases: list[Case],
    group: Callable[[Case], str],
    answer: Callable[[Case], Mapping[str, Any]],
    is_correct: Callable[[Case, Mapping[str, Any]], bool],
) -> None:
    """Print accuracy per group and overall, then time the parser over the corpus."""
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for case in cases:
        total[group(case)] += 1
        right[group(case)] += is_correct(case, answer(case))
    print(f"\n{title}: {len(cases)} cases")
    for name in sorted(total):
        print(f"  {name:<28}{right[name]:>5}/{total[name]:<5}{right[name] / total[name]:>8.1%}")
    scored = [name for name in total if "slashed" not in name]
    hits, count = sum(right[n] for n in scored), sum(total[n] for n in scored)
    print(f"  {'overall':<28}{hits:>5}/{count:<5}{hits / count:>8.1%}")
    workload = cases * max(1, TARGET_PATHS // ROUNDS // len(cases))
    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for case in workload:
            answer(case)
        rounds.append((time.perf_counter() - start) / len(workload) * 1e6)
    print(
        f"  per path: best {min(rounds):.1f} µs, median {statistics.median(rounds):.1f} µs"
        f" ({ROUNDS} rounds of {len(workload)} parses)"
    )


def main() -> None:
    """Score and time both corpora."""
    naming = list(load_cases(find_corpus("naming")))
    report(
        "naming (library layouts)",
        naming,
        lambda case: str(case["question"]),
        naming_conformance.answer,
        naming_conformance.is_correct,
    )
    real = list(load_cases(find_corpus("realnames")))
    report(
        "realnames (release names)", real, realnames.group, realnames.answer, realnames.is_correct
    )


if __name__ == "__main__":
    main()
