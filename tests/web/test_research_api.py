"""Recherchieren end to end on the real app: upload the real VwVfG PDF into a collection, let the
background worker index it, ask with a model that quotes, verify citations, delete everything."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from schreibstube.llm.base import Prompt
from schreibstube.llm.scripted import ScriptedModel
from schreibstube.storage.tables import Chunk, DocumentFile, DocumentPage


def quoting(prompt: Prompt) -> str:
    """A model that answers from the passage holding § 44 with a verbatim (multi-line) quote."""
    text = prompt.messages[-1].content
    for pid, body in re.findall(r'<quelle id="(Q\d+)"[^>]*>\n(.*?)\n</quelle>', text, re.S):
        m = re.search(r"Ein Verwaltungsakt ist nichtig, soweit er an einem besonders\s+schwerwiegenden",
                      body)
        if m:
            return f'Er ist nichtig bei besonders schwerwiegenden Fehlern [{pid}: "{m.group(0)}"].'
    return "NICHT BEANTWORTBAR"


def wait_ready(client: TestClient, cid: str) -> list[dict]:
    for _ in range(600):
        docs = client.get(f"/api/v1/collections/{cid}/documents").json()
        if docs and all(d["status"] in ("ready", "failed") for d in docs):
            return docs
        time.sleep(0.1)
    pytest.fail("document not processed in time")


def ask(client: TestClient, cid: str, question: str) -> dict:
    response = client.post("/api/v1/questions", json={"question": question, "collections": [cid],
                                                       "stream": False})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def collection(client: TestClient, shared_data: Path) -> tuple[str, dict]:
    cid = client.post("/api/v1/collections", json={"name": "VwVfG"}).json()["id"]
    pdf = (shared_data / "formats/vwvfg.pdf").read_bytes()
    client.post(f"/api/v1/collections/{cid}/documents", files=[("files", ("vwvfg.pdf", pdf))])
    (doc,) = wait_ready(client, cid)
    return cid, doc


def test_indexed_document_shows_pages_and_chunks(collection: tuple[str, dict]) -> None:
    _, doc = collection
    assert doc["status"] == "ready" and doc["pages"] == 47 and doc["chunks"] > 47


def test_answer_cites_page_of_section_44_with_verified_quote(
        client: TestClient, model: ScriptedModel, collection: tuple[str, dict]) -> None:
    model.responder = quoting
    result = ask(client, collection[0], "Wann ist ein Verwaltungsakt nichtig?")
    (citation,) = result["citations"]
    assert citation["verified"] and citation["document"] == "vwvfg.pdf" and citation["page"] == 24
    assert citation["logical"] is False and citation["part"] == ""
    assert not result["refused"] and "[1]" in result["answer"]
    assert any(p["page_start"] <= 24 <= p["page_end"] for p in result["passages"])


def test_sections_of_page_less_formats_are_not_called_pages(
        client: TestClient, model: ScriptedModel, collection: tuple[str, dict], shared_data: Path) -> None:
    """A PDF's numbers are printed pages; an e-mail's (and its text attachments') are
    ~3000-character sections, and the answer says so (decisions/010)."""
    cid, _ = collection
    mail = (shared_data / "formats/ifg-anfrage.eml").read_bytes()
    client.post(f"/api/v1/collections/{cid}/documents", files=[("files", ("ifg-anfrage.eml", mail))])
    wait_ready(client, cid)
    model.responder = quoting
    result = ask(client, cid, "Wann ist ein Verwaltungsakt nichtig? Informationsfreiheit Anfrage")
    kinds = {(p["document"].split(" › ")[0], p["logical"]) for p in result["passages"]}
    assert ("vwvfg.pdf", False) in kinds and ("ifg-anfrage.eml", True) in kinds
    mail_passage = next(p for p in result["passages"] if p["document"] == "ifg-anfrage.eml")
    page = client.get(f"/recherchieren/dokumente/{mail_passage['document_id']}/seiten/1")
    assert "Abschn. 1" in page.text and "S. 1" not in page.text


def test_invented_quote_is_flagged(client: TestClient, model: ScriptedModel,
                                   collection: tuple[str, dict]) -> None:
    model.responder = lambda p: 'Immer nichtig [Q1: "Ein Verwaltungsakt ist stets nichtig und ungültig"].'
    result = ask(client, collection[0], "Wann ist ein Verwaltungsakt nichtig?")
    assert [c["verified"] for c in result["citations"]] == [False] and result["unsupported"]


def test_unanswerable_question_gets_plain_refusal(client: TestClient, model: ScriptedModel,
                                                  collection: tuple[str, dict]) -> None:
    model.responder = lambda p: "NICHT BEANTWORTBAR"
    result = ask(client, collection[0], "Wie hoch ist die Hundesteuer in Magdeburg?")
    assert result["refused"] and result["answer"] == "Die Quellen beantworten diese Frage nicht."
    assert result["passages"]  # what was found is still shown


def test_deleting_the_document_removes_every_trace(client: TestClient, model: ScriptedModel,
                                                   collection: tuple[str, dict]) -> None:
    cid, doc = collection
    assert client.delete(f"/api/v1/documents/{doc['id']}").status_code == 204
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(DocumentPage)) == 0
        assert s.scalar(select(func.count()).select_from(Chunk)) == 0
        assert s.scalar(select(func.count()).select_from(DocumentFile)) == 0
    result = ask(client, cid, "Wann ist ein Verwaltungsakt nichtig?")
    assert result["passages"] == [] and result["refused"]


def test_streamed_answer_sends_passages_first(client: TestClient, model: ScriptedModel,
                                              collection: tuple[str, dict]) -> None:
    model.responder = quoting
    kinds = []
    with client.stream("POST", "/api/v1/questions", json={"question": "Wann ist ein Verwaltungsakt nichtig?",
                                                          "collections": [collection[0]]}) as r:
        kinds = [line[7:] for line in r.iter_lines() if line.startswith("event: ")]
    assert kinds[0] == "passages" and kinds[-1] == "done" and "delta" in kinds


def test_question_without_collection_says_what_is_missing(client: TestClient) -> None:
    response = client.post("/api/v1/questions", json={"question": "Frage?", "collections": [],
                                                       "stream": False})
    assert response.status_code == 422
    assert "mindestens eine Sammlung" in response.json()["error"]["message"]


def test_a_page_past_the_end_is_not_found(client: TestClient, collection: tuple[str, dict]) -> None:
    _, doc = collection
    response = client.get(f"/recherchieren/dokumente/{doc['id']}/seiten/999")
    assert response.status_code == 404 and "47 Seiten" in response.text
