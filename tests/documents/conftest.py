"""Fixtures for the document tests: the shared real documents, small own fixtures, and a
cached ``read`` so each real file is parsed (in its child process) once per session.

The shared data lives next to the repository (``../shared/data``); it is required, so a
missing folder fails the run instead of skipping tests. Tests that need Tesseract or
LibreOffice skip with a reason (shown by ``-ra``) when the program is missing; the
fallback behaviour for a missing program is tested unconditionally.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from schreibstube.documents import Document, Limits, read_document
from schreibstube.documents.ocr import find_tesseract
from schreibstube.testing import shared_data_dir

REPO = Path(__file__).parents[2]
SHARED_DATA = shared_data_dir(REPO)
FIXTURES = REPO / "tests" / "fixtures" / "documents"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "formats").is_dir():
        pytest.fail(f"shared test data missing at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def formats(shared_data: Path) -> Path:
    return shared_data / "formats"


@pytest.fixture(scope="session")
def laws(shared_data: Path) -> Path:
    return shared_data / "laws"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def read() -> Callable[..., Document]:
    """read_document with default limits, cached per (path, name)."""
    cache: dict[tuple[Path, str | None], Document] = {}

    def _read(path: Path, name: str | None = None) -> Document:
        if (path, name) not in cache:
            cache[(path, name)] = read_document(path, name, limits=Limits())
        return cache[(path, name)]

    return _read


@pytest.fixture(scope="session")
def tesseract() -> str:
    exe = find_tesseract()
    if not exe:
        pytest.skip("tesseract-ocr with tesseract-ocr-deu not installed (scripts/system-packages.txt)")
    return exe


@pytest.fixture(scope="session")
def soffice() -> str:
    exe = shutil.which("soffice")
    if not exe:
        pytest.skip("LibreOffice (libreoffice-writer-nogui) not installed")
    return exe
