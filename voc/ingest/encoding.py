"""Detect the text encoding of an export: UTF-8 (with or without BOM), GBK/GB18030, UTF-16.

Chinese Excel saves "CSV" in GBK; newer tools write UTF-8 with a BOM. A file can also be mostly
one encoding with a few broken bytes, so the choice is made by which decoding breaks least,
and the broken rows are rejected later rather than failing the whole file.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

SAMPLE_BYTES = 1 << 20
# Valid multi-byte UTF-8 characters per broken byte that make a sample UTF-8 whatever its size.
UTF8_EVIDENCE = 10

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(path: Path) -> str:
    """Best encoding for a text file, judged on its first megabyte.

    >>> detect_encoding(Path("export_from_excel.csv"))  # doctest: +SKIP
    'gb18030'
    """
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    return detect_encoding_of_bytes(sample, truncated=len(sample) == SAMPLE_BYTES)


def detect_encoding_of_bytes(sample: bytes, truncated: bool = False) -> str:
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if truncated:
        # Cut at the last newline so a multi-byte character is not split at the sample's end.
        cut = sample.rfind(b"\n")
        if cut > 0:
            sample = sample[: cut + 1]
    if not sample:
        return "utf-8"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Neither decodes cleanly: take the one with fewer broken characters. GB18030 is the
    # superset of GBK and GB2312, so it reads all three.
    candidates = {name: _broken_chars(sample, name) for name in ("utf-8", "gb18030")}
    best = min(candidates, key=lambda name: (candidates[name], name != "gb18030"))
    if best == "utf-8" and _valid_utf8_multibyte(sample) >= UTF8_EVIDENCE * candidates[best]:
        # UTF-8 checks itself: other encodings' text almost never forms valid multi-byte
        # sequences, so many of them beside a few broken bytes is UTF-8 with broken rows,
        # even in a file too small for the share rule below (a guess there read a short
        # Chinese UTF-8 export as a Cyrillic code page).
        return "utf-8"
    if candidates[best] * 200 > len(sample):
        guess = from_bytes(sample).best()
        if guess is not None and guess.encoding:
            return str(guess.encoding)
    return best


def _broken_chars(sample: bytes, encoding: str) -> int:
    return sample.decode(encoding, errors="replace").count("\ufffd")


def _valid_utf8_multibyte(sample: bytes) -> int:
    """Characters beyond ASCII that decode as UTF-8 (broken bytes do not count)."""
    text = sample.decode("utf-8", errors="replace")
    beyond_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return beyond_ascii - text.count("\ufffd")


def normalise_encoding_name(name: str) -> str:
    """Map user spellings (GBK, gb2312, UTF8-BOM) to a codec Python knows; GBK reads as GB18030."""
    key = name.strip().lower().replace("_", "-")
    if key in {"gbk", "gb2312", "gb-2312", "cp936", "gb18030"}:
        return "gb18030"
    if key in {"utf-8-bom", "utf8-bom", "utf-8-sig", "utf8-sig"}:
        return "utf-8-sig"
    codecs.lookup(key)  # raises LookupError for unknown names
    return key
