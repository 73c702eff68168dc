"""Salutation lines are computed in code, deterministically, from the recipient field."""

from __future__ import annotations

import pytest

from schreibstube.assistants.drafting.request import SalutationKind
from schreibstube.assistants.drafting.salutation import (
    closing_line,
    parse_recipient,
    salutation_line,
)
from schreibstube.errors import InvalidInput


@pytest.mark.parametrize(
    ("kind", "recipient", "expected"),
    [
        ("frau_herr", "Frau Schulz", "Sehr geehrte Frau Schulz,"),
        ("frau_herr", "Frau Anna Schulz", "Sehr geehrte Frau Schulz,"),
        ("frau_herr", "Herr Dr. Meier", "Sehr geehrter Herr Dr. Meier,"),
        ("frau_herr", "Herrn Dr. med. Klaus Meier\nHauptstraße 1", "Sehr geehrter Herr Dr. Meier,"),
        ("frau_herr", "Frau Prof. Dr. Anna Schulz", "Sehr geehrte Frau Professorin Schulz,"),
        ("frau_herr", "Herr Prof. Meier", "Sehr geehrter Herr Professor Meier,"),
        ("frau_herr", "Frau Anna von Berg", "Sehr geehrte Frau von Berg,"),
        ("frau_herr", "Stadtwerke GmbH, Frau Schulz", "Sehr geehrte Frau Schulz,"),
        ("neutral", "Frau Anna Schulz", "Guten Tag Anna Schulz,"),
        ("neutral", "Alex Schulz", "Guten Tag Alex Schulz,"),
        ("neutral", "Herr Dr. Kim Meier", "Guten Tag Dr. Kim Meier,"),
        ("neutral", "Stadtwerke Musterstadt GmbH", "Guten Tag,"),
        ("damen_herren", "Frau Schulz", "Sehr geehrte Damen und Herren,"),
        ("informell", "Anna Schulz", "Hallo Anna,"),
        ("informell", "Frau Schulz", "Liebe Frau Schulz,"),
        ("informell", "Herr Meier", "Lieber Herr Meier,"),
        ("informell", "Team Bürgerservice", "Hallo zusammen,"),
        ("auto", "Herrn Meier", "Sehr geehrter Herr Meier,"),
        ("auto", "Alex Schulz", "Guten Tag Alex Schulz,"),
        ("auto", "Bauamt der Stadt Musterstadt", "Sehr geehrte Damen und Herren,"),
        ("auto", "", "Sehr geehrte Damen und Herren,"),
    ],
)
def test_salutation_line(kind: SalutationKind, recipient: str, expected: str) -> None:
    assert salutation_line(kind, recipient) == expected


@pytest.mark.parametrize("recipient", ["Anna Schulz", "Frau", "Stadtwerke GmbH", ""])
def test_frau_herr_without_form_and_name_asks_for_it(recipient: str) -> None:
    with pytest.raises(InvalidInput, match="„Frau Schulz“"):
        salutation_line("frau_herr", recipient)


def test_parse_recipient_reads_titles_and_names() -> None:
    person = parse_recipient("Herrn Dr. Klaus Meier")
    assert (person.form, person.titles, person.first_name, person.last_name) == (
        "Herr",
        ("Dr.",),
        "Klaus",
        "Meier",
    )


@pytest.mark.parametrize(
    ("kind", "closing"),
    [
        ("informell", "Viele Grüße"),
        ("frau_herr", "Mit freundlichen Grüßen"),
        ("neutral", "Mit freundlichen Grüßen"),
    ],
)
def test_closing_matches_tone(kind: SalutationKind, closing: str) -> None:
    assert closing_line(kind) == closing
