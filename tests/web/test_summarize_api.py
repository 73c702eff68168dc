"""Zusammenfassen over the API with real documents from ../shared/data and the scripted model."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schreibstube.llm.scripted import ScriptedModel


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 's.db'}"


def summarize(client: TestClient, files: list[tuple[str, bytes]], **form: str) -> list[tuple[str, dict]]:
    multipart = [("files", (name, data, "application/octet-stream")) for name, data in files]
    events, kind = [], None
    with client.stream("POST", "/api/v1/summaries", files=multipart or None,
                       data={"length": "kurz", **form}) as response:
        assert response.status_code == 200, response.read()
        for line in response.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    return events


def test_pdf_summary_states_full_coverage(client: TestClient, model: ScriptedModel,
                                          shared_data: Path) -> None:
    model.responder = lambda p: "Das IFG gibt jeder Person Zugang zu amtlichen Informationen. [S. 1]"
    events = summarize(client, [("ifg.pdf", (shared_data / "formats/ifg.pdf").read_bytes())])
    kind, done = events[-1]
    assert kind == "done" and done["coverage"] == "5 von 5 Seiten berücksichtigt."
    assert done["paragraphs"][0]["pages"][0] == {"document": "ifg.pdf", "page": 1, "ref": 1, "logical": False}
    assert "Zugang zu amtlichen Informationen" in model.prompts[0].messages[0].content
    assert "=== [S. 5] ifg.pdf, S. 5 ===" in "".join(p.messages[0].content for p in model.prompts)


def test_broken_file_is_named_and_others_go_on(client: TestClient, model: ScriptedModel,
                                               shared_data: Path) -> None:
    model.enqueue("Zusammenfassung des eingefügten Textes. [S. 1]")
    locked = (shared_data / "formats/ifg-passwortgeschuetzt.pdf").read_bytes()
    events = summarize(client, [("Geschütztes Dokument.pdf", locked)], text="Ein kurzer Vermerk.")
    errors = [d for k, d in events if k == "file_error"]
    assert len(errors) == 1 and "passwortgeschützt" in errors[0]["message"]
    assert errors[0]["file"] == "Geschütztes Dokument.pdf" and events[-1][0] == "done"


def test_nothing_readable_ends_in_a_german_error(client: TestClient, shared_data: Path) -> None:
    locked = (shared_data / "formats/ifg-passwortgeschuetzt.pdf").read_bytes()
    kind, data = summarize(client, [("a.pdf", locked)])[-1]
    assert kind == "error" and "Keine der Dateien konnte gelesen werden" in data["message"]


def test_nfd_file_names_are_shown_in_nfc(client: TestClient) -> None:
    nfd = unicodedata.normalize("NFD", "Bußgeldbescheid Müller.xyz")
    errors = [d for k, d in summarize(client, [(nfd, b"\x00\x01binary")]) if k == "file_error"]
    assert errors and "Bußgeldbescheid Müller.xyz" in errors[0]["message"]


def test_oversized_upload_is_refused_before_reading(client: TestClient) -> None:
    limit = client.app.state.ctx.settings.max_upload_bytes  # type: ignore[attr-defined]
    response = client.post("/api/v1/summaries", files=[("files", ("gross.pdf", b"x" * (limit + 1)))])
    assert response.status_code == 413 and "zu groß" in response.json()["error"]["message"]


def test_summary_page_has_labelled_controls(client: TestClient) -> None:
    html = client.get("/zusammenfassen").text
    for label in ['for="files"', 'for="text"', 'for="focus"', 'for="style"']:
        assert label in html
