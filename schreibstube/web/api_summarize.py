"""POST /api/v1/summaries: files and/or text + options -> SSE events (or one JSON result).

Events: ``progress`` (phase read/map/final), ``file_error`` (a file could not be read; the
others go on), ``warning``, ``plan`` (batches, coverage), ``delta``, ``done`` (text, HTML,
coverage, paragraphs with their pages) or ``error`` (German message + partial summaries).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse

from schreibstube.assistants.summarize.options import SummaryOptions
from schreibstube.assistants.summarize.run import summarize
from schreibstube.assistants.summarize.service import SummaryEvent
from schreibstube.context import AppContext
from schreibstube.errors import SchreibstubeError
from schreibstube.tenants.identity import CurrentUser
from schreibstube.web.deps import current_user, get_ctx
from schreibstube.web.errors import error_body
from schreibstube.web.markdown import render
from schreibstube.web.sse import format_event, sse_response, with_heartbeat
from schreibstube.web.uploads import check_content_length, save_uploads, upload_dir

router = APIRouter(prefix="/api/v1", tags=["summaries"])


def _encode(event: SummaryEvent) -> bytes:
    data = dict(event.data)
    if event.kind == "done":
        data["html"] = render(data["text"])
        data["ai_generated"] = True
    return format_event(event.kind, data)


async def _guarded(events: AsyncIterator[SummaryEvent], cleanup: Any) -> AsyncIterator[SummaryEvent]:
    try:
        async for event in events:
            yield event
    except SchreibstubeError as exc:
        yield SummaryEvent("error", {"kind": exc.kind, "message": exc.user_message, "partials": []})
    finally:
        cleanup.__exit__(None, None, None)


@router.post("/summaries", responses={200: {"content": {"text/event-stream": {}}}})
async def create_summary(
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    user: Annotated[CurrentUser, Depends(current_user)],
    files: Annotated[list[UploadFile] | None, File()] = None,
    text: Annotated[str, Form()] = "",
    length: Annotated[str, Form()] = "mittel",
    words: Annotated[int | None, Form()] = None,
    bullets: Annotated[int | None, Form()] = None,
    style: Annotated[str, Form()] = "fachsprache",
    form: Annotated[str, Form()] = "fliesstext",
    focus: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "de",
    model: Annotated[str | None, Form()] = None,
    stream: Annotated[bool, Form()] = True,
) -> Any:
    """Summarise uploaded files and/or pasted text. Nothing is stored on the server."""
    check_content_length(request, ctx.settings)
    options = SummaryOptions(length=length, words=words, bullets=bullets, style=style, form=form,
                             focus=focus, language=language)
    ctx.settings.model(model or ctx.settings.default_model or "")
    folder_cm = upload_dir()
    folder = folder_cm.__enter__()
    try:
        saved = await save_uploads(files or [], folder, ctx.settings)
    except BaseException:
        folder_cm.__exit__(None, None, None)
        raise
    events = _guarded(summarize(ctx, files=saved, text=text, options=options, model_name=model),
                      folder_cm)
    if stream:
        return sse_response(with_heartbeat(events, ctx.settings.heartbeat_s, _encode))
    result: dict[str, Any] = {"file_errors": []}
    async for event in events:
        if event.kind == "file_error":
            result["file_errors"].append(event.data)
        elif event.kind in ("done", "error"):
            result.update(event=event.kind, **event.data)
    if result.get("event") == "error":
        return JSONResponse(error_body(result["kind"], result["message"], partials=result["partials"],
                                       file_errors=result["file_errors"]), status_code=422)
    result["html"] = render(result["text"])
    return {**result, "ai_generated": True}
