"""Summaries: direct when the material fits, else hierarchical map-reduce.

1. **Plan**: source pages are cut into batches that fit the model's context next to the
   prompt and the answer (:mod:`plan`). One batch → one direct call, streamed.
2. **Map**: each batch is summarised on its own, concurrently (``asyncio.Semaphore`` bounds
   the calls in flight; results are kept in document order whatever order they finish in).
3. **Reduce**: the partial summaries, in order, are combined. If they do not fit one call,
   they are grouped and reduced again (hierarchically) until one call suffices; the last
   reduce is streamed to the user.

Coverage is computed, not claimed: pages with text that went into a batch count as
covered; pages without text are named. With a focus, map calls answer the sentinel
``KEINE ANGABEN`` when a part holds nothing on the topic; if every part does, the result says
so plainly without another model call.

Failures: a failed map call stops the run (after the generic retries); the partial
summaries already produced are returned in the error event so nothing is lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from schreibstube.assistants.prompts import PromptLibrary
from schreibstube.assistants.summarize.links import paragraph_refs, strip_invalid_markers
from schreibstube.assistants.summarize.options import SummaryOptions
from schreibstube.assistants.summarize.plan import Batch, make_batches, render_pages
from schreibstube.assistants.summarize.sources import SourcePage
from schreibstube.errors import InvalidInput, SchreibstubeError
from schreibstube.llm.base import Message, Model, Prompt
from schreibstube.llm.response import Response
from schreibstube.llm.tokens import check_budget

log = logging.getLogger(__name__)
NOTHING = "KEINE ANGABEN"
MAP_WORDS = 150


@dataclass
class SummaryEvent:
    kind: str  # "plan" | "progress" | "delta" | "done" | "error"
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Coverage:
    total: int
    covered: list[int]
    empty: list[SourcePage]
    sections: bool = False  # every source is a page-less format: count "Abschnitte"

    def sentence(self) -> str:
        unit = "Abschnitten" if self.sections else "Seiten"
        text = f"{len(self.covered)} von {self.total} {unit} berücksichtigt"
        if self.empty:
            names = ", ".join(p.label for p in self.empty[:10])
            more = " …" if len(self.empty) > 10 else ""
            text += f" (ohne lesbaren Text: {names}{more})"
        return text + "."


def coverage_of(pages: list[SourcePage], batches: list[Batch]) -> Coverage:
    covered = sorted({r for b in batches for r in b.refs})
    return Coverage(len(pages), covered, [p for p in pages if p.empty],
                    sections=bool(pages) and all(p.logical for p in pages))


class Summarizer:
    def __init__(self, model: Model, prompts: PromptLibrary, *, concurrency: int = 4) -> None:
        self.model = model
        self.prompts = prompts
        self.concurrency = max(1, concurrency)
        self.max_tokens = min(model.config.max_output_tokens, 900)

    def _budget(self, template: str, values: dict[str, Any]) -> int:
        """Tokens left for material in one call of ``template``."""
        overhead = self.model.count_tokens(self.prompts.render(template, material="", **values))
        left = self.model.config.context_length - self.max_tokens - overhead - 16
        if left < 200:
            raise InvalidInput(
                f"Das Modell „{self.model.config.label}“ hat zu wenig Kontext für eine Zusammenfassung."
            )
        return left

    def _prompt(self, template: str, values: dict[str, Any], material: str) -> Prompt:
        messages = [Message("user", self.prompts.render(template, material=material, **values))]
        check_budget(self.model, messages, self.max_tokens)
        return Prompt(messages, max_tokens=self.max_tokens, temperature=0.1)

    async def _call(self, template: str, values: dict[str, Any], material: str) -> str:
        response = Response(self.model, self._prompt(template, values, material))
        return (await response.collect()).strip()

    async def _map(self, batches: list[Batch], values: dict[str, Any],
                   progress: asyncio.Queue[SummaryEvent], results: list[str | None]) -> list[str]:
        """Summarise every batch; ``results`` is filled in document order as calls finish,
        so that finished parts survive a failure of another part."""
        gate = asyncio.Semaphore(self.concurrency)
        done = 0

        async def one(batch: Batch) -> None:
            nonlocal done
            async with gate:
                results[batch.index] = await self._call(
                    "summarize_map", {**values, "part": batch.index + 1, "parts": len(batches),
                                      "words": MAP_WORDS}, render_pages(batch.pages))
            done += 1
            await progress.put(SummaryEvent("progress", {"phase": "map", "done": done,
                                                         "total": len(batches)}))

        await asyncio.gather(*(one(b) for b in batches))
        return [r or "" for r in results]

    async def _reduce_rounds(self, partials: list[str], values: dict[str, Any]) -> list[str]:
        """Reduce groups of partials until they fit one final call."""
        budget = self._budget("summarize_reduce", values)
        while self.model.count_tokens("\n\n".join(partials)) > budget and len(partials) > 1:
            groups: list[list[str]] = [[]]
            for text in partials:
                if groups[-1] and self.model.count_tokens("\n\n".join([*groups[-1], text])) > budget:
                    groups.append([])
                groups[-1].append(text)
            if len(groups) == len(partials):  # no progress possible: cut partials instead
                partials = [p[: budget * 2] for p in partials]
                groups = [[p] for p in partials]
            partials = list(await asyncio.gather(*(
                self._call("summarize_reduce", {**values, "length": "etwa 200 Wörter"},
                           "\n\n".join(g)) for g in groups)))
        return partials

    async def run(self, pages: list[SourcePage], options: SummaryOptions) -> AsyncIterator[SummaryEvent]:
        values = options.prompt_values()
        direct_budget = self._budget("summarize_direct", values)
        batches = make_batches(pages, direct_budget, self.model.count_tokens)
        if not batches:
            raise InvalidInput("Das Material enthält keinen lesbaren Text.")
        if len(batches) > 1:
            batches = make_batches(pages, self._budget("summarize_map", {**values, "part": 99,
                                   "parts": 99, "words": MAP_WORDS}), self.model.count_tokens)
        coverage = coverage_of(pages, batches)
        yield SummaryEvent("plan", {"batches": len(batches), "pages": coverage.total,
                                    "coverage": coverage.sentence()})
        partials: list[str] = []
        results: list[str | None] = [None] * len(batches)
        try:
            if len(batches) == 1:
                template, material = "summarize_direct", render_pages(batches[0].pages)
            else:
                queue: asyncio.Queue[SummaryEvent] = asyncio.Queue()
                task = asyncio.ensure_future(self._map(batches, values, queue, results))
                while not task.done() or not queue.empty():
                    getter = asyncio.ensure_future(queue.get())
                    await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
                    if getter.done():
                        yield getter.result()
                    else:
                        getter.cancel()
                partials = task.result()
                relevant = [p for p in partials if NOTHING not in p[:40].upper()]
                if options.focus and not relevant:
                    yield self._done(self._nothing_on(options.focus), pages, coverage)
                    return
                partials = await self._reduce_rounds(relevant or partials, values)
                template, material = "summarize_reduce", "\n\n".join(partials)
            async for event in self._final(template, values, material, pages, coverage, options):
                yield event
        except SchreibstubeError as exc:
            kept = partials or [r for r in results if r]
            yield SummaryEvent("error", {"kind": exc.kind, "message": exc.user_message,
                                         "partials": kept, "coverage": coverage.sentence()})

    async def _final(self, template: str, values: dict[str, Any], material: str,
                     pages: list[SourcePage], coverage: Coverage,
                     options: SummaryOptions) -> AsyncIterator[SummaryEvent]:
        yield SummaryEvent("progress", {"phase": "final", "done": 0, "total": 1})
        response = Response(self.model, self._prompt(template, values, material))
        async for delta in response:
            yield SummaryEvent("delta", {"text": delta})
        text = response.text.strip()
        if options.focus and text.upper().startswith(NOTHING):
            text = self._nothing_on(options.focus)
        yield self._done(text, pages, coverage)

    @staticmethod
    def _nothing_on(focus: str) -> str:
        return f"Das Dokument enthält keine Angaben zu „{focus}“."

    @staticmethod
    def _done(text: str, pages: list[SourcePage], coverage: Coverage) -> SummaryEvent:
        text = strip_invalid_markers(text, set(coverage.covered))
        cited = paragraph_refs(text, pages)
        by_ref = {p.ref: p for p in pages}
        paragraphs = [{"text": para, "pages": [{"document": r.document, "page": r.page, "ref": r.ref,
                                                "logical": by_ref[r.ref].logical} for r in refs]}
                      for para, refs in cited]
        sources = [{"ref": r, "document": by_ref[r].document, "page": by_ref[r].page,
                    "logical": by_ref[r].logical, "text": by_ref[r].text}
                   for r in sorted({x.ref for _, refs in cited for x in refs})]
        log.info("summary done pages=%d covered=%d chars=%d", coverage.total,
                 len(coverage.covered), len(text))
        return SummaryEvent("done", {"text": text, "coverage": coverage.sentence(),
                                     "pages_total": coverage.total,
                                     "pages_covered": len(coverage.covered),
                                     "paragraphs": paragraphs, "sources": sources})
