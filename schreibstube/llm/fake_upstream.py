"""A scripted, OpenAI-compatible upstream server for tests and benchmarks.

Providers talk real HTTP to it through the ``openai`` SDK; only the model is fake. Each chat
request consumes one ``Step`` of the ``Script``; when empty, ``Script.default`` or an echo answers::

    with FakeUpstream(Script(Status429(retry_after=2), Reply("Guten Tag"))) as up:
        client = OpenAI(base_url=up.base_url, api_key="k", max_retries=0)
        ...                                # first call: RateLimitError, second: "Guten Tag"
        up.script.add(BreakMidStream("Teil"))
        assert up.requests[-1].json["model"] == "gpt-4o"

OpenAI scheme: ``POST /v1/chat/completions``, ``GET /v1/models``, ``Authorization: Bearer`` must
carry ``Script.api_key`` if one is set. Azure scheme (``AzureOpenAI(azure_endpoint=...)``):
``POST /openai/deployments/{name}/chat/completions`` needs the ``api-key`` header (else 401) and
``?api-version=`` (else 404), errors in Azure's shape; like Azure, its streams open with a chunk
whose ``choices`` is empty (it carries ``prompt_filter_results``) -- providers must skip it.

Streams are OpenAI's SSE: role chunk, content chunks, a ``finish_reason`` chunk, a usage chunk
(no ``choices``) if ``stream_options.include_usage``, ``data: [DONE]``; tokens = characters / 4.
``BreakMidStream`` raises in the app, so uvicorn closes the socket mid-body: the SDK's iterator
raises ``APIConnectionError`` (cause: ``RemoteProtocolError``, incomplete chunked read).
``ErrorMidStream`` ends a started stream with an ``{"error": ...}`` event, as vLLM does.

Benchmarks: ``python -m schreibstube.llm.fake_upstream --port 9999 --latency-ms 50 --tokens 64``
answers every request with 64 chunks, 50 ms apart (``--first-token-ms``: extra first delay).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any, TypeAlias
from urllib.parse import parse_qsl

import uvicorn

Message: TypeAlias = MutableMapping[str, Any]
Receive: TypeAlias = Callable[[], Awaitable[Message]]
Send: TypeAlias = Callable[[Message], Awaitable[None]]


class Step:
    """Base of the scripted answers; one is consumed per chat request."""


@dataclass(frozen=True)
class Reply(Step):
    text: str
    chunk_size: int = 8  # characters per streamed chunk
    delay_s: float = 0.0  # before every chunk (non-stream: the sum, before the answer)
    first_token_delay_s: float = 0.0  # added before the first chunk
    finish: str = "stop"  # "length": the answer hit max_tokens


@dataclass(frozen=True)
class Status429(Step):
    retry_after: float | None = None  # seconds, sent as ``Retry-After`` unless None


@dataclass(frozen=True)
class Stall(Step):
    seconds: float  # silence (ends early when the client hangs up), then the echo answer


@dataclass(frozen=True)
class BreakMidStream(Step):
    text_before: str = "Ein halber Sa"  # streamed; non-stream: 64 bytes of the JSON instead


@dataclass(frozen=True)
class ErrorMidStream(Step):
    text_before: str = "Ein halber Sa"  # streamed, then ``data: {"error": ...}`` and the end (vLLM)


@dataclass(frozen=True)
class ContentFilterInput(Step):
    category: str = "violence"  # HTTP 400, ``code: content_filter``, Azure's innererror


@dataclass(frozen=True)
class ContentFilterOutput(Step):
    text_before: str = "Die Antwort beginnt"  # then ``finish_reason: content_filter``
    category: str = "violence"


@dataclass(frozen=True)
class ContextOverflow(Step):
    limit: int = 8192  # HTTP 400 ``context_length_exceeded``, message names limit and usage


@dataclass(frozen=True)
class ServerError(Step):
    status: int = 500  # or 503


class Script:
    """The queue of steps (a deque, so tests may add while the server thread pops)."""

    def __init__(self, *steps: Step, default: Step | None = None, api_key: str | None = None):
        self.steps: deque[Step] = deque(steps)
        self.default, self.api_key = default, api_key

    def add(self, *steps: Step) -> None:
        self.steps.extend(steps)

    def next_step(self) -> Step | None:
        return self.steps.popleft() if self.steps else self.default


@dataclass(frozen=True)
class RecordedRequest:
    """What arrived; secret headers (authorization, api-key, cookie) are masked as ``***``."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any


