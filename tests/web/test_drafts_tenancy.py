"""Drafts are private: other users and other tenants see nothing, not even by id."""

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


@pytest.fixture
def proxied(tmp_path: Path, db_url: str, model: ScriptedModel) -> Iterator[TestClient]:
    settings = test_settings(tmp_path / "d", db_url, auth_mode="trusted_header", secret_key="s" * 32,
                             trusted_proxy_secret=SECRET)
    ctx = build_context(settings, {"scripted": model})
    with ctx.db.session() as s:
        s.add_all([Tenant(slug="land-a", name="Land A"), Tenant(slug="land-b", name="Land B")])
    with TestClient(create_app(settings, context=ctx)) as c:
        yield c
    ctx.db.dispose()


def as_user(tenant: str, user: str) -> dict[str, str]:
    return {"X-Schreibstube-Tenant": tenant, "X-Schreibstube-User": user,
            "X-Schreibstube-Proxy-Secret": SECRET}


def test_other_tenants_and_users_cannot_reach_a_draft(proxied: TestClient) -> None:
    body = {"text_type": "vermerk", "notes": "Schulhof sanieren", "stream": False}
    draft = proxied.post("/api/v1/drafts", json=body, headers=as_user("land-a", "anna")).json()
    base = f"/api/v1/drafts/{draft['draft_id']}"
    for headers in (as_user("land-b", "anna"), as_user("land-a", "bernd")):
        assert proxied.get("/api/v1/drafts", headers=headers).json() == []
        for url in (base, f"{base}/versions/1", f"{base}/versions/1/export?format=odt"):
            assert proxied.get(url, headers=headers).status_code == 404
        revision = proxied.post(f"{base}/revisions", json={"instruction": "kuerzer"}, headers=headers)
        assert revision.status_code == 404
        assert proxied.delete(base, headers=headers).status_code == 404
        assert proxied.get(f"/formulieren/{draft['draft_id']}", headers=headers).status_code == 404
    assert len(proxied.get(f"{base}/versions", headers=as_user("land-a", "anna")).json()) == 1
