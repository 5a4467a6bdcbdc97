"""voc.toml → typed settings. Every knob has its default here, and nowhere else.

`voc init` writes a commented voc.toml from `render_default_config`; `load_config` reads one.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from voc.engine import EngineKind, EngineSpec
from voc.errors import ConfigError
from voc.records import Channel, parse_channel

CONFIG_FILE = "voc.toml"
DEFAULT_STORE = "voc.duckdb"

FileFormat = Literal["auto", "csv", "tsv", "xlsx", "jsonl", "json", "parquet", "eml", "mbox",
                     "transcript"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceConfig(_Strict):
    """One source: a glob of files, the channel they carry, and how their columns map."""

    name: str
    path: str = Field(description="glob, relative to voc.toml; {batch} is replaced by the batch")
    format: FileFormat = "auto"
    channel: str | None = None
    channel_column: str | None = None
    text: list[str] = Field(default_factory=list)
    id: str | None = None
    time: str | None = None
    customer: str | None = None
    rating: str | None = None
    nps: str | None = None
    csat: str | None = None
    metadata: list[str] | None = None  # None: keep every unmapped column
    encoding: str = "auto"
    sheet: str | None = None
    timezone: str | None = None  # for naive timestamps; default: project timezone
    date_format: str | None = None  # strftime format tried first, e.g. "%d/%m/%Y %H:%M"

    @field_validator("text", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("channel")
    @classmethod
    def _known_channel(cls, value: str | None) -> str | None:
        if value is None:
            return None
        channel = parse_channel(value)
        if channel is None:
            known = ", ".join(c.value for c in Channel)
            raise ValueError(f"unknown channel '{value}' (known: {known})")
        return channel.value


class ProjectSettings(_Strict):
    name: str = "voc project"
    timezone: str = "Asia/Shanghai"
    seed: int = 42


class IngestSettings(_Strict):
    redact_pii: bool = True
    # Salt for customer_key. `voc init` writes a random one; keep it stable across batches so a
    # customer's key links their feedback month to month, and keep it out of shared places.
    customer_salt: str = "voc-default-salt"
    min_text_chars: int = 2
    near_duplicate_threshold: float = Field(0.8, ge=0.5, le=1.0)
    near_duplicate_min_chars: int = 40
    # Identical short texts ("很好", "great app, fast delivery") from different customers are
    # different voices, not duplicates: below this length (letters and digits, a Chinese
    # character counting 2) only the same customer repeating counts.
    exact_duplicate_min_chars: int = 40
    chunk_rows: int = Field(50_000, ge=100)
    # Worker processes that clean chunks; 0 = every core for large inputs, 1 = no workers.
    workers: int = Field(0, ge=0)
    lock_timeout_seconds: float = 60.0


class TextSettings(_Strict):
    segmenter: Literal["rjieba", "jieba"] = "rjieba"
    # jieba-format files (word [freq] [tag] per line), added to the bundled dictionary
    user_dictionaries: list[str] = Field(default_factory=list)
    # words never used as topic keywords (brand names, your product's own name ...)
    extra_stopwords: list[str] = Field(default_factory=list)


class TopicSettings(_Strict):
    n_topics: int | None = Field(None, ge=1)  # per language; None = chosen automatically
    max_topics: int = Field(20, ge=2, le=60)
    max_fit_docs: int = Field(50_000, ge=1_000)
    # How documents are represented for topics (voc/topics/representation.py): "auto" joins
    # what applies; "tfidf", "trained" (word vectors learned from this and earlier batches),
    # "minilm" (sentence embeddings, English, needs the extra voc[embeddings]).
    vectors: Literal["tfidf", "trained", "minilm", "auto"] = "auto"
    # How the trained word vectors are learned (voc/topics/word_vectors.py): "ppmi"
    # (co-occurrence PPMI + SVD, the default) or "word2vec" (gensim skip-gram, slower).
    word_vectors: Literal["ppmi", "word2vec"] = "ppmi"
    # Earlier batches' records per language that the trained word vectors also learn from.
    history_docs: int = Field(20_000, ge=0)
    taxonomy: str | None = None  # replaces corpora/taxonomy.yaml
    # Also place records the keyword rules missed in a category, by a model learned from the
    # keyword matches of the batch (voc/topics/expand.py).
    expand_categories: bool = True
    extra_taxonomies: list[str] = Field(default_factory=list)  # add or override categories
    # zh<TAB>en[|en] files added to the bundled glossary that links Chinese and English
    # emerging topics into one issue (voc/topics/crosslang.py)
    glossaries: list[str] = Field(default_factory=list)


class SentimentSettings(_Strict):
    # How the lexicon scorer adapts to each batch without hand labels: "auto" learns from
    # star ratings / NPS / CSAT where enough records have them, else self-trains from the
    # lexicon's most confident decisions; "ratings", "self_training" force one; "off" = none.
    adapt: Literal["auto", "ratings", "self_training", "off"] = "auto"
    # A model trained with `voc train sentiment` (its folder); replaces the scorer's labels.
    model: str | None = None
    # Your own `word<TAB>valence` files (valence -4..4); they win over the bundled lexicons.
    lexicons: list[str] = Field(default_factory=list)
    # |score| below this is neutral.
    neutral_band: float = Field(0.1, ge=0.0, lt=1.0)
    # Extra escalation-flag rule files (same format as corpora/flags.yaml).
    flag_rules: list[str] = Field(default_factory=list)


class IssueSettings(_Strict):
    # The same customer raising the same issue again within this many days (or through a
    # second channel) is a repeat contact: a first-contact-resolution failure.
    repeat_window_days: float = Field(30.0, gt=0)
    # Issues with fewer records than this are not listed.
    min_volume: int = Field(3, ge=1)
    # priority = impact × (1 + growth_weight·growth + severity_weight·severity
    #                       + spread_weight·spread); README "Issues" explains the terms.
    growth_weight: float = Field(1.0, ge=0)
    severity_weight: float = Field(1.0, ge=0)
    spread_weight: float = Field(0.5, ge=0)


class BacklogSettings(_Strict):
    # A run opens a Plan item for each issue ranked at most this high whose quadrant is listed.
    open_top: int = Field(5, ge=0)
    open_quadrants: list[str] = Field(default_factory=lambda: ["fix_first"])


class EngineSettings(_Strict):
    # Where `voc run` runs its chunk functions: "local" (a process pool on this machine) or
    # "dask" (dask.distributed: the cluster at `scheduler`, or a LocalCluster when empty).
    kind: EngineKind = EngineKind.LOCAL
    # Worker processes; 0 = every core (the local pool starts only for large batches).
    workers: int = Field(0, ge=0)
    scheduler: str = ""

    def spec(self) -> EngineSpec:
        return EngineSpec(self.kind, self.workers, self.scheduler or None)


class Settings(_Strict):
    project: ProjectSettings = Field(default_factory=ProjectSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    text: TextSettings = Field(default_factory=TextSettings)
    topics: TopicSettings = Field(default_factory=TopicSettings)
    sentiment: SentimentSettings = Field(default_factory=SentimentSettings)
    issues: IssueSettings = Field(default_factory=IssueSettings)
    backlog: BacklogSettings = Field(default_factory=BacklogSettings)
    engine: EngineSettings = Field(default_factory=EngineSettings)
    sources: list[SourceConfig] = Field(default_factory=list)
    store: str = DEFAULT_STORE

    # Folder that relative paths (store, source globs) are resolved against.
    base_dir: Path = Field(default_factory=Path.cwd, exclude=True)

    def store_path(self) -> Path:
        return (self.base_dir / self.store).resolve()

    def resolve(self, relative: str) -> Path:
        """A path from voc.toml, relative to the folder voc.toml is in."""
        return (self.base_dir / relative).resolve()

    def config_hash(self) -> str:
        """Hash of every setting that changes results (not the folder it lives in, nor the
        engine: every engine gives the same results)."""
        payload = json.dumps(self.model_dump(mode="json", exclude={"engine"}), sort_keys=True,
                             ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def load_config(path: Path | None) -> Settings:
    """Read voc.toml; without a path, look for voc.toml in the current folder, else defaults."""
    if path is None:
        candidate = Path.cwd() / CONFIG_FILE
        if not candidate.exists():
            return Settings()
        path = candidate
    if path.is_dir():
        path = path / CONFIG_FILE
    if not path.exists():
        raise ConfigError("config file not found", path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML: {exc}", path) from exc
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"{where}: {first['msg']}", path) from exc
    settings.base_dir = path.parent.resolve()
    return settings


def render_default_config(salt: str | None = None) -> str:
    """The commented voc.toml that `voc init` writes, with working defaults."""
    defaults = Settings()
    ingest, project = defaults.ingest, defaults.project
    salt = salt or secrets.token_hex(16)
    return _TEMPLATE.format(
        name=project.name,
        timezone=project.timezone,
        seed=project.seed,
        store=defaults.store,
        redact=str(ingest.redact_pii).lower(),
        salt=salt,
        min_text_chars=ingest.min_text_chars,
        near=ingest.near_duplicate_threshold,
        near_min=ingest.near_duplicate_min_chars,
        exact_min=ingest.exact_duplicate_min_chars,
        chunk=ingest.chunk_rows,
        workers=ingest.workers,
        lock=ingest.lock_timeout_seconds,
        channels=", ".join(c.value for c in Channel),
    )


_TEMPLATE = """\
# voc.toml: settings for one voc project. Every key is optional; the values shown are the defaults.
# Paths are relative to this file.

