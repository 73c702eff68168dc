"""The model interface: one abstract method, ``stream``.

A provider turns a :class:`Prompt` into an async iterator of text deltas and nothing else.
Everything generic — retries on 429, the context budget check, timing, usage accounting,
keeping partial text when a stream breaks — lives in :mod:`schreibstube.llm.response`, so a
new provider (say, another local runtime) is one class with one method.

Providers translate their own failures into :mod:`schreibstube.errors` (``RateLimited``,
``UpstreamTimeout``, ``ContentFiltered``, ``StreamInterrupted``, ...). A provider may set
``prompt_tokens``/``completion_tokens`` on the :class:`StreamStats` it is given when the
upstream reports usage.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Literal

from schreibstube.settings import ModelConfig

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


@dataclass
class Prompt:
    messages: list[Message]
    max_tokens: int | None = None
    temperature: float | None = None


@dataclass
class StreamStats:
    """Filled while streaming; read by accounting when the response completes."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: str | None = None
    attempts: int = 0
    extra: dict[str, object] = field(default_factory=dict)


class Model(ABC):
    """A configured model. Subclasses implement :meth:`stream` only."""

    def __init__(self, config: ModelConfig) -> None:
        self.config = config

    @property
    def name(self) -> str:
        return self.config.name

    @abstractmethod
    def stream(self, prompt: Prompt, stats: StreamStats) -> AsyncIterator[str]:
        """Yield text deltas for ``prompt``; raise ``schreibstube.errors.UpstreamError``s."""

    def count_tokens(self, text: str) -> int:
        """Estimate tokens. German BPE averages ~3.3 chars/token; we round up to be safe."""
        return len(text) // 3 + 1

    def count_prompt_tokens(self, messages: list[Message]) -> int:
        return sum(self.count_tokens(m.content) + 4 for m in messages) + 2

    async def check(self) -> bool:
        """Readiness probe: does this model answer? Default: try a one-token completion."""
        stats = StreamStats()
        prompt = Prompt([Message("user", "ping")], max_tokens=1)
        async for _ in self.stream(prompt, stats):
            break
        return True

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release clients or runtimes."""
