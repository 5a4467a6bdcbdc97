"""Keep generated texts apart, so the planted duplicates are the only duplicates in the sample.

Texts are compared by character 5-gram Jaccard similarity in two forms: the one voc's dedupe
uses (lower-case letters and digits only, NFKC) and the plain one (lower-cased, whitespace
collapsed, punctuation kept). An inverted index of 5-grams per form finds, for a new text,
every earlier text sharing a 5-gram and the exact size of each overlap, so the check is exact
and needs no pairwise loop.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from itertools import chain

SHINGLE = 5
_NOT_ALNUM = re.compile(r"[\W_]+")


def dedupe_form(text: str) -> str:
    """Lower-case letters and digits only (punctuation, spaces and emoji dropped)."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).lower())


def plain_form(text: str) -> str:
    """Lower-cased, whitespace runs collapsed to one space."""
    return " ".join(text.lower().split())


def shingles(form: str) -> set[str]:
    if len(form) < SHINGLE:
        return {form} if form else set()
    return {form[i : i + SHINGLE] for i in range(len(form) - SHINGLE + 1)}


class _ShingleIndex:
    """5-gram postings of admitted texts in one form."""

    def __init__(self, form: Callable[[str], str], threshold: float, near_min_chars: int,
                 index_min_chars: int) -> None:
        self.form = form
        self.threshold = threshold
        self.near_min_chars = near_min_chars
        self.index_min_chars = index_min_chars
        self._postings: dict[str, list[int]] = {}
        self._sizes: list[int] = []
        self._long: list[bool] = []

    def probe(self, text: str) -> tuple[set[str], bool] | None:
        """The text's 5-grams (to add later), or None if an indexed text is too similar."""
        form = self.form(text)
        is_long = len(form) >= self.near_min_chars
        grams = shingles(form) if len(form) >= self.index_min_chars else set()
        postings = self._postings
        overlap = Counter(chain.from_iterable(postings[g] for g in grams if g in postings))
        size = len(grams)
        for other, shared in overlap.items():
            if (is_long or self._long[other]) and \
                    shared / (size + self._sizes[other] - shared) >= self.threshold:
                return None
        return grams, is_long

    def add(self, grams: set[str], is_long: bool) -> None:
        if not grams:
            return
        doc = len(self._sizes)
        self._sizes.append(len(grams))
        self._long.append(is_long)
        for gram in grams:
            self._postings.setdefault(gram, []).append(doc)


class DistinctGuard:
    """Admits a text only if it is no near- or exact duplicate of an admitted one.

    - exact: texts of `exact_min_chars` or more must differ in dedupe form; shorter ones only
      from the same customer ("很好" may come from many customers, but not twice from one);
    - near: when either text has `near_min_chars` or more (in the form compared), the 5-gram
      Jaccard similarity must stay below `threshold`, in both forms.
    """

    def __init__(self, threshold: float = 0.45, near_min_chars: int = 30,
                 exact_min_chars: int = 20, index_min_chars: int = 12) -> None:
        self.exact_min_chars = exact_min_chars
        self._indexes = [_ShingleIndex(form, threshold, near_min_chars, index_min_chars)
                         for form in (dedupe_form, plain_form)]
        self._forms: set[str] = set()
        self._short: set[tuple[str, str]] = set()

    def admit(self, text: str, customer: str = "") -> bool:
        """Record the text and return True, or return False if it is too close to another."""
        form = dedupe_form(text)
        is_short = len(text) < self.exact_min_chars
        if (customer, form) in self._short if is_short else form in self._forms:
            return False
        probes = []
        for index in self._indexes:
            probe = index.probe(text)
            if probe is None:
                return False
            probes.append(probe)
        for index, (grams, is_long) in zip(self._indexes, probes, strict=True):
            index.add(grams, is_long)
        if is_short:
            self._short.add((customer, form))
        else:
            self._forms.add(form)
        return True
