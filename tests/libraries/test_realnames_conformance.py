"""Naming parser accuracy on real release names (scene, fansub, anime, daily, packs, movies)."""

from __future__ import annotations

from collections import Counter

from revenge.testing.naming_conformance import find_corpus, load_cases
from revenge.testing.realnames import answer, expected_fields, group, is_correct

MIN_OVERALL = 0.97
MIN_PER_KIND = 0.90


def score() -> tuple[Counter[str], Counter[str], list[str]]:
    """Score every row; return totals and correct answers per group, and the failures."""
    total: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    failures: list[str] = []
    for case in load_cases(find_corpus("realnames")):
        name = group(case)
        given = answer(case)
        total[name] += 1
        if is_correct(case, given):
            correct[name] += 1
        else:
            shown = {key: given.get(key) for key in expected_fields(case)}
            failures.append(f"{name}: {case['path']!r} got {shown} want {expected_fields(case)}")
    return total, correct, failures


def test_realnames_accuracy() -> None:
    """97% overall and 90% in every kind; slashed release titles are reported apart."""
    total, correct, failures = score()
    assert total, "empty realnames corpus"
    print(f"\n{'kind':<28}{'correct':>9}{'total':>7}{'accuracy':>10}")
    for name in sorted(total):
        print(f"{name:<28}{correct[name]:>9}{total[name]:>7}{correct[name] / total[name]:>10.1%}")
    kinds = [name for name in total if "slashed" not in name]
    right, count = sum(correct[k] for k in kinds), sum(total[k] for k in kinds)
    print(f"{'overall (file names)':<28}{right:>9}{count:>7}{right / count:>10.1%}")
    print("\n".join(failures))
    weak = {
        k: f"{correct[k] / total[k]:.1%}" for k in kinds if correct[k] / total[k] < MIN_PER_KIND
    }
    assert right / count >= MIN_OVERALL, "\n".join(failures)
    assert not weak, f"kinds below {MIN_PER_KIND:.0%}: {weak}"
