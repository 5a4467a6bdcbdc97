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
