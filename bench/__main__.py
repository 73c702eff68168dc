"""``python -m bench [--quick] [--only P1,P4]``: run the benchmarks, print one line per figure."""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable

# Keep module-level imports light: the fork server behind read_document imports the parent's
# main module once when it starts (and a "spawn" child, where there is no fork server, for
# every file), so heavy imports here would inflate P2's figures beyond what the server pays.

BENCHMARKS = {
    "P1": "bench.p1_gateway",
    "P2": "bench.p2_ingestion",
    "P3": "bench.p3_retrieval",
    "P4": "bench.p4_embedded",
    "P5": "bench.p5_summary",
}


def _runner(name: str) -> Callable[[bool], object] | None:
    try:
        module = importlib.import_module(BENCHMARKS[name])
    except ModuleNotFoundError as exc:
        if exc.name == BENCHMARKS[name]:
            return None
        raise
    return getattr(module, "run", None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small levels, about a minute in all")
    parser.add_argument("--only", default="", help="comma-separated subset, e.g. P1,P4")
    parser.add_argument("--profile", action="store_true",
                        help="sample the servers with py-spy during P1 waves (bench/results/)")
    args = parser.parse_args(argv)
    if args.profile:
        os.environ["BENCH_PROFILE"] = "1"
    chosen = [n.strip().upper() for n in args.only.split(",") if n.strip()] or list(BENCHMARKS)
    unknown = [n for n in chosen if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    from bench.common import raise_open_files_limit

    files = raise_open_files_limit()
    print(f"# bench {'quick' if args.quick else 'full'} · Python {platform.python_version()} · "
          f"{platform.machine()} · {os.cpu_count()} CPUs · open files {files} · "
          f"load average {_load()}", flush=True)
    failed = 0
    for name in chosen:
        started = time.monotonic()
        run = _runner(name)
        if run is None:
            print(f"{name} skipped (not available)", flush=True)
            continue
        try:
            run(args.quick)
        except Exception:  # one broken benchmark must not hide the others' figures
            failed += 1
            print(f"{name} FAILED", flush=True)
            traceback.print_exc()
        print(f"# {name} took {time.monotonic() - started:.1f} s", flush=True)
    print(f"# done · load average {_load()}", flush=True)
    return 1 if failed else 0


def _load() -> str:
    """Other processes on the machine skew every figure; the load average says how much."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
