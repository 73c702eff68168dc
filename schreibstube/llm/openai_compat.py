"""Providers for HTTP model servers, both through the official ``openai`` SDK.

* ``openai``: any OpenAI-compatible server (vLLM, Ollama, llama.cpp server, LiteLLM, ...):
  ``base_url`` + ``api_key``, the upstream model id in ``upstream_model``.
* ``azure``: Azure OpenAI: ``azure_endpoint``, ``azure_deployment``, ``api_version``, key.

The SDK's own retries are switched off (``max_retries=0``); retrying is generic and lives in
:mod:`schreibstube.llm.response`. This module only maps SDK and transport failures onto
:mod:`schreibstube.errors` — before the first token and during the stream.

Two choices come from the gateway benchmark (docs/benchmarks.md, P1):

* The SDK builds the request, authenticates, and raises its typed errors for HTTP statuses;
  the streamed body is read as raw SSE ``data:`` lines and decoded with ``json.loads``
  (``with_streaming_response``). Building a pydantic ``ChatCompletionChunk`` per chunk cost
  ~210 µs CPU per chunk; raw lines ~70 µs — the difference is how many concurrent streams
  one process carries.
* Pooled connections are dropped after ``KEEPALIVE_EXPIRY_S`` idle seconds, below the 5 s
  keep-alive timeout of uvicorn-based servers (vLLM): reusing a connection the server is
  closing at that moment failed the request.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import openai

try:  # openai >= 3 talks through httpx2; older releases through httpx
    import httpx2 as httpx
except ImportError:  # pragma: no cover - depends on the installed SDK
    import httpx  # type: ignore[no-redef]

from schreibstube.errors import (
    ContentFiltered,
    ContextOverflow,
    RateLimited,
    StreamInterrupted,
    UpstreamError,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from schreibstube.llm.base import Model, Prompt, StreamStats
from schreibstube.settings import ModelConfig

KEEPALIVE_EXPIRY_S = 2.0
MAX_CONNECTIONS = 1000
_CTX_RE = re.compile(r"maximum context length is (\d+) tokens.*?(\d+) tokens", re.S)


def _retry_after(response: Any) -> float | None:
    if response is None:
        return None
    headers = response.headers
    try:
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000
        if "retry-after" in headers:
            return float(headers["retry-after"])
    except ValueError:
        return None
    return None


def _error_code(exc: openai.APIStatusError) -> str | None:
    body = exc.body if isinstance(exc.body, dict) else {}
    err = body.get("error", body) if isinstance(body, dict) else {}
    code = err.get("code") if isinstance(err, dict) else None
    return code or getattr(exc, "code", None)


def map_error(exc: Exception, model: ModelConfig, got_text: bool) -> UpstreamError | ContextOverflow:
    """Translate an SDK/transport exception into our error tree."""
    if got_text and isinstance(exc, httpx.HTTPError | openai.APIConnectionError):
        return StreamInterrupted()
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
        return UpstreamTimeout()
    if isinstance(exc, openai.APIConnectionError | httpx.HTTPError):
        return UpstreamUnavailable()
    if isinstance(exc, openai.RateLimitError):
        return RateLimited(_retry_after(exc.response))
    if isinstance(exc, openai.APIStatusError):
        code = _error_code(exc)
        if code == "content_filter":
            return ContentFiltered("input")
        if code == "context_length_exceeded":
            m = _CTX_RE.search(str(exc.message))
            limit, needed = (int(m.group(1)), int(m.group(2))) if m else (model.context_length, 0)
            return ContextOverflow(needed=needed, limit=limit, model=model.label)
        if exc.status_code in (401, 403):
            return UpstreamError(
                "Der Modellserver hat die Zugangsdaten abgelehnt. Bitte informieren Sie Ihren "
                "IT-Service (Konfiguration des Modells prüfen)."
            )
        if exc.status_code >= 500:
            return UpstreamUnavailable()
    return UpstreamError()


class OpenAICompatibleModel(Model):
    def __init__(self, config: ModelConfig, http_client: Any = None) -> None:
        super().__init__(config)
        key = config.api_key.get_secret_value() if config.api_key else "none"
        timeout = httpx.Timeout(config.timeout_s, connect=config.connect_timeout_s)
        limits = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=100,
                              keepalive_expiry=KEEPALIVE_EXPIRY_S)
        http_client = http_client or openai.DefaultAsyncHttpxClient(timeout=timeout, limits=limits)
        common: dict[str, Any] = {"api_key": key, "timeout": timeout, "max_retries": 0,
                                  "http_client": http_client}
        if config.provider == "azure":
            self.client: openai.AsyncOpenAI = openai.AsyncAzureOpenAI(
                azure_endpoint=config.azure_endpoint or "",
                azure_deployment=config.azure_deployment,
                api_version=config.api_version,
                **common,
            )
            self.upstream_model = config.azure_deployment or config.name
        else:
            self.client = openai.AsyncOpenAI(base_url=config.base_url, **common)
            self.upstream_model = config.upstream_model or config.name

    def _request(self, prompt: Prompt) -> dict[str, Any]:
        cfg = self.config
        return {
            "model": self.upstream_model,
            "messages": [{"role": m.role, "content": m.content} for m in prompt.messages],
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": prompt.max_tokens or cfg.max_output_tokens,
            "temperature": cfg.temperature if prompt.temperature is None else prompt.temperature,
            "top_p": cfg.top_p,
            **({"frequency_penalty": cfg.frequency_penalty} if cfg.frequency_penalty else {}),
            **({"presence_penalty": cfg.presence_penalty} if cfg.presence_penalty else {}),
        }

    async def stream(self, prompt: Prompt, stats: StreamStats) -> AsyncIterator[str]:
        got_text = False
        try:
            create = self.client.chat.completions.with_streaming_response.create
            async with create(**self._request(prompt)) as response:
                async for chunk in _sse_json(response.iter_lines()):
                    if "error" in chunk:  # an error event in a started stream (vLLM)
                        raise _stream_error(chunk["error"], got_text)
                    if chunk.get("usage"):
                        stats.prompt_tokens = chunk["usage"].get("prompt_tokens", 0)
                        stats.completion_tokens = chunk["usage"].get("completion_tokens", 0)
                    choices = chunk.get("choices")
                    if not choices:
                        continue  # e.g. Azure's first chunk with only the prompt filter verdict
                    choice = choices[0]
                    content = (choice.get("delta") or {}).get("content")
                    if content:
                        got_text = True
                        yield content
                    if choice.get("finish_reason"):
                        stats.finish_reason = choice["finish_reason"]
        except (openai.OpenAIError, httpx.HTTPError) as exc:
            raise map_error(exc, self.config, got_text) from exc
        except ValueError as exc:  # a data line that is not JSON
            raise (StreamInterrupted() if got_text else UpstreamError()) from exc
        if stats.finish_reason == "content_filter":
            raise ContentFiltered("output" if got_text else "input")
        if stats.finish_reason is None:
            raise StreamInterrupted() if got_text else UpstreamUnavailable()

    async def check(self) -> bool:
        try:
            await self.client.models.list()
        except openai.NotFoundError:
            return True  # Azure deployments do not always expose /models
        except (openai.OpenAIError, httpx.HTTPError) as exc:
            raise map_error(exc, self.config, False) from exc
        return True

    async def aclose(self) -> None:
        await self.client.close()


async def _sse_json(lines: AsyncIterator[str]) -> AsyncIterator[dict[str, Any]]:
    """The JSON objects of an SSE body's ``data:`` fields, up to ``[DONE]``."""
    data: list[str] = []
    async for line in lines:
        if line.startswith("data:"):
            data.append(line[6:] if line.startswith("data: ") else line[5:])
            continue
        if line or not data:
            continue  # other fields (event:, id:, comments) and blank lines between events
        payload, data = "\n".join(data), []
        if payload == "[DONE]":
            return
        yield json.loads(payload)
    if data and data != ["[DONE]"]:
        yield json.loads("\n".join(data))


def _stream_error(error: Any, got_text: bool) -> UpstreamError:
    code = error.get("code") if isinstance(error, dict) else None
    if code == "content_filter":
        return ContentFiltered("output" if got_text else "input")
    return StreamInterrupted() if got_text else UpstreamUnavailable()
