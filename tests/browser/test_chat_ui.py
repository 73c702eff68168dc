"""The chat page in a real browser: send a message, watch the streamed answer arrive."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from schreibstube.llm.scripted import ScriptedModel

from .conftest import screenshot  # type: ignore[import-not-found]


def test_send_message_and_see_streamed_answer(page: Page, base_url: str, model: ScriptedModel) -> None:
    model.delay_s = 0.02
    model.enqueue("## Verwaltungsakt\n\nEine **hoheitliche** Maßnahme einer Behörde:\n\n"
                  "- Einzelfall\n- Außenwirkung\n\n<script>alert(1)</script>")
    page.goto(f"{base_url}/chat")
    page.get_by_label("Ihre Nachricht").fill("Was ist ein Verwaltungsakt?")
    page.get_by_role("button", name="Senden").click()
    answer = page.locator(".message.assistant").last
    expect(answer.locator("h2")).to_have_text("Verwaltungsakt", timeout=15000)
    expect(answer.locator(".ai-label")).to_contain_text("KI-generiert")
    expect(answer.locator("li")).to_have_count(2)
    assert answer.locator("script").count() == 0
    expect(page.locator("#announcer")).to_contain_text("Antwort des KI-Assistenten")
    expect(page).to_have_url(re.compile(r"/chat/[0-9a-f]{32}$"))
    current = page.locator(".sidebar a[aria-current=page]")  # listed at once, without a reload
    expect(current).to_have_text("Was ist ein Verwaltungsakt?")
    expect(page.locator("#chat-heading")).to_have_text("Was ist ein Verwaltungsakt?")
    expect(page).to_have_title(re.compile(r"^Was ist ein Verwaltungsakt\? – "))
    screenshot(page, "chat")


def test_keyboard_only_send_and_conversation_listed(page: Page, base_url: str,
                                                    model: ScriptedModel) -> None:
    model.enqueue("Antwort per Tastatur.")
    page.goto(f"{base_url}/chat")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.get_by_label("Ihre Nachricht").focus()
    page.keyboard.type("Frage per Tastatur")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".message.assistant .content").last).to_have_text(
        "Antwort per Tastatur.", timeout=15000)
    page.reload()
    expect(page.locator(".conv-list")).to_contain_text("Frage per Tastatur")
    expect(page.locator(".message.assistant .ai-label").last).to_contain_text("Skript")  # label, not id
