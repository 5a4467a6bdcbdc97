from __future__ import annotations

import math

from voc.topics.evaluate import diversity, evaluate_topics, fit_sample, prepare_tokens

# Topics are found per language (the pipeline fits one model per language), so the
# labelled fixture is one language.
TEMPLATES = {
    "refund": ["My refund has not arrived after {n} weeks, where is my money",
               "Still waiting for the refund to my bank account, {n} weeks now"],
    "luggage": ["Lost my luggage on flight {n}, the bag never came to the carousel",
                "Baggage claim says my suitcase is lost, tag {n}"],
    "app": ["The app crashes at login after update {n}, cannot open my account",
            "Login error in the app again, password reset fails, version {n}"],
}


def _labelled(per_template: int = 25) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for number in range(per_template):
        for label, templates in TEMPLATES.items():
            for template in templates:
                texts.append(template.format(n=number + 2))
                labels.append(label)
    return texts, labels


def test_evaluate_recovers_labelled_topics_and_reports_every_measure() -> None:
    texts, labels = _labelled()
    result = evaluate_topics(texts, labels, n_topics=3, seed=1)
    assert result.nmi > 0.8 and result.ari > 0.7
    assert result.n_topics == 3 and result.n_docs == len(texts)
    assert 0 <= result.other_share <= 0.1 and 0 < result.diversity <= 1
    assert not math.isnan(result.coherence_npmi) and result.seconds > 0
    assert set(result.as_dict()) == {"nmi", "ari", "coherence_npmi", "diversity", "n_topics",
                                     "other_share", "seconds", "n_docs", "vectors", "note"}


def test_evaluate_tokens_are_bilingual_and_clean() -> None:
    tokens = prepare_tokens(["退款申请3天了還沒到賬", "Lost my luggage!!"])
    assert "退款" in tokens[0] and "还" not in tokens[0]
    assert tokens[1] == ["lose", "luggage"]


def test_evaluate_helpers() -> None:
    assert diversity([["a", "b"], ["b", "c"]]) == 0.75
    assert fit_sample(5, 10, 0).tolist() == [0, 1, 2, 3, 4]
    sample = fit_sample(100, 10, 0)
    assert len(sample) == 10 and sample.tolist() == sorted(sample.tolist())
    assert fit_sample(100, 10, 0).tolist() == sample.tolist()
