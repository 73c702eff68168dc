"""Tenant isolation through the trusted reverse-proxy headers; no content in logs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from schreibstube.app import create_app
from schreibstube.context import AppContext, build_context
from schreibstube.llm.scripted import ScriptedModel
from schreibstube.settings import Settings
from schreibstube.storage.tables import Tenant, User
from schreibstube.tenants import identity
from schreibstube.testing import test_settings

SECRET = "proxy-geheimnis"


@pytest.fixture
def proxied(tmp_path: Path, db_url: str, model: ScriptedModel) -> Iterator[TestClient]:
    settings: Settings = test_settings(tmp_path / "d", db_url, auth_mode="trusted_header",
                                       secret_key="s" * 32, trusted_proxy_secret=SECRET)
    ctx = build_context(settings, {"scripted": model})
    with ctx.db.session() as s:
        s.add_all([Tenant(slug="land-a", name="Land A"), Tenant(slug="land-b", name="Land B")])
    with TestClient(create_app(settings, context=ctx)) as c:
        yield c
    ctx.db.dispose()


def as_user(tenant: str, user: str) -> dict[str, str]:
    return {"X-Schreibstube-Tenant": tenant, "X-Schreibstube-User": user,
            "X-Schreibstube-Proxy-Secret": SECRET}


def test_other_tenants_and_users_see_nothing(proxied: TestClient) -> None:
    conv = proxied.post("/api/v1/conversations", json={}, headers=as_user("land-a", "anna")).json()
    for tenant, user in [("land-b", "anna"), ("land-a", "bernd")]:
        headers = as_user(tenant, user)
        assert proxied.get(f"/api/v1/conversations/{conv['id']}", headers=headers).status_code == 404
        assert proxied.delete(f"/api/v1/conversations/{conv['id']}", headers=headers).status_code == 404
        assert proxied.get("/api/v1/conversations", headers=headers).json() == []
    assert len(proxied.get("/api/v1/conversations", headers=as_user("land-a", "anna")).json()) == 1


@pytest.mark.parametrize("headers", [
    {}, {**as_user("land-a", "anna"), "X-Schreibstube-Proxy-Secret": "falsch"},
    as_user("unbekannt", "anna"),
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
