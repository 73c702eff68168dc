"""UI texts: German by default, English as a second locale. Catalogs are JSON files.

The locale comes from the ``lang`` cookie (set by the language switch) or the settings'
``default_locale``. A test checks both catalogs have the same keys.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES = ("de", "en")
_DIR = Path(__file__).parent / "locales"


@cache
def catalog(locale: str) -> dict[str, str]:
    return json.loads((_DIR / f"{locale}.json").read_text(encoding="utf-8"))


class Translator:
    def __init__(self, locale: str) -> None:
        self.locale = locale if locale in LOCALES else "de"
        self.messages = catalog(self.locale)

    def __call__(self, key: str, **values: object) -> str:
        text = self.messages.get(key) or catalog("de").get(key, key)
        return text.format(**values) if values else text
