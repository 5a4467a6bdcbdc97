"""Escalation flags: bundled zh/en rules on positives and look-alikes, rule files, frame shape."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from voc.errors import ConfigError
from voc.sentiment.flags import (
    EVIDENCE,
    FLAG,
    ROW,
    FlagKind,
    FlagRules,
    detect_flags,
    load_flag_rules,
    phrase_regex,
)

LEGAL, CHURN, SAFETY, REPEAT = (FlagKind.LEGAL, FlagKind.CHURN, FlagKind.SAFETY,
                                FlagKind.REPEAT_CONTACT)


@pytest.fixture(scope="module")
def rules() -> FlagRules:
    return load_flag_rules()


def flags_of(text: str, rules: FlagRules) -> dict[str, str]:
    found = detect_flags(pd.Series([text]), rules)
    return dict(zip(found[FLAG], found[EVIDENCE], strict=True))


# Each case: the text and the flags it must raise, kind → evidence ({} = must raise none).
LEGAL_CASES = [
    ("再不退款我就投诉到12315", {LEGAL: "投诉到12315"}),
    ("已经打了12315，等着他们来协调吧", {LEGAL: "12315"}),
    ("已经准备向消协投诉了", {LEGAL: "消协"}),
    ("已经向市场监管局投诉了", {LEGAL: "市场监管局"}),
    ("我会找律师咨询，保留追究的权利", {LEGAL: "律师"}),
    ("今天之内不退我就走法律途径", {LEGAL: "法律途径"}),
    ("我会向银行申请拒付", {LEGAL: "拒付"}),
    ("用工商银行卡支付失败", {}),
    ("投诉到工商银行客服也没用", {}),
    ("烟雾报警器一直响", {}),
    ("I'm reporting this to the CFPB.", {LEGAL: "CFPB"}),
    ("If this isn't fixed I'm filing a complaint with the BBB.", {LEGAL: "BBB"}),
    ("I am going to sue you", {LEGAL: "to sue"}),
    ("I'll sue the company", {LEGAL: "I'll sue"}),
    ("Next step is small claims court.", {LEGAL: "small claims"}),
    ("I've filed a chargeback with my card issuer.", {LEGAL: "chargeback"}),
    ("I've started a dispute with my bank.", {LEGAL: "started a dispute"}),
    ("I'm sure the app works", {}),
    ("Love my new suede shoes", {}),
    ("I spoke to Sue in billing, she was great", {}),
    ("Thanks Sue you rock", {}),
    ("I have power of attorney for my mother's account", {}),
    ("The voltage regulator on this charger failed", {}),
    ("We ate at the food court", {}),
]

CHURN_CASES = [
    ("我要销户", {CHURN: "销户"}),
    ("怎么注销账号", {CHURN: "注销"}),
    ("注销后重新注册成功了很方便", {}),
    ("再也不买了", {CHURN: "再也不买"}),
    ("再也不会来了", {CHURN: "再也不会来"}),
    ("以后再也不用排队了，很方便", {}),
    ("希望再也不会出现这种问题", {}),
    ("已经卸载了", {CHURN: "卸载"}),
    ("卸载重装后就好了", {}),
    ("卸了妆脸很干", {}),
    ("退订会员", {CHURN: "退订"}),
    ("回T退订", {}),
    ("换别家了", {CHURN: "换别家"}),
    ("I want to cancel my account", {CHURN: "cancel my account"}),
    ("Please close my account", {CHURN: "close my account"}),
    ("cancelled my subscription", {CHURN: "cancelled my subscription"}),
    ("Cancel my order please", {}),
    ("I'm switching to Verizon", {CHURN: "switching to Verizon"}),
    ("I was thinking of switching to.", {}),
    ("Switching to dark mode fixed it", {}),
    ("I will never order from you again", {CHURN: "never order from you again"}),
    ("I'd never order again... just kidding, love it", {CHURN: "never order again"}),
    ("Deleting the app now", {CHURN: "Deleting the app"}),
    ("I'll take my business elsewhere", {CHURN: "take my business elsewhere"}),
    ("Unsubscribe", {CHURN: "Unsubscribe"}),
    ("How do I unsubscribe from your newsletter", {}),
    ("Uninstalled and reinstalled, works now", {}),
]

SAFETY_CASES = [
    ("孩子用了过敏了", {SAFETY: "过敏"}),
    ("用了不过敏，很温和", {}),
    ("过敏体质可以用吗", {}),
    ("充电器起火了", {SAFETY: "起火"}),
    ("手机电池爆炸", {SAFETY: "爆炸"}),
    ("好吃到爆炸", {}),
    ("吃完拉肚子", {SAFETY: "拉肚子"}),
    ("热水壶漏电", {SAFETY: "漏电"}),
    ("划伤了手", {SAFETY: "划伤了手"}),
    ("屏幕划伤了", {}),
    ("骨折价太划算了", {}),
    ("优惠券过期了", {}),
    ("The charger caught fire", {SAFETY: "caught fire"}),
    ("There was a fire in the kitchen after using it", {SAFETY: "fire"}),
    ("This sale is fire 🔥", {}),
    ("Fire sale on now", {}),
    ("My Kindle Fire is slow", {}),
    ("Burned my hand on the kettle", {SAFETY: "Burned my hand"}),
    ("Burnt orange colour", {}),
    ("Got food poisoning from the chicken", {SAFETY: "food poisoning"}),
    ("Had an allergic reaction", {SAFETY: "allergic reaction"}),
    ("No allergic reaction at all", {}),
    ("Got an electric shock from the plug", {SAFETY: "electric shock"}),
    ("Choking hazard for kids", {SAFETY: "Choking hazard"}),
    ("Found mould on the bread", {SAFETY: "mould"}),
    ("Love this silicone mold", {}),
    ("I'm sick of waiting", {}),
    ("That hurt my feelings", {}),
]

REPEAT_CASES = [
    ("这已经是我第三次联系你们了", {REPEAT: "第三次联系"}),
    ("第二次打电话了，问题还是没解决", {REPEAT: "第二次打电话"}),
    ("这个问题我已经打了两次电话了", {REPEAT: "打了两次"}),
    ("同一个问题反映了三次", {REPEAT: "反映了三次"}),
    ("都第三次了，能不能给个准话", {REPEAT: "都第三次了"}),
    ("又是我，还是那个问题，还是没人处理", {REPEAT: "还是没人处理"}),
    ("问题一直没解决", {REPEAT: "一直没解决"}),
    ("第三次买了，一如既往的好", {}),
    ("又快又好", {}),
    ("又便宜又好吃", {}),
    ("多次购买，质量稳定", {}),
    ("反复使用也没问题", {}),
    ("第1次联系客服", {}),
    ("This is the third time I'm contacting you about this.",
     {REPEAT: "third time I'm contacting"}),
    ("Third time calling, same problem", {REPEAT: "Third time calling"}),
    ("I called multiple times", {REPEAT: "called multiple times"}),
    ("Still not resolved", {REPEAT: "Still not resolved"}),
    ("I keep calling and nobody answers", {REPEAT: "keep calling"}),
    ("Still waiting for a reply", {REPEAT: "Still waiting"}),
    ("Still waiting for my parcel", {}),
    ("They keep calling me with spam", {}),
    ("Third time buying, love it", {}),
    ("I'd buy this again and again", {}),
    ("Ordered many times and never had a problem.", {}),
]


CASES = LEGAL_CASES + CHURN_CASES + SAFETY_CASES + REPEAT_CASES


@pytest.fixture(scope="module")
def bundled_results(rules: FlagRules) -> dict[str, dict[str, str]]:
    """Every case text's flags, found in one batch (as the pipeline calls it)."""
    texts = [text for text, _ in CASES]
    found = detect_flags(pd.Series(texts), rules)
    results: dict[str, dict[str, str]] = {text: {} for text in texts}
    for row, flag, evidence in found[[ROW, FLAG, EVIDENCE]].itertuples(index=False):
        results[texts[row]][flag] = evidence
    return results


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_flags_bundled_rules_fire_on_positives_not_look_alikes(
        text: str, expected: dict[str, str], bundled_results: dict[str, dict[str, str]]) -> None:
    assert bundled_results[text] == expected


