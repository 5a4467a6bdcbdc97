"""The `voc` command line: thin commands that parse options, call the library and render.

Library errors (voc.errors) become one line on stderr and exit code 1.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from voc import __version__, pipeline
from voc.cli_render import ingest_progress, print_ingest_report, run_progress, table_from_frame
from voc.config import CONFIG_FILE, Settings, SourceConfig, load_config, render_default_config
from voc.errors import ConfigError, VocError
from voc.store import open_store

if TYPE_CHECKING:
    import pandas as pd

app = typer.Typer(
    name="voc",
    help="voc: voice-of-customer text mining for monthly feedback batches (Chinese and English).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
feedback_app = typer.Typer(help="Work with a batch's feedback records.", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")
eval_app = typer.Typer(help="Measure voc's stages against hand-labelled feedback.",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")
backlog_app = typer.Typer(help="The PDCA improvement backlog: list, show, move, export, import.",
                          no_args_is_help=True)
app.add_typer(backlog_app, name="backlog")
train_app = typer.Typer(help="Train models on a team's hand-labelled feedback.",
                        no_args_is_help=True)
app.add_typer(train_app, name="train")

console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

# Shared options: defined once so they mean the same in every command.
ConfigOption = Annotated[Path | None, typer.Option(
    "--config", "-c", help="voc.toml to use (default: ./voc.toml if present).",
    dir_okay=True, show_default=False)]
StoreOption = Annotated[Path | None, typer.Option(
    "--store", help="DuckDB store file (default: voc.duckdb beside voc.toml).",
    show_default=False)]
BatchOption = Annotated[str, typer.Option("--batch", "-b", help="Batch name, e.g. 2026-10.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
LabelledFileArgument = Annotated[Path, typer.Argument(
    help="Labelled CSV, XLSX, JSON Lines or Parquet file.")]
TextColumnOption = Annotated[str, typer.Option(help="Column with the feedback text.")]
SheetOption = Annotated[str | None, typer.Option(help="XLSX sheet name.")]
SeedOption = Annotated[int, typer.Option(help="Random seed.")]
LabelMapOption = Annotated[str | None, typer.Option(
    "--map", help='How labels map to polarities, e.g. "0=negative,1=positive".')]


def handle_errors(command: F) -> F:
    """Turn library errors into one stderr line and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except VocError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from exc

    return wrapper  # type: ignore[return-value]


def _settings(config: Path | None) -> Settings:
    return load_config(config)


def _store_path(settings: Settings, store: Path | None) -> Path:
    return store.resolve() if store else settings.store_path()


