"""Shared fixtures: real app, real temporary databases (SQLite and PostgreSQL+pgvector).

Tests that take the ``db_url`` fixture run twice: once on SQLite, once on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schreibstube.app import create_app
from schreibstube.context import AppContext, build_context
from schreibstube.llm.scripted import ScriptedModel
from schreibstube.settings import Settings
from schreibstube.testing import TemporaryPostgres, scripted_model, shared_data_dir, test_settings

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = shared_data_dir(REPO)


@pytest.fixture(scope="session")
def postgres() -> Iterator[TemporaryPostgres]:
    pg = TemporaryPostgres()
    yield pg
    pg.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    pg: TemporaryPostgres = request.getfixturevalue("postgres")
    return pg.new_database()


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return test_settings(tmp_path / "data", db_url)


@pytest.fixture
def model() -> ScriptedModel:
    return ScriptedModel(scripted_model())


@pytest.fixture
def ctx(settings: Settings, model: ScriptedModel) -> Iterator[AppContext]:
    context = build_context(settings, {"scripted": model})
    yield context
    context.db.dispose()


@pytest.fixture
def client(settings: Settings, ctx: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(settings, context=ctx)) as c:
        yield c


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"test data missing: {SHARED_DATA}")
    return SHARED_DATA
