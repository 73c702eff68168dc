"""The SSE wrapper: events pass in order, heartbeats fill silence, errors and hang-ups propagate."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from schreibstube.web.sse import with_heartbeat


def _encode(item: object) -> bytes:
    return f"data: {item}\n\n".encode()


async def _collect(stream: AsyncIterator[bytes]) -> list[bytes]:
    return [chunk async for chunk in stream]


def test_events_pass_in_order_and_silence_gets_heartbeats() -> None:
    async def events() -> AsyncIterator[int]:
        yield 1
        await asyncio.sleep(0.25)  # several heartbeat periods of silence
        yield 2

    out = asyncio.run(_collect(with_heartbeat(events(), 0.05, _encode)))
    assert out[0] == b"data: 1\n\n" and out[-1] == b"data: 2\n\n"
    assert out.count(b": heartbeat\n\n") >= 2 and len(out) == out.count(b": heartbeat\n\n") + 2


def test_an_error_in_the_events_reaches_the_response() -> None:
    async def events() -> AsyncIterator[int]:
        yield 1
        raise ValueError("kaputt")

    with pytest.raises(ValueError, match="kaputt"):
        asyncio.run(_collect(with_heartbeat(events(), 1.0, _encode)))


def test_a_client_that_goes_away_closes_the_events() -> None:
    closed = asyncio.Event()

    async def events() -> AsyncIterator[int]:
        try:
            for i in range(1000):
                await asyncio.sleep(0.01)
                yield i
        finally:
            closed.set()  # where chat stores the partial answer

    async def hang_up() -> bool:
        stream = with_heartbeat(events(), 1.0, _encode)
        assert await anext(stream) == b"data: 0\n\n"
        await stream.aclose()  # what the server does when the client disconnects
        return closed.is_set()

    assert asyncio.run(hang_up())
