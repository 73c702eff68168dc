"""Tenant isolation through the trusted reverse-proxy headers; no content in logs."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from schreibstube.context import AppContext
from schreibstube.llm.scripted import ScriptedModel
from schreibstube.storage.tables import User
from schreibstube.tenants import identity
from schreibstube.testing import proxy_headers


def test_other_tenants_and_users_see_nothing(proxied: TestClient) -> None:
    conv = proxied.post("/api/v1/conversations", json={}, headers=proxy_headers("land-a", "anna")).json()
    for tenant, user in [("land-b", "anna"), ("land-a", "bernd")]:
        headers = proxy_headers(tenant, user)
        assert proxied.get(f"/api/v1/conversations/{conv['id']}", headers=headers).status_code == 404
        assert proxied.delete(f"/api/v1/conversations/{conv['id']}", headers=headers).status_code == 404
        assert proxied.get("/api/v1/conversations", headers=headers).json() == []
    assert len(proxied.get("/api/v1/conversations", headers=proxy_headers("land-a", "anna")).json()) == 1


@pytest.mark.parametrize("headers", [
    {}, {**proxy_headers("land-a", "anna"), "X-Schreibstube-Proxy-Secret": "falsch"},
    proxy_headers("unbekannt", "anna"),
])
def test_requests_without_valid_identity_are_refused(proxied: TestClient, headers: dict) -> None:
    response = proxied.get("/api/v1/conversations", headers=headers)
    assert response.status_code == 403 and response.json()["error"]["message"]


def test_logs_hold_no_content(client: TestClient, model: ScriptedModel,
                              caplog: pytest.LogCaptureFixture) -> None:
    model.enqueue("ANTWORT-GEHEIM-4711")
    caplog.set_level(logging.DEBUG)
    conv = client.post("/api/v1/conversations", json={}).json()["id"]
    client.post(f"/api/v1/conversations/{conv}/messages",
                json={"content": "FRAGE-GEHEIM-0815", "stream": False})
    assert "chat answer id=" in caplog.text
    assert "GEHEIM" not in caplog.text


def test_a_new_user_seen_by_many_requests_at_once_is_created_once(ctx: AppContext) -> None:
    """Get-or-create race: all concurrent first lookups succeed and agree on one row."""
    start = threading.Barrier(8)

    def first_sight(_: int) -> str:
        start.wait()
        return identity.resolve(ctx.db, "land-neu", "nina", "user", create_tenant=True).user_id

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(first_sight, range(8)))
    assert len(set(ids)) == 1
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(User).where(User.external_id == "nina")) == 1
