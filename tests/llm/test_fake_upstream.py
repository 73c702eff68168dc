"""The fake upstream, driven over real HTTP by the official ``openai`` SDK (both client kinds)."""

from __future__ import annotations

import math
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest

from schreibstube.llm.fake_upstream import (
    BreakMidStream,
    ContentFilterInput,
    ContentFilterOutput,
    ContextOverflow,
    FakeUpstream,
    Reply,
    Script,
    ServerError,
    Stall,
    Status429,
)

KEY = "sk-test"
MESSAGES: list[Any] = [{"role": "user", "content": "Hallo"}]


@pytest.fixture
def upstream() -> Iterator[FakeUpstream]:
    with FakeUpstream(Script(api_key=KEY)) as up:
        yield up


def make_client(up: FakeUpstream, kind: str, **options: Any) -> openai.OpenAI:
    options = {"api_key": KEY, "max_retries": 0, **options}
    if kind == "azure":
        return openai.AzureOpenAI(azure_endpoint=up.azure_endpoint, api_version="2024-10-21", **options)
    return openai.OpenAI(base_url=up.base_url, **options)


@pytest.fixture(params=["openai", "azure"])
def client(request: pytest.FixtureRequest, upstream: FakeUpstream) -> Iterator[openai.OpenAI]:
    with make_client(upstream, request.param) as client:
        yield client


def chat(client: openai.OpenAI, **options: Any) -> Any:
    return client.chat.completions.create(model="gpt-4o", messages=MESSAGES, **options)


def streamed_text(chunks: list[Any]) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def test_stream_assembles_the_scripted_text(client: openai.OpenAI, upstream: FakeUpstream) -> None:
    text = "Guten Tag, Frau Müller. Ihr Antrag liegt vor."
    upstream.script.add(Reply(text, chunk_size=3))
    chunks = list(chat(client, stream=True))
    content_chunks = [c for c in chunks if c.choices and c.choices[0].delta.content]
    assert streamed_text(chunks) == text
    assert len(content_chunks) == math.ceil(len(text) / 3)
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert {c.id for c in chunks if c.choices} == {chunks[-1].id}


def test_non_stream_reply_carries_usage(client: openai.OpenAI, upstream: FakeUpstream) -> None:
    upstream.script.add(Reply("Guten Tag"))
    completion = chat(client)
    assert completion.choices[0].message.content == "Guten Tag"
    assert completion.choices[0].finish_reason == "stop"
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (2, 3)
    assert completion.usage.total_tokens == 5


def test_include_usage_adds_a_final_usage_chunk(client: openai.OpenAI) -> None:
    chunks = list(chat(client, stream=True, stream_options={"include_usage": True}))
    assert streamed_text(chunks) == "Echo: Hallo"
    assert chunks[-1].choices == []
    assert chunks[-1].usage.total_tokens == 2 + 3
    assert all(c.usage is None for c in chunks[:-1])


def test_azure_stream_opens_with_a_prompt_filter_chunk(upstream: FakeUpstream) -> None:
    with make_client(upstream, "azure") as azure, make_client(upstream, "openai") as plain:
        first_azure = next(iter(chat(azure, stream=True)))
        first_plain = next(iter(chat(plain, stream=True)))
    assert first_azure.choices == []
    assert first_azure.prompt_filter_results[0]["prompt_index"] == 0
    assert first_plain.choices[0].delta.role == "assistant"


@pytest.mark.parametrize("retry_after, header", [(2, "2"), (0.5, "0.5"), (None, None)])
def test_429_is_a_rate_limit_error_with_retry_after(
    client: openai.OpenAI, upstream: FakeUpstream, retry_after: float | None, header: str | None
) -> None:
    upstream.script.add(Status429(retry_after=retry_after))
    with pytest.raises(openai.RateLimitError) as caught:
        chat(client)
    assert caught.value.response.headers.get("retry-after") == header
    assert caught.value.code in {"rate_limit_exceeded", "429"}
    assert chat(client).choices[0].message.content == "Echo: Hallo"  # the queue moved on


def test_stall_times_out_and_does_not_block_the_server(upstream: FakeUpstream) -> None:
    upstream.script.add(Stall(seconds=30))
    started = time.monotonic()
    with make_client(upstream, "openai", timeout=0.3) as client:
        with pytest.raises(openai.APITimeoutError):
            chat(client, stream=True)
        assert time.monotonic() - started < 5
        assert chat(client).choices[0].message.content == "Echo: Hallo"


def test_break_mid_stream_fails_after_partial_text(client: openai.OpenAI, upstream: FakeUpstream) -> None:
    upstream.script.add(BreakMidStream("Ein halber Sa"))
    received = []
    with pytest.raises(openai.APIConnectionError) as caught:
        for chunk in chat(client, stream=True):
            received.append(chunk)
    assert streamed_text(received) == "Ein halber Sa"
    assert "incomplete chunked read" in str(caught.value.__cause__)  # not a clean end
    assert all(c.choices[0].finish_reason is None for c in received if c.choices)


