"""Per-record language: zh, en, mixed (Chinese/English code-mixing) or other.

Written by hand rather than with langid/lingua/fastText: those return one language per text, are
unreliable on two-word texts ("好评", "Thx!"), know nothing of zh/en code-mixing
("我的order一直没到，please check") and run orders of magnitude below the ~300k texts/s ingest
needs.

How it works, for a whole batch at once:
1. URLs, e-mail addresses, HTML entities and redaction placeholders are blanked (they are not
   language); @handles and #hashtags are skipped later, at word level.
2. The texts are joined into one UTF-32 buffer. A code-point table gives every character a class
   (Han, kana, Latin, accented Latin, digit, other script) and one bincount gives per-row counts.
   (Regex counting, one match per character, was ~10x slower on English text.)
3. Runs of Latin letters and digits are words. Each word of up to 8 characters gets an exact
   integer key (8 bits per lower-cased character), looked up in small built-in word lists:
   English function words, function words of other Latin-script languages, and loanwords that
   Chinese text borrows.
4. A few count rules decide (`_decide`; thresholds below, with the reasons).
`detect_language` runs the same code on one text, so both always agree.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from voc.records import LANG, Lang

__all__ = ["detect_language", "detect_languages"]

# --- character classes -------------------------------------------------------------------------
_NONE, _DIGIT, _LATIN, _ACCENTED, _VIETNAMESE, _HAN, _KANA, _OTHER = range(8)
_N_CLASSES = 8
# Later entries override earlier ones (Vietnamese letters are a subset of accented Latin).
_CLASS_RANGES: tuple[tuple[int, tuple[tuple[int, int], ...]], ...] = (
    (_DIGIT, ((0x30, 0x39), (0xFF10, 0xFF19))),  # full-width too: NFKC may not have run yet
    (_LATIN, ((0x41, 0x5A), (0x61, 0x7A), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))),
    # Latin-1 Supplement letters (not × ÷) to Latin Extended-B, and Latin Extended Additional.
    (_ACCENTED, ((0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x24F), (0x1E00, 0x1EFF))),
    # Letters only Vietnamese uses: tone-marked vowels of Latin Extended Additional, Đ đ Ơ ơ Ư ư.
    (_VIETNAMESE, ((0x1EA0, 0x1EF9), (0x110, 0x111), (0x1A0, 0x1A1), (0x1AF, 0x1B0))),
    # CJK Unified Ideographs with extensions A-H and the compatibility ideographs: simplified and
    # traditional Chinese alike.
    (_HAN, ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF))),
    # Hiragana and katakana (also half-width), without ・ (U+30FB) and ー (U+30FC): Chinese puts the
    # middle dot between parts of foreign names.
    (_KANA, ((0x3041, 0x3096), (0x309D, 0x309F), (0x30A1, 0x30FA), (0x30FD, 0x30FF),
             (0x31F0, 0x31FF), (0xFF66, 0xFF9D))),
    # Other scripts: Greek, Cyrillic, Armenian, Hebrew, Arabic (+ presentation forms), Indic
    # scripts, Thai, Lao, Tibetan, Myanmar, Georgian, Hangul (jamo and syllables), Ethiopic, Khmer.
    (_OTHER, ((0x370, 0x3FF), (0x400, 0x52F), (0x530, 0x58F), (0x590, 0x5FF), (0x600, 0x6FF),
              (0x750, 0x77F), (0x900, 0xDFF), (0xE00, 0xEFF), (0xF00, 0xFFF), (0x1000, 0x109F),
              (0x10A0, 0x10FF), (0x1100, 0x11FF), (0x1200, 0x137F), (0x1780, 0x17FF),
              (0x3130, 0x318F), (0xAC00, 0xD7AF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
)
_WORD_CLASSES = (_DIGIT, _LATIN, _ACCENTED, _VIETNAMESE)
# Per-character bits for word shapes. Accented letters count as vowels: the vowel test only has
# to tell words from consonant-only pinyin abbreviations (tm, nb, tnnd).
_UPPER, _LOWER, _VOWEL, _DIGIT_BIT = 1, 2, 4, 8
_UPPER_BYTES, _LOWER_BYTES = np.uint64(0x0101010101010101), np.uint64(0x0202020202020202)
_SIGILS = "@#＠＃"  # a word right after one is a handle or a hashtag, not language

# URLs (also the "http:t.cn/x" of some exports), e-mail addresses, HTML entities, redaction
# placeholders ([PHONE], <EMAIL>). URLs stop at the first non-ASCII character: Chinese text often
# follows a link without a space.
_NOT_WORDS = (
    r"(?:[Hh][Tt][Tt][Pp][Ss]?:|[Ww][Ww][Ww]\.)[!-~]+"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|&#?[A-Za-z0-9]+;"
    r"|\[[A-Z_]+\]|<[A-Z_]+>"
)

# --- word lists ----------------------------------------------------------------------------------
# Common function words (articles, pronouns, prepositions, auxiliaries, negation) plus a few very
# frequent feedback words ("thanks", "gracias"), from general frequency lists of each language.
# A word in the English list and in any other list is ambiguous ("a", "no", "me", "in", "was") and
# counts for no language. Words have at most 8 characters; single ASCII letters other than "i" are
# left out (too often abbreviations: "n" for "and", "e" of "e-mail").
_ENGLISH = """
the an and or but if of to in on at for with from by about as is are was were be been am have
has had do does did not no i me my you your he she it its we our us they them their this that these
those there what which who why how when where will would can could should just very so too all any
some again still never got get thanks thank please ll ve re don didn doesn isn wasn won
"""
_OTHER_LATIN = {
    "es": """el la los las de del que en te un una es por para con muy pero mi su se lo al como
        más ya está esta este fue hay sin nada todo bien bueno gracias nunca también hola porque
        cuando pedido usted""",
    "fr": """le la les de des du un une et est te sont pas ne je il elle nous vous ils que qui pour
        avec dans sur mon ma mes ce cette très mais ou où qu merci bien rien toujours jamais été ai
        au aux beaucoup""",
    "de": """der die das und ist was in so an nicht ich du sie wir ein eine einen mit auf für von
        zu den dem des sehr aber auch noch nur schon wie kein keine bin habe hat wurde gut schlecht
        danke bitte immer nie mein meine schön""",
    "pt": """os de do da dos das que em um uma não nao com para por muito mas meu minha foi está
        isso isto ele ela eu você voce obrigado obrigada bom ruim nunca ainda já também pedido no
        na pelo""",
    "it": """il lo la gli le di del della che è non per con un una uno sono ma molto mio mia questo
        questa anche ancora già grazie buono niente sempre mai ho ha hanno dove perché tutto""",
    "nl": """de het een en van is was in te niet ik je dat die met voor op zijn maar ook nog wel
        geen heel erg mijn dit er naar bij om dan al werd goed slecht bedankt altijd nooit""",
    "id": """yang dan di ini itu tidak tak saya aku ke dari untuk dengan ada sudah udah bisa tapi
        juga kamu anda sangat banget belum lagi mau akan karena pesanan terima kasih bagus jelek
        sekali boleh nya gak nggak""",
}
# Latin tokens common inside Chinese text: loanwords, brands, abbreviations, internet slang. They
# do not make a Chinese record English or mixed ("这个app太难用了", "wifi连不上").
_LOANWORDS = """
app apps ok okay bug bugs id vip wifi wi fi ios android apple iphone ipad mac macbook pdf ppt
sim usb gps nfc pc tv ai ui cpu qq pro max plus mini ultra mate note pad email mail logo online
hi hello bye sorry yes no emo get out low high size windows xp hp
"""
_EN_BIT, _LOAN_BIT = 1, 2
_LANG_BITS = tuple(4 << i for i in range(len(_OTHER_LATIN)))
_MAX_KEY_CHARS = 8
_CHUNK_CHARS = 1 << 20

# --- thresholds ----------------------------------------------------------------------------------
# Japanese: kana beyond a stray one (Chinese slang borrows の) and at least 20% of the Han+kana
# characters; Japanese prose runs at 40-70% kana.
_MIN_KANA, _KANA_SHARE = 2, 0.2
# Another script dominates with 2+ letters and at least a quarter of all letters.
_MIN_OTHER, _OTHER_SHARE = 2, 0.25
# Another Latin-script language: 2+ of its function words and more than twice the English ones
# ("clearly outnumber"); or accented letters that are frequent (2+ and at least 1 in 12 Latin
# letters) next to at most one English function word; or 2+ letters only Vietnamese uses.
_MIN_FOREIGN_WORDS = 2
_MIN_ACCENTED, _ACCENTED_SHARE, _MAX_EN_WITH_ACCENTS = 2, 1 / 12, 1
_MIN_VIETNAMESE = 2
# Mixed: both sides substantial. Chinese is measured in Han characters, English in words; an
# English word carries about as much as a Chinese word, 1.5 Han characters on average. Mixed needs
# 2+ Han characters, 2+ English words (not loanwords, brand shapes, handles or 1-2 letter
# non-function words) and the minority side at 20%+ of the content; otherwise the majority wins.
_HAN_PER_EN_WORD = 1.5
_MIN_MIXED_HAN, _MIN_MIXED_WORDS, _MIXED_SHARE = 2, 2, 0.2


# --- tables, built once at import ---------------------------------------------------------------
def _class_table() -> np.ndarray:
    """Class of every code point. In other scripts only letters count: their blocks also hold
    combining marks and punctuation that decorate Chinese text (送༵来༵)."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for cls, ranges in _CLASS_RANGES:
        for low, high in ranges:
            table[low:high + 1] = cls
    for cp in np.flatnonzero(table == _OTHER):
        if not unicodedata.category(chr(cp)).startswith("L"):
            table[cp] = _NONE
    return table