class DroppedConnection(Exception):
    """Raised inside the app so that uvicorn cuts the connection mid-response."""


_AZURE_PATH = re.compile(r"/openai/deployments/(?P<deployment>[^/]+)/chat/completions")
_SECRET_HEADERS = {"authorization", "api-key", "cookie"}
_CATEGORIES = ("hate", "self_harm", "sexual", "violence")
_AZURE_401 = "Access denied due to invalid subscription key or wrong API endpoint."
_AZURE_404 = {"error": {"code": "404", "message": "Resource not found"}}
_INPUT_FILTERED = (
    "The response was filtered due to the prompt triggering Azure OpenAI's content management "
    "policy. Please modify your prompt and retry."
)
_OVERFLOW = (
    "This model's maximum context length is {} tokens. However, your messages resulted "
    "in {} tokens. Please reduce the length of the messages."
)


def _filter_result(category: str | None) -> dict[str, Any]:
    flagged = {"filtered": True, "severity": "medium"}
    safe = {"filtered": False, "severity": "safe"}
    return {name: flagged if name == category else safe for name in _CATEGORIES}


def _texts(body: dict[str, Any], role: str | None = None) -> list[str]:
    found = []
    for message in body.get("messages") or []:
        if isinstance(message, dict) and role in (None, message.get("role")):
            content = message.get("content") or ""
            parts = content if isinstance(content, list) else [{"text": str(content)}]
            found.append(" ".join(p.get("text", "") for p in parts if isinstance(p, dict)))
    return found


def _echo(body: dict[str, Any]) -> Reply:
    return Reply("Echo: " + (_texts(body, "user") or [""])[-1])


def _error(message: str, type_: str | None, code: str | None, **extra: Any) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": code} | extra}


def _sse(data: object) -> bytes:
    return b"data: " + json.dumps(data).encode() + b"\n\n"


async def _start(send: Send, status: int, content_type: str, **headers: str) -> None:
    pairs = [("content-type", content_type), ("x-request-id", "req-fake"), *headers.items()]
    raw = [(k.replace("_", "-").encode(), v.encode()) for k, v in pairs]
    await send({"type": "http.response.start", "status": status, "headers": raw})


async def _body(send: Send, data: bytes, more: bool = True) -> None:
    await send({"type": "http.response.body", "body": data, "more_body": more})


async def _send_json(send: Send, status: int, data: object, **headers: str) -> None:
    await _start(send, status, "application/json", **headers)
    await _body(send, json.dumps(data).encode(), more=False)


async def _read_body(receive: Receive) -> bytes:
    body, more = b"", True
    while more:
        message = await receive()
        body, more = body + message.get("body", b""), message.get("more_body", False)
    return body


def _refusal(path: str, headers: dict[str, str], query: dict[str, str], key: str | None) -> Any:
    """The (status, body) a real upstream sends for this path and these credentials, or None."""
    if _AZURE_PATH.fullmatch(path):
        if not headers.get("api-key") or (key and headers["api-key"] != key):
            return 401, {"error": {"code": "401", "message": _AZURE_401}}
        return None if "api-version" in query else (404, _AZURE_404)
    if path not in ("/v1/chat/completions", "/v1/models"):
        return 404, _error(f"Unknown path {path}", "invalid_request_error", None)
    if key and headers.get("authorization") != f"Bearer {key}":
        return 401, _error("Incorrect API key.", "invalid_request_error", "invalid_api_key")
    return None


