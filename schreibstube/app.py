"""``create_app(settings)`` -> the web app: context, routers, middleware, lifespan.

Nothing is created at import time: the settings come in, the context (database, models,
prompts) is built here, migrations run if ``auto_migrate`` is on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError

from schreibstube import __version__
from schreibstube.assistants import draft_templates
from schreibstube.context import AppContext, build_context
from schreibstube.ingestion.worker import IngestionWorker
from schreibstube.llm.base import Model
from schreibstube.retrieval.runtime import attach_retrieval
from schreibstube.settings import Settings
from schreibstube.web import (
    api_chat,
    api_drafts,
    api_research,
    api_summarize,
    errors,
    health,
    pages,
    pages_drafting,
    pages_research,
)
from schreibstube.web.security import SecurityMiddleware

log = logging.getLogger(__name__)


def start_ingestion(ctx: AppContext) -> IngestionWorker:
    """The background ingestion loop of this process (see ``ingestion.worker``)."""
    from schreibstube.assistants.summarize.run import limits_from

    worker = IngestionWorker(ctx.db, limits_from(ctx), ctx.retrieval,
                             concurrency=ctx.settings.ingestion_concurrency)
    ctx.ingestion = worker
    worker.start()
    return worker


async def check_templates(ctx: AppContext) -> None:
    """Re-validate stored drafting templates; broken ones are logged (ids) and flagged."""
    try:
        await asyncio.to_thread(draft_templates.check_stored, ctx)
    except SQLAlchemyError as exc:  # e.g. auto_migrate off and the schema not yet upgraded
        log.warning("draft templates not checked error=%s", type(exc).__name__)


def create_app(
    settings: Settings, *, context: AppContext | None = None,
    model_overrides: dict[str, Model] | None = None,
) -> FastAPI:
    ctx = context or build_context(settings, model_overrides)
    attach_retrieval(ctx)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.info("schreibstube started version=%s models=%d", __version__, len(settings.models))
        await check_templates(ctx)
        worker = start_ingestion(ctx) if settings.ingestion_enabled else None
        yield
        if worker is not None:
            await worker.stop()
        if context is None:
            await ctx.aclose()

    app = FastAPI(
        title="Schreibstube API", version=__version__, lifespan=lifespan,
        docs_url=None, openapi_url="/api/v1/openapi.json", redoc_url=None,
        description="KI-Assistent für die öffentliche Verwaltung. Alle Modellantworten sind "
        "KI-generiert.",
    )
    app.state.ctx = ctx
    app.state.user_cache = {}
    app.add_middleware(SecurityMiddleware)
    errors.install(app)
    app.include_router(health.router)
    app.include_router(api_chat.router)
    app.include_router(api_summarize.router)
    app.include_router(api_research.router)
    app.include_router(pages_research.router)
    app.include_router(api_drafts.router)
    app.include_router(pages.router)
    app.include_router(pages_drafting.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "web" / "static"),
              name="static")
    return app
