"""Running one parse in a child process, with a time budget and a clean kill.

Parsers for PDF, Office and e-mail are large C and Python libraries fed with untrusted
files; a malformed file can make them loop, allocate without end or crash the interpreter.
So every read runs in its own child process. Children come from a ``forkserver``: one
clean, single-threaded process started once (as a fresh interpreter, not forked from the
web server, so it inherits none of the server's threads or locks) that has imported the
parsers (``PRELOAD``) and forks a new child per read. That keeps one fresh, killable
process per file while paying the ~0.3 s of imports once instead of per file
(decisions/011). Where ``forkserver`` does not exist, ``spawn`` is used. The child makes
itself a process-group leader first, so on timeout the parent kills the whole group -
including ``tesseract`` and ``soffice`` processes the parser started.

Results and errors cross the process boundary as plain values: a result is pickled; a
:class:`~schreibstube.errors.SchreibstubeError` travels as (class name, German message) and
is raised again in the parent as the same class; any other exception becomes
:class:`ChildCrashed` carrying only the exception type and the code positions of the
traceback (no message, which could quote document content), for the log.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from schreibstube import errors

T = TypeVar("T")

# Imported once by the fork server, so that every child starts with the parsers loaded.
PRELOAD = ["schreibstube.documents.reader"]


class ChildTimeout(Exception):
    """The child did not answer within the time budget and was killed."""


class ChildCrashed(Exception):
    """The child raised an unexpected exception or died (e.g. a segfault)."""

    def __init__(self, type_name: str, where: str) -> None:
        super().__init__(type_name)
        self.type_name = type_name
        self.where = where


def _child_main(conn: Connection, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    if hasattr(os, "setsid"):
        os.setsid()
    try:
        outcome: tuple[str, Any, str] = ("ok", func(*args), "")
    except errors.SchreibstubeError as exc:
        outcome = ("error", type(exc).__name__, exc.user_message)
    except BaseException as exc:  # report everything, the parent decides
        outcome = ("crash", type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)))
    try:
        conn.send(outcome)
    except Exception as exc:  # e.g. a result that cannot be pickled
        conn.send(("crash", type(exc).__name__, "sending the result failed"))
    finally:
        conn.close()


def _kill_group(proc: BaseProcess) -> None:
    if proc.pid is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        proc.kill()


def _raise_error(type_name: str, message: str) -> None:
    cls = getattr(errors, type_name, None)
    if isinstance(cls, type) and issubclass(cls, (errors.DocumentError, errors.InvalidInput)):
        raise cls(message)
    raise errors.DocumentError(message)


def run_isolated(func: Callable[..., T], args: tuple[Any, ...], timeout_s: float) -> T:
    """``func(*args)`` in a fresh child; raises ChildTimeout, ChildCrashed or the
    SchreibstubeError the child raised."""
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_main, args=(sender, func, args), daemon=True)
    proc.start()
    sender.close()
    outcome = None
    try:
        if receiver.poll(timeout_s):
            outcome = _receive(receiver)
            wait([proc.sentinel], timeout=5)  # let it exit; not reaped, so its group id stays
    finally:
        _kill_group(proc)  # the hung child, or stragglers such as soffice
        proc.join()
        receiver.close()
    if outcome is None:
        raise ChildTimeout()
    kind, value, detail = outcome
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    if kind == "error":
        _raise_error(value, detail)
    raise ChildCrashed(str(value), detail or f"exit code {proc.exitcode}")


def _context() -> ForkServerContext | SpawnContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)  # takes effect when the server starts (first use)
    return ctx


def _receive(receiver: Connection) -> tuple[str, Any, str]:
    try:
        outcome: tuple[str, Any, str] = receiver.recv()
    except EOFError:  # the child died without answering
        return ("crash", "ChildDied", "")
    return outcome