# Where batches are kept (a DuckDB file). Override per command with --store PATH.
store = "{store}"

[project]
name = "{name}"
# Timestamps without a time zone are read in this zone and stored in UTC.
timezone = "{timezone}"
# Seed for every random choice (sampling, topic models): same input + config + seed = same results.
seed = {seed}

[ingest]
# Replace e-mail addresses, phone numbers, Chinese ID numbers and bank-card numbers with
# [EMAIL], [PHONE], [ID], [CARD] before anything is stored.
redact_pii = {redact}
# Salt for customer_key (a hash of the customer id; the raw id is never stored). Written at
# random by `voc init`: keep it unchanged across batches and keep this file private.
customer_salt = "{salt}"
# Texts shorter than this after cleaning are rejected as empty.
min_text_chars = {min_text_chars}
# Near-duplicates (copy-paste spam, re-sent e-mails): estimated Jaccard similarity of
# character 5-grams at or above this threshold, for texts of at least near_duplicate_min_chars.
near_duplicate_threshold = {near}
near_duplicate_min_chars = {near_min}
# Identical texts shorter than this (letters and digits; a Chinese character counts 2) are
# duplicates only when the same customer sent them: "很好" from two customers is two voices.
exact_duplicate_min_chars = {exact_min}
# Rows per processing chunk (memory stays flat as files grow).
chunk_rows = {chunk}
# Worker processes for cleaning chunks: 0 = all cores when the input is large, 1 = none.
workers = {workers}
# How long to wait when another voc process is writing the store.
lock_timeout_seconds = {lock}

