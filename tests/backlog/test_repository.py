"""What runs and people do to the backlog in a real store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from voc.backlog.repository import BacklogOptions, list_items, set_item, sync_backlog
from voc.errors import ConfigError
from voc.store import open_store


def issues(volumes: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """An issue table: issue id → (volume, complaints), ranked in the order given."""
    rows = []
    for rank, (issue_id, (volume, negative)) in enumerate(volumes.items(), start=1):
        rows.append({"issue_id": issue_id, "rank": rank, "kind": "category",
                     "label_en": issue_id, "label_zh": issue_id + "中",
                     "priority": 100.0 / rank, "quadrant": "fix_first", "volume": volume,
                     "negative": negative, "mean_sentiment": -0.4})
    return pd.DataFrame(rows)


QUOTES = pd.DataFrame({"issue_id": ["late", "late"], "rank": [1, 2],
                       "channel": ["chat", "email"], "quote": ["=late again", "where is it"],
                       "aspect_score": [-0.8, -0.5], "feedback_id": ["a", "b"]})
SEPTEMBER = issues({"late": (200, 150), "refund": (150, 120), "app": (30, 20)})
OCTOBER = issues({"refund": (146, 118), "late": (70, 50), "app": (30, 20)})


def run(store: Path, batch: str, table: pd.DataFrame, top: int = 2) -> None:
    with open_store(store) as st:
        st.transaction(lambda con: sync_backlog(con, batch, table, QUOTES, 1800,
                                                BacklogOptions(open_top=top)))


def test_a_run_opens_items_for_important_issues_and_is_repeatable(tmp_path: Path) -> None:
    store = tmp_path / "voc.duckdb"
    run(store, "2026-09", SEPTEMBER)
    run(store, "2026-09", SEPTEMBER)  # re-running the batch changes nothing
    with open_store(store, read_only=True) as st:
        items = list_items(st.con)
        history = st.con.execute("SELECT item_id, who, field FROM backlog_history").fetchall()
        metrics = st.con.execute("SELECT count(*) FROM backlog_metrics").fetchone()[0]
    assert items["item_id"].tolist() == ["late", "refund"]  # "app" ranks 3rd, top is 2
    assert (items["status"] == "plan").all() and items["title"].iloc[0] == "late / late中"
    assert sorted(history) == [("late", "voc", "opened"), ("refund", "voc", "opened")]
    assert metrics == 2


def test_do_then_next_batch_gets_a_check_verdict(tmp_path: Path) -> None:
    store = tmp_path / "voc.duckdb"
    run(store, "2026-09", SEPTEMBER)
    with open_store(store) as st:
        for item in ("late", "refund"):
            st.transaction(lambda con, item=item: set_item(
                con, item, {"status": "do", "owner": "Li", "target": "complaint_share -30%",
                            "due": "2026-12-01"}, "li"))
    run(store, "2026-10", OCTOBER)
    run(store, "2026-10", OCTOBER)  # again: still one verdict per item and batch
    with open_store(store, read_only=True) as st:
        verdicts = st.con.execute("""SELECT item_id, verdict, target_met, suggestion
                                     FROM backlog_verdicts ORDER BY item_id""").fetchall()
        items = list_items(st.con).set_index("item_id")
        moved = st.con.execute("""SELECT count(*) FROM backlog_history
                                  WHERE who = 'voc' AND field = 'status'""").fetchone()[0]
    assert verdicts == [("late", "improved", True, "act"),
                        ("refund", "no_change", False, "plan")]
    assert items.loc["late", "status"] == "check" and items.loc["late", "verdict"] == "improved"
    assert items.loc["late", "baseline_batch"] == "2026-09"
    assert moved == 2


def test_people_changes_are_validated_and_kept_in_history(tmp_path: Path) -> None:
    store = tmp_path / "voc.duckdb"
    run(store, "2026-09", SEPTEMBER)
    with open_store(store) as st:
        with pytest.raises(ConfigError, match="cannot go from plan to act"):
            st.transaction(lambda con: set_item(con, "late", {"status": "act"}, "li"))
        with pytest.raises(ConfigError, match="no backlog item 'nope'"):
            st.transaction(lambda con: set_item(con, "nope", {"owner": "x"}, "li"))
        with pytest.raises(ConfigError, match="YYYY-MM-DD"):
            st.transaction(lambda con: set_item(con, "late", {"owner": "x", "due": "soon"},
                                                "li"))
        unchanged = st.con.execute("SELECT owner FROM backlog_items WHERE item_id = 'late'")
        assert unchanged.fetchone()[0] is None  # the failed change left nothing behind
        changed = st.transaction(lambda con: set_item(con, "late", {"owner": "Wang",
                                                                    "action": "new courier"},
                                                      "li"))
        again = st.transaction(lambda con: set_item(con, "late", {"owner": "Wang"}, "li"))
        rows = st.con.execute("""SELECT who, field, old_value, new_value FROM backlog_history
                                 WHERE who = 'li' ORDER BY field""").fetchall()
    assert (changed, again) == (2, 0)
    assert rows == [("li", "action", None, "new courier"), ("li", "owner", None, "Wang")]
