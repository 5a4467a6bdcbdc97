"""Escalation flags: legal threats, churn intent, safety incidents and repeat contacts.

The rules are voc's own `corpora/flags.yaml` (a team adds files in voc.toml). Each kind compiles
to one RE2 pattern; all kinds' patterns are matched in one pass over each document (an RE2
set). Only the matching rows get a second look: look-alike phrases ("fire sale", 工商银行)
are blanked out and the pattern is matched again, which also extracts the evidence phrase.
RE2 has no lookaround, so this blank-and-rematch step is how a rule says "but not in this
context".

>>> rules = load_flag_rules()
>>> detect_flags(pd.Series(["再不退款我就投诉到12315", "fire sale!"]), rules)
   row   flag  evidence
0    0  legal  投诉到12315
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from voc.errors import ConfigError
from voc.text.chinese import CORPORA
from voc.text.normalize import to_arrow
from voc.text.pattern_set import match_patterns

BUNDLED_FLAGS = CORPORA / "flags.yaml"

ROW, FLAG, EVIDENCE = "row", "flag", "evidence"  # columns of detect_flags' frame

_LANGS = ("zh", "en")
# Replaces excluded spans before the second match. A control character: it is neither a word
# character nor whitespace, so it cannot join words into a new match, and gaps stop at it.
_MASK = "\x1f"
# Clause breaks a gap never crosses (NFKC has already turned full-width ，！？ into ASCII).
_BREAKS = r",.;:!?，。；：！？、\n\r" + _MASK
_GAP = {
    "zh": rf"[^{_BREAKS}]{{0,8}}?",
    "en": rf"\s+(?:[^\s{_BREAKS}]+\s+){{0,4}}?",
}
_ANY = {"zh": rf"[^\s{_BREAKS}]", "en": r"\w+"}
_SPACE = {"zh": r"\s*", "en": r"\s+"}


class FlagKind(StrEnum):
    LEGAL = "legal"
    CHURN = "churn"
    SAFETY = "safety"
    REPEAT_CONTACT = "repeat_contact"


@dataclass(frozen=True)
class FlagRule:
    """One kind's compiled RE2 patterns: `pattern` has the named group `evidence`."""

    kind: FlagKind
    pattern: str
    exclude: str | None = None


@dataclass(frozen=True)
class FlagRules:
    """The compiled rules of every kind that has phrases."""

    rules: tuple[FlagRule, ...]

    @property
    def kinds(self) -> list[FlagKind]:
        return [rule.kind for rule in self.rules]

    def get(self, kind: FlagKind | str) -> FlagRule:
        for rule in self.rules:
            if rule.kind == kind:
                return rule
        raise KeyError(kind)


@dataclass
class _Phrases:
    """The phrases of one kind as written in the YAML files, merged across files."""

    match: dict[str, list[str]] = field(default_factory=lambda: {lang: [] for lang in _LANGS})
    exclude: dict[str, list[str]] = field(default_factory=lambda: {lang: [] for lang in _LANGS})

    def extend(self, other: _Phrases) -> None:
        for mine, theirs in ((self.match, other.match), (self.exclude, other.exclude)):
            for lang in _LANGS:
                mine[lang] += [p for p in theirs[lang] if p not in mine[lang]]


def load_flag_rules(path: Path | None = None, extra: Sequence[Path] = ()) -> FlagRules:
    """Read the flag rules (the bundled ones by default) and merge extra files' lists per kind."""
    merged: dict[FlagKind, _Phrases] = {}
    for source in (path or BUNDLED_FLAGS, *extra):
        for kind, phrases in _read(source).items():
            merged.setdefault(kind, _Phrases()).extend(phrases)
    rules = tuple(_compile(kind, merged[kind]) for kind in FlagKind
                  if kind in merged and any(merged[kind].match.values()))
    if not rules:
        raise ConfigError("flag rules have no phrases", path or BUNDLED_FLAGS)
    return FlagRules(rules)


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, except that a repeated key is an error, not a silent overwrite
    (a second `exclude:` under one kind would otherwise drop the first list)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read(path: Path) -> dict[FlagKind, _Phrases]:
    if not path.is_file():
        raise ConfigError("flag rules file not found", path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", path) from exc
    flags = data.get("flags") if isinstance(data, dict) else None
    if not isinstance(flags, dict):
        raise ConfigError("expected a 'flags' mapping of kind → phrases", path)
    out = {}
    for name, body in flags.items():
        try:
            kind = FlagKind(str(name))
        except ValueError:
            allowed = ", ".join(k.value for k in FlagKind)
            raise ConfigError(f"unknown flag kind '{name}' (kinds: {allowed})", path) from None
        out[kind] = _read_kind(body, f"flags.{kind}", path)
    return out


def _read_kind(body: object, where: str, path: Path) -> _Phrases:
    body = _mapping(body, where, {*_LANGS, "exclude"}, path)
    phrases = _Phrases()
    for lang in _LANGS:
        phrases.match[lang] = _phrase_list(body.get(lang), f"{where}.{lang}", lang, path)
    exclude = _mapping(body.get("exclude"), f"{where}.exclude", set(_LANGS), path)
    for lang in _LANGS:
        phrases.exclude[lang] = _phrase_list(exclude.get(lang), f"{where}.exclude.{lang}", lang,
                                             path)
    return phrases


def _mapping(value: object, where: str, keys: set[str], path: Path) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a mapping with keys {sorted(keys)}", path)
    unknown = set(map(str, value)) - keys
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; allowed {sorted(keys)}",
                          path)
    return value


