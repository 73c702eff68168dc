"""Providers for HTTP model servers, both through the official ``openai`` SDK.

* ``openai``: any OpenAI-compatible server (vLLM, Ollama, llama.cpp server, LiteLLM, ...):
  ``base_url`` + ``api_key``, the upstream model id in ``upstream_model``.
* ``azure``: Azure OpenAI: ``azure_endpoint``, ``azure_deployment``, ``api_version``, key.

The SDK's own retries are switched off (``max_retries=0``); retrying is generic and lives in
:mod:`schreibstube.llm.response`. This module only maps SDK and transport failures onto
:mod:`schreibstube.errors` — before the first token and during the stream.
"""

from __future__ import annotations

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
        common: dict[str, Any] = {"api_key": key, "timeout": timeout, "max_retries": 0}
        if http_client is not None:
            common["http_client"] = http_client
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
            chunks = await self.client.chat.completions.create(**self._request(prompt))
            async for chunk in chunks:
                if chunk.usage:
                    stats.prompt_tokens = chunk.usage.prompt_tokens
                    stats.completion_tokens = chunk.usage.completion_tokens
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                if choice.delta and choice.delta.content:
                    got_text = True
                    yield choice.delta.content
                if choice.finish_reason:
                    stats.finish_reason = choice.finish_reason
        except (openai.OpenAIError, httpx.HTTPError) as exc:
            raise map_error(exc, self.config, got_text) from exc
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
