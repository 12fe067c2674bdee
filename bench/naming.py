"""Time the naming parsers over the conformance corpus (about 50,000 paths)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT / "src"), str(REPO_ROOT)]

from tests.support.naming_conformance import (
    answer,
    is_correct,
    load_cases,
)

CORPUS = REPO_ROOT.parent / "shared" / "conformance" / "naming" / "cases.jsonl"
TARGET_PATHS = 50_000


def main() -> None:
    """Print accuracy and microseconds per parsed path."""
    cases = list(load_cases(CORPUS))
    correct = sum(is_correct(case, answer(case)) for case in cases)
    workload = cases * max(1, TARGET_PATHS // len(cases))
    start = time.perf_counter()
    for case in workload:
        answer(case)
    elapsed = time.perf_counter() - start
    print(f"cases:        {len(cases)}")
    print(f"accuracy:     {correct / len(cases):.1%} ({correct}/{len(cases)})")
    print(f"paths timed:  {len(workload)}")
    print(f"per path:     {elapsed / len(workload) * 1e6:.1f} µs")


if __name__ == "__main__":
    main()
