"""P2 ingestion rate: pages/s of ``read_document`` vs raw pypdfium2 on the same PDF.

Three ways to get the text of every page, alternated and repeated, median time each:

* raw:     pypdfium2 alone — open, ``get_textpage().get_text_range()`` per page, close;
* inproc:  ``documents.reader.parse_document`` in this process — the loader with its
  scanned-page check, normalisation and title (what the child process runs);
* ours:    ``documents.read_document`` — the same parse in a spawned, killable child process
  (the safety boundary, docs/decisions/011-document-reading-safety.md);
* empty child: ``run_isolated(os.getpid)`` — the fixed cost of that boundary alone.

OCR is off (these PDFs have a text layer). ``ratio`` = ours ÷ raw pages/s; goal ≥ 0.5.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

from bench.common import SHARED_DATA, goal, line, median
from schreibstube.documents import Limits, read_document
from schreibstube.documents.isolation import run_isolated
from schreibstube.documents.reader import parse_document

FILES = ("vwvfg.pdf", "gg.pdf")
LIMITS = Limits(ocr=False)


def raw_pages(path: Path) -> int:
    pdf = pdfium.PdfDocument(path)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


def inproc_pages(path: Path) -> int:
    return parse_document(path, path.name, LIMITS).page_count


def ours_pages(path: Path) -> int:
    return read_document(path, limits=LIMITS).page_count


def spawn_only(path: Path) -> int:
    """A child that does nothing: the fixed cost of the isolation boundary."""
    run_isolated(os.getpid, (), 60)
    return 0


def timed(fn: Callable[[Path], int], path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    pages = fn(path)
    return time.perf_counter() - started, pages


def run(quick: bool) -> list[str]:
    repeats = 3 if quick else 9
    lines = []
    for name in FILES[:1] if quick else FILES:
        path = SHARED_DATA / "formats" / name
        ways = {"raw": raw_pages, "inproc": inproc_pages, "ours": ours_pages, "spawn": spawn_only}
        for fn in ways.values():  # warm up: imports, page cache
            fn(path)
        seconds: dict[str, list[float]] = {k: [] for k in ways}
        pages = raw_pages(path)
        for _ in range(repeats):
            for key, fn in ways.items():
                seconds[key].append(timed(fn, path)[0])
        rate = {k: pages / (median(v) or float("inf")) for k, v in seconds.items()}
        ratio = rate["ours"] / rate["raw"]
        lines.append(line(
            f"P2 file={name}", pages=pages, ours_pages_s=rate["ours"], raw_pages_s=rate["raw"],
            ratio=ratio, inproc_pages_s=rate["inproc"], inproc_ratio=rate["inproc"] / rate["raw"],
            ours_ms=1000 * (median(seconds["ours"]) or 0), inproc_ms=1000 * (median(seconds["inproc"]) or 0),
            raw_ms=1000 * (median(seconds["raw"]) or 0),
            empty_child_ms=1000 * (median(seconds["spawn"]) or 0), goal=goal(ratio, 0.5, at_least=True)))
    return lines
