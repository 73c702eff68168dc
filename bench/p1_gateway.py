"""P1 gateway overhead: streamed chats through Schreibstube vs straight to the upstream.

Three processes besides this one: the fake upstream (``schreibstube.llm.fake_upstream``,
``TOKENS`` chunks ``LATENCY_MS`` apart after ``FIRST_TOKEN_MS``), ``schreibstube serve`` on a
temporary SQLite database with one ``openai`` model pointing at the fake, and — the peer
baseline — a LiteLLM proxy in front of the same fake. An async httpx client (uvloop) opens
``c`` streams at once and measures, per stream, the time to the first text token and to the
end of the stream:

* direct:        ``POST /v1/chat/completions`` (stream) on the fake — the baseline;
* schreibstube:  ``POST /api/v1/conversations/{id}/messages`` (SSE) — a fresh conversation
  per stream, created before the wave and not timed;
* litellm:       ``POST /v1/chat/completions`` (stream) on the proxy.

At ``c=1`` requests alternate between the targets; at higher ``c`` whole waves alternate.
Each line prints the medians of the target and of the direct baseline from the same level,
their ratio, the errors and the peak RSS of the gateway process during the level.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import profile
from bench.common import PYTHON, REPO, Child, RssSampler, free_port, goal, line, median, ratio

TOKENS = 64
LATENCY_MS = 25.0
FIRST_TOKEN_MS = 100.0
LEVELS, QUICK_LEVELS = (1, 50, 200, 1000), (1, 50)
SYSTEM = "Sie sind ein hilfreicher Assistent für die öffentliche Verwaltung."
QUESTION = "Was ist ein Verwaltungsakt? Bitte erklären Sie es kurz."
LEVEL_TIMEOUT_S = 300.0
# httpcore's pool does O(connections) work per request event, so one pool of 1000 streams
# costs the *client* seconds; streams are spread over several clients of this size instead.
CLIENT_POOL = 50
LITELLM_KEY = "sk-bench-only-not-a-secret-0123456789"


@dataclass
class Sample:
    ttft_s: float | None = None
    total_s: float | None = None
    error: str | None = None


@dataclass
class Target:
    name: str
    url: str
    child: Child | None
    open_stream: Callable[[httpx.AsyncClient, Target], Awaitable[Sample]]
    headers: dict[str, str] = field(default_factory=dict)
    conversations: list[str] = field(default_factory=list)


async def sse_events(response: httpx.Response) -> AsyncIterator[tuple[str, str]]:
    """(event, data) pairs of a server-sent event stream, read from raw bytes."""
    buffer = b""
    async for chunk in response.aiter_bytes():
        buffer += chunk
        while b"\n\n" in buffer:
            raw, buffer = buffer.split(b"\n\n", 1)
            event, data = "message", []
            for text in raw.decode().splitlines():
                if text.startswith("event:"):
                    event = text[6:].strip()
                elif text.startswith("data:"):
                    data.append(text[5:].strip())
            if data:
                yield event, "\n".join(data)


def _has_text(data: str) -> bool:
    choices = json.loads(data).get("choices") or [{}]
    return bool((choices[0].get("delta") or {}).get("content"))


async def openai_stream(client: httpx.AsyncClient, target: Target) -> Sample:
    """One streamed chat completion against an OpenAI-compatible endpoint."""
    body = {"model": "fake-model", "stream": True, "stream_options": {"include_usage": True},
            "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION}],
            "max_tokens": 1024, "temperature": 0.3, "top_p": 0.9}
    sample, started = Sample(), time.perf_counter()
    try:
        async with client.stream("POST", target.url + "/v1/chat/completions", json=body,
                                 headers=target.headers) as r:
            if r.status_code != 200:
                return Sample(error=f"http_{r.status_code}")
            async for _, data in sse_events(r):
                if data == "[DONE]":
                    sample.total_s = time.perf_counter() - started
                elif sample.ttft_s is None and _has_text(data):
                    sample.ttft_s = time.perf_counter() - started
    except httpx.HTTPError as exc:
        sample.error = type(exc).__name__
    if sample.total_s is None and sample.error is None:
        sample.error = "no_done"
    return sample


async def schreibstube_stream(client: httpx.AsyncClient, target: Target) -> Sample:
    """One chat message through Schreibstube's SSE API, on a fresh conversation."""
    conversation = target.conversations.pop()
    url = f"{target.url}/api/v1/conversations/{conversation}/messages"
    sample, started = Sample(), time.perf_counter()
    try:
        async with client.stream("POST", url, json={"content": QUESTION}) as r:
            if r.status_code != 200:
                return Sample(error=f"http_{r.status_code}")
            async for event, data in sse_events(r):
                if event == "delta" and sample.ttft_s is None:
                    sample.ttft_s = time.perf_counter() - started
                elif event == "done":
                    sample.total_s = time.perf_counter() - started
                elif event == "error":
                    sample.error = "sse_" + str(json.loads(data).get("kind"))
    except httpx.HTTPError as exc:
        sample.error = type(exc).__name__
    if sample.total_s is None and sample.error is None:
        sample.error = "no_done"
    return sample


