"""Shared and personal collections across users and tenants (the one permission gate)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schreibstube.testing import proxy_headers


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'r.db'}"


def test_only_admins_share_and_manage(proxied: TestClient) -> None:
    body = {"name": "Erlasse", "shared": True}
    denied = proxied.post("/api/v1/collections", json=body, headers=proxy_headers("land-a", "u"))
    assert denied.status_code == 403
    shared = proxied.post("/api/v1/collections", json={"name": "Erlasse", "shared": True},
                          headers=proxy_headers("land-a", "admin", admin=True)).json()
    listed = proxied.get("/api/v1/collections", headers=proxy_headers("land-a", "u")).json()
    assert [(c["name"], c["shared"], c["can_manage"]) for c in listed] == [("Erlasse", True, False)]
    upload = proxied.post(f"/api/v1/collections/{shared['id']}/documents",
                          headers=proxy_headers("land-a", "u"), files=[("files", ("a.txt", b"Text"))])
    assert upload.status_code == 403
    deleted = proxied.delete(f"/api/v1/collections/{shared['id']}", headers=proxy_headers("land-a", "u"))
    assert deleted.status_code == 403


def test_nothing_crosses_tenants_or_private_collections(proxied: TestClient) -> None:
    shared = proxied.post("/api/v1/collections", json={"name": "Erlasse", "shared": True},
                          headers=proxy_headers("land-a", "admin", admin=True)).json()
    private = proxied.post("/api/v1/collections", json={"name": "Privat"},
                           headers=proxy_headers("land-a", "anna")).json()
    other_admin = proxy_headers("land-b", "admin", admin=True)
    assert proxied.get("/api/v1/collections", headers=other_admin).json() == []
    outsiders = [(shared["id"], proxy_headers("land-b", "x")),
                 (private["id"], proxy_headers("land-a", "bernd"))]
    for cid, headers in outsiders:
        asked = proxied.post("/api/v1/questions", headers=headers,
                             json={"question": "Frage?", "collections": [cid], "stream": False})
        assert asked.status_code == 404
        assert proxied.get(f"/api/v1/collections/{cid}/documents", headers=headers).status_code == 404
