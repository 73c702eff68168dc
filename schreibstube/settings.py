"""One typed Settings object, built once (app factory, CLI) and passed in.

Sources, later ones win:

1. built-in defaults: SQLite under ``data_dir``, the embedded demo model, single-user mode;
2. a TOML file (``--config`` or ``SCHREIBSTUBE_CONFIG``), see ``docs/configuration.md``;
3. environment variables ``SCHREIBSTUBE_<KEY>`` for top-level keys and
   ``SCHREIBSTUBE_MODELS__<NAME>__<KEY>`` for a declared model's keys (e.g. its API key).

Unknown keys — in the file or in ``SCHREIBSTUBE_*`` variables — are refused, as are unsafe
combinations (a default secret outside single-user mode, a default model that is not
declared). Secrets are ``SecretStr`` and never appear in reprs or logs. Nothing here runs at
import time.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from schreibstube.errors import ConfigError

ENV_PREFIX = "SCHREIBSTUBE_"
DEFAULT_SECRET = "change-me"
EMBEDDED_MODEL_NAME = "smollm2-demo"


class ModelConfig(BaseModel):
    """One model users may pick. ``provider`` selects the implementation in ``llm/``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    label: str = ""
    provider: Literal["embedded", "openai", "azure", "scripted"]
    context_length: int = Field(default=8192, ge=256)
    max_output_tokens: int = Field(default=1024, ge=16)
    temperature: float = Field(default=0.3, ge=0, le=2)
    top_p: float = Field(default=0.9, gt=0, le=1)
    repeat_penalty: float = Field(default=1.0, ge=1.0, le=2.0)
    frequency_penalty: float = Field(default=0.0, ge=-2, le=2)
    presence_penalty: float = Field(default=0.0, ge=-2, le=2)
    system_prompt: str = "chat_system"
    demo: bool = False
    # HTTP providers
    base_url: str | None = None
    api_key: SecretStr | None = None
    upstream_model: str | None = None
    azure_endpoint: str | None = None
    azure_deployment: str | None = None
    api_version: str | None = None
    timeout_s: float = Field(default=60.0, gt=0)
    connect_timeout_s: float = Field(default=5.0, gt=0)
    max_retries: int = Field(default=2, ge=0, le=10)
    max_retry_wait_s: float = Field(default=20.0, ge=0)
    # embedded provider
    model_path: str | None = None
    threads: int = Field(default=2, ge=1)

    @model_validator(mode="after")
    def _provider_fields(self) -> ModelConfig:
        if self.provider == "openai" and not self.base_url:
            raise ValueError(f"model {self.name}: provider 'openai' needs base_url")
        if self.provider == "azure":
            missing = [
                k for k in ("azure_endpoint", "azure_deployment", "api_version", "api_key")
                if not getattr(self, k)
            ]
            if missing:
                raise ValueError(f"model {self.name}: provider 'azure' needs {', '.join(missing)}")
        if not self.label:
            self.label = self.name
        return self


def embedded_model() -> ModelConfig:
    return ModelConfig(
        name=EMBEDDED_MODEL_NAME,
        label="SmolLM2 135M (Demo-Modell, lokal)",
        provider="embedded",
        context_length=2048,
        max_output_tokens=256,
        # Tuned on 2026-12-03 (docs/decisions/003-embedded-model.md): without the penalties
        # this 135M model loops on its own sentences.
        temperature=0.5,
        top_p=0.9,
        repeat_penalty=1.15,
        frequency_penalty=0.8,
        presence_penalty=0.5,
        system_prompt="chat_system_small",
        demo=True,
    )


