"""Pages, security headers, sanitised Markdown, locales."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schreibstube.web.markdown import render

LOCALES = Path(__file__).resolve().parents[2] / "schreibstube" / "web" / "locales"


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'pages.db'}"


def test_chat_page_has_strict_csp_and_labels(client: TestClient) -> None:
    response = client.get("/chat")
    csp = response.headers["content-security-policy"]
    assert response.status_code == 200 and "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert '<label for="message">Ihre Nachricht</label>' in response.text
    assert "<script>" not in response.text and 'lang="de"' in response.text


def test_english_locale_via_switch(client: TestClient) -> None:
    client.get("/lang/en")
    assert '<label for="message">Your message</label>' in client.get("/chat").text


def test_cross_origin_post_is_refused(client: TestClient) -> None:
    response = client.post("/chat-delete-all", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403


@pytest.mark.parametrize("markdown, absent, present", [
    ("<script>alert(1)</script>", "<script>", "&lt;script&gt;"),
    ("![x](https://tracker.example/p.png)", "<img", "x"),
    ("[Link](javascript:alert(1))", "href=\"javascript", "Link"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "<script", "<td>2</td>"),
    ("[BMI](https://www.bmi.bund.de)", "<img", 'rel="noopener noreferrer nofollow"'),
])
def test_markdown_is_sanitised(markdown: str, absent: str, present: str) -> None:
    html = render(markdown)
    assert absent not in html and present in html


def test_locales_have_the_same_keys() -> None:
    de = json.loads((LOCALES / "de.json").read_text())
    en = json.loads((LOCALES / "en.json").read_text())
    assert de.keys() == en.keys()


def test_unknown_conversation_page_is_a_german_404(client: TestClient) -> None:
    response = client.get("/chat/" + "0" * 32)
    assert response.status_code == 404 and "nicht gefunden" in response.text


def test_unknown_addresses_get_the_german_error_page_or_json(client: TestClient) -> None:
    page = client.get("/gibt-es-nicht")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "Diese Seite gibt es nicht" in page.text
    api = client.get("/api/v1/gibt-es-nicht")
    assert api.status_code == 404 and api.json()["error"]["kind"] == "not_found"
    assert client.put("/api/v1/conversations").status_code == 405
