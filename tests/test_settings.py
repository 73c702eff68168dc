"""Settings: defaults, file + environment, refusal of unknown or unsafe configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from schreibstube.errors import ConfigError
from schreibstube.settings import load_settings


def test_defaults_are_embedded_sqlite_single_user() -> None:
    s = load_settings(environ={})
    assert s.models[0].provider == "embedded" and s.models[0].demo
    assert s.sqlalchemy_url.startswith("sqlite:///") and s.auth_mode == "single_user"


def test_file_and_environment_overrides(tmp_path: Path) -> None:
    cfg = tmp_path / "s.toml"
    cfg.write_text('default_model = "gpt"\n[[models]]\nname = "gpt"\nprovider = "azure"\n'
                   'azure_endpoint = "https://x.example"\nazure_deployment = "gpt-41"\n'
                   'api_version = "2024-10-21"\napi_key = "from-file"\n')
    s = load_settings(cfg, {"SCHREIBSTUBE_MODELS__GPT__API_KEY": "from-env",
                            "SCHREIBSTUBE_HEARTBEAT_S": "3"})
    assert s.model("gpt").api_key.get_secret_value() == "from-env"  # type: ignore[union-attr]
    assert s.heartbeat_s == 3 and "from-env" not in repr(s)


@pytest.mark.parametrize("environ, fragment", [
    ({"SCHREIBSTUBE_DATABSE_URL": "x"}, "databse_url"),
    ({"SCHREIBSTUBE_DEFAULT_MODEL": "fehlt"}, "not declared"),
    ({"SCHREIBSTUBE_AUTH_MODE": "trusted_header"}, "secret_key"),
    ({"SCHREIBSTUBE_MODELS__NOPE__API_KEY": "k"}, "unbekanntes Modell"),
])
def test_unknown_or_unsafe_settings_are_refused(environ: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_settings(environ=environ)


def test_azure_model_needs_its_fields(tmp_path: Path) -> None:
    cfg = tmp_path / "s.toml"
    cfg.write_text('[[models]]\nname = "gpt"\nprovider = "azure"\nazure_endpoint = "https://x"\n')
    with pytest.raises(ConfigError, match="azure_deployment"):
        load_settings(cfg, {})
