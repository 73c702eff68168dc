"""Two ``schreibstube serve`` processes on one PostgreSQL database (fixture module).

Both processes start at the same moment with ``auto_migrate`` on (migrations take a PostgreSQL
advisory lock, so exactly one of them migrates), the scripted model and ``trusted_header``
identity as behind a real intranet proxy. Their output goes to ``<tmp>/<name>.log``; a
failing test prints the tail of both logs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from schreibstube.storage.db import Database
from schreibstube.tenants import identity
from schreibstube.testing import TemporaryPostgres, free_port, proxy_headers

TENANT, PROXY_SECRET = "land-bench", "proxy-secret-for-tests"
CONFIG = """\
data_dir = "{data_dir}"
database_url = "{database_url}"
auth_mode = "trusted_header"
secret_key = "two-process-test-secret"
trusted_proxy_secret = "{proxy_secret}"
auto_migrate = true
heartbeat_s = 0.5
log_level = "WARNING"
ocr = false

[[models]]
name = "scripted"
provider = "scripted"
context_length = 4096
max_output_tokens = 512
"""


@dataclass
class Server:
    name: str
    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def headers(user: str) -> dict[str, str]:
    return proxy_headers(TENANT, user, secret=PROXY_SECRET)


def _start(name: str, config: Path, folder: Path) -> Server:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHREIBSTUBE_")}
    log = folder / f"{name}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "schreibstube.cli", "--config", str(config), "serve",
             "--host", "127.0.0.1", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=env)
    return Server(name, f"http://127.0.0.1:{port}", proc, log)


def _wait_ready(server: Server, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            pytest.fail(f"{server.name} exited with {server.proc.returncode}:\n{server.tail()}")
        try:
            if httpx.get(server.url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    pytest.fail(f"{server.name} did not start:\n{server.tail()}")


def _stop(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(15)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


@pytest.fixture(scope="module")
def database_url(postgres: TemporaryPostgres) -> str:
    return postgres.new_database()


@pytest.fixture(scope="module")
def servers(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    folder = tmp_path_factory.mktemp("two-processes")
    config = folder / "schreibstube.toml"
    config.write_text(CONFIG.format(data_dir=folder / "data", database_url=database_url,
                                    proxy_secret=PROXY_SECRET))
    pair = (_start("a", config, folder), _start("b", config, folder))  # at once: both migrate
    try:
        deadline = time.monotonic() + 60
        for server in pair:
            _wait_ready(server, deadline)
        db = Database(database_url)
        with db.session() as s:
            identity.ensure_tenant(s, TENANT)  # operators create tenants; users appear on sight
        db.dispose()
        yield pair
    finally:
        for server in pair:
            _stop(server)


@pytest.fixture
def db(database_url: str, servers: tuple[Server, Server]) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()
