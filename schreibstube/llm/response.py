"""A lazy streamed response: iterate it for deltas, read text/status/timings afterwards.

This is where everything generic to all providers happens:

* retries before the first token on ``RateLimited`` (honouring ``Retry-After`` plus jitter,
  giving up — with the wait time in the German message — when the upstream asks for longer
  than ``max_retry_wait_s``) and on ``UpstreamUnavailable``;
* keeping the partial text when a stream breaks, the output filter fires or the client goes
  away; ``status`` is then ``"incomplete"``;
* an answer that stopped at its token limit (``finish_reason == "length"``) is
  ``"incomplete"`` too (``truncated``), never shown as complete;
* timings (time to first token, total) and token usage for accounting.

Callers (the chat service, the CLI, the web layer through the service) iterate with
``async for``; after the loop — or after an exception from it — ``text``, ``status`` and
``error`` describe what happened.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Literal

from schreibstube.errors import (
    RateLimited,
    SchreibstubeError,
    UpstreamUnavailable,
)
from schreibstube.llm.base import Model, Prompt, StreamStats

Status = Literal["pending", "streaming", "complete", "incomplete", "error"]
Sleeper = Callable[[float], Awaitable[None]]


class Response:
    def __init__(
        self,
        model: Model,
        prompt: Prompt,
        *,
        sleep: Sleeper = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.model = model
        self.prompt = prompt
        self.stats = StreamStats()
        self.text = ""
        self.status: Status = "pending"
        self.error: SchreibstubeError | None = None
        self.started = 0.0
        self.first_token_s: float | None = None
        self.total_s: float | None = None
        self._sleep = sleep
        self._jitter = jitter

    def _retry_wait(self, exc: SchreibstubeError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None to give up."""
        cfg = self.model.config
        if attempt > cfg.max_retries or not isinstance(exc, RateLimited | UpstreamUnavailable):
            return None
        base = exc.retry_after if isinstance(exc, RateLimited) and exc.retry_after else 2 ** attempt
        wait = base + self._jitter() * min(1.0, base / 2)
        return wait if wait <= cfg.max_retry_wait_s else None

    async def __aiter__(self) -> AsyncIterator[str]:
        self.started = time.perf_counter()
        self.status = "streaming"
        attempt = 0
        try:
            while True:
                attempt += 1
                self.stats.attempts = attempt
                try:
                    async for delta in self.model.stream(self.prompt, self.stats):
                        if not delta:
                            continue
                        if self.first_token_s is None:
                            self.first_token_s = time.perf_counter() - self.started
                        self.text += delta
                        yield delta
                    break
                except SchreibstubeError as exc:
                    wait = None if self.text else self._retry_wait(exc, attempt)
                    if wait is None:
                        raise
                    await self._sleep(wait)
            self.status = "incomplete" if self.truncated else "complete"
        except SchreibstubeError as exc:
            self.error = exc
            self.status = "incomplete" if self.text else "error"
            raise
        except (asyncio.CancelledError, GeneratorExit):
            self.status = "incomplete"
            raise
        finally:
            self.total_s = time.perf_counter() - self.started

    @property
    def truncated(self) -> bool:
        """The model stopped because the output limit was reached, mid-text."""
        return self.stats.finish_reason == "length"

    async def collect(self) -> str:
        async for _ in self:
            pass
        return self.text
