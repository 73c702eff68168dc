"""Formulieren over the JSON API: real app, real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient
from odf import teletype, text
from odf.opendocument import load

from schreibstube.assistants.drafting import DRAFT_LABEL
from schreibstube.llm.scripted import ScriptedModel

EMAIL = {"text_type": "email", "recipient": "Frau Schulz", "register": "buergernah",
         "notes": "Termin Montag 10 Uhr bestätigen, Unterlagen mitbringen"}
ANSWER = ("# Ihr Termin: Bestätigung für Montag\n\nSehr geehrte Frau Schulz,\n\nwir bestätigen Ihren "
          "Termin am Montag um 10 Uhr.\n\n- Bitte bringen Sie Ihre Unterlagen mit.\n\n"
          "Mit freundlichen Grüßen\n[Name]")


def sse(client: TestClient, url: str, body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    events, kind = [], None
    with client.stream("POST", url, json=body) as response:
        assert response.status_code == 200 and response.headers["x-accel-buffering"] == "no"
        for line in response.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    return events


def create(client: TestClient, body: dict[str, Any] = EMAIL) -> dict[str, Any]:
    response = client.post("/api/v1/drafts", json={**body, "stream": False})
    assert response.status_code == 201, response.text
    return response.json()


def test_streamed_draft_ends_with_the_labelled_version(client: TestClient, model: ScriptedModel) -> None:
    model.enqueue(ANSWER)
    events = sse(client, "/api/v1/drafts", EMAIL)
    kinds = [k for k, _ in events]
    assert kinds[0] == "meta" and kinds[-1] == "done" and kinds.count("delta") > 5
    done = events[-1][1]
    assert done["labels"] == [DRAFT_LABEL] and done["ai_generated"] and done["number"] == 1
    assert "<li>Bitte bringen Sie Ihre Unterlagen mit.</li>" in done["html"]
    assert "Amstad" in done["readability"]["summary"]
    stored = client.get(f"/api/v1/drafts/{done['draft_id']}").json()
    assert stored["title"] == "Ihr Termin: Bestätigung für Montag" and len(stored["versions"]) == 1


def test_revision_keeps_earlier_versions(client: TestClient, model: ScriptedModel) -> None:
    model.enqueue(ANSWER, "# Termin Montag\n\nTermin Montag, 10 Uhr. Unterlagen mitbringen.")
    first = create(client)
    events = sse(client, f"/api/v1/drafts/{first['draft_id']}/revisions", {"instruction": "kuerzer"})
    assert events[-1][0] == "done" and events[-1][1]["instruction_label"] == "Kürzer"
    versions = client.get(f"/api/v1/drafts/{first['draft_id']}/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[0]["text"] == first["text"] and versions[1]["title"] == "Termin Montag"


@pytest.mark.parametrize("fmt, media_type", [
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("md", "text/markdown; charset=utf-8"),
])
def test_export_downloads(client: TestClient, model: ScriptedModel, fmt: str, media_type: str) -> None:
    model.enqueue(ANSWER)
    draft = create(client)
    response = client.get(f"/api/v1/drafts/{draft['draft_id']}/versions/1/export?format={fmt}")
    assert response.status_code == 200 and response.headers["content-type"] == media_type
    assert response.headers["content-disposition"] == (
        f'attachment; filename="Entwurf-Ihr-Termin-Bestaetigung-fuer-Montag.{fmt}"; '
        f"filename*=UTF-8''Entwurf-Ihr-Termin-Best%C3%A4tigung-f%C3%BCr-Montag.{fmt}")
    lines = exported_lines(fmt, response.content)
    assert lines[0] == DRAFT_LABEL and "Sehr geehrte Frau Schulz," in lines
    assert any("Mit freundlichen Grüßen" in line for line in lines)


def exported_lines(fmt: str, content: bytes) -> list[str]:
    if fmt == "docx":
        return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]
    if fmt == "odt":
        document = load(io.BytesIO(content))
        return [teletype.extractText(p) for p in document.getElementsByType(text.P)]
    return [line.strip("> *") for line in content.decode().splitlines() if line.strip("> ")]


def test_options_list_text_types_registers_and_presets(client: TestClient) -> None:
    options = client.get("/api/v1/drafting/options").json()
    assert {"email", "brief", "vermerk"} <= {t["id"] for t in options["text_types"]}
    assert [r["id"] for r in options["registers"]] == ["fachsprache", "buergernah", "einfache_sprache",
                                                      "leichte_sprache"]
    assert [r["label"] for r in options["revisions"]] == ["Kürzer", "Förmlicher", "Einfacher"]


@pytest.mark.parametrize("body, status, message", [
    ({**EMAIL, "text_type": "gedicht"}, 422, "Unbekannte Textart"),
    ({**EMAIL, "notes": " "}, 422, "Stichpunkte"),
    ({**EMAIL, "register": "jugendsprache"}, 422, "Sprachebene"),
    ({**EMAIL, "model": "gibt-es-nicht"}, 404, "nicht konfiguriert"),
])
def test_bad_requests_are_refused_in_german(client: TestClient, body: dict[str, Any], status: int,
                                            message: str) -> None:
    response = client.post("/api/v1/drafts", json=body)
    assert response.status_code == status and message in response.json()["error"]["message"]
    assert client.get("/api/v1/drafts").json() == []


def test_list_delete_and_no_internal_ids(client: TestClient) -> None:
    first, second = create(client), create(client)
    listed = client.get("/api/v1/drafts")
    assert len(listed.json()) == 2 and "tenant" not in listed.text
    assert "tenant" not in client.get(f"/api/v1/drafts/{first['draft_id']}").text
    assert client.delete(f"/api/v1/drafts/{first['draft_id']}").status_code == 204
    assert client.get(f"/api/v1/drafts/{first['draft_id']}/versions/1").status_code == 404
    assert client.delete("/api/v1/drafts").json() == {"deleted": 1}
    assert client.get(f"/api/v1/drafts/{second['draft_id']}").status_code == 404


def test_logs_hold_no_content(client: TestClient, model: ScriptedModel,
                              caplog: pytest.LogCaptureFixture) -> None:
    model.enqueue("ENTWURF-GEHEIM-4711", "KURZ-GEHEIM-0815")
    caplog.set_level(logging.DEBUG)
    draft = create(client, {**EMAIL, "notes": "NOTIZ-GEHEIM-1234", "source_text": "QUELLE-GEHEIM"})
    client.post(f"/api/v1/drafts/{draft['draft_id']}/revisions", json={"instruction": "FREI-GEHEIM"})
    assert "draft version draft=" in caplog.text and "GEHEIM" not in caplog.text
