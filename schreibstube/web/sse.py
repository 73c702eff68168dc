"""Server-sent events: event iterator -> ``text/event-stream`` with heartbeats.

A heartbeat comment is sent whenever no event arrived for ``heartbeat_s`` seconds (reverse
proxies drop idle connections; a slow first token is normal for local models). Responses
carry ``X-Accel-Buffering: no`` and ``Cache-Control: no-cache`` so nginx and friends pass
tokens through immediately.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi.responses import StreamingResponse

HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "Connection": "keep-alive"}


def format_event(kind: str, data: dict[str, Any]) -> bytes:
    return f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


async def with_heartbeat(
    events: AsyncIterator[Any], heartbeat_s: float, encode: Callable[[Any], bytes]
) -> AsyncIterator[bytes]:
    iterator = aiter(events)
    pending: asyncio.Task[Any] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(iterator))
            done, _ = await asyncio.wait({pending}, timeout=heartbeat_s)
            if not done:
                yield b": heartbeat\n\n"
                continue
            try:
                item = pending.result()
            except StopAsyncIteration:
                return
            finally:
                pending = None
            yield encode(item)
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            await aclose()


def sse_response(stream: AsyncIterator[bytes]) -> StreamingResponse:
    return StreamingResponse(stream, media_type="text/event-stream", headers=HEADERS)
