"""P5 summary wall time: map-reduce against an upstream with fixed latency vs the ideal.

The fake upstream (separate process) answers every call with ``TOKENS`` chunks ``LATENCY_MS``
apart. The material is ``MAPS`` synthetic pages sized so that each fills one map batch of an
``openai`` model with ``CONTEXT`` tokens; the partial summaries then fit one final reduce call,
so a run makes ``MAPS + 1`` calls. Figures:

* ``single_s``: one map-sized call alone, median of three (measured in the same run);
* ``ideal_s`` = calls ÷ concurrency × ``single_s``;
* ``critical_s`` = (⌈maps ÷ concurrency⌉ + 1) × ``single_s`` — the final reduce can only
  start when every map is done, so no scheduler beats this;
* ``ratio`` = wall ÷ ideal (goal ≤ 1.15), ``critical_ratio`` = wall ÷ critical.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator

from pydantic import SecretStr

from bench.common import PYTHON, Child, free_port, goal, line, median
from schreibstube.assistants.prompts import PromptLibrary
from schreibstube.assistants.summarize.options import SummaryOptions
from schreibstube.assistants.summarize.service import MAP_WORDS, Summarizer
from schreibstube.assistants.summarize.sources import SourcePage
from schreibstube.llm.base import Prompt, StreamStats
from schreibstube.llm.openai_compat import OpenAICompatibleModel
from schreibstube.llm.response import Response
from schreibstube.settings import ModelConfig

TOKENS, LATENCY_MS = 64, 10.0
CONTEXT, PAGE_CHARS = 8192, 12_000  # two pages exceed one map budget, one fits
SENTENCE = ("Die Behörde entscheidet nach pflichtgemäßem Ermessen über den Antrag und hört die "
            "Beteiligten vorher an, soweit das Gesetz nichts anderes bestimmt. ")


class CountingModel(OpenAICompatibleModel):
    """The real provider, counting the calls it makes."""

    calls = 0

    def stream(self, prompt: Prompt, stats: StreamStats) -> AsyncIterator[str]:
        self.calls += 1
        return super().stream(prompt, stats)


def pages(count: int) -> list[SourcePage]:
    text = (SENTENCE * (PAGE_CHARS // len(SENTENCE) + 1))[:PAGE_CHARS]
    return [SourcePage(i + 1, "bench.pdf", i + 1, text) for i in range(count)]


async def single_call(model: CountingModel, summarizer: Summarizer) -> float:
    values = {**SummaryOptions().prompt_values(), "part": 1, "parts": 2, "words": MAP_WORDS}
    prompt = summarizer._prompt("summarize_map", values, pages(1)[0].text)
    started = time.perf_counter()
    await Response(model, prompt).collect()
    return time.perf_counter() - started


async def summarise(model: CountingModel, concurrency: int, maps: int) -> tuple[float, int]:
    summarizer = Summarizer(model, PromptLibrary(), concurrency=concurrency)
    model.calls = 0
    started = time.perf_counter()
    async for event in summarizer.run(pages(maps), SummaryOptions()):
        if event.kind == "error":
            raise RuntimeError(f"summary failed: {event.data['kind']}")
    return time.perf_counter() - started, model.calls


async def measure(base_url: str, cases: list[tuple[int, int]]) -> list[str]:
    config = ModelConfig(name="fake", provider="openai", base_url=base_url, upstream_model="fake-model",
                         api_key=SecretStr("bench"), context_length=CONTEXT, max_output_tokens=512,
                         max_retries=0)
    model = CountingModel(config)
    try:
        summarizer = Summarizer(model, PromptLibrary())
        await single_call(model, summarizer)  # warm up the connection
        single = median([await single_call(model, summarizer) for _ in range(3)]) or 0.0
        lines = []
        for concurrency, maps in cases:
            wall, calls = await summarise(model, concurrency, maps)
            ideal = calls / concurrency * single
            critical = (math.ceil((calls - 1) / concurrency) + 1) * single
            lines.append(line("P5", calls=calls, concurrency=concurrency, wall_s=wall, ideal_s=ideal,
                              ratio=wall / ideal, critical_s=critical, critical_ratio=wall / critical,
                              single_s=single, goal=goal(wall / ideal, 1.15)))
        return lines
    finally:
        await model.aclose()


def run(quick: bool) -> list[str]:
    # maps chosen so that the serial final call costs little against the ideal (see docstring)
    cases = [(2, 15)] if quick else [(4, 39), (8, 79)]
    port = free_port()
    argv = [PYTHON, "-m", "schreibstube.llm.fake_upstream", "--port", str(port), "--tokens", str(TOKENS),
            "--latency-ms", f"{LATENCY_MS:g}"]
    with Child("p5-fake-upstream", argv, ready_url=f"http://127.0.0.1:{port}/v1/models"):
        print(f"# P5 upstream: {TOKENS} chunks, {LATENCY_MS:g} ms apart", flush=True)
        return asyncio.run(measure(f"http://127.0.0.1:{port}/v1", cases))
