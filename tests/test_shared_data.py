"""Ingest of the public labelled sets in ../shared/data, mapped by a test voc.toml."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import SHARED_DATA
from voc.cli import app
from voc.store import open_store

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not SHARED_DATA.is_dir(),
                       reason=f"public data sets not found at {SHARED_DATA}"),
]

CONFIG = """
store = "voc.duckdb"
[project]
timezone = "UTC"
[ingest]
customer_salt = "shared-data-test"

[[sources]]
name = "airline_tweets"
path = "{data}/twitter_us_airline/Tweets.csv"
channel = "social"
text = "text"
id = "tweet_id"
time = "tweet_created"
customer = "name"

[[sources]]
name = "waimai"
path = "{data}/waimai_10k/waimai_10k.csv"
channel = "review"
text = "review"

[[sources]]
name = "hotel"
path = "{data}/chnsenticorp_htl/ChnSentiCorp_htl_all.csv"
channel = "review"
text = "review"

[[sources]]
name = "shopping"
path = "{data}/online_shopping_10_cats/online_shopping_10_cats.csv"
channel = "review"
text = "review"
"""


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shared")
    config = folder / "voc.toml"
    config.write_text(CONFIG.format(data=SHARED_DATA.as_posix()), encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", "--batch", "dev", "--config", str(config), "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return folder / "voc.duckdb"


def _source_counts(store: Path) -> pd.DataFrame:
    with open_store(store, read_only=True) as st:
        return st.batch_sources("dev").set_index("source")


@pytest.mark.parametrize(("source", "relative"), [
    ("airline_tweets", "twitter_us_airline/Tweets.csv"),
    ("waimai", "waimai_10k/waimai_10k.csv"),
    ("hotel", "chnsenticorp_htl/ChnSentiCorp_htl_all.csv"),
    ("shopping", "online_shopping_10_cats/online_shopping_10_cats.csv"),
])
def test_shared_data_every_row_is_accounted_for(ingested: Path, source: str,
                                                relative: str) -> None:
    rows = len(pd.read_csv(SHARED_DATA / relative, dtype=str, keep_default_na=False))
    counts = _source_counts(ingested).loc[source]
    assert counts["input_rows"] == rows
    assert counts["accepted"] + counts["duplicates"] + counts["rejected"] == rows


def test_shared_data_known_quirks_are_found(ingested: Path) -> None:
    tweets = pd.read_csv(SHARED_DATA / "twitter_us_airline/Tweets.csv", dtype=str)
    repeated_ids = int(tweets["tweet_id"].duplicated().sum())  # 155 rows repeat an id
    with open_store(ingested, read_only=True) as st:
        kinds = dict(st.con.execute("""
            SELECT duplicate_kind, count(*) FROM feedback
            WHERE source = 'airline_tweets' AND duplicate_of IS NOT NULL GROUP BY ALL""")
                     .fetchall())
        rejected = dict(st.con.execute("""
            SELECT source, count(*) FROM rejects WHERE reason = 'empty_text' GROUP BY ALL""")
                        .fetchall())
        langs = dict(st.con.execute("""
            SELECT source, avg(CASE WHEN lang = 'zh' THEN 1 ELSE 0 END)
            FROM feedback GROUP BY ALL""").fetchall())
        times = st.con.execute("""
            SELECT min(created_at), max(created_at) FROM feedback
            WHERE source = 'airline_tweets'""").fetchone()
    assert kinds.get("same_id", 0) == repeated_ids
    # the one empty review of each, and in shopping also reviews that are only "?" or "。"
    assert rejected.get("hotel") == 1 and rejected.get("shopping") == 3
    assert langs["waimai"] > 0.97 and langs["hotel"] > 0.97 and langs["shopping"] > 0.97
    assert langs["airline_tweets"] < 0.01
    # Local times 2015-02-16..24 with offsets like -0800, stored in UTC.
    assert "2015-02-16" <= str(times[0]) < "2015-02-18" and str(times[1]) < "2015-02-26"
