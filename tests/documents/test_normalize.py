"""Normalisation: pure functions, one behaviour per case."""

from __future__ import annotations

import pytest

from schreibstube.documents.normalize import normalize_text, strip_running_heads


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Verwal-\ntungsakt", "Verwaltungsakt"),
        ("der Verwal-  \r\n  tungsakt ist", "der Verwaltungsakt ist"),
        ("Bundes-\nund Landesrecht", "Bundes- und Landesrecht"),
        ("Haupt-\noder Nebenamt", "Haupt- oder Nebenamt"),
        ("per E-\nMail senden", "per E-Mail senden"),
        ("EU-\nweit gültig", "EU-weit gültig"),
        ("Landes-Verwal-\ntungsgesetz", "Landes-Verwaltungsgesetz"),
        ("Aufzählung -\nnächste Zeile", "Aufzählung -\nnächste Zeile"),
        ("§§ 1-\n3", "§§ 1-\n3"),
    ],
)
def test_words_hyphenated_at_line_end_are_joined_german_aware(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Au\ufb00assung der Behörde", "Auffassung der Behörde"),
        ("\ufb01nden, \ufb02ießen, \ufb03zient, \ufb04ach", "finden, fließen, ffizient, fflach"),
        ("Verwal\u00adtungs\u00adakt", "Verwaltungsakt"),
        ("Verwal\u00ad\ntungsakt", "Verwaltungsakt"),
        ("Geb\u0075\u0308hr", "Gebühr"),
        ("§\u00a044 VwVfG", "§ 44 VwVfG"),
        ("Zeile\x02 eins\r\nZeile zwei  \n\n\n\nEnde", "Zeile eins\nZeile zwei\n\nEnde"),
    ],
)
def test_characters_are_normalised(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_nfc_composes_umlauts() -> None:
    decomposed = "Pru\u0308fung"
    assert normalize_text(decomposed) == "Prüfung"
    assert len(normalize_text(decomposed)) == len("Prüfung")


BODIES = [
    "Fristen beginnen.",
    "Kosten entstehen.",
    "Akten liegen vor.",
    "Bescheid ergeht.",
    "Widerspruch folgt.",
    "Klage droht.",
]


@pytest.mark.parametrize(
    ("header", "footer"),
    [
        ("Verwaltungsverfahrensgesetz (VwVfG)", "Seite {n} von 6"),
        ("Landkreis Musterstadt – Amtsblatt {n}/2026", "- {n} -"),
        ("", "{n}"),
    ],
)
def test_running_heads_and_page_numbers_are_removed(header: str, footer: str) -> None:
    bodies = [f"{a}\n{b}" for a, b in zip(BODIES, reversed(BODIES), strict=True)]
    pages = [f"{header}\n{body}\n{footer.format(n=n)}" for n, body in enumerate(bodies, 1)]
    assert strip_running_heads(pages) == bodies


def test_lines_recurring_on_few_pages_or_inside_the_body_are_kept() -> None:
    pages = [f"Kopf\n{body}\nGleich\nGleich\n{body}\nFuß" for body in BODIES]
    pages[0] = "Sonderzeile\n" + pages[0]
    pages[1] = "Sonderzeile\n" + pages[1]
    cleaned = strip_running_heads(pages)
    assert cleaned[0] == f"Sonderzeile\n{BODIES[0]}\nGleich\nGleich\n{BODIES[0]}"
    assert cleaned[5] == f"{BODIES[5]}\nGleich\nGleich\n{BODIES[5]}"


def test_short_documents_keep_their_lines() -> None:
    pages = ["Seite 1 von 2\nText", "Seite 2 von 2\nText"]
    assert strip_running_heads(pages) == pages
