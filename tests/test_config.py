from __future__ import annotations

from pathlib import Path

import pytest

from voc.config import Settings, load_config, render_default_config
from voc.errors import ConfigError


def test_config_default_file_loads_with_every_default(tmp_path: Path) -> None:
    path = tmp_path / "voc.toml"
    path.write_text(render_default_config(salt="s" * 32), encoding="utf-8")
    settings = load_config(path)
    defaults = Settings()
    assert settings.ingest.model_dump() == defaults.ingest.model_copy(
        update={"customer_salt": "s" * 32}).model_dump()
    assert settings.project == defaults.project
    assert settings.store_path() == (tmp_path / "voc.duckdb").resolve()


def test_config_init_salt_is_random() -> None:
    assert render_default_config() != render_default_config()


def test_config_folder_argument_finds_voc_toml(tmp_path: Path) -> None:
    (tmp_path / "voc.toml").write_text('store = "x.duckdb"\n', encoding="utf-8")
    assert load_config(tmp_path).store_path() == (tmp_path / "x.duckdb").resolve()


@pytest.mark.parametrize(("text", "message"), [
    ("store = \n", "not valid TOML"),
    ("[ingest]\nredact = true\n", "ingest.redact: Extra inputs are not permitted"),
    ('[[sources]]\nname = "a"\npath = "x.csv"\nchannel = "fax"\n', "unknown channel 'fax'"),
    ("[ingest]\nnear_duplicate_threshold = 2\n", "ingest.near_duplicate_threshold"),
])
def test_config_errors_name_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "voc.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_config_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "absent.toml")


def test_config_channel_aliases_and_single_text_column(tmp_path: Path) -> None:
    path = tmp_path / "voc.toml"
    path.write_text('[[sources]]\nname = "t"\npath = "t.csv"\nchannel = "Twitter"\n'
                    'text = "body"\n', encoding="utf-8")
    source = load_config(path).sources[0]
    assert source.channel == "social" and source.text == ["body"]


def test_config_hash_ignores_folder_but_not_settings(tmp_path: Path) -> None:
    a = Settings(base_dir=tmp_path)
    b = Settings(base_dir=tmp_path / "elsewhere")
    assert a.config_hash() == b.config_hash()
    c = Settings(base_dir=tmp_path, project={"seed": 1})  # type: ignore[arg-type]
    assert c.config_hash() != a.config_hash()


def test_config_text_and_topic_settings_are_used_by_run(tmp_path: Path) -> None:
    """[text] and [topics] in voc.toml reach the tokenizer and the taxonomy."""
    from voc.pipeline import _tokenizer, settings_taxonomy

    (tmp_path / "dict.txt").write_text("满减券 3000 n\n", encoding="utf-8")
    (tmp_path / "team.yaml").write_text(
        "categories:\n  - id: locker\n    en: Locker\n    zh: 快递柜\n    servqual: reliability\n"
        "    keywords: {zh: [快递柜], en: [locker]}\n", encoding="utf-8")
    (tmp_path / "voc.toml").write_text(
        '[text]\nsegmenter = "jieba"\nuser_dictionaries = ["dict.txt"]\n'
        '[topics]\nn_topics = 7\nextra_taxonomies = ["team.yaml"]\n', encoding="utf-8")
    settings = load_config(tmp_path / "voc.toml")
    assert settings.topics.n_topics == 7
    tokenizer = _tokenizer(settings)
    assert tokenizer.chinese.segmenter == "jieba"
    assert "满减券" in tokenizer.tokenize(["会员日满减券领不到"])[0]
    assert settings_taxonomy(settings).ids[-1] == "locker"