def test_break_without_stream_is_a_connection_error(client: openai.OpenAI, upstream: FakeUpstream) -> None:
    upstream.script.add(BreakMidStream())
    with pytest.raises(openai.APIConnectionError):
        chat(client)


def test_content_filter_on_the_prompt(client: openai.OpenAI, upstream: FakeUpstream) -> None:
    upstream.script.add(ContentFilterInput(category="hate"))
    with pytest.raises(openai.BadRequestError) as caught:
        chat(client)
    assert caught.value.code == "content_filter"
    inner = caught.value.body["innererror"]  # type: ignore[index]
    assert inner["code"] == "ResponsibleAIPolicyViolation"
    assert inner["content_filter_result"]["hate"] == {"filtered": True, "severity": "medium"}
    assert inner["content_filter_result"]["violence"]["filtered"] is False


@pytest.mark.parametrize("stream", [True, False])
def test_content_filter_on_the_answer(client: openai.OpenAI, upstream: FakeUpstream, stream: bool) -> None:
    upstream.script.add(ContentFilterOutput("Die Antwort beginnt"))
    if stream:
        chunks = list(chat(client, stream=True))
        text, finish = streamed_text(chunks), chunks[-1].choices[0].finish_reason
    else:
        choice = chat(client).choices[0]
        text, finish = choice.message.content, choice.finish_reason
    assert (text, finish) == ("Die Antwort beginnt", "content_filter")


def test_context_overflow(client: openai.OpenAI, upstream: FakeUpstream) -> None:
    upstream.script.add(ContextOverflow(limit=4096))
    with pytest.raises(openai.BadRequestError) as caught:
        chat(client)
    assert caught.value.code == "context_length_exceeded"
    assert "maximum context length is 4096 tokens" in caught.value.message
    assert "resulted in 4097 tokens" in caught.value.message


@pytest.mark.parametrize("status", [500, 503])
def test_server_error(client: openai.OpenAI, upstream: FakeUpstream, status: int) -> None:
    upstream.script.add(ServerError(status=status))
    with pytest.raises(openai.InternalServerError) as caught:
        chat(client)
    assert caught.value.status_code == status


@pytest.mark.parametrize("kind", ["openai", "azure"])
def test_wrong_key_is_refused(upstream: FakeUpstream, kind: str) -> None:
    upstream.script.add(Reply("Nur mit Schlüssel"))
    with (
        make_client(upstream, kind, api_key="sk-wrong") as client,
        pytest.raises(openai.AuthenticationError),
    ):
        chat(client)
    assert list(upstream.script.steps) == [Reply("Nur mit Schlüssel")]  # nothing consumed


@pytest.mark.parametrize(
    "headers, params, status",
    [
        ({"api-key": KEY}, {"api-version": "2024-10-21"}, 200),
        ({}, {"api-version": "2024-10-21"}, 401),
        ({"api-key": "sk-wrong"}, {"api-version": "2024-10-21"}, 401),
        ({"api-key": KEY}, {}, 404),
    ],
)
def test_azure_requires_api_key_and_api_version(
    upstream: FakeUpstream, headers: dict[str, str], params: dict[str, str], status: int
) -> None:
    url = f"{upstream.azure_endpoint}/openai/deployments/gpt-4o/chat/completions"
    response = httpx.post(url, headers=headers, params=params, json={"messages": MESSAGES})
    assert response.status_code == status
    if status != 200:
        assert response.json()["error"]["code"] == str(status)  # Azure's shape


def test_requests_are_recorded_without_secrets(client: openai.OpenAI, upstream: FakeUpstream) -> None:
    chat(client)
    recorded = upstream.requests[-1]
    assert recorded.method == "POST"
    assert recorded.path.endswith("/chat/completions")
    assert recorded.json["messages"] == MESSAGES
    assert KEY not in str(recorded.headers)
    assert "***" in {recorded.headers.get("authorization"), recorded.headers.get("api-key")}


def test_models_are_listed(upstream: FakeUpstream) -> None:
    with make_client(upstream, "openai") as client:
        assert [model.id for model in client.models.list()] == ["fake-model"]


def test_first_token_and_chunk_delays(client: openai.OpenAI, upstream: FakeUpstream) -> None:
    upstream.script.add(Reply("abcd", chunk_size=1, delay_s=0.05, first_token_delay_s=0.2))
    started = time.monotonic()
    stamps = [time.monotonic() - started for c in chat(client, stream=True) if streamed_text([c])]
    assert stamps[0] >= 0.25
    assert stamps[-1] - stamps[0] >= 3 * 0.05 * 0.9


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(url: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(url)
            return
        except httpx.ConnectError:
            time.sleep(0.05)


def test_cli_serves_a_fixed_stream_for_benchmarks() -> None:
    port = free_port()
    args = ["--port", str(port), "--tokens", "5", "--latency-ms", "1"]
    server = subprocess.Popen([sys.executable, "-m", "schreibstube.llm.fake_upstream", *args])
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_serving(f"{base_url}/models")
        with openai.OpenAI(base_url=base_url, api_key="any", max_retries=0) as client:
            chunks = list(chat(client, stream=True))
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert streamed_text(chunks) == "tok " * 5
