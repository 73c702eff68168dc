"""Generic model behaviour: context budget, retries on 429, partial text on broken streams."""

from __future__ import annotations

import asyncio

import pytest

from schreibstube.errors import ContextOverflow, RateLimited, StreamInterrupted
from schreibstube.llm.base import Message, Prompt
from schreibstube.llm.response import Response
from schreibstube.llm.scripted import ScriptedModel
from schreibstube.llm.tokens import check_budget, fit_history
from schreibstube.testing import scripted_model


def small_model(*steps: object, **cfg: object) -> ScriptedModel:
    return ScriptedModel(scripted_model(context_length=300, max_output_tokens=100, **cfg),
                         list(steps))  # type: ignore[arg-type]


def run(response: Response) -> str:
    return asyncio.run(response.collect())


def test_overflow_says_by_how_much() -> None:
    model = small_model()
    with pytest.raises(ContextOverflow) as info:
        check_budget(model, [Message("user", "x" * 900)], 100)
    assert info.value.needed - info.value.limit > 90
    assert f"rund {info.value.needed - 200} Tokens zu viel" in info.value.user_message


def test_history_is_trimmed_oldest_first() -> None:
    model = small_model()
    history = [Message("system", "S")] + [Message("user" if i % 2 == 0 else "assistant", f"{i} " * 60)
                                          for i in range(6)]
    fitted = fit_history(model, history, 100)
    assert fitted[0].role == "system" and fitted[-1] == history[-1]
    assert 2 <= len(fitted) < len(history) and fitted[1].role == "user"


def test_rate_limit_is_retried_with_retry_after() -> None:
    waits: list[float] = []

    async def sleep(s: float) -> None:
        waits.append(s)

    model = small_model(RateLimited(2.0), "Jetzt klappt es.")
    response = Response(model, Prompt([Message("user", "Hallo")]), sleep=sleep, jitter=lambda: 0.5)
    assert run(response) == "Jetzt klappt es." and response.status == "complete"
    assert waits == [2.5] and response.stats.attempts == 2


def test_rate_limit_beyond_max_wait_tells_the_user_how_long() -> None:
    model = small_model(RateLimited(120.0), max_retry_wait_s=20)
    response = Response(model, Prompt([Message("user", "Hallo")]))
    with pytest.raises(RateLimited) as info:
        run(response)
    assert "etwa 120 Sekunden" in info.value.user_message and response.status == "error"


def test_broken_stream_is_not_retried_and_keeps_text() -> None:
    model = small_model(("Halbe Antwort", StreamInterrupted()), "nie gesendet")
    response = Response(model, Prompt([Message("user", "Hallo")]))
    with pytest.raises(StreamInterrupted):
        run(response)
    assert response.text == "Halbe Antwort" and response.status == "incomplete"
