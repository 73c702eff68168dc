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
    """``events`` encoded, with a heartbeat comment after every ``heartbeat_s`` of silence.

    One pump task per stream reads ``events`` into a queue of one; the response waits on the
    queue under a timeout. Cancelling that wait is harmless, whereas cancelling a read of
    ``events`` itself would abort the model's stream. (The first version started a task per
    event: 5-7 % of the gateway's CPU under load, docs/benchmarks.md P1.) An exception in
    ``events`` is raised here; when the client goes away, the pump is cancelled and
    ``events`` closed, so its ``finally`` blocks (storing a partial answer) run.
    """
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue(maxsize=1)

    async def pump() -> None:
        try:
            async for item in events:
                await queue.put(("item", item))
        except Exception as exc:  # handed to the consumer, raised there
            await queue.put(("error", exc))
            return
        await queue.put(("end", None))

    pumping = asyncio.create_task(pump())
    try:
        while True:
            try:
                async with asyncio.timeout(heartbeat_s):
                    kind, value = await queue.get()
            except TimeoutError:
                yield b": heartbeat\n\n"
                continue
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield encode(value)
    finally:
        if not pumping.done():
            pumping.cancel()
        with contextlib.suppress(BaseException):
            await pumping
        aclose = getattr(events, "aclose", None)
        if aclose is not None:
            await aclose()


def sse_response(stream: AsyncIterator[bytes]) -> StreamingResponse:
    return StreamingResponse(stream, media_type="text/event-stream", headers=HEADERS)
