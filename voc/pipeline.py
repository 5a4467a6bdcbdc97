"""The orchestrator: wires readers, stages and the store for one batch.

Stages are pure functions over DataFrames; only this module moves data between files, stages
and the store. Ingest streams every file in chunks, stages cleaned chunks as Parquet parts
beside the store, and writes the whole batch in one transaction at the end, so the store is
locked only briefly and a failed ingest leaves it untouched.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from glob import glob
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from voc import __version__
from voc import records as R
from voc.backlog.repository import BacklogOptions, sync_backlog
from voc.config import Settings, SourceConfig
from voc.engine import (
    ChunkEngine,
    Engine,
    EngineSpec,
    default_workers,
    open_engine,
    release_memory,
)
from voc.errors import ConfigError, InputError
from voc.ingest import readers
from voc.ingest.chunk import ChunkOutput, DedupeOptions, process_chunk
from voc.ingest.clean import SeenIds, SourceContext
from voc.ingest.dedupe import Deduplicator
from voc.ingest.mapping import ColumnMapping, build_mapping, map_chunk
from voc.issues.membership import read_issue_inputs
from voc.issues.metrics import IssueOptions
from voc.issues.priority import PriorityWeights
from voc.issues.stage import build_issue_tables
from voc.provenance import now_utc, run_record
from voc.sentiment.adapt import Adaptation, fit_classifier, weak_labels
from voc.sentiment.flags import load_flag_rules
from voc.sentiment.model import load_model
from voc.sentiment.scorer import ScorerSpec
from voc.sentiment.stage import (
    BatchAdaptation,
    BatchSentiment,
    LexiconPass,
    finish_batch_sentiment,
    lexicon_pass,
    plan_batch_adaptation,
    topic_aspect_rows,
)
from voc.store import BatchWrite, Store, open_store
from voc.text.chinese import BUNDLED_USER_DICTIONARY
from voc.text.tokenize import Tokenizer, cached_tokenizer
from voc.topics.assign import FitJob, FittedGroup, assign_texts, fit_group
from voc.topics.crosslang import link_languages, load_glossary
from voc.topics.lineage import link_topics, next_stable_numbers
from voc.topics.model import OTHER
from voc.topics.quotes import QuoteTexts, pick_quotes
from voc.topics.sampling import stratified_sample
from voc.topics.tables import doc_category_table, doc_topic_table, topic_id, topic_table
from voc.topics.taxonomy import Taxonomy, load_taxonomy, match_categories
from voc.topics.vectorize import topic_tokens

ProgressCallback = Callable[[str, int], None]  # (file label, rows read so far in that file)

FEEDBACK_SCHEMA = pa.schema([
    (column, pa.int64() if column == R.SOURCE_ROW
     else pa.timestamp("us") if column == R.CREATED_AT
     else pa.float64() if column in (R.RATING, R.NPS, R.CSAT)
     else pa.string())
    for column in R.FEEDBACK_COLUMNS
])


@dataclass(frozen=True)
class IngestItem:
    """One file to read, with the source (mapping) it belongs to."""

    source: SourceConfig
    path: Path


@dataclass
class IngestReport:
    batch: str
    store: Path
    sources: pd.DataFrame  # per file: input_rows, accepted, duplicates, rejected
    summary: pd.DataFrame  # per channel and language
    seconds: float
    warnings: list[str] = field(default_factory=list)


def batch_glob(source: SourceConfig, batch: str, base_dir: Path) -> str:
    pattern = source.path.replace("{batch}", batch)
    return pattern if Path(pattern).is_absolute() else str(base_dir / pattern)


def plan_ingest(settings: Settings, batch: str, files: Sequence[Path] = (),
                adhoc: SourceConfig | None = None) -> list[IngestItem]:
    """Which files to read and with which mapping.

    With files: each goes to the ad-hoc source from the CLI flags, or else to the voc.toml
    source whose glob matches it. Without files: every source's glob for the batch.
    """
    items: list[IngestItem] = []
    if files:
        ensure_files_exist(files)
        for path in files:
            source = adhoc or _matching_source(settings, batch, path)
            if adhoc is not None and len(files) > 1:
                source = adhoc.model_copy(update={"name": path.stem})
            items.append(IngestItem(source, path))
    else:
        if not settings.sources:
            raise ConfigError("no sources configured: add [[sources]] to voc.toml or name "
                              "files and their mapping on the command line")
        for source in settings.sources:
            matches = sorted(glob(batch_glob(source, batch, settings.base_dir), recursive=True))
            items += [IngestItem(source, Path(match)) for match in matches]
        if not items:
            globs = ", ".join(batch_glob(s, batch, settings.base_dir) for s in settings.sources)
            raise ConfigError(f"no input files for batch '{batch}' (looked for {globs})")
    for item in items:
        _check_channel(item)
    return items


def _matching_source(settings: Settings, batch: str, path: Path) -> SourceConfig:
    resolved = path.resolve()
    for source in settings.sources:
        pattern = batch_glob(source, batch, settings.base_dir)
        if any(Path(match).resolve() == resolved for match in glob(pattern, recursive=True)):
            return source
        if resolved.match(Path(source.path.replace("{batch}", batch)).name):
            return source
    if readers.detect_format(path) in ("eml", "mbox"):  # e-mail needs no mapping at all
        return SourceConfig(name=path.stem, path=str(path), channel="email")
    raise ConfigError(f"{path}: no source in voc.toml matches this file; add a [[sources]] "
                      "entry or give its mapping with --channel/--text")


def _check_channel(item: IngestItem) -> None:
    source = item.source
    if source.channel or source.channel_column:
        return
    fmt = source.format if source.format != "auto" else readers.detect_format(item.path)
    if fmt not in ("eml", "mbox"):
        raise ConfigError(f"source '{source.name}' ({item.path}): say which channel it is "
                          "(channel = \"chat\", or channel_column = \"COLUMN\")")


def _display_name(path: Path, base_dir: Path) -> str:
    try:
        return str(path.resolve().relative_to(base_dir.resolve()))
    except ValueError:
        return str(path)


# Below this much input, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 16 << 20


def ingest_workers(settings: Settings, items: Sequence[IngestItem]) -> int:
    configured = settings.ingest.workers
    if configured:
        return configured
    total = sum(item.path.stat().st_size for item in items if item.path.is_file())
    return default_workers() if total >= PARALLEL_MIN_BYTES else 1


# Parquet files beside the store that DuckDB reads once (staged ingest chunks, clause rows,
# per-record results): LZ4 writes faster than the default Snappy and reads fastest of all
# (measured on 50,000 feedback rows: write 0.057 vs 0.081 s, read 0.020 vs 0.047 s).
SCRATCH_COMPRESSION = "lz4"


@dataclass
class _Staging:
    """What ingest has gathered so far: Parquet parts, rejects, redactions, dedupe state."""

    folder: Path
    dedupe: Deduplicator
    seen: SeenIds = field(default_factory=SeenIds)
    parts: list[Path] = field(default_factory=list)
    rejects: list[pd.DataFrame] = field(default_factory=list)

    def add(self, output: ChunkOutput, source: str, file: str) -> None:
        records = output.records
        repeated = self.seen.claim(records)  # ids become unique in input order, here
        features = replace(output.features, ids=records[R.FEEDBACK_ID].to_numpy(dtype="S16"))
        self.dedupe.add_features(features, repeated)
        if len(records):
            part = self.folder / f"part-{len(self.parts):05d}.parquet"
            pq.write_table(pa.Table.from_pandas(records, schema=FEEDBACK_SCHEMA,
                                                preserve_index=False), part,
                           compression=SCRATCH_COMPRESSION)
            self.parts.append(part)
        self.rejects.append(output.rejects.assign(source=source, source_file=file))


def _source_context(settings: Settings, batch: str, source: SourceConfig, name: str,
                    fmt: str) -> SourceContext:
    email_default = fmt in ("eml", "mbox") and not source.channel_column
    return SourceContext(
        batch=batch, source=source.name, source_file=name,
        channel=source.channel or (R.Channel.EMAIL.value if email_default else None),
        timezone=source.timezone or settings.project.timezone,
        date_format=source.date_format, redact=settings.ingest.redact_pii,
        customer_salt=settings.ingest.customer_salt,
        min_text_chars=settings.ingest.min_text_chars)


@dataclass
class _FileIngest:
    """One input file on its way in: how it is read and mapped, and what came of it."""

    source: SourceConfig
    path: Path
    name: str  # as shown to people (relative to the config's folder)
    fmt: str
    info: readers.FileInfo
    mapping: ColumnMapping
    ctx: SourceContext
    rows: int = 0
    warnings: list[str] = field(default_factory=list)
    redactions: dict[str, int] = field(default_factory=dict)


def _open_input(settings: Settings, batch: str, item: IngestItem) -> _FileIngest:
    source, path = item.source, item.path
    name = _display_name(path, settings.base_dir)
    fmt = source.format if source.format != "auto" else readers.detect_format(path)
    info = readers.file_info(path, fmt, source.encoding)
    return _FileIngest(source, path, name, fmt, info,
                       build_mapping(source, info.default_mapping, info.context_column),
                       _source_context(settings, batch, source, name, fmt))


def ingest_batch(settings: Settings, batch: str, items: Sequence[IngestItem],
                 store_path: Path | None = None,
                 progress: ProgressCallback | None = None) -> IngestReport:
    """Read, clean and dedupe every item, then replace the batch in the store atomically.

    Files are read here, in order; their chunks are cleaned on the engine (worker processes
    for large inputs) as one stream, so workers stay busy across file boundaries, and come
    back in input order, so results do not depend on the workers.
    """
    started, clock = now_utc(), time.perf_counter()
    store_path = store_path or settings.store_path()
    store_path.parent.mkdir(parents=True, exist_ok=True)
    ingest = settings.ingest
    options = DedupeOptions(ingest.exact_duplicate_min_chars, ingest.near_duplicate_min_chars,
                            settings.project.seed)
    files = [_open_input(settings, batch, item) for item in items]
    owners: deque[_FileIngest] = deque()  # the file of each job in flight, in job order

    def jobs() -> Iterator[tuple[Any, ...]]:
        for file in files:
            for chunk in readers.read_file(file.path, file.info, ingest.chunk_rows,
                                           file.source.sheet):
                first = file.rows == 0
                file.rows += len(chunk.frame) + len(chunk.rejects)
                mapped = map_chunk(chunk, file.mapping)
                if mapped.missing and first:
                    file.warnings.append(f"{file.name}: mapped column(s) not in the file: "
                                         f"{', '.join(mapped.missing)}; its rows are rejected")
                owners.append(file)
                yield mapped, chunk.rejects, file.ctx, options

    with tempfile.TemporaryDirectory(dir=store_path.parent, prefix=".voc-staging-") as tmp, \
            Engine(ingest_workers(settings, items)) as engine:
        staging = _Staging(Path(tmp), Deduplicator(
            ingest.near_duplicate_threshold, ingest.near_duplicate_min_chars,
            ingest.exact_duplicate_min_chars, settings.project.seed))
        for output in engine.map(process_chunk, jobs()):
            file = owners.popleft()
            staging.add(output, file.source.name, file.name)
            for pii_type, count in output.redactions.items():
                file.redactions[pii_type] = file.redactions.get(pii_type, 0) + count
            if progress:
                progress(file.name, file.rows)
        warnings = [warning for file in files
                    for warning in file.warnings + ([f"{file.name}: no rows"] if not file.rows
                                                    else [])]
        write = BatchWrite(
            batch=batch,
            feedback_parts=staging.parts,
            duplicates=staging.dedupe.resolve(),
            sources=pd.DataFrame(
                [{"source": file.source.name, "source_file": file.name, "format": file.fmt,
                  "encoding": file.info.encoding, "input_rows": file.rows} for file in files],
                columns=["source", "source_file", "format", "encoding", "input_rows"]),
            rejects=_concat_rejects(staging.rejects),
            redactions=pd.DataFrame(
                [{"source_file": file.name, "pii_type": key, "count": value}
                 for file in files for key, value in sorted(file.redactions.items())],
                columns=["source_file", "pii_type", "count"]),
            config_hash=settings.config_hash(),
            voc_version=__version__,
            run=run_record(batch, "ingest", settings.config_hash(), settings.project.seed,
                           started),
        )
        with open_store(store_path, lock_timeout=ingest.lock_timeout_seconds) as store:
            store.replace_batch(write)
            report = IngestReport(batch, store_path, store.batch_sources(batch),
                                  store.channel_language_summary(batch),
                                  time.perf_counter() - clock, warnings)
    return report


def _concat_rejects(frames: list[pd.DataFrame]) -> pd.DataFrame:
    columns = ["source", "source_file", "source_row", "channel", "field", "reason", "detail",
               "raw"]
    frames = [frame for frame in frames if len(frame)]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def ensure_files_exist(files: Sequence[Path]) -> None:
    for path in files:
        if not path.is_file():
            raise InputError(path, "file not found")


# --- analysis ---------------------------------------------------------------------------------
# Languages that get their own topic model; mixed records go with Chinese (they are mostly
# Chinese with English words), records in other languages only get categories.
TOPIC_GROUPS = (("zh", ("zh", "mixed")), ("en", ("en",)))
ASSIGN_CHUNK = 10_000  # records per topic-assignment job (a worker's peak grows with it)
SENTIMENT_CHUNK = 10_000  # documents per lexicon-scoring job
# From this many records a pool of worker processes pays for its start-up (~3 s: each worker
# imports voc and its libraries): the two topic fits, the lexicon scores and the two
# sentiment classifiers then run side by side.
PARALLEL_MIN_RECORDS = 20_000


@dataclass
class RunReport:
    batch: str
    store: Path
    topics: pd.DataFrame
    seconds: float
    sentiment: pd.DataFrame = field(default_factory=pd.DataFrame)  # by language and channel
    flags: pd.DataFrame = field(default_factory=pd.DataFrame)  # escalation flags, counted
    stages: list[tuple[str, float]] = field(default_factory=list)  # (stage, seconds) in order
    records: int = 0
    notes: list[str] = field(default_factory=list)  # what ran differently from the config


RunProgress = Callable[[str, int, int], None]  # (stage, records done, records in the stage)


class StageClock:
    """Wall time per stage, and progress reports to an optional observer: `begin(stage,
    records)`, `advance(done)` as chunks finish, `end()` when the stage is done."""

    def __init__(self, observer: RunProgress | None = None) -> None:
        self.laps: list[tuple[str, float]] = []
        self._observer = observer
        self._stage, self._total, self._began = "", 0, time.perf_counter()

    def begin(self, stage: str, records: int) -> None:
        self._stage, self._total, self._began = stage, records, time.perf_counter()
        self._report(0)

    def advance(self, done: int) -> None:
        self._report(done)

    def end(self, records: int | None = None) -> None:
        """Close the stage; `records` when its size was only known at the end."""
        if records is not None:
            self._total = records
        self.laps.append((self._stage, time.perf_counter() - self._began))
        self._report(self._total)

    def _report(self, done: int) -> None:
        if self._observer is not None:
            self._observer(self._stage, done, self._total)


def settings_taxonomy(settings: Settings) -> Taxonomy:
    """The taxonomy voc.toml names (the bundled one by default), with its extensions."""
    topics = settings.topics
    return load_taxonomy(settings.resolve(topics.taxonomy) if topics.taxonomy else None,
                         [settings.resolve(path) for path in topics.extra_taxonomies])


def _dictionaries(settings: Settings) -> tuple[Path, ...]:
    return (BUNDLED_USER_DICTIONARY,
            *(settings.resolve(path) for path in settings.text.user_dictionaries))


def _tokenizer(settings: Settings) -> Tokenizer:
    return cached_tokenizer(settings.text.segmenter, _dictionaries(settings))


def _glossary(settings: Settings) -> dict[str, tuple[str, ...]]:
    """The bilingual glossary, its English side in the lemmas English topics use (a job for
    the engine: loading the English pipeline takes seconds, which a worker hides)."""
    tokenizer = _tokenizer(settings)
    return load_glossary(
        lambda phrases: topic_tokens(tokenizer.tokenize(phrases), settings.text.extra_stopwords),
        [settings.resolve(path) for path in settings.topics.glossaries])


def _stored_quotes(store_path: Path, batch: str, ids: np.ndarray) -> QuoteTexts:
    """Quote texts by position in `ids`, read from the store when asked (only the records
    that may be quoted: a million records' texts as written never sit in memory)."""
    def read(records: np.ndarray) -> list[str]:
        with open_store(store_path, read_only=True) as store:
            return store.quote_texts(batch, ids[records])
    return read


def _issue_options(settings: Settings) -> IssueOptions:
    return IssueOptions(repeat_window_days=settings.issues.repeat_window_days,
                        negative_band=settings.sentiment.neutral_band,
                        min_volume=settings.issues.min_volume)


def _priority_weights(settings: Settings) -> PriorityWeights:
    weights = settings.issues
    return PriorityWeights(weights.growth_weight, weights.severity_weight,
                           weights.spread_weight)


def _scorer_spec(settings: Settings) -> ScorerSpec:
    options = settings.sentiment
    return ScorerSpec(settings.text.segmenter, _dictionaries(settings),
                      tuple(settings.resolve(path) for path in options.lexicons),
                      options.neutral_band)


def _start_lexicon_pass(settings: Settings, texts: list[str], taxonomy: Taxonomy,
                        executor: ChunkEngine) -> Iterator[LexiconPass]:
    """The lexicon pass over every text, chunk by chunk, started now: it needs nothing from
    the topic stage, so on a pool it fills the cores the topic fits leave idle (the Chinese
    fit runs longest)."""
    spec = _scorer_spec(settings)
    flag_rules = load_flag_rules(extra=[settings.resolve(p) for p in settings.sentiment.flag_rules])
    return executor.start(lexicon_pass, ((texts[start:start + SENTIMENT_CHUNK], spec, taxonomy,
                                          flag_rules)
                                         for start in range(0, max(1, len(texts)),
                                                            SENTIMENT_CHUNK)))


@dataclass(frozen=True)
class ClausePart:
    """One chunk's clause rows in a Parquet file: documents first_doc..end_doc - 1."""

    path: Path
    first_doc: int
    end_doc: int


@dataclass(frozen=True)
class GatheredLexicon:
    """The lexicon pass gathered from its chunks, by batch position: document scores,
    category mentions and flags in memory; clause rows in Parquet parts (a million records
    have 12 M clauses, which go from the parts to the store and never sit in memory)."""

    documents: pd.DataFrame  # score, label, confidence, evidence
    categories: np.ndarray  # documents × taxonomy categories the rules match
    mentions: pd.DataFrame  # doc, category_id, score, weight
    flags: pd.DataFrame  # row, flag, evidence
    clause_parts: list[ClausePart]


def _gather_lexicon_pass(parts: Iterator[LexiconPass], ids: np.ndarray, folder: Path,
                         stages: StageClock) -> GatheredLexicon:
    documents: list[pd.DataFrame] = []
    categories: list[np.ndarray] = []
    mentions: list[pd.DataFrame] = []
    flags: list[pd.DataFrame] = []
    clause_parts: list[ClausePart] = []
    offset = 0
    for part in parts:
        count = len(part.scores.documents)
        clauses = part.scores.clauses
        doc = clauses["doc"].to_numpy(dtype=np.int64) + offset
        path = folder / f"clauses-{len(clause_parts):05d}.parquet"
        pq.write_table(pa.table({
            "feedback_id": pa.array(ids[doc], pa.string()), "doc": doc,
            "clause": clauses["clause"].to_numpy(dtype=np.int32),
            "text": pa.array(clauses["text"], pa.string()),
            "score": clauses["score"].to_numpy(dtype=np.float64),
            "weight": clauses["weight"].to_numpy(dtype=np.float64)}), path,
            compression=SCRATCH_COMPRESSION)
        clause_parts.append(ClausePart(path, offset, offset + count))
        documents.append(part.scores.documents)
        categories.append(part.categories)
        mentions.append(part.mentions.assign(doc=part.mentions["doc"] + offset))
        flags.append(part.flags.assign(row=part.flags["row"] + offset))
        offset += count
        stages.advance(offset)
    return GatheredLexicon(pd.concat(documents, ignore_index=True), np.vstack(categories),
                           pd.concat(mentions, ignore_index=True),
                           pd.concat(flags, ignore_index=True), clause_parts)


def _read_clause_part(part: ClausePart) -> pd.DataFrame:
    """A clause part's rows for topic aspects, doc by position within the part."""
    clauses = pq.read_table(part.path, columns=["doc", "text", "score", "weight"]) \
        .to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    clauses["doc"] -= part.first_doc
    return clauses


def _topic_aspect_part(clauses: pd.DataFrame, first_doc: int, document_scores: np.ndarray,
                       document_topics: np.ndarray,
                       keywords: dict[str, list[str]]) -> pd.DataFrame:
    """Topic aspects of one clause part's documents (a job for the engine: the part's rows
    travel with it, so workers read no files), with batch positions."""
    rows = topic_aspect_rows(clauses, document_scores, document_topics, keywords)
    return rows.assign(doc=rows["doc"] + first_doc)


def _topic_aspects(parts: Sequence[ClausePart], document_scores: np.ndarray,
                   document_topics: np.ndarray, keywords: dict[str, list[str]],
                   executor: ChunkEngine) -> pd.DataFrame:
    """Topic aspects, a clause part per job (parts are read as jobs are handed out: only a
    few parts' clauses are in memory at a time); `document_topics` as topic_aspect_rows has
    them."""
    frames = list(executor.map(_topic_aspect_part, (
        (_read_clause_part(part), part.first_doc,
         document_scores[part.first_doc:part.end_doc],
         document_topics[part.first_doc:part.end_doc], keywords) for part in parts)))
    return pd.concat(frames, ignore_index=True)


def _topic_keywords(topics: pd.DataFrame) -> dict[str, list[str]]:
    """Each named topic's keywords (what its aspect clauses must mention)."""
    return {row.topic_id: [word for word, _ in json.loads(row.keywords)]
            for row in topics.itertuples() if not row.topic_id.endswith("-other")} \
        if len(topics) else {}


@dataclass(frozen=True)
class GroupAssignment:
    """A language group's topic assignment: its records' batch positions and topic numbers
    (OTHER for "other")."""

    lang: str
    rows: np.ndarray
    topics: np.ndarray


def _topic_codes(assigned: Sequence[GroupAssignment], records: int,
                 names: Sequence[str]) -> np.ndarray:
    """Each record's topic as its position in `names` (-1: none, or a topic not named), by
    array lookups: no topic id string per record."""
    code_of = {name: code for code, name in enumerate(names)}
    codes = np.full(records, -1, dtype=np.int64)
    for group in assigned:
        # topic numbers run from OTHER (-1) up: row t + 1 of the table is topic t's code
        table = np.array([code_of.get(topic_id(group.lang, topic), -1) for topic in
                          range(OTHER, int(group.topics.max(initial=OTHER)) + 1)],
                         dtype=np.int64)
        codes[group.rows] = table[group.topics - OTHER]
    return codes


def _spill(tables: dict[str, pd.DataFrame], folder: Path) -> dict[str, list[Path]]:
    """Each frame written to a Parquet file in `folder`, by table (an empty frame to none)."""
    files: dict[str, list[Path]] = {}
    for name, rows in tables.items():
        if len(rows):
            path = folder / f"{name}.parquet"
            pq.write_table(pa.Table.from_pandas(rows, preserve_index=False), path,
                           compression=SCRATCH_COMPRESSION)
            files[name] = [path]
    return files


def _sentiment_adaptation(settings: Settings, docs: pd.DataFrame, texts: list[str],
                          model_path: str | None, lexical: GatheredLexicon) -> BatchAdaptation:
    """How the lexicon pass's document scores are adapted: per language group, by a batch
    classifier (fitted on the engine) or a trained model."""
    options = settings.sentiment
    model_path = model_path or options.model
    model = load_model(settings.resolve(model_path)) if model_path else None
    return plan_batch_adaptation(
        texts, docs["lang"].tolist(), lexical.documents, Adaptation(options.adapt),
        weak_labels(docs[R.RATING].to_numpy(), docs[R.NPS].to_numpy(), docs[R.CSAT].to_numpy()),
        model=model, model_name=Path(model_path).name if model_path else "")


def _sentiment_tables(result: BatchSentiment, by_topic: pd.DataFrame,
                      lexical: GatheredLexicon, ids: np.ndarray) -> dict[str, pd.DataFrame]:
    """The sentiment stage's rows for the store, keyed by table, but for clause rows (in
    `lexical.clause_parts`): `by_topic` holds the topic aspects (`_topic_aspects`). Needs
    no engine: it runs once the pool is gone, so the workers' memory is not beside these
    per-record frames."""
    documents = result.documents
    aspects = pd.concat([result.aspects, by_topic], ignore_index=True)
    flags = lexical.flags
    return {
        "doc_sentiment": documents.assign(feedback_id=ids)[
            ["feedback_id", "score", "label", "confidence", "method"]],
        "aspect_sentiment": aspects.assign(feedback_id=ids[aspects["doc"].to_numpy()])
        .drop(columns=["doc"]),
        "doc_flags": flags.assign(feedback_id=ids[flags["row"].to_numpy()])[
            ["feedback_id", "flag", "evidence"]],
    }


@dataclass(frozen=True)
class TopicGroup:
    """A language group's records in the batch; its topic model fits on `fit_on`."""

    lang: str
    members: tuple[str, ...]  # the record languages it takes
    mask: np.ndarray  # the batch's records in the group
    fit_on: np.ndarray  # the fit sample: positions within the group


def _topic_groups(docs: pd.DataFrame, settings: Settings) -> list[TopicGroup]:
    """The language groups with records, each with its stratified (by channel) fit sample."""
    groups = []
    for lang, members in TOPIC_GROUPS:
        mask = docs["lang"].isin(members).to_numpy()
        if mask.any():
            groups.append(TopicGroup(lang, members, mask, stratified_sample(
                docs.loc[mask, "channel"].to_numpy(), settings.topics.max_fit_docs,
                settings.project.seed)))
    return groups


def _fit_jobs(settings: Settings, batch: str, store_path: Path, groups: Sequence[TopicGroup],
              fit_texts: list[list[str]], sample_matches: list[np.ndarray],
              n_topics: int | None) -> list[tuple[Any, ...]]:
    """fit_group's job per language group: its sample's texts and categories, earlier
    batches' texts of the same languages (the trained word vectors learn from them) and the
    previous batch's topics in the group's language (a continuing topic is not split)."""
    jobs = []
    with open_store(store_path, read_only=True) as store:
        _, earlier = store.previous_topics(batch)
    for group, sample, guide in zip(groups, fit_texts, sample_matches, strict=True):
        with open_store(store_path, read_only=True) as store:
            history = store.history_texts(batch, group.members, settings.topics.history_docs)
        previous = [dict(json.loads(keywords))
                    for keywords in earlier.loc[earlier["lang"] == group.lang, "keywords"]]
        jobs.append((sample, guide, history, FitJob(
            group.lang, settings.text.segmenter, _dictionaries(settings),
            tuple(settings.text.extra_stopwords), n_topics, settings.topics.max_topics,
            settings.project.seed, settings.topics.vectors, settings.topics.expand_categories,
            settings.topics.word_vectors), previous))
    return jobs


@dataclass(frozen=True)
class GroupResult:
    """A language group's topics after assigning every record."""

    assignment: GroupAssignment
    topics: pd.DataFrame  # topic_table rows
    doc_topics: pd.DataFrame  # doc_topic_table rows
    quotes: pd.DataFrame  # topic_quotes rows


def _assign_groups(settings: Settings, batch: str, store_path: Path,
                   groups: Sequence[TopicGroup], fitted: Sequence[FittedGroup],
                   docs: pd.DataFrame, batch_texts: list[str], matches: np.ndarray,
                   keyword_matches: np.ndarray, taxonomy: Taxonomy, executor: ChunkEngine,
                   stages: StageClock) -> list[GroupResult]:
    """Assign every record of every language group chunk by chunk (on worker processes for
    large batches: tokens never pile up for the whole batch, and results do not depend on
    the workers). The groups' chunks are one stream of jobs, and a group's topics are
    finished here as soon as its last chunk is back, while the next group's chunks run.
    The categories a group's learned model adds go into `matches`."""
    rows = [np.flatnonzero(group.mask) for group in groups]
    chunks = [(index, start) for index in range(len(groups))
              for start in range(0, len(rows[index]), ASSIGN_CHUNK)]
    topics = [np.empty(len(group_rows), dtype=np.int64) for group_rows in rows]
    similarity = [np.empty(len(group_rows), dtype=np.float32) for group_rows in rows]
    jobs = (([batch_texts[row] for row in rows[index][start:start + ASSIGN_CHUNK]],
             fitted[index].model, settings.text.segmenter, _dictionaries(settings),
             fitted[index].expander, keyword_matches[rows[index][start:start + ASSIGN_CHUNK]])
            for index, start in chunks)
    results = []
    done = 0
    for (index, start), (chunk_topics, chunk_similarity, learned) in zip(
            chunks, executor.map(assign_texts, jobs), strict=True):
        end = start + len(chunk_topics)
        topics[index][start:end] = chunk_topics
        similarity[index][start:end] = chunk_similarity
        if learned is not None:
            matches[rows[index][start:end]] |= learned
        done += len(chunk_topics)
        stages.advance(done)
        if end == len(rows[index]):  # the group's last chunk
            results.append(_group_result(batch, store_path, groups[index], fitted[index], docs,
                                         topics[index], similarity[index], keyword_matches,
                                         taxonomy))
    return results


def _group_result(batch: str, store_path: Path, group: TopicGroup, fit: FittedGroup,
                  docs: pd.DataFrame, topics: np.ndarray, similarity: np.ndarray,
                  keyword_matches: np.ndarray, taxonomy: Taxonomy) -> GroupResult:
    """A language group's topic tables and quotes, once every record has its topic."""
    lang, records = group.lang, docs[group.mask]
    quotes = pick_quotes(records[["feedback_id", "channel", "quote_chars"]], topics, similarity,
                         texts=_stored_quotes(store_path, batch,
                                              records["feedback_id"].to_numpy()))
    return GroupResult(
        GroupAssignment(lang, np.flatnonzero(group.mask), topics),
        # A topic is covered by the taxonomy when the rules themselves describe it: the
        # learned matches spread into neighbouring vocabulary and would swallow a new issue.
        topic_table(fit.model, lang, topics, keyword_matches[group.mask], taxonomy, fit.labels,
                    fit.phrases),
        doc_topic_table(records["feedback_id"], lang, topics, similarity),
        quotes.assign(topic_id=[topic_id(lang, t) for t in quotes["topic"]])
        .drop(columns=["topic"]))


def _lineage(store: Store, batch: str, topics: pd.DataFrame,
             glossary_terms: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Each named topic's stable id (its predecessor's in the previous batch, or a fresh one),
    status and the cross-language issue it belongs to."""
    previous_batch, previous = store.previous_topics(batch)
    named = topics[~topics["topic_id"].str.endswith("-other")] if len(topics) \
        else pd.DataFrame(columns=["topic_id", "lang", "keywords"])
    earlier_run = store.batch_topic_ids(batch)
    # numbering starts above every id in use, this batch's last run included, so a fresh id
    # never collides with one the re-run takes over
    used = pd.concat([store.stable_ids(batch), earlier_run["stable_id"]])
    lineage = link_topics(named, previous, next_stable_numbers(used), earlier_run=earlier_run)
    lineage["previous_batch"] = lineage["previous_topic_id"].map(
        lambda topic: previous_batch if topic is not None else None)
    links = link_languages(named.merge(lineage[["topic_id", "stable_id"]], on="topic_id"),
                           glossary_terms)
    lineage["issue_id"] = lineage["topic_id"].map(
        dict(zip(links["topic_id"], links["issue_id"], strict=True)))
    return lineage


def _frame(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _load_stages() -> None:
    """Nothing: a worker that unpickles this job imports voc.pipeline, and with it every
    stage's chunk functions, before the first real job arrives."""


def run_batch(settings: Settings, batch: str, store_path: Path | None = None,
              n_topics: int | None = None, sentiment_model: str | None = None,
              engine: EngineSpec | None = None,
              progress: RunProgress | None = None) -> RunReport:
    """Text, topic and sentiment stages on an ingested batch; replaces the batch's earlier
    results. `sentiment_model` (a model folder) overrides the one in voc.toml; `engine`
    overrides voc.toml's [engine] (where the chunk functions run); `progress` hears each stage's
    records done."""
    engine = engine or settings.engine.spec()
    started, clock, stages = now_utc(), time.perf_counter(), StageClock(progress)
    store_path = store_path or settings.store_path()
    n_topics = n_topics or settings.topics.n_topics
    with open_store(store_path, read_only=True) as store:
        store.require_batch(batch)
        records = store.analysis_count(batch)
    # One engine for the whole run (a pool or cluster starts once, not per language group),
    # started first: its workers load voc's stages (~2 s each) while this process reads the
    # batch. Scratch space beside the store for what is too big to hold: the clause rows.
    with tempfile.TemporaryDirectory(dir=store_path.parent, prefix=".voc-run-") as scratch:
        with open_engine(engine, large=records >= PARALLEL_MIN_RECORDS) as executor:
            executor.start(_load_stages, [()] * executor.workers)
            with open_store(store_path, read_only=True) as store:
                stages.begin("read", 0)
                docs = store.analysis_texts(batch)
            stages.end(len(docs))
            groups = _topic_groups(docs, settings)
            # The fits need their samples' categories now (this stage); the whole batch's are
            # matched by the lexicon pass on the engine (the rules are per record, so both
            # agree row for row).
            stages.begin("categories", sum(len(group.fit_on) for group in groups))
            taxonomy = settings_taxonomy(settings)
            sample_matches = [match_categories(docs.loc[group.mask, "text"].iloc[group.fit_on],
                                               taxonomy) for group in groups]
            stages.end()
            # The texts as one list from here on (each job's slice of it travels to a worker
            # as it is): one copy of a batch's texts in memory, not a column and a list.
            batch_texts = docs["text"].fillna("").tolist()
            fit_texts = [docs.loc[group.mask, "text"].iloc[group.fit_on].tolist()
                         for group in groups]
            docs = docs.drop(columns=["text"])
            release_memory()  # what reading the batch took and left
            # The language groups' models are independent: on a pool they fit side by side.
            stages.begin("topic fit " + "+".join(group.lang for group in groups),
                         sum(len(group.fit_on) for group in groups))
            started_fits = executor.start(fit_group, _fit_jobs(
                settings, batch, store_path, groups, fit_texts, sample_matches, n_topics))
            glossary = executor.start(_glossary, [(settings,)])
            del fit_texts
            lexicon_parts = _start_lexicon_pass(settings, batch_texts, taxonomy, executor)
            fitted = list(started_fits)
            notes = [fit.model.plan_.note for fit in fitted if fit.model.plan_.note]
            stages.end()
            # Gathered now, not after the assignment: the pool runs the lexicon chunks before
            # the assignment's (first come, first served), and a gathered chunk's clause rows
            # leave memory for a Parquet part at once.
            stages.begin("lexicon pass", len(docs))
            lexical = _gather_lexicon_pass(lexicon_parts, docs["feedback_id"].to_numpy(),
                                           Path(scratch), stages)
            stages.end()
            matches = lexical.categories
            keyword_matches = matches.copy()  # what the rules found; `matches` gains learned ones
            # The sentiment classifiers need nothing from the topics: their fits go to the
            # pool first, the assignment's chunks queue behind them, and the pool keeps busy
            # while this process finishes each language group's topics.
            adaptation = _sentiment_adaptation(settings, docs, batch_texts, sentiment_model,
                                               lexical)
            classifier_fits = executor.start(fit_classifier,
                                             adaptation.classifier_jobs(batch_texts))
            stages.begin("topic assign " + "+".join(group.lang for group in groups),
                         sum(int(group.mask.sum()) for group in groups))
            results = _assign_groups(settings, batch, store_path, groups, fitted, docs,
                                     batch_texts, matches, keyword_matches, taxonomy, executor,
                                     stages)
            stages.end()
            topics = _frame([result.topics for result in results])
            stages.begin("sentiment", len(docs))
            batch_sentiment = finish_batch_sentiment(
                adaptation, list(classifier_fits), batch_texts, docs["lang"].tolist(),
                settings.sentiment.neutral_band, mentions=lexical.mentions,
                category_matches=matches, taxonomy=taxonomy, run_jobs=executor.map)
            # What follows needs no texts or models: they leave before the topic aspects'
            # rows arrive (a million-record run peaked here, with the workers still up).
            del batch_texts, fitted
            release_memory()
            keywords = _topic_keywords(topics)
            by_topic = _topic_aspects(
                lexical.clause_parts, batch_sentiment.documents["score"].to_numpy(),
                _topic_codes([result.assignment for result in results], len(docs),
                             sorted(keywords)), keywords, executor)
            glossary_terms = next(glossary)
        release_memory()  # the pool is gone
        sentiment = _sentiment_tables(batch_sentiment, by_topic, lexical,
                                      docs["feedback_id"].to_numpy())
        stages.end()
        # Per-record rows go to Parquet parts now, for the store to read: the issue stage
        # then runs beside per-topic frames only (a million records' rows are ~0.7 GiB).
        per_record = {**_spill({
            "doc_topics": _frame([result.doc_topics for result in results]), **sentiment,
            "doc_categories": doc_category_table(docs["feedback_id"], matches, taxonomy,
                                                 keyword_matches)}, Path(scratch)),
            "clause_sentiment": [part.path for part in lexical.clause_parts]}
        quotes = _frame([result.quotes for result in results])
        records = len(docs)
        # what is left needs no scores or per-record rows
        del lexical, results, batch_sentiment, by_topic, sentiment, docs, matches
        del keyword_matches
        release_memory()
        stages.begin("lineage, issues, store", records)
        with open_store(store_path, lock_timeout=settings.ingest.lock_timeout_seconds) as store:
            lineage = _lineage(store, batch, topics, glossary_terms)
            previous_issues = store.previous_issues(batch)

            def issue_tables(con: Any) -> dict[str, pd.DataFrame]:
                built = build_issue_tables(read_issue_inputs(con, batch), taxonomy,
                                           previous_issues, _issue_options(settings),
                                           _priority_weights(settings))
                return {"issues": built.issues, "issue_quotes": built.quotes}

            store.replace_analysis(
                batch, {"topics": topics, "topic_lineage": lineage, "topic_quotes": quotes},
                run_record(batch, "run", settings.config_hash(), settings.project.seed,
                           started),
                derive=issue_tables, parquet=per_record)
            stages.end()
            stages.begin("backlog", records)
            issues, issue_quotes = store.issues(batch), store.issue_quotes(batch)
            options = BacklogOptions(settings.backlog.open_top,
                                     tuple(settings.backlog.open_quadrants),
                                     settings.sentiment.neutral_band)
            store.transaction(lambda con: sync_backlog(con, batch, issues, issue_quotes,
                                                       records, options))
            stages.end()
            stored = store.topics(batch)
            sentiment_summary, flags = store.sentiment_summary(batch), store.flag_counts(batch)
    return RunReport(batch, store_path, stored, time.perf_counter() - clock, sentiment_summary,
                     flags, stages.laps, records, notes)
