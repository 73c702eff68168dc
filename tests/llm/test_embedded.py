"""The embedded model (SmolLM2 via llama.cpp) — the real thing, on the CPU."""

from __future__ import annotations

import asyncio

import pytest

from schreibstube.llm.base import Message, Prompt
from schreibstube.llm.embedded import EmbeddedModel
from schreibstube.llm.response import Response
from schreibstube.settings import embedded_model

pytestmark = pytest.mark.embedded


@pytest.fixture(scope="module")
def smol() -> EmbeddedModel:
    return EmbeddedModel(embedded_model())


def test_embedded_model_answers_in_a_stream(smol: EmbeddedModel) -> None:
    prompt = Prompt([Message("user", "Was ist ein Verwaltungsakt?")], max_tokens=40)
    response = Response(smol, prompt)
    deltas = asyncio.run(_deltas(response))
    assert len(deltas) > 5 and response.status == "complete"
    assert response.stats.completion_tokens and response.stats.prompt_tokens


async def _deltas(response: Response) -> list[str]:
    return [d async for d in response]


def test_token_count_uses_the_real_tokenizer(smol: EmbeddedModel) -> None:
    assert smol.count_tokens("Verwaltungsverfahrensgesetz") > 3
    assert smol.count_tokens("a " * 100) >= 100
