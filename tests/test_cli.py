"""The `schreibstube` command, run as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "schreibstube.cli"]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "schreibstube.toml"
    path.write_text(f'data_dir = "{tmp_path / "data"}"\n[[models]]\nname = "skript"\n'
                    'provider = "scripted"\n')
    return path


def run(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SCHREIBSTUBE_CONFIG": str(config)}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=120)


def test_chat_streams_an_answer(config: Path) -> None:
    result = run(config, "chat", "Was ist ein Verwaltungsakt?")
    assert result.returncode == 0, result.stderr
    assert "Was ist ein Verwaltungsakt?" in result.stdout and "KI-generiert" in result.stdout


def test_models_and_db_upgrade(config: Path) -> None:
    assert "skript (Standard)\tscripted" in run(config, "models").stdout
    assert run(config, "db", "upgrade").returncode == 0


def test_errors_are_german_without_traceback(config: Path) -> None:
    result = run(config, "chat", "Hallo", "--model", "gibt-es-nicht")
    assert result.returncode == 1
    assert "nicht konfiguriert" in result.stderr and "Traceback" not in result.stderr
