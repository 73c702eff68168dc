"""`schreibstube summarize` as a real process: coverage on real PDFs, German errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "schreibstube.cli"]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(f'data_dir = "{tmp_path / "data"}"\nocr = false\n[[models]]\nname = "skript"\n'
                    'provider = "scripted"\ncontext_length = 32000\n')
    return path


def run(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SCHREIBSTUBE_CONFIG": str(config)}
    return subprocess.run([*CLI, "summarize", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_long_pdf_is_covered_completely(config: Path, shared_data: Path) -> None:
    result = run(config, str(shared_data / "formats/vwvfg.pdf"), "--length", "kurz", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["coverage"] == "47 von 47 Seiten berücksichtigt." and out["ai_generated"]


@pytest.mark.parametrize("name, fragment", [
    ("ifg-passwortgeschuetzt.pdf", "passwortgeschützt"),
    ("vwvfg-beschaedigt.pdf", "vwvfg-beschaedigt.pdf"),
])
def test_broken_files_fail_in_german_without_traceback(config: Path, shared_data: Path, name: str,
                                                       fragment: str) -> None:
    result = run(config, str(shared_data / "formats" / name))
    if result.returncode == 0:  # the damaged PDF may be repaired: then it must be summarised
        assert "Seiten berücksichtigt" in result.stdout
        return
    assert fragment in result.stderr and "Traceback" not in result.stderr
    assert "EOF marker" not in result.stderr  # no raw library warnings next to ours


def test_missing_file_is_a_usage_error(config: Path) -> None:
    result = run(config, "/gibt/es/nicht.pdf")
    assert result.returncode == 2 and "Datei nicht gefunden" in result.stderr