def test_flags_bundled_rules_cover_every_kind_in_both_languages(rules: FlagRules) -> None:
    assert rules.kinds == list(FlagKind)
    assert len(CASES) == len({text for text, _ in CASES}) >= 40
    for kind in FlagKind:
        texts = [text for text, expected in CASES if kind in expected]
        assert any(text.isascii() for text in texts) and not all(t.isascii() for t in texts)


def test_flags_frame_one_row_per_document_and_kind_sorted(rules: FlagRules) -> None:
    texts = pd.Series(["fine, thanks", "第三次打电话了，再不解决就投诉到12315，再也不买了",
                       None, "The charger caught FIRE, I'm calling my lawyer"],
                      index=[10, 20, 30, 40])
    found = detect_flags(texts, rules)
    assert list(found.columns) == [ROW, FLAG, EVIDENCE]
    assert found[[ROW, FLAG]].values.tolist() == [
        [1, "churn"], [1, "legal"], [1, "repeat_contact"], [3, "legal"], [3, "safety"]]
    assert found[EVIDENCE].tolist() == ["再也不买", "投诉到12315", "第三次打电话", "lawyer",
                                        "caught FIRE"]


def test_flags_empty_frame_keeps_columns(rules: FlagRules) -> None:
    for texts in (pd.Series(["all good", "很好"]), pd.Series([], dtype=object)):
        found = detect_flags(texts, rules)
        assert found.empty and list(found.columns) == [ROW, FLAG, EVIDENCE]


