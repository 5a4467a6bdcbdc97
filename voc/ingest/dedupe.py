"""Find exact and near-duplicate feedback in a batch, without dropping anything.

- exact: the same words after lower-casing and removing punctuation, spaces and emoji. Short
  texts ("很好", "great app") count only when the same customer sent them twice: the same short
  praise from two customers is two voices, not a duplicate.
- near: copy-paste spam and re-sent e-mails with small edits. MinHash over character 5-grams
  with LSH banding, verified against the threshold.
- same_id: the source exported the same record id twice.

Records are fed chunk by chunk in input order; keys and signatures are kept as compact numpy
arrays (about 150 bytes per record) and resolved once at the end, so memory stays small.
Each duplicate points at the earliest record of its group, which is itself accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from voc.records import CUSTOMER_KEY, DUPLICATE_KIND, DUPLICATE_OF, FEEDBACK_ID
from voc.text.normalize import from_arrow, to_arrow

SHINGLE = 5
N_PERM = 32
BANDS, ROWS_PER_BAND = 8, 4  # P(candidate) ≈ 0.98 at similarity 0.8, 0.40 at 0.5
MAX_CHARS = 1000  # long e-mails: the first 1,000 letters and digits decide
# Keep one 5-gram in four, chosen by its hash, so every text keeps the same subset: MinHash
# estimates stay unbiased at a quarter of the cost.
SAMPLE_MASK = np.uint32(3)
_HASH_KEY = "voc-dedupe-key-0"
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def dedupe_form(texts: pd.Series) -> pd.Series:
    """Lower-case letters and digits only: what two copies of one text have in common."""
    array = pc.fill_null(to_arrow(texts), "")
    array = pc.replace_substring_regex(pc.utf8_lower(array), pattern=r"[^\pL\pN]+",
                                       replacement="")
    return from_arrow(array, texts)


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads the bits of a polynomial hash."""
    values = values ^ (values >> np.uint64(30))
    values = values * _MIX1
    values = values ^ (values >> np.uint64(27))
    values = values * _MIX2
    return values ^ (values >> np.uint64(31))


def _mix32(values: np.ndarray) -> np.ndarray:
    """murmur3 fmix32, in place."""
    values ^= values >> np.uint32(16)
    values *= np.uint32(0x85EBCA6B)
    values ^= values >> np.uint32(13)
    values *= np.uint32(0xC2B2AE35)
    values ^= values >> np.uint32(16)
    return values


def _no_separator(codes: np.ndarray, n: int) -> np.ndarray:
    """True where the 5-gram starting there lies inside one text (holds no NUL)."""
    is_zero = codes == 0
    ok = ~is_zero[:n]
    for shift in range(1, SHINGLE):
        ok &= ~is_zero[shift:shift + n]
    return ok


def _permutations(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=N_PERM, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=N_PERM, dtype=np.uint64)
    return a, b


