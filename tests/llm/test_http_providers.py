"""OpenAI-compatible and Azure providers over real HTTP against the shipped fake upstream."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from schreibstube import errors
from schreibstube.llm import fake_upstream as fu
from schreibstube.llm.base import Message, Prompt
from schreibstube.llm.openai_compat import OpenAICompatibleModel
from schreibstube.llm.response import Response
from schreibstube.settings import ModelConfig

KEY = "geheimer-schluessel"


@pytest.fixture
def upstream() -> Iterator[fu.FakeUpstream]:
    with fu.FakeUpstream(fu.Script(api_key=KEY)) as up:
        yield up


def model_for(up: fu.FakeUpstream, kind: str, **cfg: object) -> OpenAICompatibleModel:
    common: dict[str, object] = {"name": "m", "api_key": KEY, "timeout_s": 1.0,
                                 "max_retry_wait_s": 3.0, **cfg}
    if kind == "azure":
        return OpenAICompatibleModel(ModelConfig(
            provider="azure", azure_endpoint=up.azure_endpoint, azure_deployment="gpt-41",
            api_version="2024-10-21", **common))  # type: ignore[arg-type]
    return OpenAICompatibleModel(ModelConfig(provider="openai", base_url=up.base_url,
                                             upstream_model="gpt-4o", **common))  # type: ignore[arg-type]


def ask(model: OpenAICompatibleModel) -> Response:
    response = Response(model, Prompt([Message("user", "Frage")]))

    async def go() -> None:
        try:
            await response.collect()
        finally:
            await model.aclose()

    try:
        asyncio.run(go())
    except errors.SchreibstubeError as exc:
        response.error = exc  # type: ignore[assignment]
    return response


KINDS = ["openai", "azure"]


@pytest.mark.parametrize("kind", KINDS)
def test_streamed_reply_and_usage(upstream: fu.FakeUpstream, kind: str) -> None:
    upstream.script.add(fu.Reply("Guten Tag, hier ist die Antwort.", chunk_size=5))
    response = ask(model_for(upstream, kind))
    assert response.text == "Guten Tag, hier ist die Antwort." and response.status == "complete"
    assert response.stats.completion_tokens and response.stats.finish_reason == "stop"
    path = upstream.requests[-1].path
    assert path == ("/openai/deployments/gpt-41/chat/completions" if kind == "azure"
                    else "/v1/chat/completions")


@pytest.mark.parametrize("kind", KINDS)
def test_429_is_retried_after_the_announced_wait(upstream: fu.FakeUpstream, kind: str) -> None:
    upstream.script.add(fu.Status429(retry_after=0.2), fu.Reply("Zweiter Versuch"))
    response = ask(model_for(upstream, kind))
    assert response.text == "Zweiter Versuch" and response.stats.attempts == 2


@pytest.mark.parametrize("kind", KINDS)
def test_persistent_429_tells_how_long_to_wait(upstream: fu.FakeUpstream, kind: str) -> None:
    upstream.script.add(fu.Status429(retry_after=60))
    response = ask(model_for(upstream, kind))
    assert isinstance(response.error, errors.RateLimited) and response.error.retry_after == 60
    assert "60 Sekunden" in response.error.user_message


@pytest.mark.parametrize("step, error, status", [
    (fu.Stall(5), errors.UpstreamTimeout, "error"),
    (fu.BreakMidStream("Ein halber Satz"), errors.StreamInterrupted, "incomplete"),
    (fu.ErrorMidStream("Ein halber Satz"), errors.StreamInterrupted, "incomplete"),
    (fu.ContentFilterInput(), errors.ContentFiltered, "error"),
    (fu.ContentFilterOutput("Die Antwort beginnt"), errors.ContentFiltered, "incomplete"),
    (fu.ContextOverflow(limit=8192), errors.ContextOverflow, "error"),
    (fu.ServerError(500), errors.UpstreamUnavailable, "error"),
])
@pytest.mark.parametrize("kind", KINDS)
def test_failures_map_to_german_errors(upstream: fu.FakeUpstream, kind: str, step: fu.Step,
                                       error: type, status: str) -> None:
    upstream.script.add(step, step, step)
    response = ask(model_for(upstream, kind, max_retries=0))
    assert isinstance(response.error, error) and response.status == status
    assert response.error.user_message and (status == "error") == (response.text == "")


@pytest.mark.parametrize("step, where", [(fu.ContentFilterInput(), "Eingabe"),
                                         (fu.ContentFilterOutput("Anfang"), "Antwort")])
def test_content_filter_says_what_was_filtered(upstream: fu.FakeUpstream, step: fu.Step,
                                               where: str) -> None:
    upstream.script.add(step)
    response = ask(model_for(upstream, "azure", max_retries=0))
    assert where in response.error.user_message  # type: ignore[union-attr]


def test_context_overflow_reports_upstream_numbers(upstream: fu.FakeUpstream) -> None:
    upstream.script.add(fu.ContextOverflow(limit=4096))
    response = ask(model_for(upstream, "openai", max_retries=0))
    assert isinstance(response.error, errors.ContextOverflow) and response.error.limit == 4096


def test_wrong_key_is_an_operator_problem(upstream: fu.FakeUpstream) -> None:
    model = model_for(upstream, "openai", api_key="falsch", max_retries=0)
    assert "Zugangsdaten" in ask(model).error.user_message  # type: ignore[union-attr]


def test_idle_pooled_connections_expire_before_the_upstreams_keep_alive() -> None:
    """uvicorn-based servers (vLLM) close idle connections after 5 s; reusing one at that
    moment failed requests (docs/benchmarks.md, P1). Ours are dropped sooner."""
    model = OpenAICompatibleModel(ModelConfig(name="m", provider="openai", base_url="http://127.0.0.1:9/v1"))
    pool = model.client._client._transport._pool  # type: ignore[attr-defined]
    assert pool._keepalive_expiry < 5  # noqa: SLF001
    asyncio.run(model.aclose())


@pytest.mark.parametrize("kind", KINDS)
def test_answer_cut_at_the_output_limit_is_incomplete(upstream: fu.FakeUpstream, kind: str) -> None:
    upstream.script.add(fu.Reply("Der Verwaltungsakt ist", finish="length"))
    response = ask(model_for(upstream, kind))
    assert response.text == "Der Verwaltungsakt ist" and response.error is None
    assert response.truncated and response.status == "incomplete"