async def create_conversations(client: httpx.AsyncClient, target: Target, count: int) -> None:
    gate = asyncio.Semaphore(16)

    async def one() -> None:
        async with gate:
            r = await client.post(target.url + "/api/v1/conversations", json={})
            r.raise_for_status()
            target.conversations.append(r.json()["id"])

    await asyncio.gather(*(one() for _ in range(count)))


async def prepare(clients: list[httpx.AsyncClient], target: Target, c: int) -> None:
    """Untimed set-up of a wave: Schreibstube streams each need a fresh conversation."""
    if target.name == "schreibstube":
        await create_conversations(clients[0], target, c)


async def wave(clients: list[httpx.AsyncClient], target: Target, c: int) -> list[Sample]:
    streams = asyncio.gather(*(target.open_stream(clients[i % len(clients)], target) for i in range(c)))
    if not (profile.enabled() and target.child and c > 1):
        return list(await streams)
    with profile.Profile(target.child.pid, f"p1-{target.name}-c{c}"):
        return list(await streams)


@dataclass
class Level:
    c: int
    samples: dict[str, list[Sample]]
    rss_mb: dict[str, float]
    cpu_s: dict[str, float]
    seconds: float


async def run_level(clients: list[httpx.AsyncClient], targets: list[Target], c: int, rounds: int) -> Level:
    samples: dict[str, list[Sample]] = {t.name: [] for t in targets}
    cpu = {t.name: 0.0 for t in targets}
    started = time.monotonic()
    with ExitStack() as stack:
        samplers = {t.name: stack.enter_context(RssSampler(t.child)) for t in targets if t.child}
        for i in range(rounds):
            order = targets[i % len(targets):] + targets[: i % len(targets)]  # rotate who goes first
            for target in order:
                await prepare(clients, target, c)
                before = target.child.cpu_s() if target.child else 0.0
                samples[target.name] += await asyncio.wait_for(wave(clients, target, c), LEVEL_TIMEOUT_S)
                cpu[target.name] += (target.child.cpu_s() - before) if target.child else 0.0
    peaks = {name: s.peak for name, s in samplers.items()}
    return Level(c, samples, peaks, cpu, time.monotonic() - started)


def report(level: Level) -> list[str]:
    base = level.samples["direct"]
    base_ttft, base_total = median(s.ttft_s for s in base), median(s.total_s for s in base)
    base_errors = sum(s.error is not None for s in base)
    lines = [line(f"P1 c={level.c} via=direct", ttft_ms=_ms(base_ttft), total_ms=_ms(base_total),
                  n=len(base), errors=base_errors)]
    ours_total = median(s.total_s for s in level.samples["schreibstube"])
    for name, samples in level.samples.items():
        if name == "direct":
            continue
        ttft, total = median(s.ttft_s for s in samples), median(s.total_s for s in samples)
        errors = [s.error for s in samples if s.error]
        fields: dict[str, object] = {
            "ttft_ms": _ms(ttft), "base_ttft_ms": _ms(base_ttft), "ttft_ratio": ratio(ttft, base_ttft),
            "total_ms": _ms(total), "base_total_ms": _ms(base_total),
            "total_ratio": ratio(total, base_total), "errors": len(errors),
            "cpu_ms_per_stream": 1000 * level.cpu_s[name] / max(len(samples), 1),
            "rss_mb": level.rss_mb.get(name),
        }
        if errors:
            fields["error_kinds"] = ",".join(sorted(set(errors)))
        if name == "schreibstube":
            fields["goal"] = _goal(level.c, fields, len(errors))
        else:
            fields["ours_vs_" + name] = ratio(ours_total, total)
            fields["goal"] = goal(ratio(ours_total, total), 1.0)
        lines.append(line(f"P1 c={level.c} via={name}", **fields))
    return lines


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def _goal(c: int, fields: dict[str, object], errors: int) -> str:
    if c >= 1000:
        return "ok" if errors == 0 else "MISSED(errors=0)"
    limit = 1.02 if c == 1 else 1.10 if c >= 200 else None
    if limit is None:
        return "ok" if errors == 0 else "MISSED(errors=0)"
    verdicts = [goal(fields[k], limit) for k in ("ttft_ratio", "total_ratio")]  # type: ignore[arg-type]
    return ",".join(f"{k.split('_')[0]}:{v}" for k, v in zip(("ttft", "total"), verdicts, strict=True))


# --- processes --------------------------------------------------------------------------


def fake_upstream(port: int) -> Child:
    argv = [PYTHON, "-m", "schreibstube.llm.fake_upstream", "--port", str(port),
            "--tokens", str(TOKENS), "--latency-ms", f"{LATENCY_MS:g}",
            "--first-token-ms", f"{FIRST_TOKEN_MS:g}"]
    return Child("p1-fake-upstream", argv, ready_url=f"http://127.0.0.1:{port}/v1/models")


