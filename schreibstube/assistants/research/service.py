"""Entry point for asking questions: resolves collections (gate), builds the Researcher."""

from __future__ import annotations

from collections.abc import AsyncIterator

from schreibstube.assistants.research import collections
from schreibstube.assistants.research.answer import Researcher, ResearchEvent
from schreibstube.context import AppContext
from schreibstube.errors import ConfigError, InvalidInput
from schreibstube.tenants.identity import CurrentUser


async def ask(ctx: AppContext, user: CurrentUser, collection_refs: list[str], question: str,
              model_name: str | None = None) -> AsyncIterator[ResearchEvent]:
    question = " ".join(question.split())
    if not question:
        raise InvalidInput("Bitte stellen Sie eine Frage.")
    if len(question) > 2000:
        raise InvalidInput("Die Frage ist zu lang (höchstens 2000 Zeichen).")
    if not collection_refs:
        raise InvalidInput("Bitte wählen Sie mindestens eine Sammlung aus.")
    if ctx.retrieval is None:
        raise ConfigError("Die Suche ist nicht eingerichtet.")
    ids = [collections.resolve(ctx, user, ref) for ref in collection_refs]
    researcher = Researcher(ctx.db, ctx.models.get(model_name), ctx.prompts, ctx.retrieval.search)
    async for event in researcher.ask(user, ids, question):
        yield event
