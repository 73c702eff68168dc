"""Summaries on a scripted model: direct path, map-reduce order, coverage, focus, failures."""

from __future__ import annotations

import asyncio
import re

import pytest

from schreibstube.assistants.prompts import PromptLibrary
from schreibstube.assistants.summarize.options import SummaryOptions
from schreibstube.assistants.summarize.service import Summarizer, SummaryEvent
from schreibstube.assistants.summarize.sources import SourcePage, source_pages
from schreibstube.documents.model import Document, Page
from schreibstube.errors import InvalidInput, UpstreamUnavailable
from schreibstube.llm.base import Prompt
from schreibstube.llm.scripted import ScriptedModel
from schreibstube.testing import scripted_model


def doc(*texts: str, name: str = "akte.pdf") -> list[SourcePage]:
    return source_pages([Document(name, "application/pdf",
                                  [Page(i + 1, t) for i, t in enumerate(texts)])])


def first_ref(prompt: Prompt) -> str:
    return re.search(r"\[S\. (\d+)\]", prompt.messages[-1].content).group(1)  # type: ignore[union-attr]


def run(model: ScriptedModel, pages: list[SourcePage], **opts: object) -> list[SummaryEvent]:
    summarizer = Summarizer(model, PromptLibrary(), concurrency=3)

    async def go() -> list[SummaryEvent]:
        return [e async for e in summarizer.run(pages, SummaryOptions(**opts))]  # type: ignore[arg-type]

    return asyncio.run(go())


def long_pages(n: int) -> list[SourcePage]:
    return doc(*[f"§ {i} Abschnitt {i}. " + "Die Behörde prüft den Antrag sorgfältig. " * 40
                 for i in range(1, n + 1)])


def test_short_material_is_summarised_in_one_streamed_call() -> None:
    model = ScriptedModel(scripted_model(), ["Die Akte regelt Fristen. [S. 1] Und Gebühren. [S. 2]"])
    events = run(model, doc("Fristen …", "Gebühren …"))
    done = events[-1].data
    assert len(model.prompts) == 1 and [e.kind for e in events].count("delta") > 3
    assert done["coverage"] == "2 von 2 Seiten berücksichtigt."
    assert done["paragraphs"][0]["pages"] == [{"document": "akte.pdf", "page": 1, "ref": 1, "logical": False},
                                              {"document": "akte.pdf", "page": 2, "ref": 2, "logical": False}]
    assert [s["text"] for s in done["sources"]] == ["Fristen …", "Gebühren …"]


def test_map_reduce_keeps_document_order_when_calls_finish_out_of_order() -> None:
    model = ScriptedModel(scripted_model(context_length=1500, max_output_tokens=300),
                          responder=lambda p: f"Teil ab Seite {first_ref(p)} [S. {first_ref(p)}]",
                          delay_for=lambda p: 0.05 if "Teil 1 " in p.messages[-1].content else 0.0)
    events = run(model, long_pages(8))
    reduce_prompt = model.prompts[-1].messages[-1].content
    order = [int(n) for n in re.findall(r"Teil ab Seite (\d+)", reduce_prompt)]
    assert len(order) > 2 and order == sorted(order)
    assert events[-1].data["coverage"] == "8 von 8 Seiten berücksichtigt."
    assert any(e.kind == "progress" and e.data["phase"] == "map" for e in events)


def test_pages_without_text_are_named_in_the_coverage() -> None:
    model = ScriptedModel(scripted_model(), ["Zusammenfassung [S. 1]"])
    done = run(model, doc("Text", "   ", "Mehr Text", name="scan.pdf"))[-1].data
    assert done["coverage"] == ("2 von 3 Seiten berücksichtigt (ohne lesbaren Text: scan.pdf, S. 2).")


def test_focus_without_matches_says_so_plainly() -> None:
    model = ScriptedModel(scripted_model(context_length=1500, max_output_tokens=300),
                          responder=lambda p: "KEINE ANGABEN")
    done = run(model, long_pages(4), focus="Datenschutz")[-1].data
    assert done["text"] == "Das Dokument enthält keine Angaben zu „Datenschutz“."
    assert all("Schwerpunkt: Datenschutz" in p.messages[-1].content for p in model.prompts)


def test_failed_part_keeps_finished_parts() -> None:
    model = ScriptedModel(scripted_model(context_length=1500, max_output_tokens=300, max_retries=0),
                          ["Teil eins [S. 1]", UpstreamUnavailable(), "Teil drei", "Teil vier"])
    error = run(model, long_pages(4))[-1]
    assert error.kind == "error" and "nicht erreichbar" in error.data["message"]
    assert "Teil eins [S. 1]" in error.data["partials"]


def test_invented_page_numbers_are_removed() -> None:
    model = ScriptedModel(scripted_model(), ["Aussage. [S. 1, 99]\n\nErfunden. [S. 42]"])
    done = run(model, doc("Seite eins"))[-1].data
    assert done["text"] == "Aussage. [S. 1]\n\nErfunden."


@pytest.mark.parametrize("opts", [{"length": "lang"}, {"style": "poetisch"}, {"words": 5}])
def test_invalid_options_are_refused_in_german(opts: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        SummaryOptions(**opts)  # type: ignore[arg-type]


def test_pasted_text_is_counted_in_sections_not_pages() -> None:
    from schreibstube.assistants.summarize.sources import pasted_text, source_pages

    model = ScriptedModel(scripted_model(), ["Kurz gesagt: Fristen. [S. 1]"])
    pages = source_pages([pasted_text("Die Frist beträgt einen Monat.\n\nSie beginnt mit Zugang.")])
    done = run(model, pages)[-1].data
    assert done["coverage"] == "1 von 1 Abschnitten berücksichtigt."
    assert done["paragraphs"][0]["pages"][0]["logical"] is True
