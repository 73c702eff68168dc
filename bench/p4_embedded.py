"""P4 embedded model: tokens/s through Schreibstube vs the raw llama.cpp runtime.

Both sides use the *same* ``llama_cpp.Llama`` instance (the one ``EmbeddedModel`` loads, with
the demo model's settings), the same messages, ``max_tokens`` and temperature 0, and stream:

* ours: ``Response(EmbeddedModel, Prompt(...)).collect()`` — worker thread, asyncio queue,
  retry/accounting wrapper, token counting of the prompt;
* raw:  ``Llama.create_chat_completion(stream=True)`` iterated in a fresh thread (see ``raw``).

Runs alternate; tokens/s = streamed text chunks ÷ wall time of the call, median over runs.
Goal: ours ≥ 0.95 × raw.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from bench.common import goal, line, median
from schreibstube.llm.base import Message, Prompt
from schreibstube.llm.embedded import EmbeddedModel
from schreibstube.llm.response import Response
from schreibstube.settings import embedded_model

SYSTEM = "Du bist ein hilfreicher Assistent. Antworte kurz und sachlich auf Deutsch."
QUESTION = "Erkläre in einigen Sätzen, was ein Verwaltungsakt ist und wie man Widerspruch einlegt."


def ours(model: EmbeddedModel, max_tokens: int) -> tuple[float, int]:
    prompt = Prompt([Message("system", SYSTEM), Message("user", QUESTION)], max_tokens=max_tokens,
                    temperature=0.0)
    response = Response(model, prompt)
    started = time.perf_counter()
    asyncio.run(response.collect())
    return time.perf_counter() - started, response.stats.completion_tokens or 0


def raw(llama: Any, model: EmbeddedModel, max_tokens: int) -> tuple[float, int]:
    """In a fresh thread, as ``EmbeddedModel`` generates: llama.cpp is built with OpenMP, and
    generating from the main thread was 5-20 x slower on a busy 2-vCPU machine (libgomp's
    team of the main thread); measured against that, any wrapper would look fast."""
    result: list[tuple[float, int]] = []
    worker = threading.Thread(target=lambda: result.append(_raw(llama, model, max_tokens)))
    worker.start()
    worker.join()
    return result[0]


def _raw(llama: Any, model: EmbeddedModel, max_tokens: int) -> tuple[float, int]:
    cfg = model.config
    started = time.perf_counter()
    chunks = llama.create_chat_completion(
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION}],
        stream=True, max_tokens=max_tokens, temperature=0.0, top_p=cfg.top_p,
        repeat_penalty=cfg.repeat_penalty, frequency_penalty=cfg.frequency_penalty,
        presence_penalty=cfg.presence_penalty)
    tokens = sum(1 for c in chunks if c["choices"][0].get("delta", {}).get("content"))
    return time.perf_counter() - started, tokens


def run(quick: bool) -> list[str]:
    max_tokens, repeats = (64, 5) if quick else (128, 9)  # fewer tokens: fixed costs and noise dominate
    model = EmbeddedModel(embedded_model())
    llama = model.runtime()
    ours(model, 8)  # warm up both paths (weights paged in, threads started)
    raw(llama, model, 8)
    rates: dict[str, list[float]] = {"ours": [], "raw": []}
    counts: dict[str, int] = {}
    for i in range(repeats):
        order = ("ours", "raw") if i % 2 == 0 else ("raw", "ours")
        for key in order:
            seconds, tokens = ours(model, max_tokens) if key == "ours" else raw(llama, model, max_tokens)
            rates[key].append(tokens / seconds)
            counts[key] = tokens
    ours_rate, raw_rate = median(rates["ours"]), median(rates["raw"])
    ratio = (ours_rate or 0) / (raw_rate or float("inf"))
    return [line("P4 embedded", model=model.path.name, threads=model.config.threads,
                 tokens=counts["ours"], raw_tokens=counts["raw"], ours_tok_s=ours_rate,
                 raw_tok_s=raw_rate, ratio=ratio, goal=goal(ratio, 0.95, at_least=True))]
