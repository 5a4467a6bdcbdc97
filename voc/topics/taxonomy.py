"""The bilingual issue taxonomy: categories with zh/en keyword rules and a SERVQUAL dimension.

`corpora/taxonomy.yaml` is voc's own; a team replaces it or adds categories in voc.toml.
Matching is vectorised: one RE2 pass (Arrow compute) per category over all documents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from voc.errors import ConfigError
from voc.text.chinese import CORPORA
from voc.text.pattern_set import match_patterns

BUNDLED_TAXONOMY = CORPORA / "taxonomy.yaml"


class Servqual(StrEnum):
    RELIABILITY = "reliability"
    RESPONSIVENESS = "responsiveness"
    ASSURANCE = "assurance"
    EMPATHY = "empathy"
    TANGIBLES = "tangibles"


@dataclass(frozen=True)
class Category:
    id: str
    label_en: str
    label_zh: str
    servqual: Servqual
    zh_keywords: tuple[str, ...]
    en_keywords: tuple[str, ...]

    def pattern(self) -> str:
        """One RE2 pattern: any Chinese keyword as a substring, any English one as words."""
        parts = [chinese_pattern(word) for word in self.zh_keywords]
        english = [english_pattern(word) for word in self.en_keywords]
        if english:
            parts.append(r"\b(?:" + "|".join(english) + r")\b")
        return "(?i)" + "|".join(parts)


# A "*" inside a Chinese keyword stands for a few characters of the same clause, so one rule
# covers 物流信息8天没更新 and 物流信息没更新 ("物流信息*没更新").
CHINESE_GAP = r"[^，。！？；：,.!?;:\s]{0,8}"


def chinese_pattern(keyword: str) -> str:
    """A Chinese keyword as a substring; "*" matches up to 8 characters of one clause.

    >>> import re
    >>> bool(re.search(chinese_pattern("物流信息*没更新"), "物流信息13天没更新了"))
    True
    >>> bool(re.search(chinese_pattern("承诺*送达"), "承诺送货，结果一直没送达"))
    False
    """
    return CHINESE_GAP.join(re.escape(part) for part in keyword.split("*"))


def english_pattern(keyword: str) -> str:
    """"cancel*" matches any ending; spaces match any whitespace; the rest is literal."""
    words = keyword.lower().split()
    out = []
    for word in words:
        stem = word.rstrip("*")
        piece = re.escape(stem).replace("'", "['’]")
        out.append(piece + (r"\w*" if word.endswith("*") else ""))
    return r"\s+".join(out)


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[Category, ...]

    @property
    def ids(self) -> list[str]:
        return [category.id for category in self.categories]

    def get(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)


def load_taxonomy(path: Path | None = None, extra: Sequence[Path] = ()) -> Taxonomy:
    """Read the taxonomy (the bundled one by default) and merge extra files by category id."""
    merged: dict[str, Category] = {}
    for source in (path or BUNDLED_TAXONOMY, *extra):
        for category in _read(source):
            merged[category.id] = category
    if not merged:
        raise ConfigError("taxonomy has no categories", path or BUNDLED_TAXONOMY)
    return Taxonomy(tuple(merged.values()))


def _read(path: Path) -> list[Category]:
    if not path.is_file():
        raise ConfigError("taxonomy file not found", path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", path) from exc
    items = (data or {}).get("categories")
    if not isinstance(items, list):
        raise ConfigError("expected a 'categories' list", path)
    categories, seen = [], set()
    for number, item in enumerate(items, start=1):
        where = f"category {number} ({item.get('id', '?') if isinstance(item, dict) else '?'})"
        if not isinstance(item, dict) or not item.get("id"):
            raise ConfigError(f"{where}: needs an id", path)
        if item["id"] in seen:
            raise ConfigError(f"{where}: id '{item['id']}' appears twice", path)
        seen.add(item["id"])
        try:
            servqual = Servqual(str(item.get("servqual", "")).lower())
        except ValueError:
            allowed = ", ".join(s.value for s in Servqual)
            raise ConfigError(f"{where}: servqual must be one of {allowed}", path) from None
        keywords = item.get("keywords") or {}
        zh = tuple(str(word) for word in keywords.get("zh") or ())
        en = tuple(str(word) for word in keywords.get("en") or ())
        if not zh and not en:
            raise ConfigError(f"{where}: needs keywords (zh and/or en)", path)
        categories.append(Category(str(item["id"]), str(item.get("en", item["id"])),
                                   str(item.get("zh", item.get("en", item["id"]))), servqual,
                                   zh, en))
    return categories


def match_categories(texts: pd.Series | Sequence[str], taxonomy: Taxonomy) -> np.ndarray:
    """Boolean matrix documents × categories: which categories each document mentions (all
    categories in one pass over each text; a missing text matches nothing)."""
    values = texts.tolist() if isinstance(texts, pd.Series) else texts
    return match_patterns(values, [category.pattern() for category in taxonomy.categories])
