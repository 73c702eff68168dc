"""Receiving uploaded files safely: limits before memory, names kept, content on disk only.

* The request's ``Content-Length`` is checked against ``max_upload_bytes × max_upload_files``
  before the body is read (HTTP 413 with a German message).
* Each file is copied in 1 MiB blocks into a private temporary folder while counting; the
  copy stops at ``max_upload_bytes`` (413). Nothing is held in memory.
* File names are shown as uploaded (NFC-normalised: macOS sends NFD umlauts) but never used as
  paths: on disk a file is ``<n>.<ext>``.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import Request, UploadFile

from schreibstube.errors import FileTooLarge, InvalidInput
from schreibstube.settings import Settings

BLOCK = 1024 * 1024


def display_name(raw: str | None) -> str:
    name = unicodedata.normalize("NFC", (raw or "Datei").replace("\\", "/").rsplit("/", 1)[-1])
    return name.strip()[:200] or "Datei"


def check_content_length(request: Request, settings: Settings) -> None:
    limit = settings.max_upload_bytes * settings.max_upload_files + BLOCK
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit:
        raise FileTooLarge(
            f"Die Dateien sind zusammen zu groß ({int(length) // BLOCK} MB). Erlaubt sind "
            f"{settings.max_upload_bytes // BLOCK} MB je Datei und {settings.max_upload_files} Dateien."
        )


async def _save(upload: UploadFile, target: Path, max_bytes: int, name: str) -> None:
    written = 0
    with target.open("wb") as out:
        while block := await upload.read(BLOCK):
            written += len(block)
            if written > max_bytes:
                raise FileTooLarge(
                    f"Die Datei „{name}“ ist zu groß. Erlaubt sind {max_bytes // BLOCK} MB. "
                    "Bitte teilen Sie das Dokument auf oder verkleinern Sie es."
                )
            out.write(block)


@contextmanager
def upload_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="sb-upload-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def save_uploads(files: list[UploadFile], folder: Path, settings: Settings) -> list[tuple[Path, str]]:
    files = [f for f in files if f.filename]
    if len(files) > settings.max_upload_files:
        raise InvalidInput(f"Bitte höchstens {settings.max_upload_files} Dateien auf einmal hochladen.")
    saved = []
    for i, upload in enumerate(files):
        name = display_name(upload.filename)
        suffix = Path(name).suffix.lower()[:10]
        target = folder / f"{i}{suffix}"
        await _save(upload, target, settings.max_upload_bytes, name)
        saved.append((target, name))
    return saved
