"""Readability: syllables, sentences and both formulas, checked by hand on short texts."""

from __future__ import annotations

import pytest

from schreibstube.assistants.drafting.readability import (
    amstad_label,
    analyze,
    compare,
    count_syllables,
    sentences,
    wstf_label,
)


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("Hund", 1),
        ("Straße", 2),
        ("Verwaltung", 3),
        ("bearbeitet", 4),
        ("Anträge", 3),
        ("Bürgerinnen", 4),
        ("Feuer", 2),
        ("Bauer", 2),
        ("Idee", 2),
        ("Theater", 3),
        ("Quelle", 2),
        ("geehrte", 3),
        ("beeinflussen", 4),
        ("Ferien", 3),
        ("E-Mail", 2),
        ("Typ", 1),
        ("Sie", 1),
    ],
)
def test_syllable_heuristic(word: str, syllables: int) -> None:
    assert count_syllables(word) == syllables


def test_sentences_respect_abbreviations_and_dates() -> None:
    text = "Wir haben z. B. am 1. März Ihr Schreiben erhalten. Dr. Meier prüft es. Passt das?"
    assert sentences(text) == [
        "Wir haben z. B. am 1. März Ihr Schreiben erhalten.",
        "Dr. Meier prüft es.",
        "Passt das?",
    ]


def test_headings_and_list_items_end_sentences() -> None:
    text = "## Sachverhalt\n- erster Punkt\n- zweiter Punkt\n\nAbsatz ohne Punkt\n\nNeuer Satz."
    assert len(sentences(text)) == 5


def test_one_sentence_of_one_syllable_words() -> None:
    # 3 words, 3 syllables, 1 sentence: 180 - 3 - 58.5 * 1 = 118.5
    # WSTF: 0.1672 * 3 - 0.0327 * 100 - 0.875 = -3.6434
    result = analyze("Der Hund bellt.")
    assert (result.sentences, result.words, result.syllables) == (1, 3, 3)
    assert result.amstad is not None and result.wstf is not None
    assert result.amstad.value == pytest.approx(118.5)
    assert result.wstf.value == pytest.approx(-3.6434)
    assert result.amstad.label == result.wstf.label == "sehr leicht"


def test_short_but_heavy_words() -> None:
    # Die(1) Ver-wal-tung(3) be-ar-bei-tet(4) An-trä-ge(3). Sie(1) ant-wor-tet(3) schnell(1).
    # 7 words, 16 syllables, 2 sentences: 180 - 3.5 - 58.5 * 16/7 = 42.7857
    # MS 4/7, IW 5/7 (Verwaltung, bearbeitet, Anträge, antwortet, schnell), ES 3/7:
    # 0.1935*57.142857 + 0.1672*3.5 + 0.1297*71.428571 - 0.0327*42.857143 - 0.875 = 18.6302
    result = analyze("Die Verwaltung bearbeitet Anträge. Sie antwortet schnell.")
    assert (result.words, result.syllables, result.sentences) == (7, 16, 2)
    assert (result.polysyllables, result.long_words, result.monosyllables) == (4, 5, 3)
    assert result.amstad is not None and result.wstf is not None
    assert result.amstad.value == pytest.approx(42.7857, abs=1e-4)
    assert result.wstf.value == pytest.approx(18.6302, abs=1e-4)
    assert (result.amstad.label, result.wstf.label) == ("schwer", "sehr schwer")


def test_plain_citizen_friendly_text() -> None:
    # Wir(1) hel-fen(2) Ih-nen(2) gern(1). Ru-fen(2) Sie(1) uns(1) an(1).
    # 8 words, 11 syllables, 2 sentences: 180 - 4 - 58.5 * 1.375 = 95.5625
    # WSTF: 0.1672 * 4 - 0.0327 * 62.5 - 0.875 = -2.24995
    result = analyze("Wir helfen Ihnen gern. Rufen Sie uns an.")
    assert result.amstad is not None and result.wstf is not None
    assert result.amstad.value == pytest.approx(95.5625)
    assert result.wstf.value == pytest.approx(-2.24995)


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (95, "sehr leicht"),
        (85, "leicht"),
        (75, "mittelleicht"),
        (65, "mittel"),
        (55, "mittelschwer"),
        (40, "schwer"),
        (10, "sehr schwer"),
        (-20, "sehr schwer"),
    ],
)
def test_amstad_labels(value: float, label: str) -> None:
    assert amstad_label(value) == label


@pytest.mark.parametrize(
    ("value", "label"),
    [(4, "sehr leicht"), (7, "leicht"), (9, "mittel"), (11, "schwer"), (14, "sehr schwer")],
)
def test_wstf_labels(value: float, label: str) -> None:
    assert wstf_label(value) == label


def test_compare_returns_both_and_summarises_in_german() -> None:
    result = compare("Die Verwaltung bearbeitet Anträge. Sie antwortet schnell.", "Der Hund bellt.")
    assert result.before.words == 7 and result.after.words == 3
    assert result.summary() == (
        "Lesbarkeit (Amstad): 42,8 (schwer) → 118,5 (sehr leicht); "
        "Wiener Sachtextformel: 18,6 (sehr schwer) → -3,6 (sehr leicht)"
    )


def test_text_without_words_has_no_scores() -> None:
    result = analyze("123 – 456")
    assert result.words == 0 and result.amstad is None and result.wstf is None
    assert compare("", "").summary().startswith("Keine Bewertung möglich")
