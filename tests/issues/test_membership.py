"""Reading a batch's issue memberships from a store the analysis stages wrote."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.conftest import write_fixture_project
from voc import pipeline
from voc.issues.membership import read_issue_inputs


def test_categories_and_emerging_topics_become_issue_members(tmp_path: Path) -> None:
    settings = write_fixture_project(tmp_path)
    store = tmp_path / "voc.duckdb"
    pipeline.ingest_batch(settings, "2026-10", pipeline.plan_ingest(settings, "2026-10"),
                          store)
    pipeline.run_batch(settings, "2026-10", store, n_topics=2)
    with duckdb.connect(str(store), read_only=True) as con:
        data = read_issue_inputs(con, "2026-10")
        accepted = con.execute("""SELECT count(*) FROM feedback
                                  WHERE batch = '2026-10' AND duplicate_of IS NULL""").fetchone()
        categories = con.execute("""SELECT count(*) FROM doc_categories
                                    WHERE batch = '2026-10'""").fetchone()
        emerging = con.execute("""SELECT count(*) FROM doc_topics d JOIN topics t
                                  USING (batch, topic_id) WHERE t.emerging""").fetchone()
    assert len(data.documents) == accepted[0]
    kinds = data.members["kind"].value_counts().to_dict()
    assert kinds.get("category", 0) == categories[0]
    assert kinds.get("topic", 0) == emerging[0]
    assert data.members["aspect_score"].notna().all()
    topics = data.members[data.members["kind"] == "topic"]
    assert topics["issue_id"].str.match(r"^(zh|en)-T\d{4}$").all()  # stable ids
    assert set(data.members["feedback_id"]) <= set(data.documents["feedback_id"])
    # members and flags point at their document by position, numbered in SQL
    ids = data.documents["feedback_id"].to_numpy()
    assert (ids[data.members["doc"].to_numpy()] == data.members["feedback_id"].to_numpy()).all()
    assert (ids[data.flags["doc"].to_numpy()] == data.flags["feedback_id"].to_numpy()).all()
    # documents carry their quote's length; the text is read for the records quoted only
    assert "quote" not in data.documents and data.quote_texts is not None


def test_hand_made_inputs_are_numbered_and_unknown_members_marked() -> None:
    import pandas as pd

    from voc.issues.membership import IssueInputs

    documents = pd.DataFrame({"feedback_id": ["a", "b", "c"]})
    members = pd.DataFrame({"feedback_id": ["c", "x", "a"], "issue_id": ["i", "i", "j"]})
    flags = pd.DataFrame({"feedback_id": ["b"], "flag": ["legal"]})
    data = IssueInputs(documents, members, flags)
    assert data.members["doc"].tolist() == [2, -1, 0] and data.flags["doc"].tolist() == [1]
