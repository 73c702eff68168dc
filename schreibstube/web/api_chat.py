"""JSON API for models and chat under /api/v1. Thin: validate, call the service, shape."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from schreibstube.assistants import chat
from schreibstube.context import AppContext
from schreibstube.tenants.identity import CurrentUser
from schreibstube.web.deps import current_user, get_ctx
from schreibstube.web.markdown import render
from schreibstube.web.sse import format_event, sse_response, with_heartbeat

router = APIRouter(prefix="/api/v1", tags=["chat"])
Ctx = Annotated[AppContext, Depends(get_ctx)]
User = Annotated[CurrentUser, Depends(current_user)]


class ModelOut(BaseModel):
    name: str
    label: str
    provider: str
    context_length: int
    demo: bool
    default: bool


class ConversationOut(BaseModel):
    id: str
    title: str
    model: str
    created_at: datetime
    updated_at: datetime


class MessageOut(BaseModel):
    id: str
    role: str
    content: str
    html: str
    status: str
    ai_generated: bool
    model: str | None
    error: str | None
    created_at: datetime


class ConversationDetail(ConversationOut):
    messages: list[MessageOut]


class ConversationIn(BaseModel):
    model: str | None = None


class RenameIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)


class MessageIn(BaseModel):
    content: str = Field(min_length=1)
    model: str | None = None
    stream: bool = True


def _conv_out(c: Any) -> ConversationOut:
    return ConversationOut(id=c.id, title=c.title, model=c.model, created_at=c.created_at,
                           updated_at=c.updated_at)


def message_out(m: Any) -> MessageOut:
    return MessageOut(
        id=m.id, role=m.role, content=m.content, html=render(m.content), status=m.status,
        ai_generated=m.role == "assistant", model=m.model, error=m.error_message,
        created_at=m.created_at,
    )


@router.get("/models", response_model=list[ModelOut])
def list_models(ctx: Ctx, user: User) -> list[ModelOut]:
    default = ctx.settings.default_model
    return [ModelOut(name=m.name, label=m.label, provider=m.provider,
                     context_length=m.context_length, demo=m.demo, default=m.name == default)
            for m in ctx.settings.models]


@router.get("/conversations", response_model=list[ConversationOut])
def list_conversations(ctx: Ctx, user: User) -> list[ConversationOut]:
    return [_conv_out(c) for c in chat.list_conversations(ctx, user)]


@router.post("/conversations", response_model=ConversationOut, status_code=201)
def create_conversation(ctx: Ctx, user: User, body: ConversationIn) -> ConversationOut:
    return _conv_out(chat.create_conversation(ctx, user, body.model))


@router.get("/conversations/{conversation_id}", response_model=ConversationDetail)
def get_conversation(ctx: Ctx, user: User, conversation_id: str) -> ConversationDetail:
    conv, messages = chat.get_conversation(ctx, user, conversation_id)
    return ConversationDetail(**_conv_out(conv).model_dump(),
                              messages=[message_out(m) for m in messages])


@router.patch("/conversations/{conversation_id}", status_code=204)
def rename_conversation(ctx: Ctx, user: User, conversation_id: str, body: RenameIn) -> Response:
    chat.rename_conversation(ctx, user, conversation_id, body.title)
    return Response(status_code=204)


@router.delete("/conversations/{conversation_id}", status_code=204)
def delete_conversation(ctx: Ctx, user: User, conversation_id: str) -> Response:
    chat.delete_conversation(ctx, user, conversation_id)
    return Response(status_code=204)


@router.delete("/conversations")
def delete_all(ctx: Ctx, user: User) -> dict[str, int]:
    return {"deleted": chat.delete_all_conversations(ctx, user)}


def _encode(event: chat.ChatEvent) -> bytes:
    data = dict(event.data)
    if event.kind == "done":
        data["html"] = render(data["text"])
    elif event.kind == "error":
        data["partial_html"] = render(data["partial"])
    return format_event(event.kind, data)


@router.post("/conversations/{conversation_id}/messages",
             responses={200: {"content": {"text/event-stream": {}}}})
async def send_message(
    ctx: Ctx, user: User, conversation_id: str, body: MessageIn, request: Request
) -> Any:
    """Send a message. With ``stream`` (default) the answer arrives as server-sent events
    ``meta``, ``delta``*, then ``done`` or ``error``; otherwise as one JSON object."""
    events = chat.send(ctx, user, conversation_id, body.content, body.model)
    if body.stream:
        first = await anext(events)  # validation errors surface as HTTP errors, not SSE

        async def all_events() -> Any:
            yield first
            async for event in events:
                yield event

        return sse_response(with_heartbeat(all_events(), ctx.settings.heartbeat_s, _encode))
    result: dict[str, Any] = {}
    async for event in events:
        if event.kind in ("done", "error"):
            result = {"event": event.kind, **event.data}
    if result.get("event") == "error":
        from fastapi.responses import JSONResponse

        from schreibstube.web.errors import error_body
        return JSONResponse(error_body(result["kind"], result["message"],
                                       message_id=result["message_id"],
                                       partial=result["partial"]), status_code=502)
    return {"message_id": result["message_id"], "status": result["status"],
            "content": result["text"], "html": render(result["text"]), "ai_generated": True}
