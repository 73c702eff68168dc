"""Zusammenfassen in a real browser: upload a real PDF, see progress, coverage and sources."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from schreibstube.llm.scripted import ScriptedModel

from .conftest import screenshot  # type: ignore[import-not-found]


def test_upload_pdf_and_read_summary_with_sources(page: Page, base_url: str, model: ScriptedModel,
                                                  shared_data: Path) -> None:
    model.responder = lambda p: ("Jede Person hat Anspruch auf Zugang zu amtlichen Informationen. [S. 1]\n\n"
                                 "Gebühren werden erhoben. [S. 5]")
    page.goto(f"{base_url}/zusammenfassen")
    page.get_by_label("Dokumente (PDF, DOCX, ODT, HTML, TXT, E-Mail)").set_input_files(
        str(shared_data / "formats/ifg.pdf"))
    page.get_by_label("kurz").check()
    page.get_by_role("button", name="Zusammenfassen").click()
    expect(page.locator("#coverage")).to_have_text("5 von 5 Seiten berücksichtigt.", timeout=30000)
    expect(page.locator("#summary")).to_contain_text("Zugang zu amtlichen Informationen")
    page.get_by_role("link", name="ifg.pdf S. 5").click()
    expect(page.locator("#quelle-5")).to_have_attribute("open", "")
    expect(page.locator("#announcer")).to_contain_text("Zusammenfassung fertig")
    screenshot(page, "summarize")


def test_encrypted_pdf_shows_german_error(page: Page, base_url: str, shared_data: Path) -> None:
    page.goto(f"{base_url}/zusammenfassen")
    page.locator("#files").set_input_files(str(shared_data / "formats/ifg-passwortgeschuetzt.pdf"))
    page.get_by_role("button", name="Zusammenfassen").click()
    expect(page.locator("#file-errors")).to_contain_text("passwortgeschützt", timeout=30000)
