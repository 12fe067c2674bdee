"""Naming parser accuracy over the whole shared conformance corpus."""

from __future__ import annotations

from collections import Counter

from revenge.testing.naming_conformance import answer, find_corpus, is_correct, load_cases

CORPUS = find_corpus("naming")

MIN_OVERALL = 0.97
MIN_PER_QUESTION = 0.90


def test_naming_conformance_accuracy() -> None:
    """Overall accuracy stays at or above 97% and every question at or above 90%."""
    total: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    failures: list[str] = []
    for case in load_cases(CORPUS):
        question = case["question"]
        given = answer(case)
        total[question] += 1
        if is_correct(case, given):
            correct[question] += 1
        else:
            expected = {key: case[key] for key in given}
            failures.append(f"{question}: {case['path']!r} got {given} expected {expected}")

    assert total, f"empty corpus at {CORPUS}"
    print(f"\n{'question':<24}{'correct':>9}{'total':>7}{'accuracy':>10}")
    for question in sorted(total):
        share = correct[question] / total[question]
        print(f"{question:<24}{correct[question]:>9}{total[question]:>7}{share:>10.1%}")
    overall = sum(correct.values()) / sum(total.values())
    print(f"{'overall':<24}{sum(correct.values()):>9}{sum(total.values()):>7}{overall:>10.1%}")
    print("\n".join(failures))

    weak = {q: correct[q] / total[q] for q in total if correct[q] / total[q] < MIN_PER_QUESTION}
    assert overall >= MIN_OVERALL, f"overall accuracy {overall:.1%}:\n" + "\n".join(failures)
    assert not weak, f"questions below {MIN_PER_QUESTION:.0%}: {weak}"