def test_flags_look_alike_does_not_hide_a_real_match(rules: FlagRules) -> None:
    # The first "fire" is excluded, the second one still counts.
    assert flags_of("Fire sale last week, and today the charger caught fire", rules) == {
        SAFETY: "caught fire"}


def test_flags_gap_stays_inside_one_clause(rules: FlagRules) -> None:
    assert flags_of("第三次给你们客服打电话", rules) == {REPEAT: "第三次给你们客服"}
    assert flags_of("第三次买了，客服很热情", rules) == {}


def test_flags_phrase_syntax_compiles_to_re2() -> None:
    assert phrase_regex("cancel* (my |)account", "en") == r"cancel\w*\s+(?:my\s+|)account"
    assert phrase_regex("第#次", "zh") == r"第\d+次"
    assert phrase_regex("i'll sue", "en") == r"i['’]ll\s+sue"
    with pytest.raises(ValueError, match="unbalanced"):
        phrase_regex("(a|b", "en")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_flags_extra_file_adds_phrases_and_exclusions(tmp_path: Path) -> None:
    extra = write(tmp_path, "team.yaml", (
        "flags:\n"
        "  churn:\n"
        "    en: [\"jump* ship\"]\n"
        "  safety:\n"
        "    exclude:\n"
        "      en: [\"fire (alarm|drill) test*\"]\n"))
    rules = load_flag_rules(extra=[extra])
    assert flags_of("Ready to jump ship to another bank", rules) == {CHURN: "jump ship"}
    assert flags_of("Fire alarm testing all morning", rules) == {}
    # The bundled phrases are still there.
    assert flags_of("I want to cancel my account", rules) == {CHURN: "cancel my account"}
    assert flags_of("Fire alarm testing all morning", load_flag_rules()) == {SAFETY: "Fire"}


def test_flags_own_file_replaces_bundled_rules(tmp_path: Path) -> None:
    own = write(tmp_path, "own.yaml", "flags:\n  legal:\n    zh: [律师]\n    en: [\"12315\"]\n")
    rules = load_flag_rules(own)
    assert rules.kinds == [LEGAL]
    assert flags_of("打12315投诉", rules) == {LEGAL: "12315"}  # Chinese is a word boundary
    assert flags_of("订单号a12315b", rules) == {}


@pytest.mark.parametrize(("text", "message"), [
    ("flags:\n  lawsuit:\n    en: [sue]\n", "unknown flag kind 'lawsuit'"),
    ("flags: [legal, churn\n", "not valid YAML"),
    ("flags:\n  legal:\n    en: [a]\n  legal:\n    zh: [b]\n", "duplicate key 'legal'"),
    ("flags:\n  legal:\n    fr: [avocat]\n", "unknown key"),
    ("flags:\n  legal:\n    en: [\"(sue|suing\"]\n", "unbalanced"),
    ("flags:\n  legal:\n    en: [[nested]]\n", "not a phrase"),
    ("kinds: {}\n", "expected a 'flags' mapping"),
    ("flags:\n  legal: {}\n", "no phrases"),
])
def test_flags_bad_rule_file_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    bad = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ConfigError, match=message) as raised:
        load_flag_rules(bad)
    assert str(bad) in str(raised.value)


def test_flags_missing_extra_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_flag_rules(extra=[tmp_path / "nope.yaml"])
