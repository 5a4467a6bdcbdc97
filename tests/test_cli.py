from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import settings_toml, write_fixture_project
from voc.cli import app
from voc.config import load_config

runner = CliRunner()


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    settings = write_fixture_project(tmp_path)
    path = tmp_path / "voc.toml"
    path.write_text(settings_toml(settings), encoding="utf-8")
    return path


def _invoke(*args: str) -> object:
    return runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "250"})


def test_cli_init_writes_a_config_that_loads(tmp_path: Path) -> None:
    result = _invoke("init", str(tmp_path / "proj"))
    assert result.exit_code == 0
    settings = load_config(tmp_path / "proj" / "voc.toml")
    assert settings.ingest.redact_pii is True and len(settings.ingest.customer_salt) == 32
    again = _invoke("init", str(tmp_path / "proj"))
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_cli_ingest_with_config_prints_summary(config_file: Path) -> None:
    result = _invoke("ingest", "--batch", "2026-10", "--config", str(config_file), "-q")
    assert result.exit_code == 0, result.output
    assert "14 input rows = 8 accepted + 1 duplicates + 5 rejected" in result.stdout
    assert "app_review" in result.stdout and "survey" in result.stdout


def test_cli_batches_json_has_documented_keys(config_file: Path) -> None:
    _invoke("ingest", "--batch", "2026-10", "--config", str(config_file), "-q")
    result = _invoke("batches", "--json", "--config", str(config_file))
    data = json.loads(result.stdout)
    assert [set(item) for item in data] == [
        {"batch", "input_rows", "accepted", "duplicates", "rejected", "sources"}]
    item = data[0]
    assert (item["input_rows"], item["accepted"], item["duplicates"], item["rejected"]) == (
        14, 8, 1, 5)
    assert sum(source["input_rows"] for source in item["sources"]) == 14
    assert {source["source_file"] for source in item["sources"]} == {
        "exports/2026-10/reviews.csv", "exports/2026-10/nps.csv", "exports/2026-10/chats.json"}


def test_cli_rejects_lists_reason_file_and_row(config_file: Path) -> None:
    _invoke("ingest", "--batch", "2026-10", "--config", str(config_file), "-q")
    result = _invoke("rejects", "--batch", "2026-10", "--config", str(config_file), "--json")
    rows = json.loads(result.stdout)
    assert {(r["source_row"], r["reason"]) for r in rows if "reviews" in r["source_file"]} == {
        (3, "bad_date"), (4, "bad_score"), (5, "empty_text"), (9, "malformed_row")}
    table = _invoke("rejects", "--batch", "2026-10", "--config", str(config_file))
    assert "bad_date" in table.stdout and "unparseable date" in table.stdout


@pytest.mark.parametrize("suffix", ["csv", "parquet", "jsonl"])
def test_cli_feedback_export_writes_accepted_records(config_file: Path, tmp_path: Path,
                                                     suffix: str) -> None:
    _invoke("ingest", "--batch", "2026-10", "--config", str(config_file), "-q")
    out = tmp_path / f"out.{suffix}"
    result = _invoke("feedback", "export", "--batch", "2026-10", "--out", str(out),
                     "--config", str(config_file))
    assert result.exit_code == 0 and "wrote 8 records" in result.stdout
    frame = {"csv": pd.read_csv, "parquet": pd.read_parquet,
             "jsonl": lambda p: pd.read_json(p, lines=True)}[suffix](out)
    assert len(frame) == 8 and frame["duplicate_of"].isna().all()
    assert frame["analysis_text"].notna().all()  # stored as NULL when equal to text
    assert {"feedback_id", "customer_key", "text", "lang", "nps"} <= set(frame.columns)


def test_cli_adhoc_ingest_without_config(tmp_path: Path) -> None:
    data = tmp_path / "tweets.csv"
    data.write_text("tweet_id,text,airline_sentiment,tweet_created\n"
                    "1,@united late again!,negative,2015-02-24 11:35:52 -0800\n"
                    "2,@united thanks for the upgrade,positive,2015-02-24 11:36:52 -0800\n",
                    encoding="utf-8")
    store = tmp_path / "adhoc.duckdb"
    result = _invoke("ingest", str(data), "--batch", "2015-02", "--channel", "twitter",
                     "--text", "text", "--id", "tweet_id", "--time", "tweet_created",
                     "--store", str(store), "-q")
    assert result.exit_code == 0, result.output
    assert "2 input rows = 2 accepted" in result.stdout
    export = tmp_path / "out.jsonl"
    _invoke("feedback", "export", "--batch", "2015-02", "--out", str(export), "--store",
            str(store))
    records = [json.loads(line) for line in export.read_text().splitlines()]
    assert records[0]["channel"] == "social"
    assert records[0]["created_at"].startswith("2015-02-24 19:35:52")
    assert json.loads(records[0]["metadata"]) == {"airline_sentiment": "negative"}