def _version(value: bool) -> None:
    if value:
        console.print(f"voc {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """voc turns a month of customer feedback into ranked service issues and a PDCA backlog.

    Start with [bold]voc init DIR[/], map your exports in DIR/voc.toml, then
    [bold]voc ingest --batch 2026-10[/].
    """


@app.command()
@handle_errors
def init(
    directory: Annotated[Path, typer.Argument(help="Project folder to create or fill.")] = Path(),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing voc.toml.")] = False,
) -> None:
    """Write a commented voc.toml with working defaults into DIRECTORY.

    Example: [bold]voc init ./voc-project[/]
    """
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / CONFIG_FILE
    if target.exists() and not force:
        raise ConfigError("already exists; pass --force to overwrite it", target)
    target.write_text(render_default_config(), encoding="utf-8")
    console.print(f"wrote {target}: map your exports under [[sources]], then run "
                  f"`voc ingest --batch YYYY-MM --config {target}`", highlight=False)


@app.command()
@handle_errors
def ingest(
    batch: BatchOption,
    files: Annotated[list[Path] | None, typer.Argument(
        help="Files to ingest (default: every source glob in voc.toml for the batch).",
        show_default=False)] = None,
    config: ConfigOption = None,
    store: StoreOption = None,
    channel: Annotated[str | None, typer.Option(help="Channel of FILES (one-off ingest).")] = None,
    channel_column: Annotated[str | None, typer.Option(
        help="Column holding each row's channel.")] = None,
    text: Annotated[list[str] | None, typer.Option(
        help="Text column; repeat to join several.")] = None,
    id_column: Annotated[str | None, typer.Option("--id", help="Record id column.")] = None,
    time_column: Annotated[str | None, typer.Option("--time", help="Timestamp column.")] = None,
    customer: Annotated[str | None, typer.Option(help="Customer id column (hashed).")] = None,
    rating: Annotated[str | None, typer.Option(help="Star rating column (1-5).")] = None,
    nps: Annotated[str | None, typer.Option(help="NPS column (0-10).")] = None,
    csat: Annotated[str | None, typer.Option(help="CSAT column (1-5).")] = None,
    encoding: Annotated[str, typer.Option(help="File encoding, or auto.")] = "auto",
    sheet: SheetOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read every source of a batch, clean it and replace the batch in the store.

    Example (sources in voc.toml): [bold]voc ingest --batch 2026-10[/]

    Example (one-off, no config): [bold]voc ingest reviews.csv --batch 2026-10 --channel
    app_review --text body --id review_id --time created --rating stars[/]
    """
    settings = _settings(config)
    adhoc = None
    if channel or channel_column or text:
        if not files:
            raise ConfigError("--channel/--text describe FILES: name the files to ingest")
        adhoc = SourceConfig(name=files[0].stem, path=str(files[0]), channel=channel,
                             channel_column=channel_column, text=text or [], id=id_column,
                             time=time_column, customer=customer, rating=rating, nps=nps,
                             csat=csat, encoding=encoding, sheet=sheet)
    items = pipeline.plan_ingest(settings, batch, files or [], adhoc)
    with ingest_progress(console, disabled=quiet) as on_progress:
        report = pipeline.ingest_batch(settings, batch, items, _store_path(settings, store),
                                       on_progress)
    print_ingest_report(console, report)


@app.command()
@handle_errors
def batches(config: ConfigOption = None, store: StoreOption = None,
            as_json: JsonOption = False) -> None:
    """List the batches in the store with input, accepted, duplicate and rejected counts.

    Example: [bold]voc batches --json[/]
    """
    settings = _settings(config)
    with open_store(_store_path(settings, store), read_only=True) as st:
        summary, files = st.batches(), st.batch_sources()
    if as_json:
        out = []
        for row in summary.itertuples():
            per_file = files[files["batch"] == row.batch].drop(columns=["batch"])
            out.append({"batch": row.batch, "input_rows": int(row.input_rows),
                        "accepted": int(row.accepted), "duplicates": int(row.duplicates),
                        "rejected": int(row.rejected),
                        "sources": json.loads(per_file.to_json(orient="records"))})
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    console.print(table_from_frame(summary.drop(columns=["config_hash"]), "Batches"))
    console.print(table_from_frame(files, "Per source file"))


@app.command()
@handle_errors
def rejects(
    batch: BatchOption,
    config: ConfigOption = None,
    store: StoreOption = None,
    reason: Annotated[str | None, typer.Option(help="Only this reason, e.g. bad_date.")] = None,
    limit: Annotated[int, typer.Option(help="Rows to show (0 = all).")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Show a batch's rejected rows: file, row, field, reason and a preview.

    Example: [bold]voc rejects --batch 2026-10 --reason bad_date[/]
    """
    settings = _settings(config)
    with open_store(_store_path(settings, store), read_only=True) as st:
        st.require_batch(batch)
        frame = st.rejects(batch, reason)
    if as_json:
        typer.echo(frame.to_json(orient="records", force_ascii=False, indent=2))
        return
    shown = frame if limit == 0 else frame.head(limit)
    console.print(table_from_frame(shown, f"Rejected rows in {batch} ({len(frame)})"))
    if len(shown) < len(frame):
        console.print(f"… {len(frame) - len(shown)} more; use --limit 0 or --json for all")


@feedback_app.command("export")
@handle_errors
def feedback_export(
    batch: BatchOption,
    out: Annotated[Path, typer.Option("--out", "-o",
                                      help="Output file: .csv, .parquet or .jsonl.")],
    config: ConfigOption = None,
    store: StoreOption = None,
) -> None:
    """Write a batch's accepted records in the unified schema.

    Example: [bold]voc feedback export --batch 2026-10 --out feedback.parquet[/]
    """
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "parquet", "jsonl"):
        raise ConfigError(f"{out}: use a .csv, .parquet or .jsonl file name")
    settings = _settings(config)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open_store(_store_path(settings, store), read_only=True) as st:
        st.require_batch(batch)
        count = st.export_feedback(batch, out.resolve(), fmt)
    console.print(f"wrote {count} records to {out}", highlight=False)


@app.command()
@handle_errors
def run(
    batch: BatchOption,
    config: ConfigOption = None,
    store: StoreOption = None,
    topics: Annotated[str, typer.Option(help="Topics per language, or auto.")] = "auto",
    sentiment_model: Annotated[str | None, typer.Option(
        help="A model from `voc train sentiment` (name under models/ or a folder); "
             "overrides voc.toml.")] = None,
    engine: Annotated[str | None, typer.Option(
        help="Where chunks run: local (process pool) or dask; overrides voc.toml.")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="dask.distributed scheduler address (tcp://HOST:8786); empty = LocalCluster.")]
    = None,
    workers: Annotated[int | None, typer.Option(
        help="Worker processes (default: every core).", min=0)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Run the analysis stages (text, topics, sentiment, flags, issues, backlog) on an
    ingested batch.

    Re-running a batch replaces its earlier results. Every engine gives the same results.

    Example: [bold]voc run --batch 2026-10 --engine dask --scheduler tcp://10.0.0.5:8786[/]
    """
    from voc.engine import EngineKind, EngineSpec

    settings = _settings(config)
    n_topics = None if topics == "auto" else _positive_int(topics, "--topics")
    model = str(_model_path(settings, sentiment_model)) if sentiment_model else None
    configured = settings.engine.spec()
    try:
        kind = EngineKind(engine) if engine else configured.kind
    except ValueError:
        raise ConfigError(f"--engine must be local or dask, got '{engine}'") from None
    spec = EngineSpec(kind, configured.workers if workers is None else workers,
                      (scheduler if scheduler is not None else configured.scheduler) or None)
    with run_progress(console, disabled=quiet) as on_progress:
        report = pipeline.run_batch(settings, batch, _store_path(settings, store), n_topics,
                                    model, spec, on_progress)
    _print_topics(report.topics, f"Topics in {batch}")
    if len(report.sentiment):
        shown = report.sentiment.rename(columns={"mean_score": "score", "negative": "neg",
                                                 "neutral": "neu", "positive": "pos"})
        console.print(table_from_frame(shown.round(2), f"Sentiment in {batch}"))
    if len(report.flags):
        console.print(table_from_frame(report.flags, f"Escalation flags in {batch}"))
    import pandas as pd

    console.print(table_from_frame(pd.DataFrame({
        "stage": [stage for stage, _ in report.stages],
        "seconds": [round(seconds, 2) for _, seconds in report.stages],
        "records/s": [round(report.records / seconds) if seconds > 0 else None
                      for _, seconds in report.stages]}), f"Timing of {batch} ({spec.kind}, "
        f"{report.records:,} records)"))
    console.print(f"{len(report.topics)} topics in {report.seconds:.1f} s → {report.store}",
                  highlight=False)
    for note in report.notes:
        console.print(f"[yellow]note:[/] {note}", highlight=False)


TOPIC_LANGS = tuple(lang for lang, _ in pipeline.TOPIC_GROUPS)  # topics are found per group


@app.command("topics")
@handle_errors
def topics_command(
    batch: BatchOption,
    config: ConfigOption = None,
    store: StoreOption = None,
    lang: Annotated[str | None, typer.Option(help="Only zh or en topics.")] = None,
    quotes: Annotated[bool, typer.Option("--quotes", help="Also print each topic's quotes.")]
    = False,
    as_json: JsonOption = False,
) -> None:
    """Print a batch's topics: id, stable id, label, category, size, share, keywords and key
    phrases.

    Example: [bold]voc topics --batch 2026-10 --lang zh --quotes[/]
    """
    if lang is not None and lang not in TOPIC_LANGS:
        raise ConfigError(f"--lang must be one of {', '.join(TOPIC_LANGS)}, got '{lang}'")
    settings = _settings(config)
    with open_store(_store_path(settings, store), read_only=True) as st:
        st.require_batch(batch)
        frame = st.topics(batch, lang)
        quote_frame = st.topic_quotes(batch)
    if as_json:
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        for record in records:  # JSON columns as JSON, not as strings
            record["keywords"] = json.loads(record["keywords"])
            record["phrases"] = json.loads(record["phrases"] or "[]")
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    _print_topics(frame, f"Topics in {batch}")
    if quotes:
        for row in frame.itertuples():
            picked = quote_frame[quote_frame["topic_id"] == row.topic_id]
            if picked.empty:
                continue
            console.print(f"\n[bold]{row.topic_id}[/] {row.label}", highlight=False)
            for quote in picked.itertuples():
                text = quote.quote.replace("\n", " ")
                console.print(f"  [{quote.channel}] {text[:200]}", highlight=False,
                              markup=False)


def _print_topics(frame: pd.DataFrame, title: str) -> None:
    shown = frame.assign(
        keywords=frame["keywords"].map(lambda k: " ".join(w for w, _ in json.loads(k)[:8])),
        phrases=frame["phrases"].map(lambda p: ", ".join(w for w, _ in json.loads(p)[:4])),
        category=frame["category"].fillna("").where(~frame["emerging"], "EMERGING"),
        share=(frame["share"] * 100).round(1).astype(str) + "%")
    console.print(table_from_frame(shown.drop(columns=["emerging"]), title))


@app.command("report")
@handle_errors
def report_command(
    batch: BatchOption,
    lang: Annotated[str, typer.Option(help="Report language: en or zh (quotes stay as "
                                      "written).")] = "en",
    fmt: Annotated[str, typer.Option("--format", help="html, md or xlsx.")] = "html",
    out: Annotated[Path | None, typer.Option(
        help="File to write (default: reports/voc-report-BATCH-LANG.FORMAT beside the "
             "store).")] = None,
    config: ConfigOption = None,
    store: StoreOption = None,
) -> None:
    """Write the issue report of an analysed batch: one self-contained HTML file (opens
    offline), a Markdown summary, or an Excel workbook.

    Example: [bold]voc report --batch 2026-10 --lang zh --out report.html[/]
    """
    from voc.report.build import ReportFormat, build_reports, default_path
    from voc.report.i18n import Lang

    try:
        language, kind = Lang(lang), ReportFormat(fmt.lower())
    except ValueError:
        raise ConfigError(f"--lang must be en or zh and --format html, md or xlsx; got "
                          f"'{lang}' and '{fmt}'") from None
    settings = _settings(config)
    store_path = _store_path(settings, store)
    target = out or default_path(store_path.parent / "reports", batch, language, kind)
    with open_store(store_path, read_only=True) as st:
        st.require_batch(batch)
        if st.issues(batch).empty:
            raise ConfigError(f"batch {batch} has no analysis yet: run `voc run --batch "
                              f"{batch}` first")
    [written] = build_reports(store_path, batch, [(language, kind, target)],
                              pipeline.settings_taxonomy(settings))
    console.print(f"report written to {written}", highlight=False)


@app.command("issues")
@handle_errors
def issues_command(
    batch: BatchOption,
    config: ConfigOption = None,
    store: StoreOption = None,
    top: Annotated[int, typer.Option(help="Show the first N issues (0 = all).")] = 15,
    lang: Annotated[str, typer.Option(help="Issue labels in en or zh.")] = "en",
    quotes: Annotated[bool, typer.Option("--quotes", help="Also print each issue's quotes.")]
    = False,
    as_json: JsonOption = False,
) -> None:
    """Print a batch's ranked issues: priority and its terms, volume, negativity, trend.

    Example: [bold]voc issues --batch 2026-10 --top 10[/]
    """
    import pandas as pd

    if lang not in ("en", "zh"):
        raise ConfigError(f"--lang must be en or zh, got '{lang}'")
    settings = _settings(config)
    with open_store(_store_path(settings, store), read_only=True) as st:
        st.require_batch(batch)
        frame = st.issues(batch)
        quote_frame = st.issue_quotes(batch)
    if top:
        frame = frame.head(top)
    if as_json:
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        for record in records:
            for column in ("channels", "langs", "score_effects"):
                record[column] = json.loads(record[column]) if record[column] else None
            record["quotes"] = quote_frame[quote_frame["issue_id"] == record["issue_id"]][
                ["channel", "quote", "aspect_score"]].to_dict("records")
        typer.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    if frame.empty:
        console.print(f"no issues in {batch}: run `voc run --batch {batch}` first")
        return
    arrows = {"rising": "↑", "falling": "↓", "steady": "→", "new": "new"}
    shown = pd.DataFrame({
        "#": frame["rank"], "issue": frame[f"label_{lang}"],
        "kind": frame["kind"].where(frame["kind"] == "category", "EMERGING"),
        "records": frame["volume"], "share": (frame["share"] * 100).round(1).astype(str) + "%",
        "negative": (frame["negative_rate"] * 100).round(0).astype(int).astype(str) + "%",
        "trend": frame["trend"].map(arrows),
        "flags": frame[[c for c in frame.columns if c.startswith("flag_")]].sum(axis=1),
        "repeat": frame["repeat_customers"],
        "priority": frame["priority"].round(2), "impact": frame["impact"].round(2),
        "growth": frame["growth"].round(2), "severity": frame["severity"].round(2),
        "spread": frame["spread"].round(2), "quadrant": frame["quadrant"]})
    console.print(table_from_frame(shown, f"Issues in {batch}, by priority"))
    if quotes:
        for row in frame.itertuples():
            console.print(f"[bold]{row.rank}. {getattr(row, f'label_{lang}')}[/]")
            for quote in quote_frame[quote_frame["issue_id"] == row.issue_id].itertuples():
                console.print(f"   [{quote.channel}] {quote.quote[:160]}", highlight=False)


@backlog_app.command("list")
@handle_errors
def backlog_list(config: ConfigOption = None, store: StoreOption = None,
                 as_json: JsonOption = False) -> None:
    """List backlog items by status and priority, with their latest Check verdict.

    Example: [bold]voc backlog list[/]
    """
    from voc.backlog.repository import list_items

    settings = _settings(config)
    with open_store(_store_path(settings, store), read_only=True) as st:
        frame = list_items(st.con)
    if as_json:
        typer.echo(frame.to_json(orient="records", force_ascii=False, date_format="iso",
                                 indent=2))
        return
    console.print(table_from_frame(frame.fillna(""), f"Backlog ({len(frame)} items)"))


@backlog_app.command("show")
@handle_errors
def backlog_show(item: Annotated[str, typer.Argument(help="Item id (the issue id).")],
                 config: ConfigOption = None, store: StoreOption = None) -> None:
    """Show one item: its fields, metrics per batch, Check verdicts and change history.

    Example: [bold]voc backlog show refund_return[/]
    """
    from voc.backlog.repository import item_detail

    settings = _settings(config)
    with open_store(_store_path(settings, store), read_only=True) as st:
        detail = item_detail(st.con, item)
    fields = detail["item"].iloc[0]
    for name in ("item_id", "title", "status", "priority", "owner", "action", "target", "due",
                 "opened_batch", "baseline_batch"):
        console.print(f"{name:>15}  {'' if fields[name] is None else fields[name]}",
                      highlight=False)
    for quote in json.loads(fields["quotes"] or "[]"):
        console.print(f"{'quote':>15}  [{quote['channel']}] {quote['quote'][:150]}",
                      highlight=False)
    for name in ("metrics", "verdicts", "history"):
        frame = detail[name].drop(columns=["item_id"])
        numbers = frame.select_dtypes("number").columns
        frame[numbers] = frame[numbers].round(4)
        if len(frame):  # blanks for missing values, whatever the column's type (Int32 too)
            shown = frame.astype(object).where(frame.notna(), "")
            console.print(table_from_frame(shown, name.capitalize()))


@backlog_app.command("set")
@handle_errors
def backlog_set(
    item: Annotated[str, typer.Argument(help="Item id (the issue id).")],
    status: Annotated[str | None, typer.Option(help="plan, do, check, act or closed.")] = None,
    owner: Annotated[str | None, typer.Option(help="Who owns the improvement.")] = None,
    action: Annotated[str | None, typer.Option(help="What will be done.")] = None,
    target: Annotated[str | None, typer.Option(
        help='What the Check tests, e.g. "negative_rate -30%".')] = None,
    due: Annotated[str | None, typer.Option(help="Due date, YYYY-MM-DD.")] = None,
    who: Annotated[str | None, typer.Option(help="Your name for the history "
                                            "(default: the login name).")] = None,
    config: ConfigOption = None,
    store: StoreOption = None,
) -> None:
    """Change an item: move it through Plan → Do → Check → Act, set owner, action, target, due.

    Every change is kept in the item's history. Moving to Do makes the latest batch the
    baseline that the next batches' Check compares with.

    Example: [bold]voc backlog set refund_return --status do --owner "Li Na" --due 2026-12-15[/]
    """
    import getpass

    from voc.backlog.repository import set_item

    changes = {name: value for name, value in (("status", status), ("owner", owner),
                                               ("action", action), ("target", target),
                                               ("due", due)) if value is not None}
    if not changes:
        raise ConfigError("nothing to set: give --status, --owner, --action, --target or --due")
    settings = _settings(config)
    person = who or getpass.getuser()
    with open_store(_store_path(settings, store),
                    lock_timeout=settings.ingest.lock_timeout_seconds) as st:
        changed = st.transaction(lambda con: set_item(con, item, changes, person))
    console.print(f"{item}: {changed} field(s) changed", highlight=False)


@backlog_app.command("export")
@handle_errors
def backlog_export(
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx, json, jira or md.")] = "xlsx",
    out: Annotated[Path | None, typer.Option(
        help="File to write (default: backlog.<format> in the current folder).")] = None,
    config: ConfigOption = None,
    store: StoreOption = None,
) -> None:
    """Export the backlog for owners: CSV, Excel (items + history), JSON, Jira CSV, Markdown.

    Example: [bold]voc backlog export --format jira --out backlog_jira.csv[/]
    """
    from voc.backlog.exports import ExportFormat, export_backlog

    try:
        kind = ExportFormat(fmt.lower())
    except ValueError:
        raise ConfigError(f"--format must be one of {', '.join(f.value for f in ExportFormat)}"
                          f", got '{fmt}'") from None
    extension = "csv" if kind is ExportFormat.JIRA else kind.value
    target = out or Path(f"backlog{'_jira' if kind is ExportFormat.JIRA else ''}.{extension}")
    settings = _settings(config)
    with open_store(_store_path(settings, store), read_only=True) as st:
        written = export_backlog(st.con, kind, target)
    console.print(f"backlog written to {written}", highlight=False)


@backlog_app.command("import")
@handle_errors
def backlog_import(
    file: Annotated[Path, typer.Argument(help="An exported backlog CSV or XLSX, edited.")],
    who: Annotated[str | None, typer.Option(help="Your name for the history "
                                            "(default: the login name).")] = None,
    config: ConfigOption = None,
    store: StoreOption = None,
) -> None:
    """Apply owners' edits (owner, status, action, target, due) from an exported CSV or XLSX.

    Every row is checked first; any unknown id, invalid status or move, target or date is
    reported by row and field, and then nothing is applied.

    Example: [bold]voc backlog import backlog.xlsx[/]
    """
    import getpass

    from voc.backlog.exports import import_backlog

    settings = _settings(config)
    with open_store(_store_path(settings, store),
                    lock_timeout=settings.ingest.lock_timeout_seconds) as st:
        changed = import_backlog(st.con, file, who or getpass.getuser())
    console.print(f"{changed} field(s) changed from {file}", highlight=False)


@app.command()
@handle_errors
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the demo project.")] = Path(
        "voc-demo"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Run voc on the bundled bilingual sample, as a team would over two months: ingest and
    analyse September, move the backlog items to Do, analyse October, then write the reports
    (HTML in English and Chinese, Markdown, Excel) and the backlog exports into OUT.

    Example: [bold]voc demo --out ./voc-demo[/]
    """
    import pandas as pd

    from voc.backlog.exports import ExportFormat, export_backlog
    from voc.demo import run_demo
    from voc.report.build import ReportFormat, build_reports, default_path
    from voc.report.i18n import Lang
    from voc.report.narrative import p_text
    from voc.sample import BATCHES

    with ingest_progress(console, disabled=quiet) as on_progress:
        run = run_demo(out, on_ingest=lambda report: print_ingest_report(console, report),
                       progress=on_progress)
    last = BATCHES[-1]
    with open_store(run.store_path, read_only=True) as st:
        topics = st.topics(last)
        issues = st.issues(last).head(8)
        verdicts = st.con.execute("""SELECT item_id, verdict, p_value, suggestion
                                     FROM backlog_verdicts WHERE batch = ?
                                     ORDER BY item_id""", [last]).df()
    shown = topics[~topics["topic_id"].str.endswith("other")][
        ["topic_id", "stable_id", "status", "label", "category", "size"]]
    shown = shown.assign(category=shown["category"].fillna("EMERGING"))
    console.print(table_from_frame(shown, f"Topics in {last} (zh and en)"))
    console.print(table_from_frame(pd.DataFrame({
        "#": issues["rank"], "issue": issues["label_en"], "records": issues["volume"],
        "negative": (issues["negative_rate"] * 100).round(0).astype(int).astype(str) + "%",
        "trend": issues["trend"], "priority": issues["priority"].round(2),
        "quadrant": issues["quadrant"]}), f"Top issues in {last}"))
    console.print(table_from_frame(verdicts.assign(p_value=verdicts["p_value"].map(p_text)),
                                   f"Check verdicts in {last} (items moved to Do after "
                                   f"{BATCHES[0]})"))
    reports = out / "reports"
    outputs = [(lang, ReportFormat.HTML, default_path(reports, last, lang, ReportFormat.HTML))
               for lang in (Lang.EN, Lang.ZH)]
    outputs += [(Lang.EN, kind, default_path(reports, last, Lang.EN, kind))
                for kind in (ReportFormat.MD, ReportFormat.XLSX)]
    written = build_reports(run.store_path, last, outputs,
                            pipeline.settings_taxonomy(run.settings))
    exports = out / "exports-backlog"
    with open_store(run.store_path, read_only=True) as st:
        for kind in (ExportFormat.XLSX, ExportFormat.CSV, ExportFormat.JIRA):
            name = "backlog_jira.csv" if kind is ExportFormat.JIRA else f"backlog.{kind.value}"
            written.append(export_backlog(st.con, kind, exports / name))
    console.print("\nwritten:\n" + "\n".join(f"  {path}" for path in written),
                  highlight=False)
    console.print(f"\nopen the report: {written[0]}\nsample, config and store are in {out}/ "
                  f"— try `voc issues --batch {last} --quotes --config {run.config_path}` or "
                  f"`voc backlog list --config {run.config_path}`", highlight=False)


@eval_app.command("topics")
@handle_errors
def eval_topics(
    file: LabelledFileArgument,
    text: TextColumnOption,
    label: Annotated[str, typer.Option(help="Column with the hand-coded topic label.")],
    lang: Annotated[str, typer.Option(help="Evaluate only zh or en rows, or auto (all).")] = "auto",
    topics: Annotated[str, typer.Option(help="Number of topics, or auto.")] = "auto",
    vectors: Annotated[str, typer.Option(
        help="Document representation: tfidf, trained, minilm (needs voc[embeddings]) or "
             "auto.")] = "auto",
    word_vectors: Annotated[str, typer.Option(
        help="How trained word vectors are learned: ppmi or word2vec.")] = "ppmi",
    seed: SeedOption = 42,
    sheet: SheetOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run the topic stage on a labelled file and compare its topics with the labels.

    Prints NMI, ARI, c_npmi coherence, topic diversity, the number of topics, the share in
    "other", the seconds taken and the representation blocks that ran.

    Example: [bold]voc eval topics tweets.csv --text text --label negativereason --topics 9
    --vectors trained[/]
    """
    from voc.topics.evaluate import evaluate_topics
    from voc.topics.representation import Representation
    from voc.topics.word_vectors import WordVectors

    try:
        representation = Representation(vectors)
    except ValueError:
        raise ConfigError("--vectors must be one of "
                          f"{', '.join(r.value for r in Representation)}, got '{vectors}'"
                          ) from None
    if word_vectors not in {kind.value for kind in WordVectors}:
        raise ConfigError("--word-vectors must be one of "
                          f"{', '.join(kind.value for kind in WordVectors)}, got "
                          f"'{word_vectors}'")
    texts, labels = _labelled_rows(file, text, label, lang, sheet)
    n_topics = None if topics == "auto" else _positive_int(topics, "--topics")
    result = evaluate_topics(texts, labels, n_topics, seed=seed, vectors=representation,
                             lang=None if lang == "auto" else lang,
                             word_vectors=WordVectors(word_vectors))
    if result.note:
        err_console.print(f"[yellow]note:[/] {result.note}", highlight=False)
    if as_json:
        payload = result.as_dict()
        payload.pop("n_docs")
        payload.pop("note")  # said on stderr
        typer.echo(json.dumps(payload, indent=2))
        return
    for name, value in result.as_dict().items():
        if name == "note":
            continue
        console.print(f"{name:>15}  {value:.3f}" if isinstance(value, float)
                      else f"{name:>15}  {value}", highlight=False)


def _model_path(settings: Settings, name: str) -> Path:
    """A model folder: the path as given if it exists, else models/NAME beside voc.toml."""
    given = Path(name)
    return given.resolve() if given.is_dir() else settings.resolve(str(Path("models") / name))


def _text_languages(texts: list[str], lang: str) -> list[str]:
    import pandas as pd

    from voc.ingest.language import detect_languages

    if lang != "auto":
        return [lang] * len(texts)
    return detect_languages(pd.Series(texts, dtype="string")).astype(str).tolist()


@train_app.command("sentiment")
@handle_errors
def train_sentiment(
    file: LabelledFileArgument,
    text: TextColumnOption,
    label: Annotated[str, typer.Option(help="Column with the sentiment label.")],
    lang: Annotated[str, typer.Option(help="zh, en, or auto (the language most rows are in).")]
    = "auto",
    label_map: LabelMapOption = None,
    out: Annotated[Path | None, typer.Option(
        help="Model folder (default: models/<file name> beside voc.toml).")] = None,
    seed: SeedOption = 42,
    sheet: SheetOption = None,
    config: ConfigOption = None,
) -> None:
    """Train a sentiment classifier on a hand-labelled sample and save it with a manifest.

    Reports 5-fold cross-validated accuracy and macro-F1 (also kept in the manifest).
    Use it with [bold]voc run --sentiment-model NAME[/] or sentiment.model in voc.toml.

    Example: [bold]voc train sentiment labels.csv --text review --label y --map "0=neg,1=pos"[/]
    """
    from collections import Counter

    from voc.sentiment.metrics import normalise_labels, parse_label_map
    from voc.sentiment.model import save_model, train_model
    from voc.sentiment.stage import analysis_form

    settings = _settings(config)
    raw_texts, raw_labels = _labelled_rows(file, text, label, "auto", sheet)
    labels = normalise_labels(raw_labels, parse_label_map(label_map))
    texts = analysis_form(raw_texts)
    if lang == "auto":
        detected = Counter("zh" if value in ("zh", "mixed") else "en"
                           for value in _text_languages(texts, "auto"))
        lang = detected.most_common(1)[0][0]
    elif lang not in ("zh", "en"):
        raise ConfigError(f"--lang must be zh, en or auto, got '{lang}'")
    model = train_model(texts, labels, lang, seed)
    folder = save_model(model, out.resolve() if out else settings.resolve(
        str(Path("models") / file.stem)))
    metrics = model.manifest["cv_metrics"]
    console.print(f"trained a {lang} sentiment model on {len(texts)} labelled texts → {folder}",
                  highlight=False)
    if metrics:
        console.print(f"{model.manifest['cv_folds']}-fold CV: accuracy "
                      f"{metrics['accuracy']:.3f}, macro-F1 {metrics['macro_f1']:.3f}",
                      highlight=False)


@eval_app.command("sentiment")
@handle_errors
def eval_sentiment(
    file: LabelledFileArgument,
    text: TextColumnOption,
    label: Annotated[str, typer.Option(help="Column with the hand-coded sentiment.")],
    lang: Annotated[str, typer.Option(help="Evaluate only zh or en rows, or auto (all).")]
    = "auto",
    label_map: LabelMapOption = None,
    model: Annotated[str | None, typer.Option(
        help="Score with a trained model (name under models/ or a folder).")] = None,
    adapt: Annotated[str, typer.Option(
        help="Label-free adaptation: auto, self_training or off (lexicon only).")] = "auto",
    sheet: SheetOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Score a labelled file with voc's sentiment and compare with the labels.

    Prints accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix. On
    two-class (negative/positive) labels a neutral call counts by the sign of its score.

    Example: [bold]voc eval sentiment labels.csv --text review --label y --map "0=neg,1=pos"[/]
    """
    from voc.sentiment.adapt import Adaptation
    from voc.sentiment.lexicon import load_lexicon
    from voc.sentiment.metrics import Polarity, normalise_labels, parse_label_map, sentiment_metrics
    from voc.sentiment.model import load_model
    from voc.sentiment.scorer import LexiconScorer
    from voc.sentiment.stage import analysis_form, polarity_for_eval, score_documents

    settings = _settings(config)
    if adapt not in ("auto", "self_training", "off"):
        raise ConfigError(f"--adapt must be auto, self_training or off, got '{adapt}'")
    raw_texts, raw_labels = _labelled_rows(file, text, label, lang, sheet)
    truth = normalise_labels(raw_labels, parse_label_map(label_map))
    texts = analysis_form(raw_texts)
    trained = load_model(_model_path(settings, model)) if model else None
    lexicons = [settings.resolve(path) for path in settings.sentiment.lexicons]
    scorer = LexiconScorer(chinese=load_lexicon("zh", lexicons),
                           english=load_lexicon("en", lexicons),
                           neutral_band=settings.sentiment.neutral_band)
    langs = _text_languages(texts, lang)
    if trained is not None:  # the model scores every row, whatever its language
        langs = [trained.lang] * len(texts)
    result = score_documents(texts, langs, scorer, Adaptation(adapt), model=trained,
                             model_name=model or "")
    binary = Polarity.NEUTRAL not in set(truth)
    metrics = sentiment_metrics(truth, polarity_for_eval(result.scores.documents, binary))
    if as_json:
        typer.echo(json.dumps(metrics.to_dict(), indent=2, ensure_ascii=False))
        return
    console.print(f"{metrics.n} texts · accuracy {metrics.accuracy:.3f} · macro-F1 "
                  f"{metrics.macro_f1:.3f} · scored by "
                  + ", ".join(f"{group}: {mode}" for group, mode in result.modes.items()),
                  highlight=False)
    per_class = [{"class": name, **{key: round(value, 3) for key, value in values.items()}}
                 for name, values in metrics.per_class.items()]
    import pandas as pd

    console.print(table_from_frame(pd.DataFrame(per_class), "Per class"))
    confusion = pd.DataFrame(metrics.confusion).T.fillna(0).astype(int)
    console.print(table_from_frame(confusion.rename_axis("true \\ predicted").reset_index(),
                                   "Confusion (rows: true, columns: predicted)"))


def _positive_int(value: str, option: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{option} must be a positive whole number or auto, got '{value}'")
    return int(value)


def _labelled_rows(file: Path, text: str, label: str, lang: str,
                   sheet: str | None) -> tuple[list[str], list[str]]:
    """Text and label columns of a labelled file, rows without either dropped."""
    from voc.errors import InputError
    from voc.ingest.language import detect_languages
    from voc.ingest.readers import read_table

    if lang not in ("zh", "en", "auto"):
        raise ConfigError(f"--lang must be zh, en or auto, got '{lang}'")
    if not file.is_file():
        raise InputError(file, "file not found")
    frame = read_table(file, sheet)
    for column in (text, label):
        if column not in frame.columns:
            raise InputError(file, f"no column '{column}' (columns: "
                                   f"{', '.join(c for c in frame.columns if c != '__row__')})")
    frame = frame[[text, label]].dropna()
    frame = frame[(frame[text].astype(str).str.strip() != "")
                  & (frame[label].astype(str).str.strip() != "")]
    if lang != "auto":
        detected = detect_languages(frame[text].astype(str))
        frame = frame[(detected == lang) | (detected == "mixed")]
    if frame.empty:
        raise InputError(file, "no labelled rows to evaluate")
    return frame[text].astype(str).tolist(), frame[label].astype(str).tolist()
