"""Salutation and closing lines, computed in code rather than left to the model.

A wrong salutation is the error readers notice first, and models get it wrong in predictable
ways (first names in formal letters, "Sehr geehrte Frau Dr. Prof.", gendered forms where the
author chose a neutral one). So the line is deterministic: :func:`parse_recipient` reads the
first line of the recipient field, :func:`salutation_line` builds the line for the chosen kind,
and the prompt tells the model to copy it verbatim.

Conventions (DIN 5008 and common administrative usage):

* ``frau_herr``: "Sehr geehrte Frau Schulz," / "Sehr geehrter Herr Dr. Meier,". Only the
  surname; of academic titles only "Dr." is kept, and "Prof." is written out as
  "Professorin"/"Professor" (and replaces "Dr."). "Herrn" from an address block counts as Herr.
* ``neutral``: "Guten Tag Anna Schulz," — full name without Frau/Herr, for people whose gender
  is unknown or who prefer not to be addressed by it.
* ``damen_herren``: "Sehr geehrte Damen und Herren,".
* ``informell``: "Liebe Frau Schulz," / "Lieber Herr Meier," when Frau/Herr is given,
  otherwise "Hallo Anna,".
* ``auto``: ``frau_herr`` when Frau/Herr is given, ``neutral`` for a person's name, otherwise
  ``damen_herren`` (organisations, empty field).

Recipients that are not a person's name (an office, a company) fall back to the forms that need
no name; asking for ``frau_herr`` without Frau/Herr is an :class:`InvalidInput`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from schreibstube.assistants.drafting.request import SalutationKind
from schreibstube.errors import InvalidInput

Form = Literal["Frau", "Herr"]

_FORMS: dict[str, Form] = {"Frau": "Frau", "Herr": "Herr", "Herrn": "Herr"}
_PARTICLES = {"von", "van", "de", "der", "den", "zu", "vom", "zum", "zur", "ten", "ter", "di"}
# fmt: off
_ORGANISATION_WORDS = frozenset({
    "gmbh", "ag", "kg", "e.v.", "ev", "mbh", "ug", "eg", "stadt", "gemeinde", "amt", "landkreis",
    "kreis", "ministerium", "verwaltung", "verein", "behörde", "referat", "abteilung", "team",
    "fraktion", "rat", "ausschuss", "schule", "kita", "stiftung", "verband", "bürgerinitiative",
    "landesamt", "bundesamt", "senat", "bezirksamt", "jobcenter", "gericht", "polizei",
})
# fmt: on
_NAME_TOKEN = re.compile(r"^[A-ZÄÖÜ][\w'’-]*$")


@dataclass(frozen=True)
class Recipient:
    """The person in the first line of a recipient field, as far as it can be read."""

    form: Form | None = None
    titles: tuple[str, ...] = ()
    first_name: str = ""
    last_name: str = ""
    is_person: bool = False

    @property
    def salutation_title(self) -> str:
        """The title used after Frau/Herr: "Professorin"/"Professor", "Dr." or ""."""
        if any(t.lower().startswith("prof") for t in self.titles):
            return "Professorin" if self.form == "Frau" else "Professor"
        if any(t.lower().startswith("dr") for t in self.titles):
            return "Dr."
        return ""

    @property
    def short_titles(self) -> str:
        """Titles for a neutral salutation: "Prof. Dr.", "Dr." or ""."""
        out = []
        if any(t.lower().startswith("prof") for t in self.titles):
            out.append("Prof.")
        if any(t.lower().startswith("dr") for t in self.titles):
            out.append("Dr.")
        return " ".join(out)


def parse_recipient(text: str) -> Recipient:
    """Read "Frau Anna Schulz", "Herrn Prof. Dr. Meier", "Alex Kim" or "Stadtwerke GmbH"."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    tokens = [t.strip(",;") for t in line.split()]
    tokens = [t for t in tokens if t]
    form: Form | None = None
    for i, token in enumerate(tokens):
        if token in _FORMS:
            form, tokens = _FORMS[token], tokens[i + 1 :]
            break
    titles: list[str] = []
    while tokens and tokens[0].endswith(".") and not _is_name(tokens[0]):
        titles.append(tokens.pop(0))
    if not tokens or not _looks_like_name(tokens, has_form=form is not None):
        return Recipient(form=form, titles=tuple(titles))
    first, last = _split_name(tokens, has_form=form is not None)
    return Recipient(form, tuple(titles), first, last, is_person=True)


def salutation_line(kind: SalutationKind, recipient: str) -> str:
    """The salutation line, ending in a comma (the text then continues in lower case)."""
    person = parse_recipient(recipient)
    if kind == "auto":
        kind = (
            "frau_herr"
            if person.form and person.last_name
            else ("neutral" if person.is_person else "damen_herren")
        )
    if kind == "damen_herren":
        return "Sehr geehrte Damen und Herren,"
    if kind == "frau_herr":
        if not (person.form and person.last_name):
            raise InvalidInput(
                "Für die Anrede mit „Frau“ oder „Herr“ geben Sie die Empfängerin oder den "
                "Empfänger bitte so an: „Frau Schulz“, „Herr Dr. Meier“ oder „Frau Anna Schulz“. "
                "Ist das nicht bekannt, wählen Sie die neutrale Anrede oder „Sehr geehrte Damen "
                "und Herren“."
            )
        adjective = "Sehr geehrte" if person.form == "Frau" else "Sehr geehrter"
        return f"{adjective} {_formal_name(person)},"
    if kind == "neutral":
        name = " ".join(p for p in (person.short_titles, person.first_name, person.last_name) if p)
        return f"Guten Tag {name}," if person.is_person else "Guten Tag,"
    # informell
    if person.form and person.last_name:
        adjective = "Liebe" if person.form == "Frau" else "Lieber"
        return f"{adjective} {_formal_name(person)},"
    if person.first_name:
        return f"Hallo {person.first_name.split()[0]},"
    return "Hallo zusammen,"


def closing_line(kind: SalutationKind) -> str:
    """The closing matching the salutation's tone."""
    return "Viele Grüße" if kind == "informell" else "Mit freundlichen Grüßen"


def _formal_name(person: Recipient) -> str:
    parts = (person.form or "", person.salutation_title, person.last_name)
    return " ".join(p for p in parts if p)


def _is_name(token: str) -> bool:
    """A single initial like "A." is part of a name, not a title."""
    return bool(re.fullmatch(r"[A-ZÄÖÜ]\.", token))


def _looks_like_name(tokens: list[str], *, has_form: bool) -> bool:
    if any(t.lower() in _ORGANISATION_WORDS for t in tokens):
        return False
    if len(tokens) > (5 if has_form else 4):
        return False
    return all(_NAME_TOKEN.match(t) or t in _PARTICLES or _is_name(t) for t in tokens)


def _split_name(tokens: list[str], *, has_form: bool) -> tuple[str, str]:
    """Split into (first names, surname); particles such as "von" belong to the surname."""
    if len(tokens) == 1:
        return ("", tokens[0]) if has_form else (tokens[0], "")
    start = next((i for i, t in enumerate(tokens[1:], 1) if t in _PARTICLES), len(tokens) - 1)
    return " ".join(tokens[:start]), " ".join(tokens[start:])
