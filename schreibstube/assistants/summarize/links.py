"""Page markers in model output: "[S. 3]", "[S. 3–5]", "[S. 3, 7]" -> checked references.

Markers that name pages outside the summarised material are dropped (a weak model invents
page numbers); valid ones are resolved to document name + page for display and linking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schreibstube.assistants.summarize.sources import SourcePage

MARKER = re.compile(r"\[S\.\s*([0-9][0-9,\s–\-]*)\]")


@dataclass(frozen=True)
class PageRef:
    ref: int
    document: str
    page: int


def parse_refs(spec: str) -> list[int]:
    refs: list[int] = []
    for piece in re.split(r"\s*,\s*", spec.strip()):
        if not piece:
            continue
        bounds = re.split(r"\s*[–-]\s*", piece)
        try:
            lo, hi = int(bounds[0]), int(bounds[-1])
        except ValueError:
            continue
        refs.extend(range(lo, min(hi, lo + 200) + 1))
    return refs


def paragraph_refs(text: str, pages: list[SourcePage]) -> list[tuple[str, list[PageRef]]]:
    """Split ``text`` into paragraphs; return each with the valid page refs it cites."""
    by_ref = {p.ref: p for p in pages}
    out = []
    for para in re.split(r"\n\s*\n", text.strip()):
        refs: list[PageRef] = []
        for match in MARKER.finditer(para):
            for r in parse_refs(match.group(1)):
                if r in by_ref and all(x.ref != r for x in refs):
                    p = by_ref[r]
                    refs.append(PageRef(r, p.document, p.page))
        out.append((para, refs))
    return out


def strip_invalid_markers(text: str, valid: set[int]) -> str:
    def fix(match: re.Match[str]) -> str:
        kept = [r for r in parse_refs(match.group(1)) if r in valid]
        return f"[S. {', '.join(map(str, kept))}]" if kept else ""

    cleaned = MARKER.sub(fix, text)
    return "\n".join(line.rstrip() for line in cleaned.split("\n")).strip()
