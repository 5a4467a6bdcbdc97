from __future__ import annotations

from pathlib import Path

import duckdb

from voc.sample.recovery import changed_ids, recurring_issues, topic_recovery


def _store(path: Path) -> Path:
    """Two batches: a refund issue in both (its topic keeps id zh-T0001 in September,
    en's login topic changes id), plus background records."""
    store = path / "voc.duckdb"
    with duckdb.connect(str(store)) as con:
        con.execute("CREATE TABLE feedback (batch VARCHAR, feedback_id VARCHAR, source VARCHAR,"
                    " source_record_id VARCHAR, lang VARCHAR)")
        con.execute("CREATE TABLE doc_topics (batch VARCHAR, feedback_id VARCHAR,"
                    " topic_id VARCHAR)")
        con.execute("CREATE TABLE topic_lineage (batch VARCHAR, topic_id VARCHAR,"
                    " stable_id VARCHAR)")
        rows = [  # batch, id, lang, topic
            ("09", "a", "zh", "zh-00"), ("09", "b", "zh", "zh-00"), ("09", "c", "zh", "zh-01"),
            ("09", "d", "en", "en-00"), ("09", "e", "en", "en-other"),
            ("10", "a", "zh-en", "zh-03"), ("10", "b", "zh", "zh-03"), ("10", "c", "zh", "zh-03"),
            ("10", "d", "en", "en-01"), ("10", "e", "en", "en-01")]
        for batch, record, lang, topic in rows:
            con.execute("INSERT INTO feedback VALUES (?, ?, 's', ?, ?)",
                        [batch, f"{batch}{record}", record, lang])
            con.execute("INSERT INTO doc_topics VALUES (?, ?, ?)", [batch, f"{batch}{record}",
                                                                   topic])
        con.executemany("INSERT INTO topic_lineage VALUES (?, ?, ?)", [
            ("09", "zh-00", "zh-T0001"), ("09", "zh-01", "zh-T0002"),
            ("09", "en-00", "en-T0001"), ("10", "zh-03", "zh-T0001"),
            ("10", "en-01", "en-T0002"), ("10", None, "zh-T0002")])
    return store


def test_recovery_finds_each_issues_best_topic_and_its_stable_id(tmp_path: Path) -> None:
    truth = {"batches": ["09", "10"], "records": [
        {"batch": "09", "source": "s", "record_id": "a", "issue": "refund"},
        {"batch": "09", "source": "s", "record_id": "b", "issue": "refund"},
        {"batch": "09", "source": "s", "record_id": "c", "issue": None},
        {"batch": "09", "source": "s", "record_id": "d", "issue": "login"},
        {"batch": "09", "source": "s", "record_id": "e", "issue": "login"},
        {"batch": "10", "source": "s", "record_id": "a", "issue": "refund"},
        {"batch": "10", "source": "s", "record_id": "b", "issue": "refund"},
        {"batch": "10", "source": "s", "record_id": "d", "issue": "login"}]}
    rows = topic_recovery(_store(tmp_path), truth)
    found = {(r.batch, r.lang, r.issue): (r.records, r.best_topic, r.stable_id, r.f1)
             for r in rows}
    assert found == {
        ("09", "zh", "refund"): (2, "zh-00", "zh-T0001", 1.0),
        # the record in "other" counts against the issue: F1 = 2·1 / (2 + 1)
        ("09", "en", "login"): (2, "en-00", "en-T0001", 0.667),
        # code-mixed records count with Chinese; the topic's third record lowers precision
        ("10", "zh", "refund"): (2, "zh-03", "zh-T0001", 0.8),
        ("10", "en", "login"): (1, "en-01", "en-T0002", 0.667)}
    assert recurring_issues(rows) == {("zh", "refund"), ("en", "login")}
    assert changed_ids(rows) == [("en", "login")]