def _char_tables(classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per code point of a word character: its key code (1-254 for the lower-cased letter or digit,
    255 when no word-list word can contain it) and its shape bits."""
    codes = np.zeros(classes.size, dtype=np.uint8)
    bits = np.zeros(classes.size, dtype=np.uint8)
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz" + "".join(
        chr(c) for c in range(0xDF, 0x180) if chr(c).islower())
    index = {char: i + 1 for i, char in enumerate(alphabet)}
    for cp in np.flatnonzero(np.isin(classes, _WORD_CLASSES)):
        char = chr(cp)
        base = unicodedata.normalize("NFKC", char)  # full-width A → A
        codes[cp] = index.get(base.lower(), 255)
        bits[cp] = ((_UPPER if char.isupper() else 0) | (_LOWER if char.islower() else 0)
                    | (_DIGIT_BIT if char.isdigit() else 0)
                    | (_VOWEL if base.lower() in "aeiouy" or (cp >= 0x80 and not char.isdigit())
                       else 0))
    return codes, bits


def _word_key(word: str) -> int:
    return sum(int(_CODES[ord(char)]) << (8 * i) for i, char in enumerate(word))


def _word_table() -> tuple[np.ndarray, np.ndarray]:
    """Sorted word keys and their flags: English, loanword, or one bit per other language."""
    english = set(_ENGLISH.split())
    other = [set(words.split()) for words in _OTHER_LATIN.values()]
    ambiguous = english & set().union(*other)
    flags: dict[str, int] = dict.fromkeys(english - ambiguous, _EN_BIT)
    for bit, words in zip(_LANG_BITS, other, strict=True):
        for word in words - ambiguous:
            flags[word] = flags.get(word, 0) | bit
    for word in _LOANWORDS.split():
        flags[word] = flags.get(word, 0) | _LOAN_BIT
    bad = [w for w in flags
           if len(w) > _MAX_KEY_CHARS or {0, 255} & {int(_CODES[ord(c)]) for c in w}]
    if bad:
        raise ValueError(f"word list entries cannot be keyed: {bad}")
    keys = np.array([_word_key(word) for word in flags], dtype=np.uint64)
    order = np.argsort(keys)
    return keys[order], np.array(list(flags.values()), dtype=np.int64)[order]


_CLASSES = _class_table()
_CODES, _BITS = _char_tables(_CLASSES)
_KEYS, _KEY_FLAGS = _word_table()
# _LENGTH_MASKS[k]: the low k bytes of a 64-bit integer
_LENGTH_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(_MAX_KEY_CHARS + 1)], dtype=np.uint64)
_SIGIL_CPS = np.array([ord(c) for c in _SIGILS], dtype=np.uint32)


# --- public API ----------------------------------------------------------------------------------
def detect_language(text: str) -> Lang:
    """The language of one feedback text: zh, en, mixed or other (also for None and NaN).

    Runs the batch code on one text; for many texts `detect_languages` is much faster.

    >>> detect_language("我的order一直没到，please check ASAP")
    <Lang.MIXED: 'mixed'>
    >>> detect_language("这个app太难用了")
    <Lang.ZH: 'zh'>
    """
    return Lang(_detect([text])[0])


def detect_languages(texts: pd.Series) -> pd.Series:
    """The language of every text: a Series of Lang values ("zh", "en", "mixed", "other") on the
    same index, named `lang`. None, NaN and other non-strings are "other".

    >>> detect_languages(pd.Series(["好评", "Thx!", "配送が遅いです"])).tolist()
    ['zh', 'en', 'other']
    """
    return pd.Series(_detect(texts.tolist()), index=texts.index, name=LANG, dtype=object)


# --- the batch -----------------------------------------------------------------------------------
def _detect(values: Sequence[object]) -> np.ndarray:
    texts = _blank_non_words([v if isinstance(v, str) else "" for v in values])
    # Bounded chunks of about _CHUNK_CHARS characters: their arrays stay a few MB and the memory is
    # reused; arrays for a whole large batch are several times slower (page faults on new memory).
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1)
    limits = np.arange(_CHUNK_CHARS, ends[-1] if ends.size else 0, _CHUNK_CHARS)
    cuts = np.searchsorted(ends, limits)
    bounds = np.unique([0, *cuts, len(texts)])
    labels = [_detect_chunk(texts[a:b]) for a, b in itertools.pairwise(bounds)]
    return np.concatenate(labels) if labels else np.array([], dtype=object)


def _detect_chunk(texts: list[str]) -> np.ndarray:
    chars = _Chars.of(texts)
    return _decide(_script_counts(chars, len(texts)) | _word_counts(chars, len(texts)))


def _blank_non_words(texts: list[str]) -> list[str]:
    """Blank URLs, e-mails, entities and placeholders (RE2 via pyarrow: linear and fast)."""
    try:
        arr = pa.array(texts, type=pa.large_string())
    except (pa.ArrowInvalid, UnicodeEncodeError):  # lone surrogates: not valid text
        texts = [t.encode("utf-8", "replace").decode("utf-8") for t in texts]
        arr = pa.array(texts, type=pa.large_string())
    hits = np.flatnonzero(pc.match_substring_regex(arr, _NOT_WORDS).to_numpy(zero_copy_only=False))
    if hits.size:
        blanked = pc.replace_substring_regex(arr.take(pa.array(hits)), _NOT_WORDS, " ")
        for i, text in zip(hits.tolist(), blanked.to_pylist(), strict=True):
            texts[i] = text
    return texts


@dataclass(frozen=True)
class _Chars:
    """The batch as per-character arrays: one "\\n" before every text and one after the last,
    so that no word spans two texts and every word has a character before and after it."""

    cp: np.ndarray  # code points
    row: np.ndarray  # the text each character belongs to
    classes: np.ndarray  # character class (_HAN, _LATIN, ...)
    codes: np.ndarray  # key code, 0 for characters outside words; 8 zero bytes of padding
    bits: np.ndarray  # shape bits (_UPPER, ...); 8 zero bytes of padding

    @classmethod
    def of(cls, texts: list[str]) -> _Chars:
        cp = np.frombuffer(("\n" + "\n".join(texts) + "\n").encode("utf-32-le"), dtype="<u4")
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
        lengths[-1] += 1  # the final "\n"
        index = cp.astype(np.intp)  # once, not in every table look-up
        codes = np.zeros(cp.size + _MAX_KEY_CHARS, dtype=np.uint8)
        bits = np.zeros(cp.size + _MAX_KEY_CHARS, dtype=np.uint8)
        np.take(_CODES, index, out=codes[:cp.size])
        np.take(_BITS, index, out=bits[:cp.size])
        row = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        return cls(cp, row, np.take(_CLASSES, index), codes, bits)

    def windows(self, padded: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """The 8 bytes of `padded` from each start, read as one little-endian integer."""
        view = np.ndarray((self.cp.size,), dtype="<u8", buffer=padded, strides=(1,))
        return view[starts]


def _script_counts(chars: _Chars, n: int) -> dict[str, np.ndarray]:
    index = chars.row * _N_CLASSES
    index += chars.classes
    counts = np.bincount(index, minlength=n * _N_CLASSES).reshape(n, _N_CLASSES)
    return {
        "han": counts[:, _HAN], "kana": counts[:, _KANA], "other": counts[:, _OTHER],
        "latin": counts[:, _LATIN] + counts[:, _ACCENTED] + counts[:, _VIETNAMESE],
        "accented": counts[:, _ACCENTED] + counts[:, _VIETNAMESE],
        "vietnamese": counts[:, _VIETNAMESE],
    }


def _word_counts(chars: _Chars, n: int) -> dict[str, np.ndarray]:
    """Per row: English function words, the most function words of one other language, and
    English content words (for the mixed rule)."""
    in_word = chars.codes[:chars.cp.size] > 0
    starts = np.flatnonzero(in_word[1:] & ~in_word[:-1]) + 1
    length = np.flatnonzero(in_word[:-1] & ~in_word[1:]) + 1 - starts
    row = chars.row[starts]
    # Words of up to 8 characters: key and shape from the 8 bytes at the start, the bytes past
    # the word masked off. Longer words get key 0 (no list word is that long) and the shape of
    # their first 8 characters.
    mask = _LENGTH_MASKS[np.minimum(length, _MAX_KEY_CHARS)]
    key = np.where(length <= _MAX_KEY_CHARS, chars.windows(chars.codes, starts) & mask, 0)
    shape = chars.windows(chars.bits, starts) & mask
    hit = np.minimum(np.searchsorted(_KEYS, key), _KEYS.size - 1)
    flags = np.where(_KEYS[hit] == key, _KEY_FLAGS[hit], 0)

    sigil = np.isin(chars.cp[starts - 1], _SIGIL_CPS)
    any_bits, all_bits = _fold(shape, np.bitwise_or), _fold(shape | ~mask, np.bitwise_and)
    all_caps = ((all_bits & _UPPER) > 0) & (length >= 2)
    # camel case: a lower-case letter right before an upper-case one (iPhone, WeChat)
    camel = (((shape & _LOWER_BYTES) >> 1) << 8) & (shape & _UPPER_BYTES) > 0
    brand = camel | (all_caps & (length <= 4))  # SIM, NFC, ASAP
    english = ~sigil & ((flags & _EN_BIT) > 0)
    content = (~sigil & ((any_bits & _DIGIT_BIT) == 0) & ((any_bits & _VOWEL) > 0) & ~brand
               & ((flags & _LOAN_BIT) == 0) & ((length >= 3) | english))
    # Foreign function words: not in handles or all-caps tokens (airport codes: DEN, LAS, MIA).
    foreign = ~sigil & ~all_caps
    per_lang = [np.bincount(row[foreign & ((flags & bit) > 0)], minlength=n) for bit in _LANG_BITS]
    return {
        "en": np.bincount(row[english], minlength=n),
        "foreign": np.max(per_lang, axis=0),
        "words": np.bincount(row[content], minlength=n),
    }


def _fold(packed: np.ndarray, op: np.ufunc) -> np.ndarray:
    """Combine the 8 bytes of each integer with `op` (bitwise or / and)."""
    for shift in (32, 16, 8):
        packed = op(packed, packed >> np.uint64(shift))
    return packed & np.uint64(0xFF)


# --- the rules -----------------------------------------------------------------------------------
def _decide(f: dict[str, np.ndarray]) -> np.ndarray:
    """Lang values from per-row counts; the conditions of np.select in order of precedence."""
    han, kana, latin, other = f["han"], f["kana"], f["latin"], f["other"]
    letters = han + kana + latin + other
    japanese = (kana >= _MIN_KANA) & (kana >= _KANA_SHARE * (han + kana))
    other_script = (other >= _MIN_OTHER) & (other >= _OTHER_SHARE * letters)

    foreign_latin = (
        ((f["foreign"] >= _MIN_FOREIGN_WORDS) & (f["foreign"] > 2 * f["en"]))
        | ((f["accented"] >= _MIN_ACCENTED) & (f["accented"] >= _ACCENTED_SHARE * latin)
           & (f["en"] <= _MAX_EN_WITH_ACCENTS))
        | (f["vietnamese"] >= _MIN_VIETNAMESE)
    )
    latin_lang = np.where(foreign_latin, Lang.OTHER.value, Lang.EN.value)

    en_units = _HAN_PER_EN_WORD * f["words"]
    minority = np.minimum(han, en_units) / np.maximum(han + en_units, 1)
    mixed = (han >= _MIN_MIXED_HAN) & (f["words"] >= _MIN_MIXED_WORDS) & (minority >= _MIXED_SHARE)
    han_and_latin = np.where(mixed, Lang.MIXED.value,
                             np.where(han >= en_units, Lang.ZH.value, latin_lang))

    return np.select(
        [letters == 0, japanese | other_script, (han == 0) & (latin == 0), latin == 0, han == 0],
        [Lang.OTHER.value, Lang.OTHER.value, Lang.OTHER.value, Lang.ZH.value, latin_lang],
        default=han_and_latin,
    ).astype(object)
