"""Salutation and closing are guaranteed in code, whatever the model wrote."""

from __future__ import annotations

import pytest

from schreibstube.assistants.drafting.framing import frame

SALUTATION, CLOSING = "Sehr geehrte Frau Schulz,", "Mit freundlichen Grüßen"


@pytest.mark.parametrize("body, expected", [
    ("Ihr Termin steht.",
     "Sehr geehrte Frau Schulz,\n\nIhr Termin steht.\n\nMit freundlichen Grüßen\n[Name]"),
    ("Sehr geehrte Frau Schulz,\n\nIhr Termin steht.\n\nMit freundlichen Grüßen\nAnna Berg",
     "Sehr geehrte Frau Schulz,\n\nIhr Termin steht.\n\nMit freundlichen Grüßen\nAnna Berg"),
    ("Liebe Anna\n\nIhr Termin steht.\n\nLiebe Grüße\nAnna Berg",
     "Sehr geehrte Frau Schulz,\n\nIhr Termin steht.\n\nMit freundlichen Grüßen\nAnna Berg"),
    ("Sehr geehrte Frau Schulz, Ihr Termin steht.\n\nFreundliche Grüße",
     "Sehr geehrte Frau Schulz,\n\nIhr Termin steht.\n\nMit freundlichen Grüßen\n[Name]"),
], ids=["missing", "present", "altered", "same-line-and-bare-closing"])
def test_frame_repairs_salutation_and_closing(body: str, expected: str) -> None:
    assert frame(body, salutation=SALUTATION, closing=CLOSING) == expected


def test_sender_replaces_the_name_placeholder() -> None:
    framed = frame("Text.", salutation=SALUTATION, closing=CLOSING, sender="Jonas Weber")
    assert framed.endswith("Mit freundlichen Grüßen\nJonas Weber")


def test_empty_salutation_and_closing_leave_the_body_alone() -> None:
    assert frame("  Nur Text.\n", salutation="", closing="") == "Nur Text."
