"""German analysis: tokens, umlauts, stopwords, stems, compounds - and their effect in BM25."""

import pytest

from schreibstube.retrieval.bm25 import Passage, german_bm25, plain_bm25
from schreibstube.retrieval.german import (
    Decompounder,
    GermanAnalyzer,
    char_ngrams,
    fold,
    stem,
    tokenize,
)


def test_tokenize_lowercases_keeps_umlauts_and_splits_on_punctuation():
    assert tokenize("Bundes- und Länder-Behörden (§ 3a)!") == [
        "bundes",
        "und",
        "länder",
        "behörden",
        "3a",
    ]


@pytest.mark.parametrize(("word", "folded"), [("gebühr", "gebuhr"), ("maßnahme", "massnahme")])
def test_fold_replaces_umlauts_and_sharp_s(word, folded):
    assert fold(word) == folded


@pytest.mark.parametrize(
    ("a", "b"),
    [("behörden", "behorden"), ("maßnahmen", "massnahme"), ("bescheides", "bescheid")],
)
def test_stem_joins_inflections_and_spellings_with_and_without_umlauts(a, b):
    assert stem(a) == stem(b)


def test_analyzer_drops_stopwords_and_stems_the_rest():
    assert GermanAnalyzer()("Muss die Behörde mich vorher anhören?") == ["behord", "vorh", "anhor"]


def test_decompounder_splits_on_vocabulary_with_linking_s():
    splitter = Decompounder.from_texts(["Verwaltung", "Verfahren", "Gesetz"])
    assert splitter.split("Verwaltungsverfahrensgesetz") == ["verwaltung", "verfahren", "gesetz"]
    assert splitter.split("Verwaltungsgericht") == []  # "gericht" unknown: no partial splits
    assert splitter.split("Gesetz") == []  # too short to be a compound


def test_analyzer_with_compounds_keeps_the_whole_word_and_adds_parts():
    splitter = Decompounder.from_texts(["die Gebärdensprache", "der Dolmetscher"])
    terms = GermanAnalyzer(compounds="split", decompounder=splitter)("Gebärdensprachdolmetscher")
    assert terms == ["gebardensprachdolmetsch", "gebardensprach", "dolmetsch"]


def test_char_ngrams_are_marked_and_skip_short_tokens():
    assert char_ngrams("amtshilfe", 7) == ["#amtshil", "#mtshilf", "#tshilfe"]
    assert char_ngrams("amt", 5) == []


def test_german_bm25_finds_a_paragraph_that_plain_bm25_misses():
    passages = [
        Passage("bgg-9", "Anspruch auf einen Dolmetscher für Gebärdensprache im Verfahren."),
        Passage("gg-22", "Die Bundesflagge ist schwarz-rot-gold."),
        Passage("gg-102", "Die Todesstrafe ist abgeschafft."),
    ]
    query = "Wer bezahlt den Gebärdensprachdolmetscher?"
    assert plain_bm25(passages).search(query, 2) == []
    assert [d for d, _ in german_bm25(passages).search(query, 2)] == ["bgg-9"]
