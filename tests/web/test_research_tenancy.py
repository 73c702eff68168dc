"""Shared and personal collections across users and tenants (the one permission gate)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schreibstube.app import create_app
from schreibstube.context import build_context
from schreibstube.llm.scripted import ScriptedModel
from schreibstube.storage.tables import Tenant
from schreibstube.testing import test_settings

SECRET = "proxy-geheimnis"


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'r.db'}"


@pytest.fixture
def proxied(tmp_path: Path, db_url: str, model: ScriptedModel) -> Iterator[TestClient]:
    settings = test_settings(tmp_path / "d", db_url, auth_mode="trusted_header", secret_key="s" * 32,
                             trusted_proxy_secret=SECRET)
    ctx = build_context(settings, {"scripted": model})
    with ctx.db.session() as s:
        s.add_all([Tenant(slug="land-a", name="A"), Tenant(slug="land-b", name="B")])
    with TestClient(create_app(settings, context=ctx)) as c:
        yield c


def who(tenant: str, user: str, admin: bool = False) -> dict[str, str]:
    headers = {"X-Schreibstube-Tenant": tenant, "X-Schreibstube-User": user,
               "X-Schreibstube-Proxy-Secret": SECRET}
    return {**headers, "X-Schreibstube-Roles": "tenant_admin"} if admin else headers


def test_only_admins_share_and_manage(proxied: TestClient) -> None:
    body = {"name": "Erlasse", "shared": True}
    denied = proxied.post("/api/v1/collections", json=body, headers=who("land-a", "u"))
    assert denied.status_code == 403
    shared = proxied.post("/api/v1/collections", json={"name": "Erlasse", "shared": True},
                          headers=who("land-a", "admin", admin=True)).json()
    listed = proxied.get("/api/v1/collections", headers=who("land-a", "u")).json()
    assert [(c["name"], c["shared"], c["can_manage"]) for c in listed] == [("Erlasse", True, False)]
    upload = proxied.post(f"/api/v1/collections/{shared['id']}/documents",
                          headers=who("land-a", "u"), files=[("files", ("a.txt", b"Text"))])
    assert upload.status_code == 403
    deleted = proxied.delete(f"/api/v1/collections/{shared['id']}", headers=who("land-a", "u"))
    assert deleted.status_code == 403


def test_nothing_crosses_tenants_or_private_collections(proxied: TestClient) -> None:
    shared = proxied.post("/api/v1/collections", json={"name": "Erlasse", "shared": True},
                          headers=who("land-a", "admin", admin=True)).json()
    private = proxied.post("/api/v1/collections", json={"name": "Privat"},
                           headers=who("land-a", "anna")).json()
    assert proxied.get("/api/v1/collections", headers=who("land-b", "admin", admin=True)).json() == []
    for cid, headers in [(shared["id"], who("land-b", "x")), (private["id"], who("land-a", "bernd"))]:
        asked = proxied.post("/api/v1/questions", headers=headers,
                             json={"question": "Frage?", "collections": [cid], "stream": False})
        assert asked.status_code == 404
        assert proxied.get(f"/api/v1/collections/{cid}/documents", headers=headers).status_code == 404
