"""Retrieved passages -> prompt. Passages are delimited as data and cannot close their tag."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from schreibstube.assistants.prompts import PromptLibrary
from schreibstube.llm.base import Message

_TAGS = re.compile(r"</?\s*quellen?\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    id: str  # "Q1"
    document_id: str
    document: str  # display name (with attachment part if any)
    part: str
    page_start: int
    page_end: int
    heading: str
    text: str
    score: float
    logical: bool = False  # numbers are ~3000-character sections, not printed pages

    @property
    def pages(self) -> str:
        if self.page_start == self.page_end:
            return str(self.page_start)
        return f"{self.page_start}–{self.page_end}"


def fence(text: str) -> str:
    """Neutralise anything that looks like our delimiters inside untrusted text."""
    return _TAGS.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)


def build_messages(prompts: PromptLibrary, question: str, passages: list[Passage]) -> list[Message]:
    fenced = [replace(p, document=fence(p.document), text=fence(p.text)) for p in passages]
    return [Message("system", prompts.render("research_system")),
            Message("user", prompts.render("research_user", question=question, passages=fenced))]
