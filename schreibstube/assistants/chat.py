"""Chat: a free conversation with a model, kept per user, deletable.

``send`` stores the user's message and a placeholder answer (status ``streaming``) first,
then streams. Whatever happens next, the answer row ends in one of ``complete``,
``incomplete`` (partial text kept: stream broke, output filtered, client left) or ``error``
(nothing generated; the German error message is stored with it). The stream yields
:class:`ChatEvent`s; the web layer turns them into SSE, the CLI prints them.

Logging: ids, sizes and timings only — never message content.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from schreibstube.context import AppContext
from schreibstube.errors import InvalidInput, OutputTruncated, SchreibstubeError, UpstreamError
from schreibstube.llm.base import Message, Prompt
from schreibstube.llm.response import Response
from schreibstube.llm.tokens import fit_history, output_budget
from schreibstube.storage import conversations as repo
from schreibstube.storage.tables import ChatMessage, Conversation
from schreibstube.tenants.identity import CurrentUser

log = logging.getLogger(__name__)
MAX_MESSAGE_CHARS = 100_000


@dataclass
class ChatEvent:
    kind: str  # "meta" | "delta" | "done" | "error"
    data: dict[str, Any] = field(default_factory=dict)


def _title_from(text: str) -> str:
    first = " ".join(text.split())[:60]
    return first + ("…" if len(text) > 60 else "")


def allowed_model(ctx: AppContext, name: str | None) -> str:
    name = name or ctx.settings.default_model or ""
    ctx.settings.model(name)  # raises NotFound for unknown names
    return name


def create_conversation(ctx: AppContext, user: CurrentUser, model: str | None) -> Conversation:
    with ctx.db.session() as s:
        return repo.create(s, user=user, model=allowed_model(ctx, model))


def list_conversations(ctx: AppContext, user: CurrentUser) -> list[Conversation]:
    with ctx.db.session() as s:
        return repo.list_for(s, user=user)


def get_conversation(
    ctx: AppContext, user: CurrentUser, conversation_id: str
) -> tuple[Conversation, list[ChatMessage]]:
    with ctx.db.session() as s:
        conv = repo.get(s, conversation_id, user=user)
        return conv, repo.messages(s, conv.id, user=user)


def rename_conversation(ctx: AppContext, user: CurrentUser, conversation_id: str, title: str) -> None:
    title = " ".join(title.split())[:200]
    if not title:
        raise InvalidInput("Bitte geben Sie einen Titel ein.")
    with ctx.db.session() as s:
        repo.get(s, conversation_id, user=user).title = title


def delete_conversation(ctx: AppContext, user: CurrentUser, conversation_id: str) -> None:
    with ctx.db.session() as s:
        repo.delete_one(s, conversation_id, user=user)
    log.info("conversation deleted id=%s", conversation_id)


def delete_all_conversations(ctx: AppContext, user: CurrentUser) -> int:
    with ctx.db.session() as s:
        count = repo.delete_all(s, user=user)
    log.info("conversations deleted count=%d", count)
    return count


def _prepare(
    ctx: AppContext, user: CurrentUser, conversation_id: str, text: str, model_name: str | None
) -> tuple[str, str, list[Message]]:
    """Store the user turn and the answer placeholder; return (answer id, model, history)."""
    with ctx.db.session() as s:
        conv = repo.get(s, conversation_id, user=user)
        model_name = allowed_model(ctx, model_name or conv.model)
        conv.model = model_name
        if not conv.title:
            conv.title = _title_from(text)
        stored = repo.messages(s, conv.id, user=user)
        history = [
            Message(m.role, m.content)  # type: ignore[arg-type]
            for m in stored
            if m.role in ("user", "assistant") and m.content
        ]
        answer = repo.add_turn(s, conv, user=user, question=text, model=model_name,
                               last_seq=max((m.seq for m in stored), default=0))
        return answer.id, model_name, history


def _finish(
    ctx: AppContext, user: CurrentUser, answer_id: str, response: Response | None,
    error: SchreibstubeError | None,
) -> None:
    with ctx.db.session() as s:
        msg = repo.get_message(s, answer_id, user=user)
        msg.content = response.text if response else ""
        status = response.status if response else "error"
        if status in ("pending", "streaming"):  # the client went away mid-stream
            status = "incomplete" if msg.content else "error"
        msg.status = status
        if error is None and response is not None and response.truncated:
            error = OutputTruncated()  # stored as the answer's note; status is "incomplete"
        if error is not None:
            msg.status = "incomplete" if msg.content else "error"
            msg.error_kind, msg.error_message = error.kind, error.user_message
        if response is not None:
            msg.meta = {
                "prompt_tokens": response.stats.prompt_tokens,
                "completion_tokens": response.stats.completion_tokens,
                "ttft_s": response.first_token_s,
                "total_s": response.total_s,
            }


async def send(
    ctx: AppContext, user: CurrentUser, conversation_id: str, text: str,
    model_name: str | None = None,
) -> AsyncIterator[ChatEvent]:
    """Send ``text`` and stream the answer as events. Never raises after the first event."""
    text = text.strip()
    if not text:
        raise InvalidInput("Bitte geben Sie eine Nachricht ein.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidInput(
            f"Die Nachricht ist zu lang ({len(text)} Zeichen, erlaubt sind {MAX_MESSAGE_CHARS})."
        )
    answer_id, model_name, history = await asyncio.to_thread(
        _prepare, ctx, user, conversation_id, text, model_name
    )
    yield ChatEvent("meta", {"message_id": answer_id, "model": model_name})
    response: Response | None = None
    error: SchreibstubeError | None = None
    try:
        model = ctx.models.get(model_name)
        max_tokens = output_budget(model, None)
        today = date.today().isoformat()
        system = Message("system", ctx.prompts.render(model.config.system_prompt, today=today))
        messages = await asyncio.to_thread(
            fit_history, model, [system, *history, Message("user", text)], max_tokens
        )
        response = Response(model, Prompt(messages, max_tokens=max_tokens))
        async for delta in response:
            yield ChatEvent("delta", {"text": delta})
    except SchreibstubeError as exc:
        error = exc
    finally:
        await asyncio.shield(asyncio.to_thread(_finish, ctx, user, answer_id, response, error))
        log.info(
            "chat answer id=%s model=%s status=%s chars=%d error=%s",
            answer_id, model_name, response.status if response else "error",
            len(response.text) if response else 0, error.kind if error else "-",
        )
    if error is not None:
        yield ChatEvent("error", {
            "message_id": answer_id, "kind": error.kind, "message": error.user_message,
            "partial": response.text if response else "",
            "retry_after": getattr(error, "retry_after", None),
        })
    else:
        assert response is not None
        yield ChatEvent("done", {"message_id": answer_id, "status": response.status,
                                 "text": response.text,
                                 "note": OutputTruncated().user_message if response.truncated else None})


__all__ = ["ChatEvent", "UpstreamError", "send"]
