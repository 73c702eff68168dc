"""Quote verification is strict but tolerant of typography and layout."""

from __future__ import annotations

import pytest

from schreibstube.assistants.research.quotes import normalize, quote_in, verify

PAGE = ("§ 44 Nichtigkeit des Verwaltungsaktes\n(1) Ein Verwaltungsakt ist nichtig, soweit er an "
        "einem beson-\nders schwerwiegenden Fehler leidet und dies bei verständiger Würdigung "
        "aller in Betracht kommenden Umstände offen-\nkundig ist.")


@pytest.mark.parametrize("quote, expected", [
    ("Ein Verwaltungsakt ist nichtig, soweit er an einem besonders schwerwiegenden Fehler leidet", True),
    ("ein  verwaltungsakt IST nichtig", True),
    ("dies bei verständiger Würdigung aller in Betracht kommenden Umstände offenkundig ist", True),
    ("Ein Verwaltungsakt ist immer nichtig", False),
    ("nichtig", False),  # too short to prove anything
])
def test_quote_matching(quote: str, expected: bool) -> None:
    assert quote_in(quote, [PAGE]) is expected


def test_citations_are_verified_against_their_own_passage_only() -> None:
    answer = ('Nichtig ist er bei offenkundigen Fehlern [Q1: "besonders schwerwiegenden Fehler leidet"]. '
              'Erfunden [Q2: "Ein Verwaltungsakt ist nichtig"] und fremd [Q9: "irgendein Zitat hier"].')
    citations = verify(answer, {"Q1": [PAGE], "Q2": ["§ 45 Heilung von Verfahrensfehlern"]})
    assert [(c.passage, c.verified) for c in citations] == [("Q1", True), ("Q2", False)]


def test_normalisation_unifies_typography() -> None:
    assert normalize("„Zitat“ – mit\u00ad Trennung") == normalize('"Zitat" - mit Trennung')
