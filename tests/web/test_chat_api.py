"""Chat over the JSON API on the real app and a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from schreibstube.errors import StreamInterrupted
from schreibstube.llm.scripted import CutOff, ScriptedModel


def sse_events(client: TestClient, conv_id: str, text: str) -> list[tuple[str, dict]]:
    events = []
    with client.stream("POST", f"/api/v1/conversations/{conv_id}/messages",
                       json={"content": text}) as response:
        assert response.status_code == 200
        assert response.headers["x-accel-buffering"] == "no"
        kind = None
        for line in response.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    return events


def new_conversation(client: TestClient) -> str:
    response = client.post("/api/v1/conversations", json={})
    assert response.status_code == 201
    return response.json()["id"]


def test_streamed_answer_is_stored(client: TestClient, model: ScriptedModel) -> None:
    model.enqueue("Ein **Verwaltungsakt** ist eine Regelung.")
    conv = new_conversation(client)
    events = sse_events(client, conv, "Was ist ein Verwaltungsakt?")
    kinds = [k for k, _ in events]
    assert kinds[0] == "meta" and kinds[-1] == "done" and kinds.count("delta") > 3
    assert "<strong>Verwaltungsakt</strong>" in events[-1][1]["html"]
    messages = client.get(f"/api/v1/conversations/{conv}").json()["messages"]
    assert [(m["role"], m["status"]) for m in messages] == [("user", "complete"),
                                                            ("assistant", "complete")]
    assert messages[1]["ai_generated"] and messages[1]["content"].startswith("Ein **Verw")


def test_history_is_sent_to_the_model(client: TestClient, model: ScriptedModel) -> None:
    model.enqueue("Erste Antwort.", "Zweite Antwort.")
    conv = new_conversation(client)
    sse_events(client, conv, "Erste Frage")
    sse_events(client, conv, "Zweite Frage")
    sent = [m.content for m in model.prompts[-1].messages if m.role != "system"]
    assert sent == ["Erste Frage", "Erste Antwort.", "Zweite Frage"]


def test_broken_stream_keeps_partial_answer(client: TestClient, model: ScriptedModel) -> None:
    model.enqueue(("Der Anfang der Antwort", StreamInterrupted()))
    conv = new_conversation(client)
    kind, data = sse_events(client, conv, "Frage")[-1]
    assert kind == "error" and data["kind"] == "upstream_stream_interrupted"
    assert "gespeichert" in data["message"] and data["partial"] == "Der Anfang der Antwort"
    stored = client.get(f"/api/v1/conversations/{conv}").json()["messages"][-1]
    assert stored["status"] == "incomplete" and stored["content"] == "Der Anfang der Antwort"


def test_answer_cut_at_the_output_limit_is_stored_as_incomplete(client: TestClient,
                                                                 model: ScriptedModel) -> None:
    model.enqueue(CutOff("Ein Verwaltungsakt ist jede Verfügung, die"))
    conv = new_conversation(client)
    kind, data = sse_events(client, conv, "Was ist ein Verwaltungsakt?")[-1]
    assert kind == "done" and data["status"] == "incomplete" and "abgeschnitten" in data["note"]
    stored = client.get(f"/api/v1/conversations/{conv}").json()["messages"][-1]
    assert stored["status"] == "incomplete" and stored["content"].endswith("die")
    assert "abgeschnitten" in stored["error"]


def test_non_streaming_json_answer(client: TestClient, model: ScriptedModel) -> None:
    model.enqueue("Kurz gesagt: ja.")
    conv = new_conversation(client)
    response = client.post(f"/api/v1/conversations/{conv}/messages",
                           json={"content": "Frage?", "stream": False})
    assert response.status_code == 200
    assert response.json()["content"] == "Kurz gesagt: ja."


def test_rename_list_and_delete(client: TestClient) -> None:
    conv, other = new_conversation(client), new_conversation(client)
    assert client.patch(f"/api/v1/conversations/{conv}", json={"title": "Bauantrag"}).status_code == 204
    titles = {c["id"]: c["title"] for c in client.get("/api/v1/conversations").json()}
    assert titles[conv] == "Bauantrag" and other in titles
    assert client.delete(f"/api/v1/conversations/{conv}").status_code == 204
    assert client.get(f"/api/v1/conversations/{conv}").status_code == 404
    assert client.delete("/api/v1/conversations").json() == {"deleted": 1}
    assert client.get("/api/v1/conversations").json() == []


def test_unknown_model_and_empty_message_are_refused(client: TestClient) -> None:
    conv = new_conversation(client)
    url = f"/api/v1/conversations/{conv}/messages"
    bad_model = client.post(url, json={"content": "Hallo", "model": "gibt-es-nicht"})
    assert bad_model.status_code == 404 and "nicht konfiguriert" in bad_model.json()["error"]["message"]
    empty = client.post(url, json={"content": "   "})
    assert empty.status_code == 422 and "Nachricht" in empty.json()["error"]["message"]
