"""Grounded answers: retrieve → prompt (passages as untrusted data) → stream → verify quotes.

Events: ``passages`` (always, first: what was found, with pages — useful even when the
model is weak), ``delta``* (the streamed answer), then ``done`` with the verified citations
or the plain refusal. Citations are checked against the *stored page text*; a quote that
does not occur on its page is shown as not verified (never silently trusted).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from schreibstube.assistants.prompts import PromptLibrary
from schreibstube.assistants.research.prompting import Passage, build_messages
from schreibstube.assistants.research.quotes import CITATION, verify
from schreibstube.errors import OutputTruncated, SchreibstubeError
from schreibstube.llm.base import Message, Model, Prompt
from schreibstube.llm.response import Response
from schreibstube.llm.tokens import check_budget, output_budget
from schreibstube.storage.db import Database
from schreibstube.storage.tables import DocumentPage, StoredDocument
from schreibstube.tenants.identity import CurrentUser

log = logging.getLogger(__name__)
REFUSAL = "Die Quellen beantworten diese Frage nicht."
NOT_ANSWERABLE = "NICHT BEANTWORTBAR"


class HitLike(Protocol):
    document_id: str
    part: str
    page_start: int
    page_end: int
    heading: str
    text: str
    score: float


Search = Callable[[Session, CurrentUser, list[str], str, int], Sequence[HitLike]]


@dataclass
class ResearchEvent:
    kind: str  # "passages" | "delta" | "done" | "error"
    data: dict[str, Any] = field(default_factory=dict)


def _passages(session: Session, hits: Sequence[HitLike]) -> list[Passage]:
    ids = {h.document_id for h in hits}
    names = dict(session.execute(select(StoredDocument.id, StoredDocument.name)
                                 .where(StoredDocument.id.in_(ids))).all()) if ids else {}
    logical = {(doc, part) for doc, part in session.execute(
        select(DocumentPage.document_id, DocumentPage.part).distinct()
        .where(DocumentPage.document_id.in_(ids), DocumentPage.logical))} if ids else set()
    out = []
    for i, h in enumerate(hits, 1):
        name = names.get(h.document_id, "?") + (f" › {h.part}" if h.part else "")
        out.append(Passage(f"Q{i}", h.document_id, name, h.part, h.page_start, h.page_end,
                           h.heading, h.text, float(h.score), (h.document_id, h.part) in logical))
    return out


def _page_texts(session: Session, passages: list[Passage]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in passages:
        rows = session.scalars(select(DocumentPage.text).where(
            DocumentPage.document_id == p.document_id, DocumentPage.part == p.part,
            DocumentPage.number >= p.page_start, DocumentPage.number <= p.page_end)).all()
        # a quote may run across the page break of a multi-page passage
        out[p.id] = [*rows, "\n".join(rows)]
    return out


class Researcher:
    def __init__(self, db: Database, model: Model, prompts: PromptLibrary, search: Search, *, k: int = 6):
        self.db, self.model, self.prompts, self.search, self.k = db, model, prompts, search, k

    def _retrieve(self, user: CurrentUser, collection_ids: list[str], question: str) -> list[Passage]:
        with self.db.session() as s:
            return _passages(s, self.search(s, user, collection_ids, question, self.k))

    def _fit(self, question: str, passages: list[Passage], max_tokens: int) -> list[Message]:
        """Drop the lowest-ranked passages until the prompt fits the model's context."""
        shown = list(passages)
        while True:
            messages = build_messages(self.prompts, question, shown)
            if len(shown) == 1 or self.model.count_prompt_tokens(messages) + max_tokens <= \
                    self.model.config.context_length:
                break
            shown.pop()
        if len(shown) == 1:  # a single long passage: cut it rather than fail
            limit = self.model.config.context_length - max_tokens - 300
            while self.model.count_prompt_tokens(messages) > limit and len(shown[0].text) > 400:
                shown[0] = replace(shown[0], text=shown[0].text[: int(len(shown[0].text) * 0.8)])
                messages = build_messages(self.prompts, question, shown)
        check_budget(self.model, messages, max_tokens)
        return messages

    def _finish(self, question: str, answer: str, passages: list[Passage]) -> dict[str, Any]:
        by_id = {p.id: p for p in passages}
        with self.db.session() as s:
            citations = verify(answer, _page_texts(s, passages))
        refused = not answer.strip() or answer.strip().upper().startswith(NOT_ANSWERABLE)
        numbered: dict[tuple[str, str], int] = {}
        for c in citations:
            numbered.setdefault((c.passage, c.quote), len(numbered) + 1)

        def mark(m: Any) -> str:
            n = numbered.get((m.group(1), m.group(2)))
            return f"[{n}]" if n else ""

        text = REFUSAL if refused else CITATION.sub(mark, answer).strip()
        return {
            "answer": text, "refused": refused, "ai_generated": True,
            "citations": [] if refused else [{
                "n": numbered[(c.passage, c.quote)], "passage": c.passage, "quote": c.quote,
                "verified": c.verified, "document": by_id[c.passage].document,
                "document_id": by_id[c.passage].document_id, "page": by_id[c.passage].page_start,
                "pages": by_id[c.passage].pages, "part": by_id[c.passage].part,
                "logical": by_id[c.passage].logical} for c in citations],
            "unsupported": not refused and not any(c.verified for c in citations),
        }

    async def ask(self, user: CurrentUser, collection_ids: list[str],
                  question: str) -> AsyncIterator[ResearchEvent]:
        passages = await asyncio.to_thread(self._retrieve, user, collection_ids, question)
        yield ResearchEvent("passages", {"passages": [asdict(p) | {"pages": p.pages} for p in passages]})
        if not passages:
            yield ResearchEvent("done", {"answer": REFUSAL, "refused": True, "citations": [],
                                         "unsupported": False, "ai_generated": True})
            return
        max_tokens = output_budget(self.model, 700)
        response: Response | None = None
        try:
            messages = await asyncio.to_thread(self._fit, question, passages, max_tokens)
            response = Response(self.model, Prompt(messages, max_tokens=max_tokens, temperature=0.0))
            async for delta in response:
                yield ResearchEvent("delta", {"text": delta})
        except SchreibstubeError as exc:
            yield ResearchEvent("error", {"kind": exc.kind, "message": exc.user_message,
                                          "partial": response.text if response else ""})
            return
        assert response is not None
        result = await asyncio.to_thread(self._finish, question, response.text, passages)
        result["note"] = OutputTruncated().user_message if response.truncated else None
        log.info("research answer passages=%d citations=%d verified=%d refused=%s", len(passages),
                 len(result["citations"]), sum(c["verified"] for c in result["citations"]), result["refused"])
        yield ResearchEvent("done", result)