def test_cli_errors_are_one_line_with_nonzero_exit(tmp_path: Path) -> None:
    result = _invoke("batches", "--store", str(tmp_path / "none.duckdb"))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: no store at")
    missing = _invoke("ingest", str(tmp_path / "absent.csv"), "--batch", "b", "--channel",
                      "chat", "--text", "t", "--store", str(tmp_path / "s.duckdb"))
    assert missing.exit_code == 1 and "absent.csv: file not found" in missing.stderr
    unknown = _invoke("rejects", "--batch", "nope", "--store", str(tmp_path / "s.duckdb"))
    assert unknown.exit_code == 1


def _commands(typer_app: object, prefix: str = "") -> list[tuple[str, object]]:
    import typer.main

    group = typer.main.get_command(typer_app)  # type: ignore[arg-type]
    found = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):
            for sub, sub_command in command.commands.items():
                found.append((f"{prefix}{name} {sub}", sub_command))
        else:
            found.append((f"{prefix}{name}", command))
    return found


def test_cli_every_command_has_help_with_example_and_readme_entry() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name, command in _commands(app):
        help_text = command.help or ""  # type: ignore[attr-defined]
        assert "Example" in help_text, f"`voc {name}` help has no example"
        assert f"voc {name}" in readme, f"`voc {name}` is not in the README"


def test_cli_csv_export_neutralises_spreadsheet_formulas(tmp_path: Path) -> None:
    data = tmp_path / "posts.csv"
    data.write_text('id,text\n1,"=HYPERLINK(""http://x"",""click"")"\n2,+1 still broken\n'
                    "3,@support no reply\n4,plain words\n", encoding="utf-8")
    store = tmp_path / "s.duckdb"
    _invoke("ingest", str(data), "--batch", "b", "--channel", "social", "--text", "text",
            "--id", "id", "--store", str(store), "-q")
    out = tmp_path / "out.csv"
    _invoke("feedback", "export", "--batch", "b", "--out", str(out), "--store", str(store))
    texts = pd.read_csv(out, dtype=str)["text"].tolist()
    assert texts == ["'=HYPERLINK(\"http://x\",\"click\")", "'+1 still broken",
                     "'@support no reply", "plain words"]
    parquet = tmp_path / "out.parquet"
    _invoke("feedback", "export", "--batch", "b", "--out", str(parquet), "--store", str(store))
    assert pd.read_parquet(parquet)["text"].iloc[0].startswith("=HYPERLINK")  # data, not a sheet


def test_cli_mbox_needs_no_mapping_flags(tmp_path: Path) -> None:
    import mailbox
    from email.message import EmailMessage

    box = mailbox.mbox(str(tmp_path / "mail.mbox"))
    for number, body in enumerate(["My refund has not arrived after 3 weeks.",
                                   "退款到现在还没到账，请尽快处理。"], start=1):
        message = EmailMessage()
        message["From"] = f"customer{number}@example.com"
        message["Subject"] = "Refund"
        message["Message-ID"] = f"<m{number}@example.com>"
        message["Date"] = "Mon, 05 Oct 2026 10:00:00 +0800"
        message.set_content(body)
        box.add(message)
    box.close()
    store = tmp_path / "s.duckdb"
    result = _invoke("ingest", str(tmp_path / "mail.mbox"), "--batch", "b", "--store", str(store),
                     "-q")
    assert result.exit_code == 0, result.output
    assert "2 input rows = 2 accepted" in result.stdout and "email" in result.stdout


def test_cli_eval_topics_json_has_the_documented_keys(tmp_path: Path) -> None:
    from tests.topics.test_evaluate import _labelled

    texts, labels = _labelled(25)
    path = tmp_path / "labelled.csv"
    pd.DataFrame({"comment": texts, "code": labels}).to_csv(path, index=False)
    result = _invoke("eval", "topics", str(path), "--text", "comment", "--label", "code",
                     "--topics", "3", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"nmi", "ari", "coherence_npmi", "diversity", "n_topics",
                         "other_share", "seconds", "vectors"}
    assert data["n_topics"] == 3 and data["nmi"] > 0.8
    tfidf = _invoke("eval", "topics", str(path), "--text", "comment", "--label", "code",
                    "--topics", "3", "--vectors", "tfidf", "--json")
    assert tfidf.exit_code == 0 and json.loads(tfidf.stdout)["vectors"] == "lsa"
    unknown = _invoke("eval", "topics", str(path), "--text", "comment", "--label", "code",
                      "--vectors", "glove")
    assert unknown.exit_code != 0 and "--vectors must be one of" in unknown.stderr
    gensim = _invoke("eval", "topics", str(path), "--text", "comment", "--label", "code",
                     "--topics", "3", "--vectors", "trained", "--word-vectors", "word2vec",
                     "--json")
    assert gensim.exit_code == 0 and json.loads(gensim.stdout)["vectors"] == "sif"
    unknown = _invoke("eval", "topics", str(path), "--text", "comment", "--label", "code",
                      "--word-vectors", "glove")
    assert unknown.exit_code != 0 and "--word-vectors must be one of" in unknown.stderr
    english = _invoke("eval", "topics", str(path), "--text", "comment", "--label", "code",
                      "--topics", "3", "--lang", "en")
    assert english.exit_code == 0 and "nmi" in english.stdout
    bad = _invoke("eval", "topics", str(path), "--text", "missing", "--label", "code")
    assert bad.exit_code == 1 and "no column 'missing'" in bad.stderr


