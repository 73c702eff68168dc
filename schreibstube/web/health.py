"""Liveness and readiness for operators.

``/healthz``: the process answers. ``/readyz``: the database answers and every configured
model answers its probe (results cached for 30 s so that probes do not load the upstream).
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from schreibstube.context import AppContext
from schreibstube.errors import SchreibstubeError
from schreibstube.web.deps import get_ctx

router = APIRouter(tags=["operations"])
_CACHE_S = 30.0


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


async def _probe_model(ctx: AppContext, name: str) -> dict[str, Any]:
    try:
        await asyncio.wait_for(ctx.models.get(name).check(), timeout=10)
        return {"name": name, "ok": True}
    except (SchreibstubeError, TimeoutError, OSError) as exc:
        return {"name": name, "ok": False, "error": type(exc).__name__}


async def model_status(ctx: AppContext, cache: dict[str, Any]) -> list[dict[str, Any]]:
    if cache and time.monotonic() - cache["at"] < _CACHE_S:
        return list(cache["models"])
    models = await asyncio.gather(*(_probe_model(ctx, m.name) for m in ctx.settings.models))
    cache.update(at=time.monotonic(), models=models)
    return list(models)


@router.get("/readyz")
async def readyz(ctx: Annotated[AppContext, Depends(get_ctx)]) -> JSONResponse:
    try:
        db_ok = await asyncio.to_thread(ctx.db.ping)
    except Exception as exc:  # any driver error means "not ready"
        db_ok, _ = False, exc
    from schreibstube.web import app_state

    models = await model_status(ctx, app_state.readiness_cache(ctx))
    ready = db_ok and all(m["ok"] for m in models)
    return JSONResponse({"ready": ready, "database": db_ok, "models": models},
                        status_code=200 if ready else 503)
