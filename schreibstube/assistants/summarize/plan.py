"""Cut source pages into batches that fit one model call, keeping document order.

A batch holds whole pages while they fit ``budget`` tokens; a page larger than the budget is
split into pieces (each keeps the page's ref, so coverage and citations stay right). Empty
pages are left out of batches — they are reported as not covered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from schreibstube.assistants.summarize.sources import SourcePage


@dataclass(frozen=True)
class Batch:
    index: int
    pages: tuple[SourcePage, ...]

    @property
    def refs(self) -> list[int]:
        return sorted({p.ref for p in self.pages})


def render_pages(pages: tuple[SourcePage, ...] | list[SourcePage]) -> str:
    return "\n\n".join(f"=== [S. {p.ref}] {p.label} ===\n{p.text.strip()}" for p in pages)


def _split_page(page: SourcePage, budget: int, count: Callable[[str], int]) -> list[SourcePage]:
    parts, current = [], ""
    for para in page.text.split("\n"):
        candidate = f"{current}\n{para}" if current else para
        if current and count(candidate) > budget:
            parts.append(current)
            current = para
        else:
            current = candidate
    parts.append(current)
    pieces: list[SourcePage] = []
    for part in parts:  # paragraphs longer than the budget: cut by characters
        step = max(200, int(len(part) * budget / max(count(part), 1)))
        pieces.extend(SourcePage(page.ref, page.document, page.page, part[i:i + step], page.logical)
                      for i in range(0, len(part), step))
    return pieces


def make_batches(pages: list[SourcePage], budget: int, count: Callable[[str], int]) -> list[Batch]:
    units: list[SourcePage] = []
    for page in pages:
        if page.empty:
            continue
        units.extend([page] if count(render_pages([page])) <= budget
                     else _split_page(page, budget - 40, count))
    batches: list[Batch] = []
    current: list[SourcePage] = []
    for unit in units:
        if current and count(render_pages([*current, unit])) > budget:
            batches.append(Batch(len(batches), tuple(current)))
            current = []
        current.append(unit)
    if current:
        batches.append(Batch(len(batches), tuple(current)))
    return batches