def minhash_signatures(forms: list[str], seed: int = 0) -> np.ndarray:
    """MinHash signatures (len(forms) × N_PERM, uint32), vectorised over all texts at once.

    A text with no sampled 5-gram gets an all-ones row and is never matched.
    """
    signatures = np.full((len(forms), N_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    if not forms:
        return signatures
    # Texts joined by NUL separators: a 5-gram that holds a NUL crosses a boundary and is
    # dropped, which lets every 5-gram be computed from contiguous slices in one pass.
    clipped = [form[:MAX_CHARS] for form in forms]
    lengths = np.fromiter((len(form) + SHINGLE - 1 for form in clipped), dtype=np.int64,
                          count=len(clipped))
    joined = ("\0" * (SHINGLE - 1)).join(clipped) + "\0" * (SHINGLE - 1)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    if len(codes) < SHINGLE:
        return signatures
    n = len(codes) - SHINGLE + 1
    # 32-bit arithmetic (wrapping) halves the memory traffic; collisions among the few
    # thousand 5-grams of two texts are negligible.
    grams = codes[:n].copy()
    for shift in range(1, SHINGLE):
        grams *= np.uint32(0x01000193)
        grams += codes[shift:shift + n]
    grams = _mix32(grams)
    sampled = (grams & SAMPLE_MASK) == 0
    sampled &= _no_separator(codes, n)
    keep = np.flatnonzero(sampled)
    if len(keep) == 0:
        return signatures
    grams = grams[keep].astype(np.uint64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    doc_of_gram = np.searchsorted(starts, keep, side="right") - 1
    docs, first = np.unique(doc_of_gram, return_index=True)
    a, b = _permutations(seed)
    for perm in range(N_PERM):
        hashed = ((grams * a[perm] + b[perm]) >> np.uint64(32)).astype(np.uint32)
        signatures[docs, perm] = np.minimum.reduceat(hashed, first)
    return signatures


@dataclass(frozen=True)
class DedupeFeatures:
    """What dedupe needs to know about a chunk; computed anywhere (a worker), kept compactly."""

    ids: np.ndarray  # feedback ids as S16
    exact_keys: np.ndarray  # uint64, 0 = no key
    near_positions: np.ndarray  # positions in the chunk of texts long enough for MinHash
    signatures: np.ndarray  # len(near_positions) × N_PERM uint32


def weighted_lengths(forms: pd.Series, below: int | None = None) -> np.ndarray:
    """Length of the dedupe form, a Chinese character counting 2 (it carries about a word).

    With `below`, only lengths under it are weighted (the rest are already long enough),
    which saves a regex pass over long e-mails.
    """
    array = pc.fill_null(to_arrow(forms), "")
    lengths = pc.utf8_length(array).to_numpy(zero_copy_only=False).astype(np.int64)
    todo = np.arange(len(lengths)) if below is None else np.flatnonzero(lengths < below)
    if len(todo):
        han = pc.count_substring_regex(array.take(pa.array(todo)), pattern=r"\p{Han}")
        lengths[todo] += han.to_numpy(zero_copy_only=False)
    return lengths


def dedupe_features(records: pd.DataFrame, text_column: str, exact_min_chars: int = 40,
                    near_min_chars: int = 40, seed: int = 0) -> DedupeFeatures:
    """Exact keys and MinHash signatures of a chunk of records (a pure function)."""
    forms = dedupe_form(records[text_column])
    lengths = weighted_lengths(forms, below=exact_min_chars)
    customers = records[CUSTOMER_KEY].astype(object)
    form_values = forms.astype(object).fillna("").to_numpy()
    # Long texts: the text alone is the key. Short ones: only with the same customer.
    keyed = np.where(lengths >= exact_min_chars, form_values,
                     np.where(customers.notna().to_numpy() & (lengths > 0),
                              (customers.fillna("") + "\x1f").to_numpy() + form_values, ""))
    keys = pd.util.hash_array(keyed.astype(object), hash_key=_HASH_KEY, categorize=False)
    keys[keyed == ""] = 0
    # Near-duplicates need enough characters for 5-gram overlap to mean copying, not a
    # shared turn of phrase: plain characters here, no double weight for Chinese.
    near = np.flatnonzero(forms.str.len().fillna(0).to_numpy() >= near_min_chars)
    return DedupeFeatures(ids=records[FEEDBACK_ID].to_numpy(dtype="S16"), exact_keys=keys,
                          near_positions=near,
                          signatures=minhash_signatures(form_values[near].tolist(), seed))


@dataclass
class Deduplicator:
    """Collects chunk features in input order (`add_features`), decides once (`resolve`)."""

    near_threshold: float = 0.8
    near_min_chars: int = 40
    exact_min_chars: int = 40
    seed: int = 0
    _ids: list[np.ndarray] = field(default_factory=list)
    _exact: list[np.ndarray] = field(default_factory=list)
    _near_pos: list[np.ndarray] = field(default_factory=list)
    _near_sig: list[np.ndarray] = field(default_factory=list)
    _same_id: dict[str, str] = field(default_factory=dict)
    _count: int = 0

    def add(self, records: pd.DataFrame, text_column: str,
            repeated_ids: pd.Series | None = None) -> None:
        """Register a chunk of records (in input order). repeated_ids: index → first id."""
        self.add_features(dedupe_features(records, text_column, self.exact_min_chars,
                                          self.near_min_chars, self.seed), repeated_ids)

    def add_features(self, features: DedupeFeatures,
                     repeated_ids: pd.Series | None = None) -> None:
        ids, keys = features.ids, features.exact_keys.copy()
        if repeated_ids is not None and len(repeated_ids):
            for position, first in repeated_ids.items():
                self._same_id[ids[int(position)].decode()] = str(first)
                keys[int(position)] = 0  # already a duplicate of the record with its id
        self._near_pos.append(features.near_positions + self._count)
        self._near_sig.append(features.signatures)
        self._ids.append(ids)
        self._exact.append(keys)
        self._count += len(ids)

    def resolve(self) -> pd.DataFrame:
        """feedback_id → duplicate_of, duplicate_kind for every duplicate found."""
        if not self._count:
            return pd.DataFrame(columns=[FEEDBACK_ID, DUPLICATE_OF, DUPLICATE_KIND])
        ids = np.concatenate(self._ids)
        target = np.full(self._count, -1, dtype=np.int64)
        kind = np.full(self._count, "", dtype=object)
        index_of = {value.decode(): position for position, value in enumerate(ids.tolist())}
        for dup, first in self._same_id.items():
            target[index_of[dup]] = index_of[first]
            kind[index_of[dup]] = "same_id"
        self._resolve_exact(np.concatenate(self._exact), target, kind)
        self._resolve_near(target, kind)
        # Follow chains so every duplicate points at an accepted record.
        for _ in range(16):
            chained = (target >= 0) & (target[np.maximum(target, 0)] >= 0)
            if not chained.any():
                break
            target[chained] = target[target[chained]]
        dups = np.flatnonzero(target >= 0)
        return pd.DataFrame({
            FEEDBACK_ID: ids[dups].astype(str),
            DUPLICATE_OF: ids[target[dups]].astype(str),
            DUPLICATE_KIND: kind[dups].astype(str),
        })

    def _resolve_exact(self, keys: np.ndarray, target: np.ndarray, kind: np.ndarray) -> None:
        candidates = np.flatnonzero((keys != 0) & (target < 0))
        if not len(candidates):
            return
        _, first_index, inverse = np.unique(keys[candidates], return_index=True,
                                            return_inverse=True)
        firsts = candidates[first_index][inverse]
        dup = firsts != candidates
        target[candidates[dup]] = firsts[dup]
        kind[candidates[dup]] = "exact"

    def _resolve_near(self, target: np.ndarray, kind: np.ndarray) -> None:
        positions = np.concatenate(self._near_pos)
        signatures = np.concatenate(self._near_sig)
        live = (target[positions] < 0) & (signatures[:, 0] != np.iinfo(np.uint32).max)
        positions, signatures = positions[live], signatures[live]
        if len(positions) < 2:
            return
        best = np.full(len(positions), -1, dtype=np.int64)
        for band in range(BANDS):
            block = signatures[:, band * ROWS_PER_BAND:(band + 1) * ROWS_PER_BAND]
            band_keys = np.full(len(positions), np.uint64(band), dtype=np.uint64)
            for column in block.T:
                band_keys = _mix(band_keys * np.uint64(1_000_003) + column.astype(np.uint64))
            order = np.lexsort((positions, band_keys))
            sorted_keys = band_keys[order]
            group_start = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
            leader = order[np.maximum.accumulate(np.where(group_start, np.arange(len(order)), 0))]
            members = order[~group_start]
            leaders = leader[~group_start]
            similar = (signatures[members] == signatures[leaders]).mean(axis=1)
            ok = similar >= self.near_threshold
            members, leaders = members[ok], leaders[ok]
            earlier = (best[members] < 0) | (positions[leaders] < positions[np.maximum(
                best[members], 0)])
            best[members[earlier]] = leaders[earlier]
        found = np.flatnonzero(best >= 0)
        target[positions[found]] = positions[best[found]]
        kind[positions[found]] = "near"
