"""Tests for voc.ingest.language: per-record zh / en / mixed / other."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pandas as pd
import pytest

from voc.ingest.language import detect_language, detect_languages
from voc.records import LANG, Lang

ZH, EN, MIXED, OTHER = Lang.ZH, Lang.EN, Lang.MIXED, Lang.OTHER

CASES: list[tuple[str, Lang]] = [
    # short Chinese
    ("好评", ZH),
    ("垃圾", ZH),
    ("太慢了！！", ZH),
    # traditional Chinese
    ("服務態度很差", ZH),
    ("這個app很爛", ZH),
    # Chinese with loanwords, brands, abbreviations, a single English word, pinyin slang
    ("这个app太难用了", ZH),
    ("iPhone 15 屏幕有划痕", ZH),
    ("wifi连不上", ZH),
    ("SIM卡 NFC 不好用", ZH),
    ("WeChat支付失败", ZH),
    ("用WeChat和PayPal都付不了款", ZH),  # camel-case brands
    ("ABS和ESP灯都亮了", ZH),  # short all-caps abbreviations
    ("好评 good", ZH),
    ("真tm可以，真tm不错", ZH),
    # a stray kana or a katakana middle dot is not Japanese
    ("我の天啊", ZH),
    ("迈克尔・乔丹", ZH),
    # Chinese with a short English tail: English is well under 20% of the content
    ("我上周在你们店里买的洗衣机到现在还没有安装好，打了好几次电话都没人管，please check", ZH),
    # genuine code-mixing
    ("我的order一直没到，please check ASAP", MIXED),
    ("Customer service 态度很差，waited for 2 hours", MIXED),
    ("太差了 bad service", MIXED),
    ("菜品很好吃，下次还来。Good food and nice staff!", MIXED),
    # English with a little Chinese
    ("the 客服 was rude and didn't help", EN),
    ("Great service 好", EN),
    ("I ordered a washing machine last week and it is still not installed, 太差", EN),
    # short English without any signal
    ("ok", EN),
    ("Thx!", EN),
    ("wtf", EN),
    ("late again @united", EN),
    ("@united why", EN),
    # English
    ("the café was nice", EN),
    ("The package arrived late and the box was damaged", EN),
    ("@united DEN to LAS was late again", EN),  # airport codes are not German/Spanish words
    ("Ｈｅｌｌｏ ｗｏｒｌｄ", EN),  # full-width, before NFKC
    # Japanese, Korean, other scripts
    ("配送が遅いです", OTHER),
    ("ありがとう", OTHER),
    ("배송이 너무 늦어요", OTHER),
    ("삼성 galaxy 좋아요", OTHER),
    ("Доставка опоздала", OTHER),
    ("التوصيل متأخر جدا", OTHER),
    ("ส่งช้ามาก", OTHER),
    ("डिलीवरी बहुत देर से हुई", OTHER),
    # other Latin-script languages
    ("El pedido llegó tarde y el servicio fue muy malo", OTHER),
    ("Le colis n'est pas arrivé, très déçu", OTHER),
    ("Die Lieferung war sehr spät und das Essen kalt", OTHER),
    ("Obrigado, o pedido chegou muito rápido", OTHER),
    ("Het eten was koud en de bezorger was te laat", OTHER),
    ("Pesanan saya belum sampai, sangat lama", OTHER),
    ("Giao hàng quá chậm, thất vọng", OTHER),
    # no letters, or letters only in a URL
    ("👍", OTHER),
    ("👍👍😂", OTHER),
    ("123456", OTHER),
    ("12:30", OTHER),
    ("？？？", OTHER),
    ("", OTHER),
    ("   ", OTHER),
    ("http://example.com/abc", OTHER),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_language_detects_expected_label(text: str, expected: Lang) -> None:
    assert detect_language(text) is expected


@pytest.mark.parametrize("value", [None, math.nan, pd.NA, 42, b"bytes"])
def test_language_non_text_is_other(value: object) -> None:
    assert detect_language(value) is OTHER  # type: ignore[arg-type]


# Each pair: the first text has handles, hashtags, URLs, e-mails, entities or placeholders and
# stays Chinese; the second, the same words as plain English, is mixed. So they were not counted.
@pytest.mark.parametrize(("noisy", "plain"), [
    ("@united 航班又延误了 #delayed #fail", "united 航班又延误了 delayed fail"),
    ("物流太慢了 http://www.example.com/track/order/status",
     "物流太慢了 www example com track order status"),
    ("物流太慢了http:t.cn/track-order-status", "物流太慢了 http t cn track order status"),
    ("请联系 customer.service@example.com", "请联系 customer service example com"),
    ("质量不错&hellip;&hellip;&hellip;", "质量不错 hellip hellip hellip"),
    ("请回电 [PHONE] <ADDRESS>", "请回电 PHONE ADDRESS"),
])
def test_language_non_words_do_not_flip_chinese(noisy: str, plain: str) -> None:
    assert detect_language(noisy) is ZH
    assert detect_language(plain) is MIXED


def test_language_series_matches_scalar_on_every_case() -> None:
    texts = [text for text, _ in CASES] + [None, math.nan, 7]
    series = pd.Series(texts, index=[f"r{i}" for i in reversed(range(len(texts)))], dtype=object)

    result = detect_languages(series)

    assert result.index.equals(series.index)
    assert result.name == LANG
    assert result.tolist() == [detect_language(text).value for text in texts]  # type: ignore[arg-type]
    assert result.iloc[-3:].tolist() == [OTHER.value] * 3


def test_language_large_shuffled_batch_matches_each_text_alone() -> None:
    # ~1.3M characters: several internal chunks, and every kind of text next to every other, so a
    # word or a count leaking across texts or chunks would change some label.
    rng = random.Random(7)
    picks = rng.choices(CASES, k=100_000)
    series = pd.Series([text for text, _ in picks], index=pd.RangeIndex(5, 100_005))

    result = detect_languages(series)

    assert result.index.equals(series.index)
    assert result.tolist() == [expected.value for _, expected in picks]


def test_language_empty_series_keeps_index() -> None:
    series = pd.Series([], dtype=object, index=pd.Index([], name="feedback_id"))

    result = detect_languages(series)

    assert result.empty
    assert result.index.equals(series.index)


def test_language_accepts_pandas_string_dtypes() -> None:
    for dtype in ("string", "string[pyarrow]"):
        series = pd.Series(["好评", None, "great service", "我的order一直没到，please check"],
                           dtype=dtype)
        assert detect_languages(series).tolist() == ["zh", "other", "en", "mixed"]


DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.mark.shared_data
def test_language_public_sets_are_labelled_with_their_language() -> None:
    tweets, waimai = DATA / "twitter_us_airline/Tweets.csv", DATA / "waimai_10k/waimai_10k.csv"
    if not (tweets.exists() and waimai.exists()):
        pytest.skip(f"public data sets not found under {DATA}")
    english = detect_languages(pd.read_csv(tweets, usecols=["text"])["text"])
    chinese = detect_languages(pd.read_csv(waimai, usecols=["review"])["review"])
    assert (english == EN.value).mean() > 0.995
    assert (chinese == ZH.value).mean() > 0.995
