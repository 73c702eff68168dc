"""Drafts are private: other users and other tenants see nothing, not even by id."""

from __future__ import annotations

from fastapi.testclient import TestClient

from schreibstube.testing import proxy_headers


def test_other_tenants_and_users_cannot_reach_a_draft(proxied: TestClient) -> None:
    body = {"text_type": "vermerk", "notes": "Schulhof sanieren", "stream": False}
    draft = proxied.post("/api/v1/drafts", json=body, headers=proxy_headers("land-a", "anna")).json()
    base = f"/api/v1/drafts/{draft['draft_id']}"
    for headers in (proxy_headers("land-b", "anna"), proxy_headers("land-a", "bernd")):
        assert proxied.get("/api/v1/drafts", headers=headers).json() == []
        for url in (base, f"{base}/versions/1", f"{base}/versions/1/export?format=odt"):
            assert proxied.get(url, headers=headers).status_code == 404
        revision = proxied.post(f"{base}/revisions", json={"instruction": "kuerzer"}, headers=headers)
        assert revision.status_code == 404
        assert proxied.delete(base, headers=headers).status_code == 404
        assert proxied.get(f"/formulieren/{draft['draft_id']}", headers=headers).status_code == 404
    assert len(proxied.get(f"{base}/versions", headers=proxy_headers("land-a", "anna")).json()) == 1
