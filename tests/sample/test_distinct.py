"""voc.sample.distinct: the guard admits only texts that are no duplicate of earlier ones."""

from __future__ import annotations

from voc.sample.distinct import DistinctGuard, dedupe_form, plain_form, shingles

LONG = "The parcel has been stuck at the Suzhou hub for nine days and nobody answers me."


def test_distinct_forms() -> None:
    assert dedupe_form("Great  APP, really!! 😀") == "greatappreally"
    assert dedupe_form("ＡＢＣ１２３") == "abc123"  # NFKC
    assert plain_form(" Great\n\nAPP ") == "great app"
    assert shingles("abcdef") == {"abcde", "bcdef"}


def test_distinct_rejects_exact_copies_up_to_punctuation() -> None:
    guard = DistinctGuard()
    assert guard.admit(LONG, "C1")
    assert not guard.admit(LONG.upper().replace(",", ""), "C2")


def test_distinct_rejects_near_copies_and_admits_other_texts() -> None:
    guard = DistinctGuard(threshold=0.45)
    assert guard.admit(LONG, "C1")
    assert not guard.admit(LONG.replace("nine", "ten"), "C2")
    assert guard.admit("My refund of $45.99 never arrived although the return was signed for.")


def test_distinct_short_texts_are_duplicates_only_for_one_customer() -> None:
    guard = DistinctGuard()
    assert guard.admit("很好", "C1")
    assert guard.admit("很好", "C2")
    assert not guard.admit("很好！", "C1")


def test_distinct_threshold_is_the_jaccard_boundary() -> None:
    base = "abcdefghijklmnopqrstuvwxyz0123456789abcd"
    a, b = base + "1111111111", base + "2222222222"
    # 36 shared 5-grams, 41 distinct in each text: Jaccard 36 / 46 = 0.78
    assert len(shingles(a) & shingles(b)) == 36 and len(shingles(a) | shingles(b)) == 46
    strict = DistinctGuard(threshold=0.75, near_min_chars=10)
    assert strict.admit(a) and not strict.admit(b)
    loose = DistinctGuard(threshold=0.8, near_min_chars=10)
    assert loose.admit(a) and loose.admit(b)
