"""Shared pieces of the benchmarks: child processes, readiness, medians, memory, output lines.

Servers under test run as separate processes (:class:`Child`), started in their own session
so that stopping one stops everything it started, by its process id. Their output goes to
``bench/results/<name>.log`` (ignored by git) for post-mortems. Output lines look like
``P1 c=200 via=schreibstube ttft_ms=41.9 base_ttft_ms=40.8 ttft_ratio=1.03 … goal=ok``.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import httpx
import psutil

from schreibstube.testing import free_port, shared_data_dir

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = shared_data_dir(REPO)
RESULTS = REPO / "bench" / "results"
PYTHON = sys.executable

__all__ = ["Child", "RssSampler", "free_port", "goal", "line", "median", "raise_open_files_limit"]


def raise_open_files_limit() -> int:
    """Raise the soft limit of open files to the hard limit (1000 streams need ~3000)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def ratio(ours: float | None, base: float | None) -> float | None:
    return ours / base if ours is not None and base else None


def goal(value: float | None, limit: float, *, at_least: bool = False) -> str:
    """``ok`` or ``MISSED(<=1.10)``: the verdict printed at the end of a line."""
    if value is None:
        return "n/a"
    met = value >= limit if at_least else value <= limit
    return "ok" if met else f"MISSED({'>=' if at_least else '<='}{limit:g})"


def _fmt(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def line(tag: str, **fields: object) -> str:
    """Print and return one result line: ``tag key=value …`` in the given order."""
    text = " ".join([tag, *(f"{k}={_fmt(v)}" for k, v in fields.items())])
    print(text, flush=True)
    return text


class Child:
    """A server process started for a benchmark; ready when ``ready_url`` answers."""

    def __init__(self, name: str, argv: Sequence[str], *, ready_url: str,
                 env: Mapping[str, str] | None = None, timeout_s: float = 90) -> None:
        self.name, self.argv, self.ready_url = name, list(argv), ready_url
        self.env = dict(os.environ if env is None else env)
        self.timeout_s = timeout_s
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = 0.0
        self.log_path = RESULTS / f"{name}.log"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def __enter__(self) -> Child:
        if self.proc is None:
            self.start()
        return self.wait_ready()

    def start(self) -> Child:
        """Start without waiting (several children can boot at once); ``with`` waits."""
        RESULTS.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                     cwd=REPO, start_new_session=True)
        log.close()
        self.started = time.monotonic()
        return self

    def wait_ready(self) -> Child:
        assert self.proc is not None
        deadline = self.started + self.timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"{self.name} exited ({self.proc.returncode}): {self.tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.ready_url, timeout=2).status_code < 500:
                    return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} not ready after {self.timeout_s:g} s: {self.tail()}")

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def tail(self, lines: int = 5) -> str:
        try:
            text = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return " | ".join(text[-lines:])

    def stop(self) -> None:
        """SIGTERM to the process group this child leads (its own session), then SIGKILL."""
        if self.proc is None or self.proc.poll() is not None:
            return
        for sig, wait_s in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(wait_s)
                return
            except subprocess.TimeoutExpired:
                continue

    def cpu_s(self) -> float:
        """CPU seconds (user + system) used so far by the process and its children."""
        proc = psutil.Process(self.pid)
        times = proc.cpu_times()
        return times.user + times.system + times.children_user + times.children_system

    def rss_mb(self) -> float:
        """Resident memory of the process and its children, in MiB."""
        proc = psutil.Process(self.pid)
        total = proc.memory_info().rss
        for child in proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        return total / 2**20


class RssSampler:
    """Samples a child's RSS every ``every_s`` in a thread; ``peak`` is the maximum seen."""

    def __init__(self, child: Child, every_s: float = 0.1) -> None:
        self.child, self.every_s = child, every_s
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(psutil.Error):
                self.peak = max(self.peak, self.child.rss_mb())
            self._stop.wait(self.every_s)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
