"""Deterministic bilingual, multichannel inputs for the ingest benchmark (benchmarks/ingest.py).

Texts are composed from phrase pools slot by slot (opener + subject + predicate + tail), with
every choice drawn by a seeded numpy generator over whole arrays, so a million records take
seconds and the same seed always writes the same bytes. The mix imitates a monthly export:

- ~60% Chinese (8% of it traditional, 5% code-mixed with English), ~40% English;
- lengths from 10-character social posts to ~2,000-character e-mails, most 20-200 characters;
- ~3% with PII (mobiles, e-mails, foreign numbers), ~8% with order numbers;
- ~1% exact and ~0.5% near duplicates of earlier records (planted);
- ~0.5% bad rows: unparseable dates, out-of-range scores, empty texts (planted);
- five files: UTF-8 CSV (two), GBK CSV, JSON Lines and Parquet, with a voc.toml for them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from ingest_phrases import (
    BAD_DATES,
    CODE_MIX,
    EMOJI,
    EMPTY_TEXTS,
    EN_DETAILS,
    EN_GREETINGS,
    EN_OPENERS,
    EN_PREDICATES,
    EN_SHORT,
    EN_SHORT_TAILS,
    EN_SIGNOFFS,
    EN_SUBJECTS,
    EN_TAILS,
    HANDLES,
    HASHTAGS,
    NEAR_EDITS_EN,
    NEAR_EDITS_ZH,
    ZH_DETAILS,
    ZH_GREETINGS,
    ZH_OPENERS,
    ZH_PREDICATES,
    ZH_SHORT,
    ZH_SHORT_TAILS,
    ZH_SIGNOFFS,
    ZH_SUBJECTS,
    ZH_TAILS,
)

BATCH = "2026-10"
_MONTH_START = np.datetime64("2026-10-01T00:00:00", "s")
_MONTH_SECONDS = 31 * 24 * 3600
SHORT, MEDIUM, LONG, EMAIL = range(4)
ZH, ZH_TRAD, EN = range(3)
DUP_SHARE, NEAR_SHARE, BAD_SHARE = 0.01, 0.005, 0.005
PII_SHARE, ORDER_SHARE, MIX_SHARE, TRAD_SHARE = 0.03, 0.08, 0.05, 0.08


def _arr(values: tuple[str, ...] | list[str]) -> np.ndarray:
    return np.array(values, dtype=object)


@dataclass(frozen=True)
class Pools:
    """One script's phrase pools; `sep` joins sentences (Chinese needs none)."""

    openers: np.ndarray
    subjects: np.ndarray
    predicates: np.ndarray
    details: np.ndarray
    tails: np.ndarray
    short: np.ndarray
    short_tails: np.ndarray
    greetings: np.ndarray
    signoffs: np.ndarray
    sep: str
    space: str  # between opener, subject and predicate


def _zh_pools(convert: object | None = None) -> Pools:
    def conv(values: tuple[str, ...]) -> np.ndarray:
        return _arr([convert.convert(v) for v in values] if convert else list(values))  # type: ignore[attr-defined]

    return Pools(conv(ZH_OPENERS), conv(ZH_SUBJECTS), conv(ZH_PREDICATES),
                 conv(ZH_DETAILS), conv(ZH_TAILS),
                 conv(ZH_SHORT), conv(ZH_SHORT_TAILS), conv(ZH_GREETINGS),
                 conv(ZH_SIGNOFFS), "", "")


def build_pools() -> dict[int, Pools]:
    """Pools per script; traditional Chinese is converted once with OpenCC (a voc dependency)."""
    import opencc

    pools = {ZH: _zh_pools(), ZH_TRAD: _zh_pools(opencc.OpenCC("s2t.json")),
             EN: Pools(_arr(EN_OPENERS), _arr(EN_SUBJECTS), _arr(EN_PREDICATES),
                       _arr(EN_DETAILS), _arr(EN_TAILS), _arr(EN_SHORT), _arr(EN_SHORT_TAILS),
                       _arr(EN_GREETINGS), _arr(EN_SIGNOFFS), " ", " ")}
    for pool in pools.values():  # the survey file is GBK: every phrase must encode
        for values in (pool.openers, pool.subjects, pool.predicates, pool.details, pool.tails,
                       pool.short):
            "".join(values.tolist()).encode("gbk")
    return pools


