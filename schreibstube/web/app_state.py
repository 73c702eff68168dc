"""Small per-process caches hung off the context (no module-level mutable state)."""

from __future__ import annotations

from typing import Any

from schreibstube.context import AppContext


def readiness_cache(ctx: AppContext) -> dict[str, Any]:
    cache: dict[str, Any] = ctx.__dict__.setdefault("_readiness_cache", {})
    return cache
