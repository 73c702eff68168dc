"""The application context: settings, database, models and prompts, built once.

``build_context(settings)`` is called by the app factory and by CLI commands; nothing here
is created at import time. Services receive the context (or the parts they need).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schreibstube.assistants.prompts import PromptLibrary
from schreibstube.llm.base import Model
from schreibstube.llm.registry import ModelRegistry
from schreibstube.settings import Settings
from schreibstube.storage.db import Database


@dataclass
class AppContext:
    settings: Settings
    db: Database
    models: ModelRegistry
    prompts: PromptLibrary = field(default_factory=PromptLibrary)

    async def aclose(self) -> None:
        await self.models.aclose()
        self.db.dispose()


def build_context(settings: Settings, model_overrides: dict[str, Model] | None = None) -> AppContext:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.sqlalchemy_url)
    if settings.auto_migrate:
        db.upgrade()
    return AppContext(settings, db, ModelRegistry(settings, model_overrides), PromptLibrary())
