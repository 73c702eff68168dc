"""Prompt files: loaded and compiled once at start-up, rendered with StrictUndefined.

A prompt that does not exist or does not compile is a start-up error (``ConfigError``), not a
500 on the first request that needs it.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from schreibstube.errors import ConfigError

PROMPT_DIR = Path(__file__).parent / "prompts"


class PromptLibrary:
    def __init__(self, directory: Path = PROMPT_DIR) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(directory),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
            autoescape=False,
        )
        self.templates: dict[str, jinja2.Template] = {}
        for path in sorted(directory.glob("*.md")):
            try:
                self.templates[path.stem] = self.env.get_template(path.name)
            except jinja2.TemplateSyntaxError as exc:
                raise ConfigError(f"Prompt-Datei {path} ist fehlerhaft: {exc}") from exc

    def render(self, name: str, **values: object) -> str:
        try:
            return self.templates[name].render(**values).strip()
        except KeyError:
            raise ConfigError(f"Prompt „{name}“ fehlt in {PROMPT_DIR}") from None
        except jinja2.UndefinedError as exc:
            raise ConfigError(f"Prompt „{name}“: {exc}") from exc
