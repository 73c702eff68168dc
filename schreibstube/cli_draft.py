"""`schreibstube draft` — draft a text from notes, stream it, print readability, export it.

Thin like the rest of the CLI: the options become a ``DraftRequest`` (which checks them and
says in German what is wrong), :func:`draft_service.create` does the work as the local user
(so the draft also appears on the web page in single-user mode), and this module prints.

The model's text streams to the terminal as it arrives. The stored draft may differ from the
streamed text: salutation and closing are guaranteed in code after the model has finished. If
that changed the text, the final version is printed once more, so what the terminal shows last
is what the export contains. ``--json`` prints only one JSON object at the end.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from schreibstube.assistants import draft_service
from schreibstube.assistants.drafting import DraftRequest
from schreibstube.context import AppContext
from schreibstube.errors import InvalidInput
from schreibstube.tenants.identity import CurrentUser


def _export_format(path: Path | None) -> str | None:
    if path is None:
        return None
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in draft_service.EXPORT_FORMATS:
        raise InvalidInput(f"Die Exportdatei muss auf .odt, .docx oder .md enden, nicht auf „{path.suffix}“.")
    return fmt


def _print_options(app_ctx: AppContext) -> None:
    options = draft_service.options(app_ctx)
    for group, title in (("text_types", "Textarten (--type)"), ("registers", "Sprachebenen (--register)"),
                         ("lengths", "Längen (--length)"), ("salutations", "Anreden (--salutation)")):
        click.echo(title)
        for choice in options[group]:
            click.echo(f"  {choice['id']:<18} {choice['label']}")


def _same_text(streamed: str, final: str) -> bool:
    return " ".join(final.split()) in " ".join(streamed.split())


def _print_result(view: draft_service.VersionView, streamed: str) -> None:
    if not _same_text(streamed, view.text):
        click.echo("\n\n--- Endfassung (Anrede und Grußformel ergänzt) ---\n")
        click.echo(f"# {view.title}\n\n{view.text}", nl=False)
    click.echo("\n")
    for label in view.labels:
        click.echo(f"[{label}]")
    if view.readability:
        click.echo(f"Lesbarkeit ({view.readability['basis_label']} → Entwurf): "
                   f"{view.readability['summary']}")


async def _generate(
    app_ctx: AppContext, user: CurrentUser, request: DraftRequest, model: str | None, quiet: bool
) -> tuple[draft_service.VersionView | None, str]:
    """Stream the draft; return the finished version (None after an error) and the raw text."""
    streamed = ""
    async for event in draft_service.create(app_ctx, user, request, model):
        if event.kind == "delta":
            streamed += event.data["text"]
            if not quiet:
                click.echo(event.data["text"], nl=False)
        elif event.kind == "done":
            return event.data["version"], streamed
        elif event.kind == "error":
            click.echo(f"\nFehler: {event.data['message']}", err=True)
    return None, streamed


def run_draft(app_ctx: AppContext, request: DraftRequest, model: str | None, export: Path | None,
              as_json: bool) -> int:
    from schreibstube.tenants.local import local_user

    fmt = _export_format(export)

    async def run() -> int:
        try:
            user = local_user(app_ctx)
            view, streamed = await _generate(app_ctx, user, request, model, as_json)
            if view is None:
                return 1
            if export is not None and fmt is not None:
                file = draft_service.export(app_ctx, user, view.draft_id, view.number, fmt)
                export.write_bytes(file.content)
            if as_json:
                data: dict[str, Any] = dataclasses.asdict(view)
                data["export"] = str(export) if export else None
                click.echo(json.dumps(data, ensure_ascii=False, default=str, indent=2))
            else:
                _print_result(view, streamed)
                if export is not None:
                    click.echo(f"Gespeichert: {export}")
            return 0
        finally:
            await app_ctx.aclose()

    return asyncio.run(run())


def register(main: click.Group, settings_from: Callable[[click.Context], Any],
             fail_cleanly: Callable[..., Any]) -> None:
    @main.command("draft")
    @click.option("--type", "text_type", help="Textart: email, brief, vermerk, … (siehe --options).")
    @click.option("--notes", default="", help="Stichpunkte und Notizen, aus denen der Entwurf entsteht.")
    @click.option("--register", "register_", default="buergernah", show_default=True,
                  help="fachsprache, buergernah, einfache_sprache oder leichte_sprache.")
    @click.option("--recipient", default="", help="Empfängerin oder Empfänger, z. B. „Frau Schulz“.")
    @click.option("--salutation", default="auto", show_default=True,
                  help="auto, frau_herr, neutral, damen_herren oder informell.")
    @click.option("--length", default="mittel", show_default=True, help="kurz, mittel oder lang.")
    @click.option("--sender", default="", help="Name unter der Grußformel.")
    @click.option("--source", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  help="Textdatei mit Material (z. B. die Anfrage, auf die geantwortet wird).")
    @click.option("--model", default=None, help="Name des Modells (siehe `schreibstube models`).")
    @click.option("--export", type=click.Path(dir_okay=False, path_type=Path),
                  help="Entwurf speichern als .odt, .docx oder .md.")
    @click.option("--json", "as_json", is_flag=True, help="Ergebnis als JSON ausgeben.")
    @click.option("--options", "show_options", is_flag=True, help="Textarten und Optionen auflisten.")
    @click.pass_context
    @fail_cleanly
    def draft_cmd(ctx: click.Context, text_type: str | None, register_: str, source: Path | None,
                  model: str | None, export: Path | None, as_json: bool, show_options: bool,
                  **fields: str) -> None:
        """Draft an e-mail, letter, Vermerk … from notes; stream it and optionally export it."""
        from schreibstube.context import build_context

        app_ctx = build_context(settings_from(ctx))
        if show_options:
            _print_options(app_ctx)
            return
        if not text_type:
            raise InvalidInput("Bitte geben Sie die Textart an, z. B. --type email (siehe --options).")
        source_text = source.read_text(encoding="utf-8", errors="replace") if source else ""
        request = DraftRequest(text_type=text_type, register=register_,  # type: ignore[arg-type]
                               source_text=source_text, **fields)  # type: ignore[arg-type]
        app_ctx.drafting.get(text_type)  # unknown type: German message before any work
        sys.exit(run_draft(app_ctx, request, model, export, as_json))
