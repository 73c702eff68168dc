"""The Formulieren page in a real browser: fill the form, watch the draft stream, revise it,
use a stored template."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from schreibstube.assistants import draft_templates
from schreibstube.assistants.drafting import DRAFT_LABEL
from schreibstube.context import AppContext
from schreibstube.llm.scripted import ScriptedModel
from schreibstube.tenants.local import local_user

from .conftest import screenshot  # type: ignore[import-not-found]

FIRST = ("# Bestätigung Ihres Termins am Montag\n\nSehr geehrte Frau Schulz,\n\nhiermit bestätigen wir "
         "Ihren Termin am **Montag um 10 Uhr** im Bürgerbüro, Zimmer 12.\n\nBitte bringen Sie mit:\n\n"
         "- Ihren Personalausweis\n- die Unterlagen zu Ihrem Antrag\n\nSollten Sie den Termin nicht "
         "wahrnehmen können, sagen Sie ihn bitte ab.\n\nMit freundlichen Grüßen\n[Name]")
SHORTER = ("# Ihr Termin am Montag\n\nSehr geehrte Frau Schulz,\n\nIhr Termin ist am **Montag um 10 Uhr**. "
           "Bitte bringen Sie Ausweis und Antragsunterlagen mit.\n\nMit freundlichen Grüßen\n[Name]")


def test_draft_streams_and_revision_adds_version_two(page: Page, base_url: str, model: ScriptedModel) -> None:
    model.delay_s = 0.02
    model.enqueue(FIRST, SHORTER)
    page.goto(f"{base_url}/formulieren")
    page.get_by_label("Textart").select_option(label="E-Mail")
    page.get_by_label("Sprachebene").select_option(label="Bürgernah")
    page.get_by_label("Empfängerin oder Empfänger").fill("Frau Schulz")
    notes = page.get_by_label("Stichpunkte und Notizen")
    notes.fill("Termin Montag 10 Uhr bestätigen, Unterlagen mitbringen")
    page.get_by_role("button", name="Entwurf erstellen").click()
    result = page.locator("#ergebnis")
    expect(result.locator(".draft-title")).to_have_text("Bestätigung Ihres Termins am Montag", timeout=15000)
    expect(result.locator(".draft-label")).to_have_text(DRAFT_LABEL)
    expect(result.locator("#draft-content li")).to_have_count(2)
    expect(page.locator("#announcer")).to_contain_text("Der Entwurf ist fertig.")
    expect(page.locator("#amstad-after")).to_contain_text(re.compile(r"\d+,\d \("))
    expect(page).to_have_url(re.compile(r"/formulieren/[0-9a-f]{32}\?version=1$"))
    page.get_by_role("button", name="Kürzer").click()
    expect(result.locator("#result-version")).to_have_text("Version 2 · Kürzer", timeout=15000)
    expect(page.locator("#version-list li")).to_have_count(2)
    expect(page.locator("#version-list a[aria-current='true']")).to_have_text("Version 2 · Kürzer")
    expect(result.locator(".draft-title")).to_have_text("Ihr Termin am Montag")
    expect(page.locator("#readability-basis")).to_have_text("vorige Version")
    odt_link = re.compile(r"/versions/2/export\?format=odt$")
    expect(page.locator("#download-odt")).to_have_attribute("href", odt_link)
    expect(page.locator("#draft-list a[aria-current='page']")).to_contain_text("Ihr Termin am Montag")
    screenshot(page, "formulieren")


def test_copy_button_and_keyboard_only_use(page: Page, base_url: str, model: ScriptedModel) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    model.enqueue("# Vermerk Schulhof\n\nDer Schulhof wird saniert.")
    page.goto(f"{base_url}/formulieren")
    page.get_by_label("Textart").select_option("vermerk")
    expect(page.get_by_label("Anrede")).to_be_hidden()
    page.get_by_label("Stichpunkte und Notizen").focus()
    page.keyboard.type("Schulhof sanieren")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".draft-title")).to_have_text("Vermerk Schulhof", timeout=15000)
    page.get_by_role("button", name="Text kopieren").press("Enter")
    expect(page.locator("#copy-status")).to_have_text("Der Entwurf wurde in die Zwischenablage kopiert.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(DRAFT_LABEL) and "Der Schulhof wird saniert." in copied


def test_request_error_is_an_alert(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/formulieren")
    page.get_by_role("button", name="Entwurf erstellen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte geben Sie Stichpunkte")
    expect(page.locator("#ergebnis")).to_be_hidden()


def test_stored_template_gets_variable_fields_and_a_draft(page: Page, base_url: str, ctx: AppContext,
                                                         model: ScriptedModel) -> None:
    saved = draft_templates.save(ctx, local_user(ctx), "Eingangsbestätigung",
                                 "Ihr Antrag vom {{ datum_antrag }}, Az. {{ aktenzeichen }}, ist da.",
                                 text_type="brief", shared=True)
    model.enqueue("# Eingangsbestätigung\n\nIhr Antrag ist bei uns eingegangen.")
    page.goto(f"{base_url}/formulieren")
    page.get_by_label("Vorlage", exact=True).select_option(label="Eingangsbestätigung (Brief / Anschreiben)")
    expect(page.get_by_label("Textart")).to_have_value("brief")
    expect(page.locator("#template-variables legend")).to_have_text("Angaben für die Vorlage")
    page.get_by_label("Aktenzeichen").fill("61-17/2026")
    page.get_by_role("button", name="Entwurf erstellen").click()
    expect(page.get_by_role("alert")).to_have_count(0)  # the browser asks for the missing field
    expect(page.get_by_label("Datum antrag")).to_be_focused()
    page.keyboard.type("3. März 2026")
    page.keyboard.press("Enter")
    expect(page.locator(".draft-title")).to_have_text("Eingangsbestätigung", timeout=15000)
    assert "Ihr Antrag vom 3. März 2026, Az. 61-17/2026, ist da." in model.prompts[-1].messages[-1].content
    expect(page.get_by_label("Vorlage", exact=True)).to_have_value(saved.id)
