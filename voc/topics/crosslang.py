"""Chinese and English emerging topics about the same thing become one issue.

Topics are discovered per language, and a taxonomy category already joins its Chinese and
English documents. An emerging topic has no category, so voc links the languages through a
bilingual glossary of service vocabulary (corpora/glossary_zh_en.tsv, extendable in voc.toml):
each Chinese keyword is translated word by word into the English lemmas voc itself produces,
its weight shared among the translations, and the translated keyword weights are compared with
every English topic's by cosine similarity. Pairs are matched one-to-one (Hungarian
assignment) and kept at `CROSS_LINK_THRESHOLD` or above; a linked pair shares one issue id,
the smaller of their stable ids, so the same pair is the same issue next month. The threshold
is high on purpose: a missed link leaves two issues (as without the glossary), a wrong one
mixes a complaint with praise that shares its nouns (on the sample: the same new complaint in
both languages scores 0.76; unrelated topics about deliveries or fruit, 0.17-0.46).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from voc.text.chinese import CORPORA
from voc.topics.lineage import weight_similarity

CROSS_LINK_THRESHOLD = 0.5
BUNDLED_GLOSSARY = CORPORA / "glossary_zh_en.tsv"

Glossary = Mapping[str, tuple[str, ...]]  # Chinese word → English lemmas (weights shared)


def read_glossary_lines(path: Path) -> list[tuple[str, list[str]]]:
    """(Chinese word, English alternatives) per entry of a `zh<TAB>en1|en2` file."""
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        zh, tab, en = line.partition("\t")
        alternatives = [part.strip() for part in en.split("|") if part.strip()]
        if not tab or not zh.strip() or not alternatives:
            raise ValueError(f"{path}, line {number}: expected 'chinese<TAB>english[|english]', "
                             f"got {line!r}")
        entries.append((zh.strip(), alternatives))
    return entries


def load_glossary(english_lemmas: Callable[[list[str]], list[list[str]]],
                  extra_files: Sequence[Path] = ()) -> dict[str, tuple[str, ...]]:
    """The bundled glossary plus `extra_files` (later files win for the same Chinese word).

    english_lemmas: the English tokenizer voc uses for topics, so that a translation reads
    exactly like an English topic keyword ("expired" → "expire").
    """
    entries: dict[str, list[str]] = {}
    for path in (BUNDLED_GLOSSARY, *extra_files):
        entries.update(read_glossary_lines(Path(path)))
    words = sorted(entries)
    phrases = [alternative for word in words for alternative in entries[word]]
    lemmas = iter(english_lemmas(phrases))
    glossary: dict[str, tuple[str, ...]] = {}
    for word in words:
        translated = [lemma for _ in entries[word] for lemma in next(lemmas)]
        if translated:
            glossary[word] = tuple(translated)
    return glossary


def translate_keywords(keywords: Iterable[tuple[str, float]],
                       glossary: Glossary) -> dict[str, float]:
    """Chinese keyword weights as English lemma weights. Latin keywords (code-mixed "app",
    "refund") stand for themselves; a word the glossary lacks is dropped."""
    translated: dict[str, float] = defaultdict(float)
    for word, weight in keywords:
        if word.isascii():
            translated[word.lower()] += weight
            continue
        lemmas = glossary.get(word, ())
        for lemma in lemmas:
            translated[lemma] += weight / len(lemmas)
    return dict(translated)


def link_languages(topics: pd.DataFrame, glossary: Glossary,
                   threshold: float = CROSS_LINK_THRESHOLD) -> pd.DataFrame:
    """Cross-language links between emerging topics.

    topics: topic_id, lang, keywords (JSON [word, weight] list), stable_id, emerging.
    Returns one row per linked topic: topic_id, issue_id (shared by the pair), similarity.
    """
    columns = ["topic_id", "issue_id", "similarity"]
    if not len(topics):
        return pd.DataFrame(columns=columns)
    emerging = topics[topics["emerging"].astype(bool)]
    zh = emerging[emerging["lang"] == "zh"].sort_values("topic_id").reset_index(drop=True)
    en = emerging[emerging["lang"] == "en"].sort_values("topic_id").reset_index(drop=True)
    rows: list[tuple[str, str, float]] = []
    if len(zh) and len(en):
        translated = [translate_keywords(json.loads(k), glossary) for k in zh["keywords"]]
        english = [dict(json.loads(k)) for k in en["keywords"]]
        similarity = np.array([[weight_similarity(a, b) for b in english]
                               for a in translated])
        for i, j in zip(*linear_sum_assignment(-similarity), strict=True):
            if similarity[i, j] >= threshold:
                issue = min(str(zh.loc[i, "stable_id"]), str(en.loc[j, "stable_id"]))
                score = round(float(similarity[i, j]), 6)
                rows += [(zh.loc[i, "topic_id"], issue, score),
                         (en.loc[j, "topic_id"], issue, score)]
    return pd.DataFrame(rows, columns=columns)
