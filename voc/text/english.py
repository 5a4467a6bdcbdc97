"""English tokens: lower-cased lemmas with negation kept, as spaCy's lookup lemmatiser gives them.

spaCy's full pipeline (`spacy.blank("en")` + lookup lemmatiser) tokenises about 5,000 short
documents per second per core; a monthly batch needs far more. This module uses the same
lemma table (spacy-lookups-data) and spaCy's stop-word list with a regex tokenizer that splits
contractions the way spaCy does ("didn't" → "do", "not"), at roughly ten times the speed.
`tests/text/test_english.py` measures its agreement with spaCy.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

# URLs and @handles carry no topic; #hashtags keep their word.
_TOKEN = re.compile(
    r"https?://\S+|www\.\S+|@\w+|#(\w+)|([a-z]+(?:[-'][a-z]+)*)|(\d+(?:[.,:]\d+)*[a-z]*)",
    re.IGNORECASE)
_NEGATED = {"ca": "can", "wo": "will", "sha": "shall", "ai": "be", "don": "do", "doesn": "do",
            "didn": "do", "isn": "be", "aren": "be", "wasn": "be", "weren": "be", "hasn": "have",
            "haven": "have", "hadn": "have", "couldn": "could", "wouldn": "would",
            "shouldn": "should", "mustn": "must", "needn": "need", "won": "will", "can": "can"}
_CLITICS = {"'s", "'re", "'ve", "'ll", "'d", "'m"}
NEGATION = "not"


# Where the lookup table's noun reading is wrong for feedback ("does" is not a deer).
_LEMMA_FIXES = {"does": "do", "doe": "do"}


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """spaCy's English lookup lemmas (spacy-lookups-data, MIT licence), loaded once."""
    data = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
    with data.open("rb") as handle:
        table = dict(json.loads(gzip.decompress(handle.read())))
    table.update(_LEMMA_FIXES)
    return table


@lru_cache(maxsize=1)
def spacy_stop_words() -> frozenset[str]:
    """spaCy's English stop words, read from their module file: importing spaCy itself costs
    about 3 s per process, and nothing else here needs it."""
    package = importlib.util.find_spec("spacy")  # finds the package without importing it
    if package is None or package.origin is None:
        raise ImportError("spaCy is not installed: pip install spacy")
    path = Path(package.origin).parent / "lang" / "en" / "stop_words.py"
    spec = importlib.util.spec_from_file_location("_voc_spacy_en_stop_words", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"spaCy's English stop words not found at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


class EnglishTokenizer:
    """Lower-cased lemma tokens; "n't" becomes "not" so negation survives for sentiment."""

    def __init__(self) -> None:
        self._lemmas = lemma_table()
        self._cache: dict[str, tuple[str, ...]] = {}

    def tokens(self, text: str) -> list[str]:
        out: list[str] = []
        cache = self._cache
        # findall gives each match's groups, "" for those that did not take part (a word,
        # hashtag or number is never empty); links and handles leave all three empty
        for hashtag, word, number in _TOKEN.findall(text):
            if word:
                out += cache.get(word) or self._word(word)
            elif hashtag:
                out += self._word(hashtag)
            elif number:
                out.append(number.lower())
        return out

    def _word(self, word: str) -> tuple[str, ...]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        lower = word.lower()
        result: tuple[str, ...]
        if lower.endswith("n't") and len(lower) > 3:
            base = lower[:-3]
            result = (self._lemma(_NEGATED.get(base, base)), NEGATION)
        elif lower.endswith("nt") and lower[:-1] in _NEGATED:
            # "didnt", "cant", "wont": apostrophe dropped, as often in tweets and chats
            result = (self._lemma(_NEGATED[lower[:-1]]), NEGATION)
        elif "'" in lower and lower[lower.index("'"):] in _CLITICS:
            result = (self._lemma(lower[:lower.index("'")]),)
        else:
            result = (self._lemma(lower),)
        if len(self._cache) < 200_000:
            self._cache[word] = result
        return result

    def _lemma(self, lower: str) -> str:
        return self._lemmas.get(lower, lower)
