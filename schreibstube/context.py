"""The application context: settings, database, models, prompts and the drafting catalog.

``build_context(settings)`` is called by the app factory and by CLI commands; nothing here
is created at import time. Services receive the context (or the parts they need).
The drafting catalog (text types and prompt files, plus the operator's
``drafting_template_dirs``) is loaded and validated here, so a broken template stops start-up
with a ``ConfigError`` naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schreibstube.assistants.drafting.catalog import Catalog, load_catalog
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
    drafting: Catalog = field(default_factory=load_catalog)
    # Set by the app lifespan / CLI commands that need them (see retrieval.runtime, ingestion).
    retrieval: Any = None
    ingestion: Any = None

    async def aclose(self) -> None:
        await self.models.aclose()
        self.db.dispose()


def build_context(settings: Settings, model_overrides: dict[str, Model] | None = None) -> AppContext:
    # First: a broken text type (built in or in an operator's directory) fails start-up
    # before anything else.
    drafting = load_catalog(settings.drafting_template_dirs)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.sqlalchemy_url)
    if settings.auto_migrate:
        db.upgrade()
    return AppContext(settings, db, ModelRegistry(settings, model_overrides), PromptLibrary(),
                      drafting=drafting)
