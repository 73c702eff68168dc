"""What a user asks for when drafting: the :class:`DraftRequest` value type.

The option sets (register, length, gender-fair style, salutation kind) are closed lists known to
code, because code acts on them (the salutation line is computed here, Leichte Sprache gets an
extra notice). Their *wording* — labels and the guidance given to the model — lives in
``prompts/options.toml``; :func:`~schreibstube.assistants.drafting.catalog.load_catalog` refuses
to start when that file does not cover exactly these values.

A request arrives from a form or the CLI with plain strings; ``__post_init__`` checks them and
raises :class:`~schreibstube.errors.InvalidInput` with a German message, so routes need no
validation of their own beyond parsing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from schreibstube.errors import InvalidInput

Register = Literal["fachsprache", "buergernah", "einfache_sprache", "leichte_sprache"]
Length = Literal["kurz", "mittel", "lang"]
GenderStyle = Literal["paarform_neutral", "keine"]
SalutationKind = Literal["auto", "frau_herr", "neutral", "damen_herren", "informell"]

REGISTERS: tuple[str, ...] = get_args(Register)
LENGTHS: tuple[str, ...] = get_args(Length)
GENDER_STYLES: tuple[str, ...] = get_args(GenderStyle)
SALUTATION_KINDS: tuple[str, ...] = get_args(SalutationKind)

MAX_NOTES_CHARS = 20_000
MAX_SOURCE_CHARS = 200_000

LEICHTE_SPRACHE_NOTICE = "Leichte Sprache – nicht von einer Prüfgruppe geprüft"


@dataclass(frozen=True)
class DraftRequest:
    """One drafting job.

    ``notes`` are the author's keywords and notes (trusted: they are the instruction).
    ``source_text`` is material to take facts from — an inquiry, a file note, a law — and is
    handed to the model fenced as untrusted data. ``template`` is an optional user template
    (Jinja, see :func:`validate_user_template`) and ``variables`` fill it and any variables a
    text type declares (e.g. ``aktenzeichen``). ``template_id`` names a saved template instead;
    the service puts its body into ``template`` and its name into ``template_name`` (see
    :mod:`schreibstube.assistants.draft_templates`).
    """

    text_type: str
    notes: str = ""
    recipient: str = ""
    salutation: SalutationKind = "auto"
    register: Register = "buergernah"
    length: Length = "mittel"
    gender: GenderStyle = "paarform_neutral"
    source_text: str = ""
    sender: str = ""
    template: str = ""
    variables: Mapping[str, str] = field(default_factory=dict)
    template_id: str = ""
    template_name: str = ""

    def __post_init__(self) -> None:
        _check_choice(self.register, REGISTERS, "Sprachebene")
        _check_choice(self.length, LENGTHS, "Länge")
        _check_choice(self.gender, GENDER_STYLES, "geschlechtergerechte Sprache")
        _check_choice(self.salutation, SALUTATION_KINDS, "Anrede")
        if not (self.notes.strip() or self.source_text.strip() or self.template.strip()
                or self.template_id):
            raise InvalidInput(
                "Bitte geben Sie Stichpunkte oder Notizen ein, aus denen der Entwurf entstehen "
                "soll, oder fügen Sie einen Quelltext ein."
            )
        if len(self.notes) > MAX_NOTES_CHARS:
            raise InvalidInput(
                f"Die Stichpunkte sind zu lang (höchstens {german_number(MAX_NOTES_CHARS)} Zeichen). Längere "
                "Texte fügen Sie bitte als Quelltext ein."
            )
        if len(self.source_text) > MAX_SOURCE_CHARS:
            raise InvalidInput(
                f"Der Quelltext ist zu lang (höchstens {german_number(MAX_SOURCE_CHARS)} Zeichen). Bitte "
                "kürzen Sie ihn auf die Teile, auf die es ankommt."
            )


def notices_for(request: DraftRequest) -> tuple[str, ...]:
    """Notices a draft for this request must carry besides the general draft label."""
    if request.register == "leichte_sprache":
        return (LEICHTE_SPRACHE_NOTICE,)
    return ()


def german_number(value: int) -> str:
    """20000 -> "20.000" (German thousands separator) for user-facing messages."""
    return f"{value:,}".replace(",", ".")


def _check_choice(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise InvalidInput(f"Unbekannte Auswahl „{value}“ für {what}. Erlaubt sind: {', '.join(allowed)}.")