@dataclass
class _Call:  # one chat request being answered
    azure: bool
    model: str
    body: dict[str, Any]
    id: str

    def __post_init__(self) -> None:
        self.created = int(time.time())
        self.include_usage = bool((self.body.get("stream_options") or {}).get("include_usage"))

    def envelope(self, kind: str, choices: list[Any], **extra: Any) -> dict[str, Any]:
        head = {"id": self.id, "object": kind, "created": self.created, "model": self.model}
        return head | {"system_fingerprint": None, "choices": choices, **extra}

    def usage(self, text: str) -> dict[str, int]:
        prompt = sum((len(t) + 3) // 4 for t in _texts(self.body))
        completion = (len(text) + 3) // 4
        total = prompt + completion
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": total}

    def chunk(self, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        usage = {"usage": None} if self.include_usage else {}
        return _sse(self.envelope("chat.completion.chunk", [choice | extra], **usage))


class FakeUpstreamApp:
    """The ASGI app: records every request in ``requests``, lets ``script`` pick the answer."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[RecordedRequest] = []
        self._ids = itertools.count(1)

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body, path = await _read_body(receive), scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
        payload = json.loads(body or b"null")  # the SDK sends JSON; anything else: HTTP 500
        masked = {k: "***" if k in _SECRET_HEADERS else v for k, v in headers.items()}
        self.requests.append(RecordedRequest(scope["method"], path, query, masked, payload))
        if refusal := _refusal(path, headers, query, self.script.api_key):
            return await _send_json(send, *refusal)
        if path == "/v1/models":
            listed = {"id": "fake-model", "object": "model", "created": 0, "owned_by": "fake"}
            return await _send_json(send, 200, {"object": "list", "data": [listed]})
        data = payload if isinstance(payload, dict) else {}
        azure = _AZURE_PATH.fullmatch(path)
        model = str(data.get("model") or (azure["deployment"] if azure else "fake-model"))
        call = _Call(bool(azure), model, data, f"chatcmpl-fake-{next(self._ids)}")
        await self._answer(call, self.script.next_step() or _echo(data), receive, send)

    async def _answer(self, call: _Call, step: Step, receive: Receive, send: Send) -> None:
        match step:
            case Reply():
                await _reply(call, step, send)
            case Stall(seconds):
                try:
                    await asyncio.wait_for(receive(), seconds)  # returns on http.disconnect
                except TimeoutError:
                    await _reply(call, _echo(call.body), send)
            case BreakMidStream(text):
                await _reply(call, Reply(text), send, cut=True)
            case ErrorMidStream(text):
                await _reply(call, Reply(text), send, fail=True)
            case ContentFilterOutput(text, category):
                await _reply(call, Reply(text), send, flag=category)
            case Status429(retry_after):
                code = "429" if call.azure else "rate_limit_exceeded"
                error = _error("Rate limit reached. Please retry later.", "requests", code)
                after = {} if retry_after is None else {"retry_after": f"{retry_after:g}"}
                await _send_json(send, 429, error, **after)
            case ContentFilterInput(category):
                verdict = _filter_result(category)
                inner = {"code": "ResponsibleAIPolicyViolation", "content_filter_result": verdict}
                error = _error(_INPUT_FILTERED, None, "content_filter", innererror=inner)
                await _send_json(send, 400, error)
            case ContextOverflow(limit):
                message = _OVERFLOW.format(limit, max(call.usage("")["prompt_tokens"], limit + 1))
                error = _error(message, "invalid_request_error", "context_length_exceeded")
                await _send_json(send, 400, error)
            case ServerError(status):
                busy = "The engine is currently overloaded, please try again later."
                message = busy if status == 503 else "The server had an error. Sorry about that!"
                await _send_json(send, status, _error(message, "server_error", None))


async def _reply(call: _Call, reply: Reply, send: Send, cut: bool = False, flag: str = "",
                 fail: bool = False) -> None:
    size = max(1, reply.chunk_size)
    pieces = [reply.text[i : i + size] for i in range(0, len(reply.text), size)]
    finish = "content_filter" if flag else reply.finish
    verdict = {"content_filter_results": _filter_result(flag)} if flag else {}
    if not call.body.get("stream"):
        await asyncio.sleep(reply.first_token_delay_s + reply.delay_s * len(pieces))
        answer = {"role": "assistant", "content": reply.text, "refusal": None}
        choice = {"index": 0, "message": answer, "logprobs": None, "finish_reason": finish}
        completion = call.envelope("chat.completion", [choice | verdict])
        completion["usage"] = call.usage(reply.text)
        if not cut:
            return await _send_json(send, 200, completion)
        await _start(send, 200, "application/json")
        await _body(send, json.dumps(completion).encode()[:64])
        raise DroppedConnection("BreakMidStream step")
    await _start(send, 200, "text/event-stream; charset=utf-8", cache_control="no-cache")
    if call.azure:  # Azure's first chunk: no choices, only the prompt's filter verdict
        prompt = [{"prompt_index": 0, "content_filter_results": _filter_result(None)}]
        first = {"id": "", "object": "", "created": 0, "model": "", "choices": []}
        await _body(send, _sse(first | {"prompt_filter_results": prompt}))
    await asyncio.sleep(reply.first_token_delay_s)
    await _body(send, call.chunk({"role": "assistant", "content": ""}))
    for piece in pieces:
        await asyncio.sleep(reply.delay_s)
        await _body(send, call.chunk({"content": piece}))
    if cut:
        raise DroppedConnection("BreakMidStream step")
    if fail:
        error = _error("The engine failed while generating.", "server_error", None)
        return await _body(send, _sse(error) + b"data: [DONE]\n\n", more=False)
    await _body(send, call.chunk({}, finish, **verdict))
    if call.include_usage:
        usage = call.envelope("chat.completion.chunk", [], usage=call.usage(reply.text))
        await _body(send, _sse(usage))
    await _body(send, b"data: [DONE]\n\n", more=False)


def create_fake_upstream(script: Script | None = None) -> FakeUpstreamApp:
    """Build the ASGI app; serve it with any ASGI server or with ``FakeUpstream``."""
    return FakeUpstreamApp(script or Script())


def _not_a_deliberate_drop(record: logging.LogRecord) -> bool:
    return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


def _uvicorn_options() -> dict[str, Any]:
    """Options for both runners; also keeps deliberate drops out of uvicorn's error log."""
    error_log = logging.getLogger("uvicorn.error")
    if _not_a_deliberate_drop not in error_log.filters:
        error_log.addFilter(_not_a_deliberate_drop)
    return {"lifespan": "off", "ws": "none", "log_level": "warning", "access_log": False}


class FakeUpstream:
    """Serve the app with uvicorn in a background thread on ``host`` and a free port."""

    def __init__(self, script: Script | None = None, *, host: str = "127.0.0.1") -> None:
        self.app = create_fake_upstream(script)
        self.script, self.requests = self.app.script, self.app.requests
        self.host, self.port = host, 0
        self.base_url = self.azure_endpoint = ""  # set on __enter__
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> FakeUpstream:
        sock = socket.socket()
        sock.bind((self.host, 0))
        self.port = sock.getsockname()[1]
        self.azure_endpoint = f"http://{self.host}:{self.port}"
        self.base_url = f"{self.azure_endpoint}/v1"
        options = _uvicorn_options() | {"log_config": None, "timeout_graceful_shutdown": 1}
        server = self._server = uvicorn.Server(uvicorn.Config(self.app, **options))
        self._thread = thread = threading.Thread(target=server.run, args=([sock],), daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("fake upstream did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._server and self._thread:
            self._server.should_exit = True
            self._thread.join(timeout=5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Scripted OpenAI-compatible fake upstream.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9999)
    parser.add_argument("--tokens", type=int, default=64, help="chunks per answer")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay before each chunk")
    parser.add_argument("--first-token-ms", type=float, default=0.0, help="extra first delay")
    parser.add_argument("--api-key", default=None, help="require this key (Bearer / api-key)")
    args = parser.parse_args(argv)
    delay, first = args.latency_ms / 1000, args.first_token_ms / 1000
    answer = Reply("tok " * args.tokens, chunk_size=4, delay_s=delay, first_token_delay_s=first)
    app = create_fake_upstream(Script(default=answer, api_key=args.api_key))
    url = f"http://{args.host}:{args.port}"
    print(f"fake upstream: base_url {url}/v1, azure_endpoint {url}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, **_uvicorn_options())


if __name__ == "__main__":
    main()
