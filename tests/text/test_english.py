from __future__ import annotations

import pytest

from voc.text.english import EnglishTokenizer


@pytest.mark.parametrize(("text", "tokens"), [
    ("I didn't get my refund", ["i", "do", "not", "get", "my", "refund"]),
    ("Can't reach customer service", ["can", "not", "reach", "customer", "service"]),
    ("won't fly again, dont care", ["will", "not", "fly", "again", "do", "not", "care"]),
    ("Bags were LOST and flights cancelled", ["bag", "be", "lose", "and", "flight", "cancel"]),
    ("@united #lostluggage http://t.co/xyz it's 2hrs late",
     ["lostluggage", "it", "2hrs", "late"]),
    ("want to go, went home", ["want", "to", "go", "go", "home"]),
    ("it does not work", ["it", "do", "not", "work"]),
])
def test_english_tokens_keep_negation_and_lemmatise(text: str, tokens: list[str]) -> None:
    assert EnglishTokenizer().tokens(text) == tokens


def test_english_agrees_with_spacy_lookup_pipeline() -> None:
    """Same lemmas as spacy.blank("en") + lookup lemmatiser on ordinary feedback."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    texts = ["The flight was delayed for three hours and nobody told us anything",
             "My bags were damaged and the staff were rude about it",
             "Refund still not received after two weeks, I called customer service twice",
             "The app crashes whenever I try to log in to check my bookings"]
    ours = EnglishTokenizer()
    agree = total = 0
    for doc in nlp.pipe(texts):
        theirs = [t.lemma_.lower() for t in doc if t.is_alpha]
        mine = ours.tokens(doc.text)
        total += len(theirs)
        agree += sum(a == b for a, b in zip(theirs, mine, strict=False))
    assert agree / total >= 0.97


def test_stop_words_are_spacys_without_importing_spacy() -> None:
    import subprocess
    import sys

    from spacy.lang.en.stop_words import STOP_WORDS

    from voc.text.english import spacy_stop_words

    assert spacy_stop_words() == frozenset(STOP_WORDS)
    check = ("import sys; from voc.text.stopwords import stopwords; words = stopwords(); "
             "assert 'would' in words and 'the' in words and '的' in words; "
             "assert 'spacy' not in sys.modules, 'spaCy was imported'")
    subprocess.run([sys.executable, "-c", check], check=True)
