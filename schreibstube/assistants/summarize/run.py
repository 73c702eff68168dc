"""Entry points used by the web layer and the CLI: read files, then summarise.

Reading happens per file in isolation (``documents.read_document``); a file that cannot be
read yields a ``file_error`` event with its German message and the others go on.
Nothing is stored: uploaded files live in a temporary folder for the duration of the call.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

from schreibstube.assistants.summarize.options import SummaryOptions
from schreibstube.assistants.summarize.service import Summarizer, SummaryEvent
from schreibstube.assistants.summarize.sources import pasted_text, source_pages
from schreibstube.context import AppContext
from schreibstube.documents import Limits, read_document
from schreibstube.documents.model import Document
from schreibstube.errors import InvalidInput, SchreibstubeError


def limits_from(ctx: AppContext) -> Limits:
    s = ctx.settings
    return Limits(max_bytes=s.max_upload_bytes, max_pages=s.max_pages, timeout_s=s.parse_timeout_s,
                  ocr=s.ocr)


async def read_all(ctx: AppContext, files: list[tuple[Path, str]],
                   documents: list[Document]) -> AsyncIterator[SummaryEvent]:
    limits = limits_from(ctx)
    for i, (path, name) in enumerate(files):
        yield SummaryEvent("progress", {"phase": "read", "done": i, "total": len(files), "file": name})
        try:
            doc = await asyncio.to_thread(read_document, path, name, limits=limits)
        except SchreibstubeError as exc:
            yield SummaryEvent("file_error", {"file": name, "kind": exc.kind, "message": exc.user_message})
            continue
        documents.append(doc)
        for warning in doc.warnings:
            yield SummaryEvent("warning", {"file": name, "message": warning})


async def summarize(
    ctx: AppContext, *, files: list[tuple[Path, str]], text: str, options: SummaryOptions,
    model_name: str | None,
) -> AsyncIterator[SummaryEvent]:
    documents: list[Document] = []
    async for event in read_all(ctx, files, documents):
        yield event
    if text.strip():
        documents.append(pasted_text(text))
    if not documents and files:
        raise InvalidInput("Keine der Dateien konnte gelesen werden; es wurde nichts zusammengefasst.")
    if not documents:
        raise InvalidInput("Es gibt nichts zusammenzufassen: Bitte laden Sie eine lesbare Datei "
                           "hoch oder fügen Sie Text ein.")
    model = ctx.models.get(model_name)
    summarizer = Summarizer(model, ctx.prompts, concurrency=ctx.settings.summary_concurrency)
    async for event in summarizer.run(source_pages(documents), options):
        yield event
