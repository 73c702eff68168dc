"""An in-process scripted model for tests, demos and benchmarks (shipped, not a test mock).

It replays queued answers: strings are streamed word by word, exceptions are raised (before
any text, or after the text of a ``(text, exc)`` tuple); a ``CutOff(text)`` streams its text
and then reports ``finish_reason = "length"``, as a model that hit its output limit. With
an empty queue it answers with ``responder(prompt)`` if given, else with a deterministic
echo of the last user message. ``delay_for`` makes answers arrive out of order (for
concurrency tests). Every prompt it receives is recorded in ``prompts`` so tests can assert
on what was sent.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable

from schreibstube.llm.base import Model, Prompt, StreamStats
from schreibstube.settings import ModelConfig


class CutOff(str):
    """An answer that stops at the output limit (``finish_reason == "length"``)."""


Step = str | BaseException | tuple[str, BaseException]
Responder = Callable[[Prompt], str]


class ScriptedModel(Model):
    def __init__(
        self,
        config: ModelConfig,
        steps: list[Step] | None = None,
        *,
        responder: Responder | None = None,
        delay_s: float = 0.0,
        delay_for: Callable[[Prompt], float] | None = None,
    ) -> None:
        super().__init__(config)
        self.queue: deque[Step] = deque(steps or [])
        self.responder = responder
        self.delay_s = delay_s
        self.delay_for = delay_for
        self.prompts: list[Prompt] = []

    def enqueue(self, *steps: Step) -> None:
        self.queue.extend(steps)

    def _next(self, prompt: Prompt) -> Step:
        if self.queue:
            return self.queue.popleft()
        if self.responder:
            return self.responder(prompt)
        last = next((m.content for m in reversed(prompt.messages) if m.role == "user"), "")
        return f"Antwort (Skript): {last[:200]}"

    async def stream(self, prompt: Prompt, stats: StreamStats) -> AsyncIterator[str]:
        self.prompts.append(prompt)
        step = self._next(prompt)
        if self.delay_for:
            await asyncio.sleep(self.delay_for(prompt))
        if isinstance(step, BaseException):
            raise step
        text, exc = step if isinstance(step, tuple) else (step, None)
        words = text.split(" ")
        for i, word in enumerate(words):
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            yield word if i == 0 else " " + word
        if exc is not None:
            raise exc
        stats.prompt_tokens = self.count_prompt_tokens(prompt.messages)
        stats.completion_tokens = len(words)
        stats.finish_reason = "length" if isinstance(text, CutOff) else "stop"
