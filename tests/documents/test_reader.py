"""read_document: limits before reading, isolation in a child process, timeouts, crashes."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from schreibstube.documents import Limits, read_document
from schreibstube.documents.isolation import ChildCrashed, ChildTimeout, run_isolated
from schreibstube.documents.messages import page_list
from schreibstube.errors import EmptyDocument, FileTooLarge, ParseTimeout


def test_too_large_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "riesig.pdf"
    with huge.open("wb") as fh:
        fh.truncate(20 * 1024**3)  # sparse: 20 GiB that would take minutes to read
    started = time.monotonic()
    with pytest.raises(FileTooLarge) as caught:
        read_document(huge, limits=Limits(max_bytes=50 * 1024**2))
    assert time.monotonic() - started < 0.5
    assert (
        "„riesig.pdf“ ist mit 20480,0 MB zu groß; erlaubt sind höchstens 50,0 MB" in caught.value.user_message
    )


@pytest.mark.parametrize(
    ("content", "reason"), [(b"", "ist leer (0 Byte)"), (b" \n\t\n", "keinen lesbaren Text")]
)
def test_no_document_without_text(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "leer.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyDocument) as caught:
        read_document(path, "Leer – Entwurf.txt", limits=Limits())
    assert "„Leer – Entwurf.txt“" in caught.value.user_message and reason in caught.value.user_message


def test_parse_over_time_is_stopped_with_a_german_message(formats: Path) -> None:
    started = time.monotonic()
    with pytest.raises(ParseTimeout) as caught:
        read_document(formats / "vwvfg.docx", limits=Limits(timeout_s=0.05))
    assert time.monotonic() - started < 5
    assert "„vwvfg.docx“ hat länger als 0.05 Sekunden gedauert" in caught.value.user_message


def _alive(pid: str) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    fields = stat.read_text().split() if stat.exists() else ["-", "(gone)", "X"]
    return fields[1] == "(sleep)" and fields[2] not in ("Z", "X")  # else killed or pid reused


def test_timeout_kills_the_child_and_its_helpers(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    script = f"sleep 300 & echo $! > {pid_file}; wait"
    with pytest.raises(ChildTimeout):
        run_isolated(subprocess.call, (["sh", "-c", script],), timeout_s=3)
    pid = pid_file.read_text().strip()
    deadline = time.monotonic() + 5  # SIGKILL is delivered asynchronously
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


@pytest.mark.parametrize(
    ("func", "args", "type_name"),
    [(int, ("vertraulicher Inhalt",), "ValueError"), (os._exit, (3,), "ChildDied")],
)
def test_crash_in_the_child_is_reported_without_content(func, args: tuple, type_name: str) -> None:
    with pytest.raises(ChildCrashed) as caught:
        run_isolated(func, args, timeout_s=30)
    assert caught.value.type_name == type_name
    assert "vertraulich" not in caught.value.where


@pytest.mark.parametrize(
    ("pages", "text"), [([2], "2"), ([1, 2, 3, 7], "1–3 und 7"), ([5, 1, 3], "1, 3 und 5")]
)
def test_page_lists_read_naturally(pages: list[int], text: str) -> None:
    assert page_list(pages) == text


@pytest.mark.parametrize("changes", [{"max_bytes": 0}, {"max_pages": -1}, {"timeout_s": 0.0}])
def test_limits_must_be_positive(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        replace(Limits(), **changes)
