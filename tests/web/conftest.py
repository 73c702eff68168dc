"""Fixtures for the web tests: the app behind an intranet SSO proxy (trusted headers)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schreibstube.app import create_app
from schreibstube.context import build_context
from schreibstube.llm.scripted import ScriptedModel
from schreibstube.storage.tables import Tenant
from schreibstube.testing import PROXY_SECRET, test_settings


@pytest.fixture
def proxied(tmp_path: Path, db_url: str, model: ScriptedModel) -> Iterator[TestClient]:
    """Two tenants, land-a and land-b; users arrive as ``proxy_headers(tenant, user)``."""
    settings = test_settings(tmp_path / "d", db_url, auth_mode="trusted_header", secret_key="s" * 32,
                             trusted_proxy_secret=PROXY_SECRET)
    ctx = build_context(settings, {"scripted": model})
    with ctx.db.session() as s:
        s.add_all([Tenant(slug="land-a", name="Land A"), Tenant(slug="land-b", name="Land B")])
    with TestClient(create_app(settings, context=ctx)) as c:
        yield c
    ctx.db.dispose()