def _phrase_list(value: object, where: str, lang: str, path: Path) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of phrases", path)
    phrases = []
    for item in value:
        # YAML reads an unquoted 12315 as a number; anything else is a mistake.
        if isinstance(item, bool) or not isinstance(item, str | int) or not str(item).strip():
            raise ConfigError(f"{where}: {item!r} is not a phrase", path)
        phrase = str(item).strip()
        try:
            _check(phrase_regex(phrase, lang))
        except ValueError as exc:
            raise ConfigError(f"{where}: phrase {phrase!r}: {exc}", path) from None
        phrases.append(phrase)
    return phrases


def _check(regex: str) -> None:
    """Let RE2 itself reject what it cannot compile (Arrow compiles even for no input)."""
    try:
        pc.match_substring_regex(pa.array([], pa.large_string()), pattern=regex)
    except pa.ArrowInvalid as exc:
        raise ValueError(str(exc)) from None


def phrase_regex(phrase: str, lang: str) -> str:
    """The RE2 regex of one phrase written in the flags.yaml syntax (see its header).

    >>> phrase_regex("cancel* (my |)account", "en")
    'cancel\\\\w*\\\\s+(?:my\\\\s+|)account'
    """
    text = re.sub(r"\s*(?:…|\.\.\.)\s*", "…", phrase.strip())
    out, depth = [], 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
            out.append("(?:")
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise ValueError("unbalanced ')'")
            out.append(")")
        elif char == "|":
            out.append("|")
        elif char == "…":
            out.append(_GAP[lang])
        elif char == "~":
            out.append(_ANY[lang])
        elif char == "#":
            out.append(r"\d+")
        elif char == "*" and lang == "en":
            out.append(r"\w*")
        elif char.isspace():
            if not text[i - 1].isspace():  # a run of spaces is one separator
                out.append(_SPACE[lang])
        elif char in "'’":
            out.append("['’]")
        else:
            out.append(re.escape(char))
    if depth:
        raise ValueError("unbalanced '('")
    return "".join(out)


def _alternation(phrases: dict[str, list[str]]) -> str:
    # Longest first: at one position RE2 takes the first alternative that matches, and the
    # longer phrase is the more telling evidence ("工商局" rather than "工商").
    zh = [phrase_regex(p, "zh") for p in sorted(phrases["zh"], key=len, reverse=True)]
    en = [phrase_regex(p, "en") for p in sorted(phrases["en"], key=len, reverse=True)]
    # English phrases are whole words; RE2's \b is ASCII-only, so Chinese next to them counts
    # as a boundary ("打12315投诉").
    return "|".join(zh + ([r"\b(?:" + "|".join(en) + r")\b"] if en else []))


def _compile(kind: FlagKind, phrases: _Phrases) -> FlagRule:
    pattern = f"(?i)(?P<{EVIDENCE}>{_alternation(phrases.match)})"
    exclude = f"(?i){_alternation(phrases.exclude)}" if any(phrases.exclude.values()) else None
    return FlagRule(kind, pattern, exclude)


def detect_flags(texts: pd.Series, rules: FlagRules) -> pd.DataFrame:
    """The flags each document raises, with the phrase that raised it.

    One row per (document position, flag kind) that fires: `row` (position in `texts`),
    `flag` (the FlagKind value) and `evidence` (the matched phrase as written), sorted by row
    then flag. Texts are expected NFKC-normalised and simplified; English matches ignore case.
    """
    array = pc.fill_null(to_arrow(texts), "")
    hits = match_patterns(array.to_pylist(), [rule.pattern for rule in rules.rules])
    found = [_detect(array, np.flatnonzero(hits[:, column]), rule)
             for column, rule in enumerate(rules.rules)]
    frames = [frame for frame in found if len(frame)]
    if not frames:
        return _frame(np.empty(0, dtype=np.int64), "", [])
    flags = pd.concat(frames, ignore_index=True)
    return flags.sort_values([ROW, FLAG], kind="stable", ignore_index=True)


def _detect(array: pa.Array | pa.ChunkedArray, rows: np.ndarray,
            rule: FlagRule) -> pd.DataFrame:
    """The rule's flags among `rows`, the texts its pattern occurs in."""
    if not rows.size:
        return _frame(rows, rule.kind, [])
    candidates = array.take(pa.array(rows))
    if rule.exclude:
        candidates = pc.replace_substring_regex(candidates, pattern=rule.exclude,
                                                replacement=_MASK)
    # Null where the only matches were look-alikes; otherwise the leftmost phrase.
    evidence = pc.struct_field(pc.extract_regex(candidates, pattern=rule.pattern), [0])
    kept = pc.is_valid(evidence).to_numpy(zero_copy_only=False)
    return _frame(rows[kept], rule.kind, pc.drop_null(evidence).to_pylist())


def _frame(rows: np.ndarray, kind: str, evidence: Iterable[str]) -> pd.DataFrame:
    evidence = list(evidence)
    return pd.DataFrame({ROW: rows.astype(np.int64),
                         FLAG: pd.Series([str(kind)] * len(rows), dtype=object),
                         EVIDENCE: pd.Series(evidence, dtype=object)})
