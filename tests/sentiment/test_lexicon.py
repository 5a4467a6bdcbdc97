"""Lexicon files: bundled lists load, a team's own terms win, bad files name the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from voc.errors import ConfigError
from voc.sentiment.lexicon import load_lexicon, read_contrast, read_valences


def test_bundled_chinese_lexicon_has_service_words_and_rules() -> None:
    zh = load_lexicon("zh")
    assert zh.valence["满意"] > 0 > zh.valence["失望"]
    assert zh.valence["不错"] > 0  # lexicalised: never flipped by its 不
    assert "不" in zh.negators and "但是" in zh.contrast_after and "虽然" in zh.contrast_before
    assert zh.degree["非常"] > zh.degree["有点"]
    assert zh.longest_phrase >= 3


def test_bundled_english_lexicon_is_vader_plus_service_words_minus_requests() -> None:
    en = load_lexicon("en")
    assert en.valence["terrible"] < 0 < en.valence["great"]  # VADER's
    assert en.valence["delayed"] < 0  # voc's service additions
    assert "please" not in en.valence and "help" not in en.valence  # requests are neutral
    assert "lost luggage" in en.valence and en.longest_phrase >= 2
    assert en.emoticons["👍"] > 0 > en.emoticons["😡"]


def test_team_lexicon_wins_over_bundled(tmp_path: Path) -> None:
    own = tmp_path / "ours.tsv"
    own.write_text("# our product slang\n爆款\t2.5\nslow\t-3\n", encoding="utf-8")
    assert load_lexicon("zh", [own]).valence["爆款"] == 2.5
    assert load_lexicon("en", [own]).valence["slow"] == -3.0
    assert "爆款" not in load_lexicon("zh").valence  # the bundled one is untouched


@pytest.mark.parametrize(("line", "message"), [
    ("好评", "expected 'word<TAB>valence'"),
    ("好评\tgood", "is not a number"),
    ("好评\t7", "outside [-4, 4]"),
])
def test_bad_lexicon_line_is_named(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("# header\n满意\t2\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 3") as caught:
        read_valences(path)
    assert message in str(caught.value) and "bad.tsv" in str(caught.value)


def test_missing_lexicon_and_bad_contrast_role_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        read_valences(tmp_path / "absent.tsv")
    path = tmp_path / "contrast.tsv"
    path.write_text("但是\tafter\n虽然\tmaybe\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2: role"):
        read_contrast(path)
