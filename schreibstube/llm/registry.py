"""Build Model instances from settings, once per process, lazily by name."""

from __future__ import annotations

from schreibstube.errors import NotFound
from schreibstube.llm.base import Model
from schreibstube.settings import ModelConfig, Settings


def build_model(config: ModelConfig) -> Model:
    if config.provider == "embedded":
        from schreibstube.llm.embedded import EmbeddedModel

        return EmbeddedModel(config)
    if config.provider in ("openai", "azure"):
        from schreibstube.llm.openai_compat import OpenAICompatibleModel

        return OpenAICompatibleModel(config)
    from schreibstube.llm.scripted import ScriptedModel

    return ScriptedModel(config)


class ModelRegistry:
    def __init__(self, settings: Settings, overrides: dict[str, Model] | None = None) -> None:
        self.settings = settings
        self._models: dict[str, Model] = dict(overrides or {})

    def configs(self) -> list[ModelConfig]:
        return list(self.settings.models)

    def get(self, name: str | None = None) -> Model:
        name = name or self.settings.default_model or ""
        if name not in self._models:
            try:
                config = self.settings.model(name)
            except NotFound:
                raise NotFound(f"Das Modell „{name}“ ist nicht konfiguriert.") from None
            self._models[name] = build_model(config)
        return self._models[name]

    async def aclose(self) -> None:
        for model in self._models.values():
            await model.aclose()
