"""The ``schreibstube`` command. Thin: parse arguments, build settings, call a service, print.

Every command accepts ``--config FILE`` (or ``SCHREIBSTUBE_CONFIG``). Failures print the
German user message to stderr and exit with status 1 — never a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from schreibstube.errors import SchreibstubeError
from schreibstube.settings import Settings, load_settings


def fail_cleanly(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SchreibstubeError as exc:
            click.echo(f"Fehler: {exc.user_message}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("\nAbgebrochen.", err=True)
            sys.exit(130)

    return wrapper


@click.group()
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
              help="TOML-Konfigurationsdatei (sonst SCHREIBSTUBE_CONFIG oder Voreinstellungen).")
@click.pass_context
def main(ctx: click.Context, config_file: Path | None) -> None:
    """Schreibstube – KI-Assistent für die öffentliche Verwaltung."""
    ctx.obj = {"config_file": config_file}


def settings_from(ctx: click.Context) -> Settings:
    return load_settings(ctx.obj["config_file"])


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int,
              help="Anzahl Prozesse (mehrere nur mit PostgreSQL).")
@click.pass_context
@fail_cleanly
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Start the web application."""
    import uvicorn

    from schreibstube.logging_setup import configure_logging

    settings = settings_from(ctx)
    configure_logging(settings.log_level)
    if workers > 1:
        from schreibstube.storage.db import Database

        Database(settings.sqlalchemy_url).upgrade()  # once, before the workers start
        uvicorn.run("schreibstube.asgi:app", host=host, port=port, workers=workers,
                    log_config=None, timeout_graceful_shutdown=10)
        return
    from schreibstube.app import create_app

    uvicorn.run(create_app(settings), host=host, port=port, log_config=None,
                timeout_graceful_shutdown=10)


@main.command("chat")
@click.argument("message")
@click.option("--model", default=None, help="Name des Modells (siehe `schreibstube models`).")
@click.pass_context
@fail_cleanly
def chat_cmd(ctx: click.Context, message: str, model: str | None) -> None:
    """Ask one question and stream the answer to the terminal (stored as a conversation)."""
    from schreibstube.assistants import chat
    from schreibstube.context import build_context
    from schreibstube.tenants.local import local_user

    settings = settings_from(ctx)
    app_ctx = build_context(settings)

    async def run() -> int:
        user = local_user(app_ctx)
        conv = chat.create_conversation(app_ctx, user, model)
        code = 0
        async for event in chat.send(app_ctx, user, conv.id, message, model):
            if event.kind == "delta":
                click.echo(event.data["text"], nl=False)
            elif event.kind == "done":
                if event.data.get("note"):
                    click.echo(f"\n\n[Unvollständig: {event.data['note']}]", nl=False)
                click.echo("\n\n[KI-generiert · " + (model or settings.default_model or "") + "]")
            elif event.kind == "error":
                click.echo(f"\nFehler: {event.data['message']}", err=True)
                code = 1
        await app_ctx.aclose()
        return code

    sys.exit(asyncio.run(run()))


@main.command()
@click.pass_context
@fail_cleanly
def models(ctx: click.Context) -> None:
    """List configured models and whether each answers."""
    from schreibstube.llm.registry import ModelRegistry
    from schreibstube.web.health import _probe_model

    settings = settings_from(ctx)
    registry = ModelRegistry(settings)

    async def run() -> list[dict[str, Any]]:
        class _Ctx:
            models = registry
        results = [await _probe_model(_Ctx(), m.name) for m in settings.models]  # type: ignore[arg-type]
        await registry.aclose()
        return results

    for cfg, result in zip(settings.models, asyncio.run(run()), strict=True):
        mark = "antwortet" if result["ok"] else f"FEHLER ({result.get('error')})"
        default = " (Standard)" if cfg.name == settings.default_model else ""
        click.echo(f"{cfg.name}{default}\t{cfg.provider}\tKontext {cfg.context_length}\t{mark}")


from schreibstube import cli_eval, cli_research, cli_summarize  # noqa: E402  (commands register themselves)

cli_summarize.register(main, settings_from, fail_cleanly)
cli_research.register(main, settings_from, fail_cleanly)
cli_eval.register(main, settings_from, fail_cleanly)

from schreibstube import cli_draft  # noqa: E402  (commands register themselves)

cli_draft.register(main, settings_from, fail_cleanly)


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@click.pass_context
@fail_cleanly
def upgrade(ctx: click.Context) -> None:
    """Apply all database migrations (safe to run from several processes)."""
    from schreibstube.storage.db import Database

    settings = settings_from(ctx.find_root())
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    Database(settings.sqlalchemy_url).upgrade()
    click.echo("Datenbank ist auf dem neuesten Stand.")


if __name__ == "__main__":
    main()
