"""Recherchieren in a real browser: create a collection, upload, ask, open the cited page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from schreibstube.llm.base import Prompt
from schreibstube.llm.scripted import ScriptedModel

from .conftest import screenshot  # type: ignore[import-not-found]


def quoting(prompt: Prompt) -> str:
    text = prompt.messages[-1].content
    for pid, body in re.findall(r'<quelle id="(Q\d+)"[^>]*>\n(.*?)\n</quelle>', text, re.S):
        m = re.search(r"Ein Verwaltungsakt ist nichtig, soweit er an einem besonders\s+schwerwiegenden",
                      body)
        if m:
            return f'Nichtig bei besonders schwerwiegenden Fehlern [{pid}: "{m.group(0)}"].'
    return "NICHT BEANTWORTBAR"


def test_ask_collection_and_open_cited_page(page: Page, base_url: str, model: ScriptedModel,
                                            shared_data: Path) -> None:
    model.responder = quoting
    page.goto(f"{base_url}/recherchieren")
    page.get_by_label("Neue Sammlung").fill("Verwaltungsrecht")
    page.get_by_role("button", name="Anlegen").click()
    page.get_by_label("Dokumente hinzufügen").set_input_files(str(shared_data / "formats/vwvfg.pdf"))
    page.get_by_role("button", name="Hochladen").first.click()
    expect(page.locator(".doc.status-ready")).to_contain_text("bereit – 47 Seiten", timeout=90000)
    page.get_by_label("Ihre Frage").fill("Wann ist ein Verwaltungsakt nichtig?")
    page.get_by_role("button", name="Fragen").click()
    expect(page.locator("#citations .badge.ok")).to_have_text("Zitat geprüft", timeout=20000)
    expect(page.locator("#passages li").first).to_be_visible()
    screenshot(page, "research")
    page.locator("#citations a").first.click()
    expect(page.locator("mark#zitat")).to_contain_text("Ein Verwaltungsakt ist nichtig")
    expect(page.locator("h1")).to_contain_text("S. 24 von 47")
    screenshot(page, "research-page")
