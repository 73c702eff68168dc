"""Server-rendered pages. Thin: resolve user, call a service, render a template.

Forms post back to the server (rename, delete) so that they work without JavaScript; only
the streaming chat uses a small script (``static/chat.js``), no build step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from schreibstube.assistants import chat
from schreibstube.context import AppContext
from schreibstube.tenants.identity import CurrentUser
from schreibstube.web.api_chat import message_out
from schreibstube.web.deps import current_user, get_ctx
from schreibstube.web.i18n import LOCALES, Translator

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
Ctx = Annotated[AppContext, Depends(get_ctx)]
User = Annotated[CurrentUser, Depends(current_user)]


def translator(request: Request) -> Translator:
    ctx: AppContext = request.app.state.ctx
    return Translator(request.cookies.get("lang") or ctx.settings.default_locale)


def page(request: Request, name: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    ctx: AppContext = request.app.state.ctx
    t = translator(request)
    values.setdefault("active", "")
    return templates.TemplateResponse(
        request, name, {"t": t, "lang": t.locale, "settings": ctx.settings, **values},
        status_code=status_code,
    )


def render_error(request: Request, message: str, status_code: int) -> HTMLResponse:
    return page(request, "error.html", status_code=status_code, message=message)


@router.get("/")
def index() -> RedirectResponse:
    return RedirectResponse("/chat", status_code=303)


def _chat_page(request: Request, ctx: AppContext, user: CurrentUser, conv_id: str | None) -> HTMLResponse:
    conversation, messages = (None, [])
    if conv_id:
        conversation, raw = chat.get_conversation(ctx, user, conv_id)
        messages = [message_out(m) for m in raw]
    selected = conversation.model if conversation else ctx.settings.default_model
    return page(
        request, "chat.html", active="chat", conversation=conversation, messages=messages,
        conversations=chat.list_conversations(ctx, user), models=ctx.settings.models,
        selected_model=selected, model_labels={m.name: m.label for m in ctx.settings.models},
    )


@router.get("/chat", response_class=HTMLResponse)
def chat_new(request: Request, ctx: Ctx, user: User) -> HTMLResponse:
    return _chat_page(request, ctx, user, None)


@router.get("/chat/{conversation_id}", response_class=HTMLResponse)
def chat_show(request: Request, ctx: Ctx, user: User, conversation_id: str) -> HTMLResponse:
    return _chat_page(request, ctx, user, conversation_id)


@router.post("/chat/{conversation_id}/rename")
def chat_rename(ctx: Ctx, user: User, conversation_id: str,
                title: Annotated[str, Form()]) -> RedirectResponse:
    chat.rename_conversation(ctx, user, conversation_id, title)
    return RedirectResponse(f"/chat/{conversation_id}", status_code=303)


@router.post("/chat/{conversation_id}/delete")
def chat_delete(ctx: Ctx, user: User, conversation_id: str) -> RedirectResponse:
    chat.delete_conversation(ctx, user, conversation_id)
    return RedirectResponse("/chat?deleted=1", status_code=303)


@router.post("/chat-delete-all")
def chat_delete_all(ctx: Ctx, user: User) -> RedirectResponse:
    chat.delete_all_conversations(ctx, user)
    return RedirectResponse("/chat?deleted=all", status_code=303)


@router.get("/lang/{code}")
def set_language(code: str, request: Request) -> Response:
    target = request.headers.get("referer") or "/"
    response = RedirectResponse(target if target.startswith(str(request.base_url)) else "/",
                                status_code=303)
    if code in LOCALES:
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="strict", httponly=True)
    return response


@router.get("/zusammenfassen", response_class=HTMLResponse)
def summarize_page(request: Request, ctx: Ctx, user: User) -> HTMLResponse:
    return page(request, "summarize.html", active="summarize", models=ctx.settings.models,
                selected_model=ctx.settings.default_model)
