"""How well topics recover the bundled sample's planted issues, per month and language.

    python benchmarks/sample_recovery.py [--out DIR] [--json PATH]

Runs `voc demo` into DIR (a temporary folder by default), then, for every planted issue of
each month and language group (Chinese with code-mixed records, English), finds the topic
whose records best match the issue's records (F1) and prints it: the target of the
text-and-topics issue is F1 ≥ 0.8 for every planted issue. Also prints which emerging topics
were linked across languages.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import duckdb

from voc.demo import run_demo
from voc.topics.representation import embeddings_installed

TARGET_F1 = 0.8


def recovery(store: Path, truth: dict) -> list[dict]:
    rows = []
    con = duckdb.connect(str(store), read_only=True)
    try:
        for batch in truth["batches"]:
            planted = {(r["source"], r["record_id"]): r["issue"] for r in truth["records"]
                       if r["batch"] == batch and r["issue"]}
            assigned = con.execute("""
                SELECT f.source, f.source_record_id, f.lang, t.topic_id FROM feedback f
                JOIN doc_topics t USING (batch, feedback_id) WHERE f.batch = ?""",
                                   [batch]).fetchall()
            by_issue: dict[tuple[str, str], set] = defaultdict(set)
            by_topic: dict[str, set] = defaultdict(set)
            for source, record, lang, topic in assigned:
                group = "en" if lang == "en" else "zh"
                issue = planted.get((source, record))
                if issue:
                    by_issue[(group, issue)].add((source, record))
                if not topic.endswith("-other"):
                    by_topic[topic].add((source, record))
            for (group, issue), docs in sorted(by_issue.items()):
                f1, best = max(((2 * len(docs & members) / (len(docs) + len(members)), topic)
                                for topic, members in by_topic.items()
                                if topic.startswith(group)), default=(0.0, None))
                rows.append({"batch": batch, "lang": group, "issue": issue, "records": len(docs),
                             "best_topic": best, "f1": round(f1, 3)})
    finally:
        con.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="demo folder (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch) / "demo"
        started = time.perf_counter()
        run = run_demo(out)
        seconds = time.perf_counter() - started
        truth = json.loads((out / "ground_truth.json").read_text(encoding="utf-8"))
        rows = recovery(run.store_path, truth)
        con = duckdb.connect(str(run.store_path), read_only=True)
        links = con.execute("""SELECT l.batch, l.issue_id, string_agg(t.label, ' = ')
                               FROM topic_lineage l JOIN topics t USING (batch, topic_id)
                               WHERE l.issue_id IS NOT NULL GROUP BY ALL ORDER BY ALL""").fetchall()
        con.close()
    print(f"voc demo in {seconds:.0f} s; sentence embeddings: "
          f"{'yes' if embeddings_installed() else 'no'}")
    print(f"  {'batch':<8} {'lang':<4} {'planted issue':<22} {'records':>7} {'best topic':>10}"
          f" {'F1':>5}")
    for row in rows:
        mark = "" if row["f1"] >= TARGET_F1 else "  < 0.8"
        print(f"  {row['batch']:<8} {row['lang']:<4} {row['issue']:<22} {row['records']:>7} "
              f"{row['best_topic']!s:>10} {row['f1']:>5.2f}{mark}")
    met = sum(row["f1"] >= TARGET_F1 for row in rows)
    mean = sum(row["f1"] for row in rows) / max(len(rows), 1)
    print(f"  => {met} of {len(rows)} planted issue/language/month pairs at F1 ≥ {TARGET_F1}; "
          f"mean F1 {mean:.2f}")
    for batch, issue, labels in links:
        print(f"  linked across languages in {batch}: {issue} ({labels})")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "links": links}, indent=2,
                                        ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