def test_cli_run_and_topics_on_an_ingested_batch(config_file: Path) -> None:
    _invoke("ingest", "--batch", "2026-10", "--config", str(config_file), "-q")
    result = _invoke("run", "--batch", "2026-10", "--config", str(config_file), "--topics", "2")
    assert result.exit_code == 0, result.output
    assert "Topics in 2026-10" in result.stdout
    listed = _invoke("topics", "--batch", "2026-10", "--config", str(config_file), "--json")
    rows = json.loads(listed.stdout)
    assert {row["lang"] for row in rows} == {"zh", "en"}
    assert {"topic_id", "label", "category", "emerging", "size", "share", "keywords",
            "phrases"} <= set(rows[0])
    assert isinstance(rows[0]["keywords"], list) and isinstance(rows[0]["phrases"], list)
    missing = _invoke("run", "--batch", "1999-01", "--config", str(config_file))
    assert missing.exit_code == 1 and "batch '1999-01' is not in the store" in missing.stderr
    french = _invoke("topics", "--batch", "2026-10", "--lang", "fr", "--config",
                     str(config_file))
    assert french.exit_code == 1 and "--lang must be one of zh, en, got 'fr'" in french.stderr


def _sentiment_file(path: Path) -> Path:
    """A small labelled file whose lexicon calls are known: 6 clear texts per class."""
    rows = [("非常满意，物流很快", 1), ("质量很好，五星好评", 1), ("客服态度很好，点赞", 1),
            ("Great service, thank you", 1), ("Excellent, fast and friendly", 1),
            ("I love this app", 1),
            ("太差了，再也不买", 0), ("客服态度恶劣，很失望", 0), ("包装破损，垃圾", 0),
            ("Terrible service, very disappointed", 0), ("Awful, the worst experience", 0),
            ("Rude staff and broken product", 0)]
    pd.DataFrame(rows, columns=["comment", "y"]).to_csv(path, index=False)
    return path


def test_cli_eval_sentiment_json_reports_known_metrics(tmp_path: Path) -> None:
    path = _sentiment_file(tmp_path / "labelled.csv")
    result = _invoke("eval", "sentiment", str(path), "--text", "comment", "--label", "y",
                     "--map", "0=negative,1=positive", "--adapt", "off", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"accuracy", "macro_f1", "per_class", "confusion", "n"}
    assert payload["n"] == 12 and payload["accuracy"] == 1.0 and payload["macro_f1"] == 1.0
    assert payload["confusion"]["negative"] == {"negative": 6, "positive": 0}
    chinese = _invoke("eval", "sentiment", str(path), "--text", "comment", "--label", "y",
                      "--map", "0=neg,1=pos", "--lang", "zh", "--adapt", "off", "--json")
    assert json.loads(chinese.stdout)["n"] == 6
    table = _invoke("eval", "sentiment", str(path), "--text", "comment", "--label", "y",
                    "--map", "0=neg,1=pos", "--adapt", "off")
    assert "macro-F1 1.000" in table.stdout and "Confusion" in table.stdout
    unmapped = _invoke("eval", "sentiment", str(path), "--text", "comment", "--label", "y")
    assert unmapped.exit_code == 1 and "--map" in unmapped.stderr


def test_cli_train_sentiment_then_eval_and_run_with_the_model(tmp_path: Path,
                                                              config_file: Path) -> None:
    rng = __import__("random").Random(5)
    good = ["很好", "满意", "不错", "点赞", "喜欢", "推荐"]
    bad = ["很差", "失望", "垃圾", "难用", "退货", "投诉"]
    rows = [(f"{rng.choice(good)}，{rng.choice(good)}{i}", "pos") for i in range(60)]
    rows += [(f"{rng.choice(bad)}，{rng.choice(bad)}{i}", "neg") for i in range(60)]
    labelled = tmp_path / "team.csv"
    pd.DataFrame(rows, columns=["text", "label"]).to_csv(labelled, index=False)
    out = tmp_path / "models" / "team"
    trained = _invoke("train", "sentiment", str(labelled), "--text", "text", "--label",
                      "label", "--out", str(out), "--config", str(config_file))
    assert trained.exit_code == 0, trained.output
    assert "5-fold CV" in trained.stdout and (out / "manifest.json").is_file()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["lang"] == "zh" and manifest["n"] == 120
    scored = _invoke("eval", "sentiment", str(labelled), "--text", "text", "--label", "label",
                     "--model", str(out), "--json")
    assert json.loads(scored.stdout)["accuracy"] > 0.95
    _invoke("ingest", "--batch", "2026-10", "--config", str(config_file), "-q")
    run = _invoke("run", "--batch", "2026-10", "--config", str(config_file), "--topics", "2",
                  "--sentiment-model", str(out))
    assert run.exit_code == 0, run.output
    assert "Sentiment in 2026-10" in run.stdout and "model:team" in run.stdout