[text]
# Chinese segmenter: "rjieba" (jieba's dictionary and algorithm in Rust, fast) or "jieba".
segmenter = "rjieba"
# Your own jieba-format dictionaries (word [freq] [tag] per line), e.g. ["dict/products.txt"].
user_dictionaries = []
# Words never used as topic keywords: your brand, product names, store names.
extra_stopwords = []

[topics]
# Topics per language; leave unset to let voc choose (the most detailed stable number).
# n_topics = 12
max_topics = 20
# Topics are learned on at most this many records per language, then every record is assigned.
max_fit_docs = 50000
# Document representation: "auto" (default) joins TF-IDF/LSA, word vectors trained on your
# batches and, with the extra voc[embeddings], all-MiniLM-L6-v2 sentence embeddings for
# English; or one of "tfidf", "trained", "minilm".
vectors = "auto"
# How the trained word vectors are learned: "ppmi" (default, fast) or "word2vec" (gensim).
word_vectors = "ppmi"
# Earlier batches' records (per language) the trained word vectors also learn from.
history_docs = 20000
# taxonomy = "my_taxonomy.yaml"            # replaces voc's bundled issue taxonomy
# Records the keyword rules miss can join a category by a model learned from the batch's
# keyword matches (doc_categories.matched_by = "model"); false keeps keywords only.
expand_categories = true
# extra_taxonomies = ["team_issues.yaml"]  # adds or overrides categories by id
# Chinese and English emerging topics about the same thing are one issue, linked through a
# bilingual glossary (chinese<TAB>english[|english] per line); add your own terms here.
# glossaries = ["dict/glossary.tsv"]