def schreibstube_server(tmp: Path, port: int, upstream: str) -> Child:
    config = tmp / "schreibstube.toml"
    config.write_text(f"""\
data_dir = "{tmp / 'data'}"
heartbeat_s = 3600
log_level = "WARNING"
default_model = "fake"

[[models]]
name = "fake"
provider = "openai"
base_url = "{upstream}/v1"
upstream_model = "fake-model"
api_key = "bench"
max_retries = 0
timeout_s = 300
""")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHREIBSTUBE_")}
    argv = [str(REPO / ".venv" / "bin" / "schreibstube"), "--config", str(config), "serve",
            "--host", "127.0.0.1", "--port", str(port)]
    if not Path(argv[0]).exists():
        argv[:1] = [PYTHON, "-m", "schreibstube.cli"]
    return Child("p1-schreibstube", argv, env=env, ready_url=f"http://127.0.0.1:{port}/healthz")


def litellm_binary() -> str | None:
    """LiteLLM lives in its own venv (``make bench`` makes it): its pins must not touch ours."""
    candidates = [os.environ.get("LITELLM_BIN"), str(REPO / ".venv" / "litellm" / "bin" / "litellm"),
                  shutil.which("litellm")]
    return next((c for c in candidates if c and Path(c).exists()), None)


def litellm_server(tmp: Path, port: int, upstream: str) -> Child:
    binary = litellm_binary()
    if binary is None:
        raise RuntimeError("litellm not installed (make bench installs it into .venv/litellm)")
    config = tmp / "litellm.yaml"
    config.write_text(f"""\
model_list:
  - model_name: fake-model
    litellm_params:
      model: openai/fake-model
      api_base: {upstream}/v1
      api_key: bench
litellm_settings:
  telemetry: false
  drop_params: true
  request_timeout: 300
""")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "LITELLM"))}
    env.update(LITELLM_LOCAL_MODEL_COST_MAP="True", LITELLM_LOG="ERROR", LITELLM_MODE="PRODUCTION",
               LITELLM_MASTER_KEY=LITELLM_KEY)
    argv = [binary, "--config", str(config), "--host", "127.0.0.1", "--port", str(port),
            "--num_workers", "1"]
    return Child("p1-litellm", argv, env=env, ready_url=f"http://127.0.0.1:{port}/health/liveliness",
                 timeout_s=120)


# --- driver -----------------------------------------------------------------------------


async def measure(targets: list[Target], levels: tuple[int, ...], quick: bool) -> list[str]:
    limits = httpx.Limits(max_connections=CLIENT_POOL, max_keepalive_connections=CLIENT_POOL)
    timeout = httpx.Timeout(LEVEL_TIMEOUT_S, connect=60)
    lines: list[str] = []
    async with AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(httpx.AsyncClient(limits=limits, timeout=timeout))
                   for _ in range(max(levels) // CLIENT_POOL + 1)]
        # Warm up imports, pools and first-request paths. The very first request goes alone:
        # concurrent first requests race to create the single-user tenant (docs/benchmarks.md).
        for size in (1, 10):
            await asyncio.gather(*(prepare(clients, t, size) for t in targets))
            await asyncio.gather(*(wave(clients, t, size) for t in targets))
        for c in levels:
            rounds = (2 if quick else 15) if c == 1 else (1 if quick or c >= 1000 else 2)
            lines += report(await run_level(clients, targets, c, rounds))
    return lines


def run(quick: bool) -> list[str]:
    import uvloop

    levels = QUICK_LEVELS if quick else LEVELS
    with tempfile.TemporaryDirectory(prefix="sb-bench-p1-") as tmp, ExitStack() as stack:
        up_port, our_port, lite_port = free_port(), free_port(), free_port()
        upstream = f"http://127.0.0.1:{up_port}"
        children = [fake_upstream(up_port), schreibstube_server(Path(tmp), our_port, upstream)]
        lines = []
        try:
            children.append(litellm_server(Path(tmp), lite_port, upstream))
        except RuntimeError as exc:
            lines.append(f"P1 litellm unavailable: {exc}")
        for child in children:  # boot all at once, then wait for each
            stack.callback(child.stop)
            child.start()
        targets = [Target("direct", upstream, None, openai_stream)]
        booting = time.monotonic()
        for child in children:
            try:
                child.wait_ready()
            except RuntimeError as exc:
                if child.name != "p1-litellm":
                    raise
                lines.append(f"P1 litellm unavailable: {exc}")
                continue
            if child.name == "p1-schreibstube":
                targets.append(Target("schreibstube", f"http://127.0.0.1:{our_port}", child,
                                      schreibstube_stream))
            elif child.name == "p1-litellm":
                targets.append(Target("litellm", f"http://127.0.0.1:{lite_port}", child, openai_stream,
                                      headers={"Authorization": f"Bearer {LITELLM_KEY}"}))
        for text in lines:
            print(text, flush=True)
        print(f"# P1 upstream: {TOKENS} chunks, {LATENCY_MS:g} ms apart, first after "
              f"{FIRST_TOKEN_MS:g} ms; levels {levels}; servers up in "
              f"{time.monotonic() - booting:.1f} s", flush=True)
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            lines += runner.run(measure(targets, levels, quick))
    return lines
