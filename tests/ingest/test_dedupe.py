"""Exact, near and same-id duplicates on small planted batches."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from voc.ingest.dedupe import Deduplicator, dedupe_form, minhash_signatures
from voc.records import CUSTOMER_KEY, DUPLICATE_KIND, DUPLICATE_OF, FEEDBACK_ID, TEXT

COMPLAINT = ("I have been a customer for six years and this is the worst service I have ever had. "
             "My order 55120 was supposed to arrive on Monday, the tracking page said delivered, "
             "but nothing was at my door and the courier refuses to answer the phone. "
             "I want a full refund or a replacement sent by express today.")
COMPLAINT_EDITED = COMPLAINT.replace("six years", "seven years").replace("Monday", "Tuesday")
MAIL = ("Dear support team, I ordered a blender on 3 September and it still has not arrived. "
        "Please tell me where my order is and when it will come, I need it for a party this "
        "weekend. Kind regards, Ann Lee")
MAIL_RESENT = ("Dear support team; I ordered a blender on 3 September, and it STILL has not "
               "arrived!! Please tell me where my order is and when it will come - I really "
               "need it for a party this weekend. Kind regards, Ann Lee")
CRASH = ("The app crashes every time I open the settings page after the latest update on my "
         "Android phone; please fix it quickly, I cannot change my password.")
ZH = ("我在九月三号下的订单到现在还没有发货，客服电话一直打不通，"
      "在线客服也只会机器人回复，请尽快处理。")


def _records(rows: list[tuple[str, str | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[FEEDBACK_ID, CUSTOMER_KEY, TEXT])


def _dedupe(rows: list[tuple[str, str | None, str | None]], chunk: int | None = None,
            **options: float) -> dict[str, tuple[str, str]]:
    """feedback_id → (duplicate_of, kind), adding the rows in chunks of `chunk`."""
    records = _records(rows)
    dedupe = Deduplicator(**options)  # type: ignore[arg-type]
    size = chunk or len(records)
    for start in range(0, len(records), size):
        dedupe.add(records.iloc[start:start + size].reset_index(drop=True), TEXT)
    result = dedupe.resolve()
    return {row[FEEDBACK_ID]: (row[DUPLICATE_OF], row[DUPLICATE_KIND])
            for row in result.to_dict("records")}


def test_dedupe_form_keeps_letters_and_digits_lowercased() -> None:
    forms = dedupe_form(pd.Series(["Refund NEVER arrived — after 3 weeks!!! 😡",
                                   "很好，  很好!", None]))
    assert forms.tolist() == ["refundneverarrivedafter3weeks", "很好很好", ""]


def test_dedupe_exact_after_case_punctuation_and_space_changes() -> None:
    found = _dedupe([
        ("f1", "c1", "Refund never arrived after three weeks of waiting"),
        ("f2", "c2", "refund NEVER arrived — after three   weeks of waiting!!!"),
        ("f3", "c3", " Refund never arrived, after three weeks of waiting. 😡"),
        ("f4", "c4", "Refund arrived after three weeks of waiting"),
    ])
    assert found == {"f2": ("f1", "exact"), "f3": ("f1", "exact")}


def test_dedupe_short_text_from_two_customers_is_not_duplicate() -> None:
    assert _dedupe([("f1", "c1", "很好"), ("f2", "c2", "很好！"), ("f3", None, "很好"),
                    ("f4", None, "很好")]) == {}
    praise = "Great product, fast delivery, will buy again"  # 36 letters: a common phrase
    assert _dedupe([("f1", "c1", praise), ("f2", "c2", praise)]) == {}


def test_dedupe_chinese_characters_count_double_toward_the_length() -> None:
    text = "物流很快包装很好东西不错下次还会再来购买"  # 20 characters: weighs 40
    assert _dedupe([("f1", "c1", text), ("f2", "c2", text)]) == {"f2": ("f1", "exact")}


def test_dedupe_short_text_from_same_customer_is_duplicate() -> None:
    found = _dedupe([("f1", "c1", "很好"), ("f2", "c2", "很好"), ("f3", "c1", "很好！！")])
    assert found == {"f3": ("f1", "exact")}


def test_dedupe_empty_text_never_duplicate() -> None:
    assert _dedupe([("f1", "c1", ""), ("f2", "c1", ""), ("f3", "c1", None),
                    ("f4", "c1", "!!!"), ("f5", "c1", "???")]) == {}


def test_dedupe_near_duplicate_complaint_with_words_changed() -> None:
    found = _dedupe([("f1", "c1", COMPLAINT), ("f2", "c2", CRASH),
                     ("f3", "c3", COMPLAINT_EDITED)])
    assert found == {"f3": ("f1", "near")}


def test_dedupe_resent_email_with_punctuation_and_small_edits_is_near() -> None:
    found = _dedupe([("f1", "c1", MAIL), ("f2", "c1", MAIL_RESENT)])
    assert found == {"f2": ("f1", "near")}
    # Punctuation and case changes alone are an exact duplicate.
    assert _dedupe([("f1", "c1", MAIL), ("f2", "c1", MAIL.upper().replace(",", ";"))]) == {
        "f2": ("f1", "exact")}


def test_dedupe_clearly_different_texts_not_flagged() -> None:
    assert _dedupe([("f1", "c1", COMPLAINT), ("f2", "c1", MAIL), ("f3", "c1", CRASH),
                    ("f4", "c1", ZH), ("f5", "c2", "Great app, love the new design!"),
                    ("f6", "c3", "Terrible app, hate the new design!")]) == {}


def test_dedupe_near_needs_minimum_length() -> None:
    short = "Parcel was late by two days"  # 22 letters: below near_min_chars
    assert _dedupe([("f1", "c1", short), ("f2", "c2", short.replace("two", "three"))]) == {}


def test_dedupe_duplicates_point_at_earliest_record() -> None:
    found = _dedupe([("f1", "c1", CRASH), ("f2", "c2", COMPLAINT_EDITED),
                     ("f3", "c3", COMPLAINT), ("f4", "c4", COMPLAINT.upper()),
                     ("f5", "c5", COMPLAINT_EDITED + "!!"), ("f6", "c6", CRASH + " Thanks!")])
    # f4 is an exact copy of f3, which is near f2: the chain ends at f2, the kind is f4's own.
    assert found == {"f3": ("f2", "near"), "f4": ("f2", "exact"), "f5": ("f2", "exact"),
                     "f6": ("f1", "near")}
    # Every duplicate points at a record that is itself accepted.
    assert not set(found) & {target for target, _ in found.values()}


def test_dedupe_same_id_reported_and_chain_resolves_to_accepted_record() -> None:
    records = _records([("f1", "c1", COMPLAINT), ("f2", "c2", COMPLAINT + "!"),
                        ("f3", "c3", "Different words entirely, nothing alike."),
                        ("f4", "c4", CRASH)])
    dedupe = Deduplicator()
    # f3 repeats the source record id of f2, which is itself an exact duplicate of f1;
    # f4 repeats the id of f1 although its text differs.
    dedupe.add(records, TEXT, repeated_ids=pd.Series({2: "f2", 3: "f1"}))
    result = dedupe.resolve().set_index(FEEDBACK_ID)
    assert result.loc["f2", DUPLICATE_OF] == "f1"
    assert result.loc["f2", DUPLICATE_KIND] == "exact"
    assert result.loc["f3", DUPLICATE_OF] == "f1"  # f3 → f2 → f1
    assert result.loc["f3", DUPLICATE_KIND] == "same_id"
    assert result.loc["f4", DUPLICATE_OF] == "f1"
    assert result.loc["f4", DUPLICATE_KIND] == "same_id"
    assert "f1" not in result.index


def test_dedupe_same_id_across_chunks() -> None:
    dedupe = Deduplicator()
    dedupe.add(_records([("f1", "c1", CRASH), ("f2", "c2", MAIL)]), TEXT)
    dedupe.add(_records([("f3", "c1", "Another text from the same ticket id")]), TEXT,
               repeated_ids=pd.Series({0: "f1"}))
    result = dedupe.resolve()
    assert result.to_dict("records") == [
        {FEEDBACK_ID: "f3", DUPLICATE_OF: "f1", DUPLICATE_KIND: "same_id"}]


BATCH = [
    ("f01", "c1", COMPLAINT), ("f02", "c2", "很好"), ("f03", "c3", MAIL),
    ("f04", "c2", "很好!"), ("f05", "c4", COMPLAINT_EDITED), ("f06", "c5", CRASH),
    ("f07", "c6", MAIL_RESENT), ("f08", "c7", "很好"), ("f09", "c8", CRASH.lower()),
    ("f10", "c9", "Refund never arrived after three weeks of waiting"),
    ("f11", "c10", "refund never arrived after three weeks of waiting!!"),
]
BATCH_EXPECTED = {"f04": ("f02", "exact"), "f05": ("f01", "near"), "f07": ("f03", "near"),
                  "f09": ("f06", "exact"), "f11": ("f10", "exact")}


def test_dedupe_planted_batch() -> None:
    assert _dedupe(BATCH) == BATCH_EXPECTED


def test_dedupe_deterministic() -> None:
    first = _dedupe(BATCH)
    assert _dedupe(BATCH) == first
    records = _records(BATCH)
    frames = []
    for _ in range(2):
        dedupe = Deduplicator()
        dedupe.add(records, TEXT)
        frames.append(dedupe.resolve())
    pd.testing.assert_frame_equal(frames[0], frames[1])


@pytest.mark.parametrize("chunk", [1, 2, 3, 5])
def test_dedupe_chunked_equals_one_chunk(chunk: int) -> None:
    assert _dedupe(BATCH, chunk=chunk) == _dedupe(BATCH) == BATCH_EXPECTED


def test_dedupe_empty_resolve() -> None:
    result = Deduplicator().resolve()
    assert result.empty
    assert list(result.columns) == [FEEDBACK_ID, DUPLICATE_OF, DUPLICATE_KIND]


def test_dedupe_minhash_identical_texts_similarity_one() -> None:
    forms = dedupe_form(pd.Series([COMPLAINT, COMPLAINT, CRASH])).tolist()
    signatures = minhash_signatures(forms)
    assert signatures.shape == (3, 32)
    assert signatures.dtype == np.uint32
    assert (signatures[0] == signatures[1]).mean() == 1.0
    assert (signatures[0] == signatures[2]).mean() < 0.2
    # A text's signature does not depend on its neighbours in the batch.
    alone = minhash_signatures([forms[2]])
    np.testing.assert_array_equal(alone[0], signatures[2])


def test_dedupe_minhash_seed_and_empty_inputs() -> None:
    forms = dedupe_form(pd.Series([COMPLAINT])).tolist()
    assert not np.array_equal(minhash_signatures(forms, seed=0), minhash_signatures(forms, seed=1))
    assert minhash_signatures([]).shape == (0, 32)
    never = minhash_signatures(["", "abc"])  # no 5-gram: all-ones rows, never matched
    assert (never == np.iinfo(np.uint32).max).all()
