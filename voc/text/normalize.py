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


def to_arrow(texts: pd.Series) -> pa.Array | pa.ChunkedArray:
    """The texts as an Arrow large_string array; zero-copy for Arrow-backed pandas strings."""
    try:
        array = pa.array(texts, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed objects: make everything a string
        array = pa.array(texts.astype(object).where(texts.notna(), None).map(
            lambda value: value if value is None else str(value)), from_pandas=True)
    if not pa.types.is_large_string(array.type):
        array = array.cast(pa.large_string())
    return array


def from_arrow(array: pa.Array | pa.ChunkedArray, like: pd.Series) -> pd.Series:
    """Arrow strings back to a pandas "string" Series with `like`'s index, without copying."""
    return pd.Series(array, index=like.index, dtype=pd.StringDtype("pyarrow"))


_arrow, _series = to_arrow, from_arrow


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
    # Only runs of 2+ or non-space blanks: rewriting every single space is wasted work.
    array = pc.replace_substring_regex(array, pattern=r"[ \t\x{a0}\x{3000}]{2,}|[\t\x{a0}\x{3000}]",
                                       replacement=" ")
    array = pc.replace_substring_regex(array, pattern=r" ?\n ?", replacement="\n")
    array = pc.replace_substring_regex(array, pattern=r"\n{3,}", replacement="\n\n")
    array = pc.utf8_trim_whitespace(array)
    return _series(array, texts)


def has_han(texts: pd.Series) -> pd.Series:
    """True where a text contains at least one Chinese character."""
    mask = pc.match_substring_regex(_arrow(texts), pattern=_HAN)
    return pd.Series(mask.to_numpy(zero_copy_only=False), index=texts.index).fillna(
        False).astype(bool)


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
