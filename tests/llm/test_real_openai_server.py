"""The OpenAI-compatible path against a real server process: llama.cpp's server serving the
embedded GGUF model. Configuration alone switches Schreibstube to it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from schreibstube.llm.embedded import bundled_model_path
from schreibstube.testing import free_port

pytestmark = pytest.mark.embedded


@pytest.fixture(scope="module")
def llama_server() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_model_path()),
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2",
         "--model_alias", "smollm2", "--api_key", "test-key"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/models", headers={"Authorization": "Bearer test-key"}).is_success:
                break
        except httpx.TransportError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("llama.cpp server did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_cli_chat_against_real_server_by_configuration(llama_server: str, tmp_path: Path) -> None:
    config = tmp_path / "s.toml"
    config.write_text(f'data_dir = "{tmp_path}"\n[[models]]\nname = "vllm-like"\n'
                      f'provider = "openai"\nbase_url = "{llama_server}"\n'
                      'upstream_model = "smollm2"\nmax_output_tokens = 30\ncontext_length = 2048\n')
    env = {**os.environ, "SCHREIBSTUBE_CONFIG": str(config),
           "SCHREIBSTUBE_MODELS__VLLM_LIKE__API_KEY": "test-key"}
    cmd = [sys.executable, "-m", "schreibstube.cli"]
    result = subprocess.run([*cmd, "chat", "Was ist ein Verwaltungsakt?"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.split("[KI-generiert")[0].strip()) > 10
    models = subprocess.run([*cmd, "models"], env=env, capture_output=True, text=True, timeout=60)
    assert "vllm-like (Standard)\topenai\tKontext 2048\tantwortet" in models.stdout
