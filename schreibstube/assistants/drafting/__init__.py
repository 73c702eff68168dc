"""Formulieren: drafting administrative texts with a model — the pure building blocks.

The service layer wires these together; nothing here touches storage, HTTP or a model::

    catalog = load_catalog(settings.drafting_template_dirs)      # once, at start-up
    request = DraftRequest(text_type="vermerk", notes="...", register="fachsprache")
    messages = build_messages(request, catalog)                   # -> the model
    draft = Draft.from_model_output(answer, fallback_title=catalog.get("vermerk").label,
                                    notices=notices_for(request))
    to_docx(draft)                                                # bytes for a download
    build_revision_messages(answer, "kuerzer", request, catalog)  # the next round

Modules, by job:

* :mod:`.request` — :class:`DraftRequest` and the closed option sets (register, length, ...).
* :mod:`.catalog` — text types and prompt files (``types/*.toml``, ``prompts/``), validated at
  start-up; user templates with ``{{ variables }}``.
* :mod:`.salutation` — the salutation and closing lines, computed in code.
* :mod:`.messages` — system/user (and revision) messages; source text fenced as data.
* :mod:`.draft` — the :class:`Draft` value type and its Markdown-light body.
* :mod:`.export` — Markdown, DOCX and ODT with real heading styles and the draft label.
* :mod:`.readability` — Amstad and Wiener Sachtextformel, for before/after comparisons.

Design decisions: ``docs/decisions/020-drafting-text-types-as-files.md`` and the two after it.
"""

from schreibstube.assistants.drafting.catalog import (
    Catalog,
    Option,
    Options,
    TextType,
    load_catalog,
    render_user_template,
    validate_user_template,
)
from schreibstube.assistants.drafting.draft import DRAFT_LABEL, Draft
from schreibstube.assistants.drafting.export import filename, to_docx, to_markdown, to_odt
from schreibstube.assistants.drafting.messages import (
    ChatMessage,
    build_messages,
    build_revision_messages,
)
from schreibstube.assistants.drafting.readability import Readability, Score, analyze, compare
from schreibstube.assistants.drafting.request import DraftRequest, notices_for
from schreibstube.assistants.drafting.salutation import closing_line, salutation_line

__all__ = [
    "DRAFT_LABEL",
    "Catalog",
    "ChatMessage",
    "Draft",
    "DraftRequest",
    "Option",
    "Options",
    "Readability",
    "Score",
    "TextType",
    "analyze",
    "build_messages",
    "build_revision_messages",
    "closing_line",
    "compare",
    "filename",
    "load_catalog",
    "notices_for",
    "render_user_template",
    "salutation_line",
    "to_docx",
    "to_markdown",
    "to_odt",
    "validate_user_template",
]