class Settings(BaseModel):
    """All settings of one deployment. Build with :func:`load_settings`."""

    model_config = ConfigDict(extra="forbid")

    data_dir: Path = Path("data")
    database_url: str | None = None
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET)
    auth_mode: Literal["single_user", "trusted_header"] = "single_user"
    trusted_proxy_secret: SecretStr | None = None
    default_tenant: str = "default"
    default_user: str = "local"
    models: list[ModelConfig] = Field(default_factory=lambda: [embedded_model()])
    default_model: str | None = None
    default_locale: Literal["de", "en"] = "de"
    heartbeat_s: float = Field(default=10.0, gt=0)
    auto_migrate: bool = True
    log_level: str = "INFO"
    max_upload_bytes: int = 50 * 1024 * 1024
    max_upload_files: int = Field(default=10, ge=1)
    max_pages: int = Field(default=2000, ge=1)
    parse_timeout_s: float = Field(default=180.0, gt=0)
    ocr: bool = True
    summary_concurrency: int = Field(default=4, ge=1, le=64)
    ingestion_enabled: bool = True
    embedder: Literal["e5", "hashing"] = "e5"
    ingestion_concurrency: int = Field(default=2, ge=1, le=32)
    retention_days: int = Field(default=90, ge=1)
    drafting_template_dirs: list[Path] = Field(default_factory=list)

    @field_validator("drafting_template_dirs", mode="before")
    @classmethod
    def _path_list(cls, value: Any) -> Any:
        """From the environment: directories separated like ``PATH`` (``:`` on Linux)."""
        if isinstance(value, str):
            return [part for part in value.split(os.pathsep) if part.strip()]
        return value

    @model_validator(mode="after")
    def _consistency(self) -> Settings:
        names = [m.name for m in self.models]
        if not names:
            raise ValueError("at least one model must be declared")
        if len(set(names)) != len(names):
            raise ValueError("model names must be unique")
        if self.default_model is None:
            self.default_model = names[0]
        elif self.default_model not in names:
            raise ValueError(f"default_model {self.default_model!r} is not declared")
        if self.auth_mode != "single_user" and self.secret_key.get_secret_value() == DEFAULT_SECRET:
            raise ValueError("secret_key must be changed when auth_mode is not single_user")
        if self.auth_mode == "trusted_header" and not self.trusted_proxy_secret:
            raise ValueError("auth_mode trusted_header needs trusted_proxy_secret")
        return self

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'schreibstube.db').resolve()}"

    def model(self, name: str) -> ModelConfig:
        for m in self.models:
            if m.name == name:
                return m
        from schreibstube.errors import NotFound

        raise NotFound(f"Das Modell „{name}“ ist nicht konfiguriert.")


def _env_overrides(environ: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    top: dict[str, Any] = {}
    per_model: dict[str, dict[str, str]] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX) or key == ENV_PREFIX + "CONFIG":
            continue
        rest = key[len(ENV_PREFIX):].lower()
        if rest.startswith("models__"):
            parts = rest.split("__")
            if len(parts) != 3:
                raise ConfigError(f"Unbekannte Umgebungsvariable {key}")
            per_model.setdefault(parts[1].replace("_", "-"), {})[parts[2]] = value
        else:
            top[rest] = value
    return top, per_model


def load_settings(
    config_file: Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build the Settings from defaults, an optional TOML file and the environment."""
    environ = os.environ if environ is None else environ
    config_file = config_file or (
        Path(environ[ENV_PREFIX + "CONFIG"]) if environ.get(ENV_PREFIX + "CONFIG") else None
    )
    raw: dict[str, Any] = {}
    if config_file:
        try:
            raw = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"Konfigurationsdatei {config_file} ist nicht lesbar: {exc}") from exc
    top, per_model = _env_overrides(environ)
    raw.update(top)
    if per_model:
        models = raw.setdefault("models", [embedded_model().model_dump(mode="json")])
        for name, values in per_model.items():
            target = next((m for m in models if m.get("name") == name), None)
            if target is None:
                raise ConfigError(f"Umgebungsvariable für unbekanntes Modell „{name}“")
            target.update(values)
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"Ungültige Konfiguration: {exc}") from exc
