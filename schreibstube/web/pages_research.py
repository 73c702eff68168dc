"""Pages for Recherchieren: collections with document states, uploads, the page viewer.

Managing collections works with plain forms (no JavaScript); asking streams via
``static/research.js``. The page viewer shows one stored page and marks the cited quote.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup, escape

from schreibstube.assistants.research import collections
from schreibstube.assistants.research.quotes import normalize
from schreibstube.context import AppContext
from schreibstube.errors import NotFound
from schreibstube.storage import collections as repo
from schreibstube.storage.tables import DocumentPage
from schreibstube.tenants.gate import Owned, allowed, require
from schreibstube.tenants.identity import CurrentUser
from schreibstube.web.deps import current_user, get_ctx
from schreibstube.web.pages import page
from schreibstube.web.uploads import check_content_length, save_uploads, upload_dir

router = APIRouter(include_in_schema=False)
Ctx = Annotated[AppContext, Depends(get_ctx)]
User = Annotated[CurrentUser, Depends(current_user)]
MY_UPLOADS = "Meine Dokumente"


@router.get("/recherchieren", response_class=HTMLResponse)
def research_page(request: Request, ctx: Ctx, user: User) -> HTMLResponse:
    views = collections.list_visible(ctx, user)
    docs = {c.id: collections.documents(ctx, user, c.id) for c in views}
    return page(request, "research.html", active="research", collections=views, documents=docs,
                models=ctx.settings.models, selected_model=ctx.settings.default_model,
                can_share=allowed(user, "write", Owned(user.tenant_id, None, "tenant")))


@router.post("/recherchieren/sammlungen")
def create_collection(ctx: Ctx, user: User, name: Annotated[str, Form()],
                      shared: Annotated[bool, Form()] = False) -> RedirectResponse:
    collections.create(ctx, user, name, shared=shared)
    return RedirectResponse("/recherchieren", status_code=303)


@router.post("/recherchieren/sammlungen/{collection_id}/dokumente")
async def upload(request: Request, ctx: Ctx, user: User, collection_id: str,
                 files: Annotated[list[UploadFile], File()]) -> RedirectResponse:
    check_content_length(request, ctx.settings)
    if collection_id == "neu":  # ad hoc upload: into the user's personal default collection
        mine = [c for c in collections.list_visible(ctx, user) if c.mine and c.name == MY_UPLOADS]
        collection_id = mine[0].id if mine else collections.create(ctx, user, MY_UPLOADS).id
    with upload_dir() as folder:
        saved = await save_uploads(files, folder, ctx.settings)
        collections.add_files(ctx, user, collection_id,
                              [(name, "application/octet-stream", path.read_bytes()) for path, name in saved])
    return RedirectResponse(f"/recherchieren#sammlung-{collection_id}", status_code=303)


@router.post("/recherchieren/dokumente/{document_id}/entfernen")
def remove_document(ctx: Ctx, user: User, document_id: str) -> RedirectResponse:
    collections.remove_document(ctx, user, document_id)
    return RedirectResponse("/recherchieren", status_code=303)


@router.post("/recherchieren/sammlungen/{collection_id}/loeschen")
def delete_collection(ctx: Ctx, user: User, collection_id: str) -> RedirectResponse:
    collections.delete_collection(ctx, user, collection_id)
    return RedirectResponse("/recherchieren", status_code=303)


def highlight(text: str, quote: str) -> Markup:
    """Escape ``text`` and wrap the first occurrence of ``quote`` in <mark>. Matching uses the
    same normalisation as quote verification (dashes ignored so line-end hyphens match)."""
    target = normalize(quote).replace("-", "")
    if len(target) < 8:
        return escape(text)
    flat: list[str] = []
    positions: list[int] = []
    for i, ch in enumerate(text):
        for c in normalize(ch).replace("-", ""):
            flat.append(c)
            positions.append(i)
    at = "".join(flat).find(target)
    if at < 0:
        return escape(text)
    start, end = positions[at], positions[at + len(target) - 1] + 1
    return (escape(text[:start]) + Markup('<mark id="zitat">') + escape(text[start:end])
            + Markup("</mark>") + escape(text[end:]))


@router.get("/recherchieren/dokumente/{document_id}/seiten/{number}", response_class=HTMLResponse)
def page_view(request: Request, ctx: Ctx, user: User, document_id: str, number: int,
              teil: str = "", zitat: str = "") -> HTMLResponse:
    with ctx.db.session() as s:
        doc = repo.document(s, document_id, user=user)
        owner = (repo.owned(repo.get(s, doc.collection_id, user=user)) if doc.collection_id
                 else Owned(doc.tenant_id, doc.user_id))
        require(user, "read", owner)
        row = s.query(DocumentPage).filter_by(document_id=doc.id, part=teil, number=number).one_or_none()
        pages = s.query(DocumentPage.number).filter_by(document_id=doc.id, part=teil).count()
        if row is None:
            raise NotFound(f"Diese Seite gibt es nicht: „{doc.name}“ hat {pages} Seiten.")
        text, name, logical = row.text, doc.name, row.logical
    return page(request, "page_view.html", active="research", doc_name=name, part=teil, number=number,
                pages=pages, body=highlight(text, zitat), quote=zitat,
                document_id=document_id, unit="res.section" if logical else "res.page")