[sentiment]
# Adapting the lexicon scorer to each batch without hand labels: "auto" learns from star
# ratings / NPS / CSAT where enough records carry one, else self-trains from the lexicon's
# most confident calls; "ratings" or "self_training" forces one; "off" keeps the lexicon alone.
adapt = "auto"
# model = "models/support-2026"   # a model from `voc train sentiment`; replaces the above
# lexicons = ["dict/sentiment.tsv"]  # your word<TAB>valence (-4..4) terms; they win
# Scores (-1..1) closer to 0 than this are neutral.
neutral_band = 0.1
# flag_rules = ["flags_team.yaml"]  # more escalation-flag keywords (format of corpora/flags.yaml)

[issues]
# The same customer raising the same issue again within this many days, or through a second
# channel, is a repeat contact (a first-contact-resolution failure).
repeat_window_days = 30
# Issues with fewer records are not listed.
min_volume = 3
# priority = impact × (1 + growth_weight·growth + severity_weight·severity + spread_weight·spread)
growth_weight = 1.0
severity_weight = 1.0
spread_weight = 0.5

[backlog]
# Each run opens a Plan item for every issue ranked this high (and in these quadrants) that has
# no item yet; items then collect every batch's metrics and, once in Do, a Check verdict.
open_top = 5
open_quadrants = ["fix_first"]

[engine]
# Where `voc run` runs its chunks: "local" (process pool here) or "dask" (dask.distributed;
# `pip install 'voc[dask]'`). scheduler = "tcp://HOST:8786" uses that cluster; empty starts
# a LocalCluster. Every engine gives the same results.
kind = "local"
workers = 0                     # 0 = every core
scheduler = ""

# ---------------------------------------------------------------------------------------------
# Sources: one [[sources]] table per kind of export. `path` is a glob; {{batch}} in it is replaced
# by the batch name, so `voc ingest --batch 2026-10` reads exports/2026-10/... .
# Channels: {channels}.
# Columns: text (one column or a list, joined with a blank line), id, time, customer,
# rating (stars 1-5), nps (0-10), csat (1-5); channel_column takes the channel from a column.
# Unmapped columns are kept as metadata (or list them: metadata = ["store", "sku"]).
# encoding = "auto" detects UTF-8, UTF-8 with BOM and GBK/GB18030; set it to override.
# E-mail (.eml, .mbox) and transcript (.json/.jsonl conversations) sources need no columns.
#
# [[sources]]
# name = "app_reviews"
# path = "exports/{{batch}}/app_reviews*.csv"
# channel = "app_review"
# text = ["title", "body"]
# id = "review_id"
# time = "created_at"
# customer = "user_id"
# rating = "stars"
#
# [[sources]]
# name = "nps_survey"
# path = "exports/{{batch}}/nps_*.xlsx"
# sheet = "Responses"
# channel = "survey"
# text = "comment"
# id = "response_id"
# time = "submitted"
# nps = "score"
#
# [[sources]]
# name = "complaint_mail"
# path = "exports/{{batch}}/complaints.mbox"
# channel = "email"
#
# [[sources]]
# name = "chat"
# path = "exports/{{batch}}/chat_*.jsonl"
# format = "transcript"
# channel = "chat"
"""
