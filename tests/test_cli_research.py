"""`schreibstube collection …` and `schreibstube ask` as real processes on the real VwVfG PDF."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "schreibstube.cli"]


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    config = tmp_path / "s.toml"
    config.write_text(f'data_dir = "{tmp_path / "data"}"\nembedder = "hashing"\n[[models]]\n'
                      'name = "skript"\nprovider = "scripted"\n')
    env = {**os.environ, "SCHREIBSTUBE_CONFIG": str(config)}

    def go(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=300)

    return go


def test_collection_lifecycle_and_ask(run, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("collection", "create", "Recht").returncode == 0
    again = run("collection", "create", "recht")
    assert again.returncode == 1 and "gibt es schon" in again.stderr
    added = run("collection", "add", "Recht", str(shared_data / "formats/vwvfg.pdf"),
                str(shared_data / "formats/ifg-passwortgeschuetzt.pdf"))
    assert added.returncode == 1  # one file failed, and says why
    assert "vwvfg.pdf\tbereit – 47 Seiten" in added.stdout and "passwortgeschützt" in added.stdout
    question = "Wann ist ein Verwaltungsakt nichtig?"
    answer = json.loads(run("ask", "--collection", "Recht", "--json", question).stdout)
    assert answer["event"] == "done" and answer["passages"] and answer["ai_generated"]
    assert {"document", "page_start", "text"} <= set(answer["passages"][0])
    plain = run("ask", "--collection", "Recht", question)  # the scripted model quotes nothing
    assert plain.returncode == 0 and "durch ein geprüftes Zitat belegt" in plain.stdout
    assert run("collection", "remove", "Recht", "vwvfg.pdf").returncode == 0
    assert "0/1 Dokumente" in run("collection", "list").stdout
    assert run("collection", "delete", "Recht").returncode == 0
    missing = run("ask", "--collection", "Recht", "Frage?")
    assert missing.returncode == 1 and "nicht gefunden" in missing.stderr
