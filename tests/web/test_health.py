"""Liveness and readiness endpoints."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schreibstube.app import create_app
from schreibstube.settings import ModelConfig
from schreibstube.testing import free_port, scripted_model, test_settings


def test_liveness_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] is True
    assert ready.json()["models"] == [{"name": "scripted", "ok": True}]


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'h.db'}"


def test_unreachable_model_makes_readiness_fail(tmp_path: Path, db_url: str) -> None:
    dead = ModelConfig(name="tot", provider="openai", connect_timeout_s=0.5,
                       base_url=f"http://127.0.0.1:{free_port()}/v1")
    settings = test_settings(tmp_path, db_url, models=[scripted_model(), dead])
    with TestClient(create_app(settings)) as c:
        body = c.get("/readyz")
    assert body.status_code == 503
    assert {"name": "tot", "ok": False, "error": "UpstreamUnavailable"} in body.json()["models"]


def test_openapi_documents_the_streaming_endpoint(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/conversations/{conversation_id}/messages" in spec["paths"]
