"""Collections, documents and questions under /api/v1 (Recherchieren). Thin routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, Response, UploadFile
from pydantic import BaseModel, Field

from schreibstube.assistants.research import collections
from schreibstube.assistants.research.answer import ResearchEvent
from schreibstube.assistants.research.service import ask
from schreibstube.context import AppContext
from schreibstube.errors import SchreibstubeError
from schreibstube.storage.tables import StoredDocument
from schreibstube.tenants.identity import CurrentUser
from schreibstube.web.deps import current_user, get_ctx
from schreibstube.web.markdown import render
from schreibstube.web.sse import format_event, sse_response, with_heartbeat
from schreibstube.web.uploads import check_content_length, save_uploads, upload_dir

router = APIRouter(prefix="/api/v1", tags=["research"])
Ctx = Annotated[AppContext, Depends(get_ctx)]
User = Annotated[CurrentUser, Depends(current_user)]


class CollectionIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    shared: bool = False


class CollectionOut(BaseModel):
    id: str
    name: str
    shared: bool
    mine: bool
    documents: int
    ready: int
    can_manage: bool


class DocumentOut(BaseModel):
    id: str
    name: str
    status: str
    pages: int
    chunks: int
    error: str | None
    warnings: list[str]
    created_at: datetime


class QuestionIn(BaseModel):
    # Checked by the service, which says in German what is missing (an empty list here would
    # only get the generic "Die Anfrage ist unvollständig oder ungültig.").
    question: str = Field(description="The question, up to 2000 characters.")
    collections: list[str] = Field(default_factory=list, description="Collection ids or names.")
    model: str | None = None
    stream: bool = True


def document_out(d: StoredDocument) -> DocumentOut:
    return DocumentOut(id=d.id, name=d.name, status=d.status, pages=d.page_count, chunks=d.chunk_count,
                       error=d.error_message, warnings=list(d.warnings or []), created_at=d.created_at)


@router.get("/collections", response_model=list[CollectionOut])
def list_collections(ctx: Ctx, user: User) -> list[CollectionOut]:
    return [CollectionOut(**vars(c)) for c in collections.list_visible(ctx, user)]


@router.post("/collections", response_model=CollectionOut, status_code=201)
def create_collection(ctx: Ctx, user: User, body: CollectionIn) -> CollectionOut:
    return CollectionOut(**vars(collections.create(ctx, user, body.name, shared=body.shared)))


@router.delete("/collections/{collection_id}", status_code=204)
def delete_collection(ctx: Ctx, user: User, collection_id: str) -> Response:
    collections.delete_collection(ctx, user, collection_id)
    return Response(status_code=204)


@router.get("/collections/{collection_id}/documents", response_model=list[DocumentOut])
def list_documents(ctx: Ctx, user: User, collection_id: str) -> list[DocumentOut]:
    return [document_out(d) for d in collections.documents(ctx, user, collection_id)]


@router.post("/collections/{collection_id}/documents", response_model=list[DocumentOut], status_code=202)
async def add_documents(request: Request, ctx: Ctx, user: User, collection_id: str,
                        files: Annotated[list[UploadFile], File()]) -> list[DocumentOut]:
    """Queue files for indexing; poll the list endpoint for their state."""
    check_content_length(request, ctx.settings)
    with upload_dir() as folder:
        saved = await save_uploads(files, folder, ctx.settings)
        payload = [(name, "application/octet-stream", path.read_bytes()) for path, name in saved]
    return [document_out(d) for d in collections.add_files(ctx, user, collection_id, payload)]


@router.delete("/documents/{document_id}", status_code=204)
def delete_document(ctx: Ctx, user: User, document_id: str) -> Response:
    collections.remove_document(ctx, user, document_id)
    return Response(status_code=204)


def _encode(event: ResearchEvent) -> bytes:
    data = dict(event.data)
    if event.kind == "done":
        data["html"] = render(data["answer"])
    return format_event(event.kind, data)


async def _guarded(events: AsyncIterator[ResearchEvent]) -> AsyncIterator[ResearchEvent]:
    try:
        async for event in events:
            yield event
    except SchreibstubeError as exc:
        yield ResearchEvent("error", {"kind": exc.kind, "message": exc.user_message, "partial": ""})


@router.post("/questions", responses={200: {"content": {"text/event-stream": {}}}})
async def ask_question(ctx: Ctx, user: User, body: QuestionIn) -> Any:
    """Ask a question over collections: events ``passages``, ``delta``*, ``done`` (answer,
    citations with document/page/quote/verified) or ``error``."""
    events = ask(ctx, user, body.collections, body.question, body.model)
    first = await anext(events)  # validation and permission errors become HTTP errors

    async def all_events() -> AsyncIterator[ResearchEvent]:
        yield first
        async for event in events:
            yield event

    if body.stream:
        return sse_response(with_heartbeat(_guarded(all_events()), ctx.settings.heartbeat_s, _encode))
    result: dict[str, Any] = {}
    async for event in _guarded(all_events()):
        if event.kind == "passages":
            result["passages"] = event.data["passages"]
        elif event.kind in ("done", "error"):
            result.update(event=event.kind, **event.data)
    if result.get("event") == "done":
        result["html"] = render(result["answer"])
    return result
