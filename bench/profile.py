"""Sampling profiles of a benchmark's server process with py-spy (``--profile``).

``Profile(pid, name)`` runs ``py-spy record`` against a process while a block runs and writes
the collapsed stacks to ``bench/results/<name>.txt``; :func:`summary` prints the functions
with the largest inclusive share of samples — the evidence behind docs/benchmarks.md.
py-spy is looked up next to LiteLLM in ``.venv/litellm`` (``make bench`` installs both).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections import Counter
from pathlib import Path
from types import TracebackType

from bench.common import REPO, RESULTS


def enabled() -> bool:
    return os.environ.get("BENCH_PROFILE") == "1"


def py_spy() -> str | None:
    candidates = [str(REPO / ".venv" / "litellm" / "bin" / "py-spy"), shutil.which("py-spy")]
    return next((c for c in candidates if c and Path(c).exists()), None)


class Profile:
    def __init__(self, pid: int, name: str, rate: int = 250) -> None:
        self.pid, self.rate = pid, rate
        self.path = RESULTS / f"{name}.txt"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Profile:
        binary = py_spy()
        if binary is None:
            print("# profile skipped: py-spy not installed", flush=True)
            return self
        RESULTS.mkdir(parents=True, exist_ok=True)
        argv = [binary, "record", "--pid", str(self.pid), "--format", "raw", "--rate", str(self.rate),
                "--gil", "--nonblocking", "--output", str(self.path)]
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        with contextlib.suppress(OSError):
            print(summary(self.path), flush=True)


def summary(path: Path, top: int = 25) -> str:
    """Share of GIL-holding samples per function: self time, then inclusive time of the
    frames below the event loop (``name (file)``, line numbers dropped)."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for raw in path.read_text().splitlines():
        stack, _, count_text = raw.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";")]
        total += count
        for name in set(frames):
            inclusive[name] += count
        own[frames[-1]] += count
    out = [f"# profile {path.name}: {total} samples holding the GIL", "#   self %  function"]
    out += [f"#   {100 * n / max(total, 1):6.1f}  {name}" for name, n in own.most_common(top)]
    out.append("#   incl %  function (frames in less than 90 % of samples)")
    deep = [(name, n) for name, n in inclusive.most_common() if n < 0.9 * total][:top]
    out += [f"#   {100 * n / max(total, 1):6.1f}  {name}" for name, n in deep]
    return "\n".join(out)


def _short(frame: str) -> str:
    """``send (schreibstube/assistants/chat.py:140)`` -> ``send (schreibstube/assistants/chat.py)``."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", f"{REPO}/", "lib/python3.11/"):
        if marker in where:
            where = where.split(marker, 1)[1]
    return f"{name} ({where})"
