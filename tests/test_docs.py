"""Docs are checked by code: every setting and every CLI command is documented."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from schreibstube.cli import main
from schreibstube.settings import ModelConfig, Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("name", [*Settings.model_fields, *ModelConfig.model_fields])
def test_every_setting_is_documented(name: str) -> None:
    assert f"| `{name}` |" in (DOCS / "configuration.md").read_text()


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, cmd in group.commands.items():
        names.append(prefix + name)
        if isinstance(cmd, click.Group):
            names.extend(_commands(cmd, prefix + name + " "))
    return names


@pytest.mark.parametrize("command", _commands(main))
def test_every_cli_command_is_documented(command: str) -> None:
    text = README.read_text() + (DOCS / "cli.md").read_text()
    assert f"schreibstube {command}" in text
