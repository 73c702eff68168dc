"""Text recognition (OCR) for scanned PDF pages with Tesseract, German model.

Only pages without a text layer come here. Each page is rendered by pypdfium2 at 300 dpi
in grey to a PGM file (no imaging library needed) and recognised by the ``tesseract``
program in a subprocess with ``-l deu`` and ``OMP_THREAD_LIMIT=1``: Tesseract's own threads
slow down on small machines, so parallelism comes from running one process per CPU core
on different pages instead. Pages are rendered in batches of that size, so a 500-page scan
never holds more than a few page images on disk.

Tesseract often reads "§" as "$" in German legal text; :func:`fix_common_errors` turns a
"$" directly before a number back into "§" (dollar amounts in German texts put the sign
after the number, so this does not hit them).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium

DPI = 300
LANGUAGE = "deu"
PAGE_TIMEOUT_S = 300.0


def find_tesseract(language: str = LANGUAGE) -> str | None:
    """Path of ``tesseract`` if it is installed with the language model, else None."""
    exe = shutil.which("tesseract")
    if not exe:
        return None
    try:
        listed = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return exe if language in (listed.stdout + listed.stderr).split() else None


def fix_common_errors(text: str) -> str:
    """ "$ 44" -> "§ 44", "$$ 1" -> "§§ 1" (see module docstring)."""
    return re.sub(r"(?<![\w$])\$(\$?)(?=\s?\d)", lambda m: "§" + ("§" if m[1] else ""), text)


def render_pgm(page: pdfium.PdfPage, target: Path, dpi: int = DPI) -> None:
    """Write the page as an 8-bit grey PGM image."""
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    data = bytes(bitmap.buffer)
    with target.open("wb") as fh:
        fh.write(b"P5 %d %d 255\n" % (width, height))
        if stride == width:
            fh.write(data)
        else:
            fh.writelines(data[row * stride : row * stride + width] for row in range(height))
    bitmap.close()


def recognise_image(tesseract: str, image: Path, dpi: int = DPI) -> str:
    """Run Tesseract on one image; empty text when it fails."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = [tesseract, str(image), "stdout", "-l", LANGUAGE, "--dpi", str(dpi)]
    try:
        done = subprocess.run(command, capture_output=True, env=env, timeout=PAGE_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    if done.returncode != 0:
        return ""
    return fix_common_errors(done.stdout.decode("utf-8", errors="replace"))


def recognise_pages(
    pdf: pdfium.PdfDocument, indices: Sequence[int], tesseract: str, workers: int | None = None
) -> dict[int, str]:
    """OCR text of the given 0-based pages, keyed by page index."""
    workers = workers or max(1, min(os.cpu_count() or 1, 8))
    found: dict[int, str] = {}
    with tempfile.TemporaryDirectory(prefix="schreibstube-ocr-") as tmp, ThreadPoolExecutor(workers) as pool:
        for start in range(0, len(indices), workers):
            batch = list(indices[start : start + workers])
            images = []
            for index in batch:
                page = pdf[index]
                image = Path(tmp) / f"page-{index}.pgm"
                render_pgm(page, image)
                page.close()
                images.append(image)
            texts = pool.map(lambda img: recognise_image(tesseract, img), images)
            found.update(zip(batch, texts, strict=True))
            for image in images:
                image.unlink()
    return found
