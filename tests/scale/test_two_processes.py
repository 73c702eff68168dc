"""Two app processes on one PostgreSQL: nothing a request needs may live in one process only.

The processes (see ``conftest.py``) share the database and nothing else: conversations,
streams, identities and the ingestion queue must work whichever process a request reaches.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text

from schreibstube.ingestion import queue
from schreibstube.storage.db import Database
from schreibstube.storage.tables import DocumentPage, StoredDocument, Tenant, User
from schreibstube.tenants import identity

from .conftest import TENANT, Server, headers

pytestmark = pytest.mark.postgres


def new_conversation(server: Server, user: str) -> str:
    response = httpx.post(server.url + "/api/v1/conversations", json={}, headers=headers(user))
    assert response.status_code == 201, server.tail()
    return str(response.json()["id"])


def chat(server: Server, user: str, conversation: str, content: str) -> list[tuple[str, dict]]:
    """Send a message and read the whole SSE answer: [(event, data), ...]."""
    events, kind = [], ""
    url = f"{server.url}/api/v1/conversations/{conversation}/messages"
    with httpx.stream("POST", url, json={"content": content}, headers=headers(user), timeout=30) as r:
        assert r.status_code == 200, server.tail()
        for line in r.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    return events


def test_both_processes_migrated_once_and_are_ready(servers: tuple[Server, Server], db: Database) -> None:
    with db.session() as s:
        versions = s.execute(text("SELECT version_num FROM alembic_version")).all()
    assert len(versions) == 1
    for server in servers:
        assert httpx.get(server.url + "/readyz", timeout=15).json()["ready"] is True


def test_conversation_from_a_is_listed_and_continued_on_b(servers: tuple[Server, Server]) -> None:
    a, b = servers
    conversation = new_conversation(a, "anna")
    listed = httpx.get(b.url + "/api/v1/conversations", headers=headers("anna")).json()
    assert conversation in [c["id"] for c in listed]
    events = chat(b, "anna", conversation, "Was ist ein Verwaltungsakt?")
    assert [e for e, _ in events][0] == "meta" and events[-1][0] == "done"
    stored = httpx.get(f"{a.url}/api/v1/conversations/{conversation}", headers=headers("anna")).json()
    assert [(m["role"], m["status"]) for m in stored["messages"]] == [("user", "complete"),
                                                                     ("assistant", "complete")]
    assert stored["messages"][1]["content"] == events[-1][1]["text"]


def test_streams_on_both_processes_at_once(servers: tuple[Server, Server]) -> None:
    a, b = servers
    jobs = [(a, new_conversation(b, "bernd")) for _ in range(6)]
    jobs += [(b, new_conversation(a, "bernd")) for _ in range(6)]
    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(lambda job: chat(job[0], "bernd", job[1], "Hallo"), jobs))
    assert all(events[-1][0] == "done" for events in results)
    for server in servers:
        listed = httpx.get(server.url + "/api/v1/conversations", headers=headers("bernd")).json()
        assert len(listed) == 12


def test_a_user_first_seen_by_both_processes_at_once_exists_once(
    servers: tuple[Server, Server], db: Database,
) -> None:
    names = [f"neu-{i}" for i in range(5)]
    calls = [(server, name) for name in names for server in servers for _ in range(3)]
    with ThreadPoolExecutor(len(calls)) as pool:
        codes = list(pool.map(lambda c: httpx.get(c[0].url + "/api/v1/conversations",
                                                  headers=headers(c[1])).status_code, calls))
    assert codes == [200] * len(calls)
    with db.session() as s:
        found = s.scalars(select(User.external_id).join(Tenant).where(Tenant.slug == TENANT,
                                                                      User.external_id.in_(names)))
        assert sorted(found) == names


def _enqueue(db: Database, files: list[Path]) -> list[str]:
    with db.session() as s:
        tenant = identity.ensure_tenant(s, TENANT)
        user = identity.ensure_user(s, tenant, "clara")
        return [queue.enqueue(s, user=user, name=f.name, media_type="application/octet-stream",
                              data=f.read_bytes(), collection_id=None, purpose="summary").id
                for f in files]


def _wait_until_settled(db: Database, ids: list[str], timeout_s: float = 45) -> list[StoredDocument]:
    deadline = time.monotonic() + timeout_s
    while True:
        with db.session() as s:
            docs = list(s.scalars(select(StoredDocument).where(StoredDocument.id.in_(ids))))
        if all(d.status in ("ready", "failed") for d in docs) or time.monotonic() > deadline:
            return docs
        time.sleep(0.3)


def test_queued_documents_are_processed_exactly_once(
    servers: tuple[Server, Server], db: Database, shared_data: Path,
) -> None:
    names = ["vwvfg.pdf", "gg.pdf", "bgg.pdf", "ifg.pdf", "vwvfg.html"]
    files = [shared_data / "formats" / n for n in names]
    files.append(shared_data / "pressemitteilung-sachsen-anhalt-llmoin-2025.txt")
    docs = _wait_until_settled(db, _enqueue(db, files))
    assert [(d.status, d.attempts, d.claimed_by) for d in docs] == [("ready", 1, None)] * len(docs)
    with db.session() as s:
        for doc in docs:
            rows = s.execute(select(DocumentPage.part, DocumentPage.number)
                             .where(DocumentPage.document_id == doc.id)).all()
            assert len(rows) == len(set(rows)) == doc.page_count > 0
        assert s.scalar(select(func.count()).select_from(DocumentPage)
                        .where(DocumentPage.document_id.in_([d.id for d in docs]))) == sum(
            d.page_count for d in docs)
