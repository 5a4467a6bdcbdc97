"""Text normalisation shared by ingest and analysis: NFKC, whitespace, traditional → simplified.

All functions take and return pandas string Series and run vectorised (Arrow compute kernels);
nothing here loops over documents in Python.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Control characters other than tab and newline (and the zero-width and BOM characters that
# survive copy-paste from apps) carry no meaning and break CSV exports.
_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f\x{200b}\x{200c}\x{200d}\x{2060}\x{feff}]"
_HAN = r"[\x{3400}-\x{4dbf}\x{4e00}-\x{9fff}\x{f900}-\x{faff}]"
_SEPARATOR = "\x1e"  # record separator; removed by _CONTROL, so it never occurs inside a text


def _arrow(texts: pd.Series) -> pa.ChunkedArray | pa.Array:
    return pa.array(texts.astype(object).where(texts.notna(), None), type=pa.large_string())


def _series(array: pa.Array | pa.ChunkedArray, like: pd.Series) -> pd.Series:
    return pd.Series(array.to_pandas(), index=like.index, dtype="string")


def normalize_text(texts: pd.Series) -> pd.Series:
    """NFKC (full-width → half-width), control characters removed, whitespace tidied.

    Line breaks are kept (at most one blank line in a row) because they separate an e-mail's
    paragraphs and a transcript's turns; runs of spaces and tabs become one space.

    >>> normalize_text(pd.Series(["ＡＢＣ１２３，  很好\\r\\n\\r\\n\\r\\n谢谢"])).tolist()
    ['ABC123, 很好\\n\\n谢谢']
    """
    array = pc.utf8_normalize(_arrow(texts), form="NFKC")
    array = pc.replace_substring_regex(array, pattern=r"\r\n?", replacement="\n")
    array = pc.replace_substring_regex(array, pattern=_CONTROL, replacement="")
    array = pc.replace_substring_regex(array, pattern=r"[ \t\x{a0}\x{3000}]+", replacement=" ")
    array = pc.replace_substring_regex(array, pattern=r" ?\n ?", replacement="\n")
    array = pc.replace_substring_regex(array, pattern=r"\n{3,}", replacement="\n\n")
    array = pc.utf8_trim_whitespace(array)
    return _series(array, texts)


def has_han(texts: pd.Series) -> pd.Series:
    """True where a text contains at least one Chinese character."""
    mask = pc.match_substring_regex(_arrow(texts), pattern=_HAN)
    return pd.Series(mask.to_pandas(), index=texts.index).fillna(False).astype(bool)


@lru_cache(maxsize=1)
def _opencc_t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s.json")


def to_simplified(texts: pd.Series) -> pd.Series:
    """Traditional Chinese → simplified (OpenCC t2s) for analysis; other texts pass through.

    Texts are converted in one OpenCC call, joined by a separator that cannot occur in them,
    which is far faster than one call per text.

    >>> to_simplified(pd.Series(["服務態度很差", "late again"])).tolist()
    ['服务态度很差', 'late again']
    """
    result = texts.astype("string")
    mask = has_han(result)
    if not mask.any():
        return result
    chinese = result[mask].fillna("")
    converted = _opencc_t2s().convert(_SEPARATOR.join(chinese.tolist())).split(_SEPARATOR)
    if len(converted) != len(chinese):  # cannot happen unless OpenCC drops the separator
        converted = [_opencc_t2s().convert(text) for text in chinese.tolist()]
    result[mask] = converted
    return result