# Sentences per text by (script, length class): (low, high) inclusive. Chinese sentences run
# ~15 characters, English ~45, so medium texts land at 20-200 characters and e-mails near 2,000.
_SENTENCES = {
    (ZH, MEDIUM): (1, 8), (ZH, LONG): (9, 30), (ZH, EMAIL): (40, 110),
    (EN, MEDIUM): (1, 3), (EN, LONG): (4, 10), (EN, EMAIL): (15, 40),
}


def _pick(rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
    return pool[rng.integers(0, len(pool), n)]


def _compose(rng: np.random.Generator, pools: Pools, script: int, kind: np.ndarray) -> np.ndarray:
    """Texts for records of one script, given each record's length class."""
    out = np.empty(len(kind), dtype=object)
    short = kind == SHORT
    n_short = int(short.sum())
    # Chinese posts name what they are about ("快递太慢了！"); English ones stand alone.
    subject = _pick(rng, pools.subjects, n_short) if pools.space == "" else ""
    out[short] = subject + _pick(rng, pools.short, n_short) + _pick(rng, pools.short_tails,
                                                                    n_short)
    longer = np.flatnonzero(~short)
    if not len(longer):
        return out
    base = ZH if script == ZH_TRAD else script
    lows = np.empty(len(longer), dtype=np.int64)
    highs = np.empty(len(longer), dtype=np.int64)
    for cls in (MEDIUM, LONG, EMAIL):
        mask = kind[longer] == cls
        lows[mask], highs[mask] = _SENTENCES[(base, cls)]
    counts = rng.integers(lows, highs + 1)
    total = int(counts.sum())
    opener = _pick(rng, pools.openers, total)
    sentences = (opener + np.where(opener == "", "", pools.space)
                 + _pick(rng, pools.subjects, total) + pools.space
                 + _pick(rng, pools.predicates, total) + _pick(rng, pools.details, total)
                 + _pick(rng, pools.tails, total))
    flat = sentences.tolist()
    ends = np.cumsum(counts).tolist()
    starts = [0, *ends[:-1]]
    sep = pools.sep
    out[longer] = [sep.join(flat[a:b]) for a, b in zip(starts, ends, strict=True)]
    mail = longer[kind[longer] == EMAIL]
    if len(mail):
        out[mail] = (_pick(rng, pools.greetings, len(mail)) + out[mail]
                     + _pick(rng, pools.signoffs, len(mail)))
    return out


def _digits(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    """n random digit strings of a fixed width (leading zeros kept)."""
    numbers = rng.integers(0, 10**width, n, dtype=np.int64)
    return np.char.zfill(numbers.astype(f"U{width}"), width).astype(object)


def _pii(rng: np.random.Generator, n: int, zh: np.ndarray) -> np.ndarray:
    """Phrases holding one piece of PII each: mobiles in three shapes, e-mails, foreign phones."""
    second = _pick(rng, _arr(tuple("3456789")), n)
    mobile = "1" + second + _digits(rng, n, 9)
    dashed = (np.array([m[:3] for m in mobile], dtype=object) + "-"
              + np.array([m[3:7] for m in mobile], dtype=object) + "-"
              + np.array([m[7:] for m in mobile], dtype=object))
    mail = (_pick(rng, _arr(("zhang.wei", "li_na", "wang88", "john.smith", "amy.chen", "kevin")),
                  n) + _digits(rng, n, 3) + "@"
            + _pick(rng, _arr(("163.com", "qq.com", "gmail.com", "outlook.com")), n))
    nanp = "(415) 555-" + _digits(rng, n, 4)
    shape = rng.integers(0, 5, n)
    value = np.select([shape == 0, shape == 1, shape == 2, shape == 3],
                      [mobile, dashed, "+86 " + mobile, mail], nanp)
    return np.where(zh, "我的联系方式是" + value + "。", " You can reach me at " + value + ".")


def _orders(rng: np.random.Generator, n: int, zh: np.ndarray) -> np.ndarray:
    zh_order = "订单号：2026" + _digits(rng, n, 12) + "。"
    en_order = " Order #A" + _digits(rng, n, 9) + "."
    return np.where(zh, zh_order, en_order)


@dataclass(frozen=True)
class FileSpec:
    """One input file: its share of the records, script mix and length-class mix."""

    name: str
    share: float
    zh_share: float
    lengths: tuple[float, float, float, float]  # short, medium, long, e-mail


FILES = (
    FileSpec("app_reviews.csv", 0.35, 0.55, (0.15, 0.80, 0.05, 0.0)),
    FileSpec("service_tickets.csv", 0.15, 0.55, (0.0, 0.55, 0.30, 0.15)),
    FileSpec("nps_survey_gbk.csv", 0.15, 0.80, (0.30, 0.70, 0.0, 0.0)),
    FileSpec("social_posts.jsonl", 0.20, 0.60, (0.50, 0.50, 0.0, 0.0)),
    FileSpec("order_reviews.parquet", 0.15, 0.55, (0.30, 0.65, 0.05, 0.0)),
)


@dataclass
class Plan:
    """The generated batch: one text per record, planted answers, and the file of each row."""

    texts: np.ndarray
    is_zh: np.ndarray
    file_of: np.ndarray  # index into FILES, records in file order
    # Planted bad row: 1 = empty text, 2 = bad date, 3 = bad score; 0 = a good row,
    # -1 = a good row that is a planted duplicate or the source of one.
    bad: np.ndarray
    planted: dict[str, int] = field(default_factory=dict)


def plan_records(n: int, seed: int) -> Plan:
    """Texts for n records in input order (file by file), with PII, duplicates and bad rows."""
    rng = np.random.default_rng([seed, n])
    pools = build_pools()
    sizes = np.floor(np.array([f.share for f in FILES]) * n).astype(np.int64)
    sizes[0] += n - sizes.sum()
    file_of = np.repeat(np.arange(len(FILES)), sizes)
    zh_share = np.array([f.zh_share for f in FILES])[file_of]
    is_zh = rng.random(n) < zh_share
    script = np.where(is_zh, np.where(rng.random(n) < TRAD_SHARE, ZH_TRAD, ZH), EN)
    cumulative = np.cumsum(np.array([f.lengths for f in FILES]), axis=1)[file_of]
    kind = np.minimum((rng.random(n)[:, None] > cumulative).sum(axis=1), EMAIL)
    texts = np.empty(n, dtype=object)
    for code, pool in pools.items():
        rows = np.flatnonzero(script == code)
        texts[rows] = _compose(rng, pool, code, kind[rows])
    social = np.flatnonzero(file_of == 3)
    _decorate_social(rng, texts, social)
    mixed = np.flatnonzero(is_zh & (rng.random(n) < MIX_SHARE))
    texts[mixed] = texts[mixed] + _pick(rng, _arr(CODE_MIX), len(mixed))
    orders = np.flatnonzero(rng.random(n) < ORDER_SHARE)
    texts[orders] = texts[orders] + _orders(rng, len(orders), is_zh[orders])
    pii = np.flatnonzero(rng.random(n) < PII_SHARE)
    texts[pii] = texts[pii] + _pii(rng, len(pii), is_zh[pii])
    plan = Plan(texts, is_zh, file_of, np.zeros(n, dtype=np.int8), {"pii_texts": len(pii)})
    _plant_duplicates(rng, plan)
    _plant_bad_rows(rng, plan)
    return plan


def _decorate_social(rng: np.random.Generator, texts: np.ndarray, rows: np.ndarray) -> None:
    draw = rng.random((3, len(rows)))
    emoji, tag, handle = rows[draw[0] < 0.3], rows[draw[1] < 0.1], rows[draw[2] < 0.05]
    texts[emoji] = texts[emoji] + _pick(rng, _arr(EMOJI), len(emoji))
    texts[tag] = _pick(rng, _arr(HASHTAGS), len(tag)) + texts[tag]
    texts[handle] = _pick(rng, _arr(HANDLES), len(handle)) + texts[handle]


def _plant_duplicates(rng: np.random.Generator, plan: Plan) -> None:
    """Copy earlier texts (long enough to count) exactly or with a small edit."""
    n = len(plan.texts)
    lengths = np.fromiter(map(len, plan.texts), dtype=np.int64, count=n)
    eligible = np.flatnonzero(lengths >= 60)
    n_exact, n_near = int(n * DUP_SHARE), int(n * NEAR_SHARE)
    # Copies sit in the second half and their sources in the first, so every copy comes after
    # its source in input order and no source is itself a copy.
    sources = rng.choice(eligible[eligible < n // 2], n_exact + n_near, replace=False)
    copies = rng.choice(np.arange(n // 2, n), n_exact + n_near, replace=False)
    plan.texts[copies] = plan.texts[sources]
    near = copies[n_exact:]
    edit = np.where(plan.is_zh[sources[n_exact:]], _pick(rng, _arr(NEAR_EDITS_ZH), n_near),
                    _pick(rng, _arr(NEAR_EDITS_EN), n_near))
    plan.texts[near] = plan.texts[near] + edit
    plan.planted.update(exact_duplicates=n_exact, near_duplicates=n_near)
    plan.bad[sources] = -1  # reserved: never made a bad row
    plan.bad[copies] = -1


def _plant_bad_rows(rng: np.random.Generator, plan: Plan) -> None:
    """Bad rows of the kinds each file can have (Parquet has typed timestamps, social no score)."""
    n = len(plan.texts)
    rows = rng.choice(np.flatnonzero(plan.bad == 0), int(n * BAD_SHARE), replace=False)
    kinds = rng.integers(1, 4, len(rows))
    kinds[(plan.file_of[rows] == 4) & (kinds == 2)] = 3  # typed Parquet timestamps: bad score
    kinds[(plan.file_of[rows] == 3) & (kinds == 3)] = 2  # social posts have no score
    plan.bad[rows] = kinds
    empty = rows[kinds == 1]
    plan.texts[empty] = _pick(rng, _arr(EMPTY_TEXTS), len(empty))
    plan.planted.update(bad_rows=len(rows), empty_text=int((kinds == 1).sum()),
                        bad_date=int((kinds == 2).sum()), bad_score=int((kinds == 3).sum()))


# --- files ----------------------------------------------------------------------------------
def _times(rng: np.random.Generator, n: int) -> pa.Array:
    seconds = rng.integers(0, _MONTH_SECONDS, n)
    return pa.array(_MONTH_START + seconds.astype("timedelta64[s]"))


def _formatted(stamps: pa.Array, fmt: str, bad: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    values = pc.strftime(stamps, format=fmt).to_numpy(zero_copy_only=False).astype(object)
    rows = np.flatnonzero(bad == 2)
    values[rows] = _pick(rng, _arr(BAD_DATES), len(rows))
    return values


def _scores(rng: np.random.Generator, n: int, low: int, high: int, bad: np.ndarray,
            weights: list[float] | None = None) -> np.ndarray:
    values = rng.choice(np.arange(low, high + 1), n, p=weights)
    out = values.astype(str).astype(object)
    rows = np.flatnonzero(bad == 3)
    out[rows] = _pick(rng, _arr((str(high + 1), str(low - 2), "99", "五星")), len(rows))
    return out


_STARS_P = [0.22, 0.1, 0.13, 0.2, 0.35]


def _ids(prefix: str, n: int) -> np.ndarray:
    return prefix + np.arange(1, n + 1).astype(str).astype(object)


def _customers(rng: np.random.Generator, prefix: str, n: int) -> np.ndarray:
    """Customer ids from a pool a third of the rows' size: customers write more than once."""
    return prefix + rng.integers(1, max(2, n // 3), n).astype(str).astype(object)


def _write_csv(frame: dict[str, np.ndarray], path: Path, encoding: str = "utf-8") -> None:
    table = pa.table({name: pa.array(values, type=pa.string()) for name, values in frame.items()})
    if encoding == "utf-8":
        pacsv.write_csv(table, path)
        return
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink)
    path.write_bytes(sink.getvalue().to_pybytes().decode("utf-8").encode(encoding))


def write_inputs(plan: Plan, folder: Path, seed: int) -> list[Path]:
    """Write the five files of the batch into `folder`; returns their paths in input order."""
    rng = np.random.default_rng([seed, len(plan.texts), 1])
    folder.mkdir(parents=True, exist_ok=True)
    parts = [np.flatnonzero(plan.file_of == i) for i in range(len(FILES))]
    writers = (_app_reviews, _tickets, _survey, _social, _order_reviews)
    paths = []
    for spec, rows, writer in zip(FILES, parts, writers, strict=True):
        path = folder / spec.name
        writer(rng, plan.texts[rows], plan.bad[rows], path)
        paths.append(path)
    return paths


def _app_reviews(rng: np.random.Generator, texts: np.ndarray, bad: np.ndarray,
                 path: Path) -> None:
    n = len(texts)
    # A third of reviews with some body have a title; copies, their sources and bad rows do
    # not, so planted duplicates stay exact and empty rows stay empty.
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    titled = (rng.random(n) < 0.3) & (bad == 0) & (lengths >= 20)
    titles = np.where(titled, _pick(rng, _arr(EN_SHORT + ZH_SHORT), n), "")
    _write_csv({
        "review_id": _ids("r", n), "created_at": _formatted(_times(rng, n), "%Y-%m-%d %H:%M:%S",
                                                            bad, rng),
        "user_id": _customers(rng, "u", n), "stars": _scores(rng, n, 1, 5, bad, _STARS_P),
        "title": titles, "body": texts,
        "app_version": _pick(rng, _arr(("5.1.0", "5.1.2", "5.2.0", "6.0.0")), n),
        "platform": _pick(rng, _arr(("ios", "android")), n),
    }, path)


def _tickets(rng: np.random.Generator, texts: np.ndarray, bad: np.ndarray, path: Path) -> None:
    n = len(texts)
    _write_csv({
        "ticket_no": _ids("T", n), "opened": _formatted(_times(rng, n), "%Y/%m/%d %H:%M", bad, rng),
        "customer": _customers(rng, "cust-", n),
        "channel": _pick(rng, _arr(("email", "web_form", "邮件", "电话", "call", "e-mail")), n),
        "csat": _scores(rng, n, 1, 5, bad),
        "description": texts,
        "queue": _pick(rng, _arr(("billing", "delivery", "technical", "account")), n),
    }, path)


def _survey(rng: np.random.Generator, texts: np.ndarray, bad: np.ndarray, path: Path) -> None:
    n = len(texts)
    _write_csv({
        "答卷编号": _ids("S", n),
        "提交时间": _formatted(_times(rng, n), "%Y年%m月%d日 %H:%M", bad, rng),
        "会员号": _customers(rng, "C", n), "推荐意愿": _scores(rng, n, 0, 10, bad),
        "意见": texts,
        "门店": _pick(rng, _arr(("北京朝阳店", "上海徐汇店", "广州天河店", "成都高新店")), n),
    }, path, encoding="gbk")


def _social(rng: np.random.Generator, texts: np.ndarray, bad: np.ndarray, path: Path) -> None:
    n = len(texts)
    stamps = _formatted(_times(rng, n), "%Y-%m-%dT%H:%M:%SZ", bad, rng)
    users = _customers(rng, "weibo_", n)
    followers = rng.integers(0, 50_000, n).tolist()
    platforms = _pick(rng, _arr(("weibo", "twitter", "xiaohongshu")), n)
    lines = [json.dumps({"id": f"p{i + 1}", "ts": ts, "user": {"id": user, "followers": count},
                         "platform": platform, "content": text}, ensure_ascii=False)
             for i, (ts, user, count, platform, text)
             in enumerate(zip(stamps, users, followers, platforms, texts, strict=True))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _order_reviews(rng: np.random.Generator, texts: np.ndarray, bad: np.ndarray,
                   path: Path) -> None:
    n = len(texts)
    rating = rng.choice(np.arange(1, 6), n, p=_STARS_P).astype(np.float64)
    rating[bad == 3] = _pick(rng, np.array([0.0, 6.0, 10.0]), int((bad == 3).sum()))
    table = pa.table({
        "order_id": pa.array(_ids("O", n), type=pa.string()),
        "review_time": _times(rng, n),
        "buyer_id": pa.array(_customers(rng, "b", n), type=pa.string()),
        "rating": pa.array(rating),
        "review_text": pa.array(np.where(texts == "", None, texts), type=pa.string()),
        "sku": pa.array(_pick(rng, _arr(("SKU-1001", "SKU-2040", "SKU-3300", "SKU-4711")), n),
                        type=pa.string()),
    })
    pq.write_table(table, path)


CONFIG = """\
# Generated by benchmarks/ingest.py: one source per file of the benchmark batch.
store = "voc.duckdb"

[project]
name = "ingest benchmark"
timezone = "Asia/Shanghai"
seed = 42

[ingest]
customer_salt = "benchmark-salt"

[[sources]]
name = "app_reviews"
path = "exports/{{batch}}/app_reviews.csv"
channel = "app_review"
text = ["title", "body"]
id = "review_id"
time = "created_at"
customer = "user_id"
rating = "stars"

[[sources]]
name = "service_tickets"
path = "exports/{{batch}}/service_tickets.csv"
channel_column = "channel"
text = "description"
id = "ticket_no"
time = "opened"
customer = "customer"
csat = "csat"

[[sources]]
name = "nps_survey"
path = "exports/{{batch}}/nps_survey_gbk.csv"
channel = "survey"
encoding = "{survey_encoding}"
text = "意见"
id = "答卷编号"
time = "提交时间"
customer = "会员号"
nps = "推荐意愿"

[[sources]]
name = "social"
path = "exports/{{batch}}/social_posts.jsonl"
channel = "social"
text = "content"
id = "id"
time = "ts"
customer = "user.id"

[[sources]]
name = "order_reviews"
path = "exports/{{batch}}/order_reviews.parquet"
channel = "review"
text = "review_text"
id = "order_id"
time = "review_time"
customer = "buyer_id"
rating = "rating"
"""


def write_config(root: Path) -> Path:
    """voc.toml for the generated files (encoding "auto": detection is part of what is timed)."""
    path = root / "voc.toml"
    path.write_text(CONFIG.format(survey_encoding="auto"), encoding="utf-8")
    return path


def generate(root: Path, n: int, seed: int) -> tuple[Path, list[Path], dict[str, int]]:
    """Generate the batch under root/exports/<BATCH>/ and root/voc.toml.

    Returns the config path, the input files and the planted counts.
    """
    plan = plan_records(n, seed)
    files = write_inputs(plan, root / "exports" / BATCH, seed)
    return write_config(root), files, {"records": n, **plan.planted}


def file_rows(n: int) -> pd.Series:
    """Records per file for a batch of n (the same split plan_records uses)."""
    sizes = np.floor(np.array([f.share for f in FILES]) * n).astype(np.int64)
    sizes[0] += n - sizes.sum()
    return pd.Series(sizes, index=[f.name for f in FILES])
