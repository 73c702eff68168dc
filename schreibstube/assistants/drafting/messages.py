"""Building the chat messages for a draft and for a revision of it.

:func:`build_messages` returns ``[system, user]``: the system prompt carries the rules, the
register/length/gender guidance and the output format; the user prompt carries the text type's
own instructions (its ``prompt`` from ``types/<id>.toml``), the deterministic salutation and
closing lines, the author's notes, an optional user template, and the source text.

The source text is untrusted: it may be a citizen's letter or a web page, written by someone
who is not the author. It goes last, between ``<quelltext>`` tags, and the system prompt says
it holds material, not instructions. Tag look-alikes inside it are defused so the text cannot
close the fence early. (This lowers the risk of prompt injection; it cannot rule it out, which
is one reason every draft is labelled for human review.)

:func:`build_revision_messages` replays the original request, adds the previous draft as the
assistant's turn, and asks for a revision: a preset (``kuerzer``, ``foermlicher``,
``einfacher``, with wording from ``prompts/options.toml``) or the author's free text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Literal, TypedDict

from schreibstube.assistants.drafting.catalog import Catalog, TextType, render_user_template
from schreibstube.assistants.drafting.request import DraftRequest, german_number
from schreibstube.assistants.drafting.salutation import closing_line, salutation_line
from schreibstube.errors import InvalidInput

MAX_INSTRUCTION_CHARS = 2_000


class ChatMessage(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


def build_messages(request: DraftRequest, catalog: Catalog) -> list[ChatMessage]:
    """The system and user messages that ask the model for a first draft."""
    text_type = catalog.get(request.text_type)
    context = _context(request, text_type, catalog)
    options = catalog.options
    system = catalog.render_frame(
        "system",
        {
            **context,
            "register_guidance": options.registers[request.register].guidance,
            "gender_guidance": options.genders[request.gender].guidance,
        },
    )
    task = text_type.render({**context, **_type_variables(request, text_type)})
    user = catalog.render_frame(
        "user",
        {
            **context,
            "task": task,
            "source_text": fence(request.source_text.strip(), "quelltext"),
            "template": _user_template(request),
        },
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def build_revision_messages(
    previous_draft: str, instruction: str, request: DraftRequest, catalog: Catalog
) -> list[ChatMessage]:
    """Messages asking the model to revise ``previous_draft`` as ``instruction`` says.

    ``instruction`` is a preset id (``kuerzer``, ``foermlicher``, ``einfacher``; "kürzer" and
    "Förmlicher" are understood too) or free text from the author.
    """
    if not previous_draft.strip():
        raise InvalidInput("Es gibt noch keinen Entwurf, der überarbeitet werden könnte.")
    text_type = catalog.get(request.text_type)
    preset = catalog.options.revisions.get(_preset_key(instruction))
    if preset is None:
        instruction = instruction.strip()
        if not instruction:
            raise InvalidInput("Bitte geben Sie an, wie der Entwurf überarbeitet werden soll.")
        if len(instruction) > MAX_INSTRUCTION_CHARS:
            raise InvalidInput(
                f"Die Anweisung ist zu lang (höchstens {german_number(MAX_INSTRUCTION_CHARS)} Zeichen)."
            )
    revision = catalog.render_frame(
        "revision",
        {
            **_context(request, text_type, catalog),
            "instruction": preset.guidance if preset else instruction,
            "preset": preset is not None,
        },
    )
    return [
        *build_messages(request, catalog),
        {"role": "assistant", "content": previous_draft.strip()},
        {"role": "user", "content": revision},
    ]


def fence(text: str, tag: str) -> str:
    """Defuse ``<tag>``/``</tag>`` look-alikes in ``text`` so it cannot leave its fence."""
    return re.sub(rf"<(\s*/?\s*){tag}", rf"‹\1{tag}", text, flags=re.IGNORECASE)


def _context(request: DraftRequest, text_type: TextType, catalog: Catalog) -> dict[str, Any]:
    """The names every prompt may use (exactly ``catalog.PROMPT_CONTEXT``)."""
    options = catalog.options
    length_guidance = text_type.lengths.get(request.length) or (options.lengths[request.length].guidance)
    return {
        "text_type": text_type.label,
        "sections": list(text_type.sections),
        "notes": request.notes.strip(),
        "recipient": request.recipient.strip(),
        "recipient_label": text_type.recipient_label,
        "salutation": (
            salutation_line(request.salutation, request.recipient) if text_type.salutation else ""
        ),
        "closing": closing_line(request.salutation) if text_type.salutation else "",
        "sender": request.sender.strip(),
        "register": request.register,
        "register_label": options.registers[request.register].label,
        "length": request.length,
        "length_guidance": length_guidance,
        "leichte_sprache": request.register == "leichte_sprache",
        "has_source": bool(request.source_text.strip()),
        "has_template": bool(request.template.strip()),
    }


def _type_variables(request: DraftRequest, text_type: TextType) -> dict[str, str]:
    missing = [v for v in text_type.variables if not request.variables.get(v, "").strip()]
    if missing:
        raise InvalidInput(f"Für die Textart „{text_type.label}“ fehlen Angaben: {', '.join(missing)}.")
    return {v: request.variables[v].strip() for v in text_type.variables}


def _user_template(request: DraftRequest) -> str:
    if not request.template.strip():
        return ""
    return fence(render_user_template(request.template, request.variables), "vorlage")


def _preset_key(instruction: str) -> str:
    """ "Kürzer" -> "kuerzer": lower case, umlauts transliterated."""
    key = unicodedata.normalize("NFC", instruction.strip().lower())
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        key = key.replace(umlaut, plain)
    return key
