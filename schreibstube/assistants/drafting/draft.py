"""The :class:`Draft` value type and its "Markdown-light" body.

A draft is what the model wrote, split into a title and a body. The body uses the small subset
of Markdown the prompts ask for — and nothing else is interpreted:

* ``## Heading`` (``#``/``###`` too) — a section heading; levels below 2 become 2, above 3
  become 3, because level 1 is the title;
* blank lines separate paragraphs; a single line break inside a paragraph is kept (addresses,
  closing formula and name);
* ``- item`` (or ``* item``) — a bullet; an indented line continues the previous item;
* ``**bold**`` inside a line.

Every export carries :data:`DRAFT_LABEL` first, then the draft's ``notices`` (for example that
a Leichte-Sprache text has not been checked by a Prüfgruppe).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

DRAFT_LABEL = "Entwurf – KI-generiert, bitte fachlich prüfen"

_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
_BULLET = re.compile(r"^\s*[-*•]\s+(.*\S)\s*$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_FENCE = re.compile(r"^```[\w-]*\s*\n(.*?)\n```\s*$", re.DOTALL)
_TITLE_PREFIX = re.compile(r"^(?:#\s+|betreff\s*:\s*)", re.IGNORECASE)


@dataclass(frozen=True)
class Draft:
    """A draft ready for display and export. ``text`` is Markdown-light (see module doc)."""

    title: str
    text: str
    notices: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        """Lines every rendering shows before the title: the draft label, then notices."""
        return (DRAFT_LABEL, *self.notices)

    @classmethod
    def from_model_output(cls, output: str, *, fallback_title: str, notices: tuple[str, ...] = ()) -> Draft:
        """Split model output into title (first ``# `` or ``Betreff:`` line) and body."""
        text = output.strip()
        fenced = _FENCE.match(text)
        if fenced:
            text = fenced.group(1).strip()
        first, _, rest = text.partition("\n")
        if _TITLE_PREFIX.match(first):
            title = _TITLE_PREFIX.sub("", first).strip().strip("*").strip()
            return cls(title or fallback_title, rest.strip(), notices)
        return cls(fallback_title, text, notices)


@dataclass(frozen=True)
class Block:
    """One unit of the body: a heading, a paragraph (may contain ``\\n``) or a bullet list."""

    kind: Literal["heading", "paragraph", "bullets"]
    text: str = ""
    level: int = 2
    items: tuple[str, ...] = field(default=())


def parse_blocks(text: str) -> list[Block]:
    """Parse a Markdown-light body into blocks."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", "\n".join(paragraph)))
            paragraph.clear()
        if bullets:
            blocks.append(Block("bullets", items=tuple(bullets)))
            bullets.clear()

    for line in text.splitlines():
        heading, bullet = _HEADING.match(line), _BULLET.match(line)
        if not line.strip():
            flush()
        elif heading:
            flush()
            level = min(max(len(heading.group(1)), 2), 3)
            blocks.append(Block("heading", heading.group(2).strip("*").strip(), level))
        elif bullet:
            if paragraph:
                flush()
            bullets.append(bullet.group(1))
        elif bullets and line[:1].isspace():
            bullets[-1] = f"{bullets[-1]} {line.strip()}"
        else:
            if bullets:
                flush()
            paragraph.append(line.strip())
    flush()
    return blocks


def inline_runs(text: str) -> list[tuple[str, bool]]:
    """Split a line into (text, bold) runs by ``**bold**`` markers."""
    runs: list[tuple[str, bool]] = []
    pos = 0
    for match in _BOLD.finditer(text):
        if match.start() > pos:
            runs.append((text[pos : match.start()], False))
        runs.append((match.group(1), True))
        pos = match.end()
    if pos < len(text):
        runs.append((text[pos:], False))
    return runs
