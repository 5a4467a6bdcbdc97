"""How well topics recover the bundled sample's planted issues, per month and language.

    python benchmarks/sample_recovery.py [--out DIR] [--json PATH]

Runs `voc demo` into DIR (a temporary folder by default), then, for every planted issue of
each month and language group (Chinese with code-mixed records, English), finds the topic
whose records best match the issue's records (F1) and prints it with its stable id: the
target of the text-and-topics issue is F1 ≥ 0.8 for every planted issue, and the same stable
id month after month. Also prints which emerging topics were linked across languages.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import duckdb

from voc.demo import run_demo
from voc.sample.recovery import TARGET_F1, changed_ids, recurring_issues, topic_recovery
from voc.topics.representation import embeddings_installed


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
        rows = topic_recovery(run.store_path, truth)
        con = duckdb.connect(str(run.store_path), read_only=True)
        links = con.execute("""SELECT l.batch, l.issue_id, string_agg(t.label, ' = ')
                               FROM topic_lineage l JOIN topics t USING (batch, topic_id)
                               WHERE l.issue_id IS NOT NULL GROUP BY ALL ORDER BY ALL""").fetchall()
        con.close()
    print(f"voc demo in {seconds:.0f} s; sentence embeddings: "
          f"{'yes' if embeddings_installed() else 'no'}")
    print(f"  {'batch':<8} {'lang':<4} {'planted issue':<22} {'records':>7} {'best topic':>10}"
          f" {'stable id':>9} {'F1':>5}")
    for row in rows:
        mark = "" if row.f1 >= TARGET_F1 else "  < 0.8"
        print(f"  {row.batch:<8} {row.lang:<4} {row.issue:<22} {row.records:>7} "
              f"{row.best_topic!s:>10} {row.stable_id!s:>9} {row.f1:>5.2f}{mark}")
    met = sum(row.f1 >= TARGET_F1 for row in rows)
    mean = sum(row.f1 for row in rows) / max(len(rows), 1)
    print(f"  => {met} of {len(rows)} planted issue/language/month pairs at F1 ≥ {TARGET_F1}; "
          f"mean F1 {mean:.2f}")
    changed = changed_ids(rows)
    recurring = len(recurring_issues(rows))
    print(f"  => stable id kept across months by {recurring - len(changed)} of {recurring} "
          "recurring planted issues"
          + (f"; changed: {', '.join(f'{lang} {issue}' for lang, issue in changed)}"
             if changed else ""))
    for batch, issue, labels in links:
        print(f"  linked across languages in {batch}: {issue} ({labels})")
    if args.json:
        payload = {"rows": [asdict(row) for row in rows], "links": links}
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
