"""The Formulieren page: labelled controls, strict CSP, and forms that work without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schreibstube.assistants.drafting import DRAFT_LABEL
from schreibstube.llm.scripted import ScriptedModel

FORM = {"text_type": "brief", "notes": "Antrag eingegangen, Bearbeitung dauert 4 Wochen",
        "recipient": "Herr Dr. Meier", "salutation": "auto", "register": "buergernah", "length": "kurz",
        "gender": "paarform_neutral", "source_text": "", "sender": "Jonas Weber", "model": "scripted"}


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'pages.db'}"


def test_page_has_labelled_controls_and_no_inline_code(client: TestClient) -> None:
    response = client.get("/formulieren")
    assert response.status_code == 200 and "unsafe-inline" not in response.headers["content-security-policy"]
    for control in ("text_type", "notes", "recipient", "salutation", "register", "length", "source_text"):
        assert f'<label for="{control}"' in response.text and f'id="{control}"' in response.text
    assert 'href="/formulieren" aria-current="page"' in response.text
    assert "<script>" not in response.text and " style=" not in response.text
    assert not re.search(r"\son[a-z]+=", response.text)


def test_english_locale(client: TestClient) -> None:
    client.get("/lang/en")
    assert ">Create draft</button>" in client.get("/formulieren").text


def test_form_post_without_javascript_creates_and_revises(client: TestClient, model: ScriptedModel) -> None:
    model.enqueue("# Ihr Antrag\n\nWir bearbeiten Ihren Antrag.", "# Ihr Antrag\n\nIn Bearbeitung.")
    created = client.post("/formulieren", data=FORM, follow_redirects=False)
    assert created.status_code == 303
    page = client.get(created.headers["location"]).text
    assert DRAFT_LABEL in page and "Sehr geehrter Herr Dr. Meier," in page and "Jonas Weber" in page
    revise_url = created.headers["location"].split("?")[0] + "/ueberarbeiten"
    revised = client.post(revise_url, data={"preset": "foermlicher", "version": "1"}, follow_redirects=False)
    assert revised.headers["location"].endswith("?version=2#ergebnis")
    assert "Version 2 · Förmlicher" in client.get(revised.headers["location"]).text


def test_delete_via_form(client: TestClient, model: ScriptedModel) -> None:
    location = client.post("/formulieren", data=FORM, follow_redirects=False).headers["location"]
    draft_url = location.split("?")[0]
    assert client.post(draft_url + "/loeschen", follow_redirects=False).status_code == 303
    assert client.get(draft_url).status_code == 404
