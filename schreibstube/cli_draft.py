"""`schreibstube draft` — draft a text from notes, stream it, print readability, export it —
and `schreibstube template …`, the template library (list, add, delete) of the local user.

Thin like the rest of the CLI: the options become a ``DraftRequest`` (which checks them and
says in German what is wrong), :func:`draft_service.create` does the work as the local user
(so the draft also appears on the web page in single-user mode), and this module prints.

The model's text streams to the terminal as it arrives. The stored draft may differ from the
streamed text: salutation and closing are guaranteed in code after the model has finished. If
that changed the text, the final version is printed once more, so what the terminal shows last
is what the export contains. ``--json`` prints only one JSON object at the end.
``--template NAME`` uses a saved template; ``--var key=value`` fills its variables (and those a
text type declares).
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

from schreibstube.assistants import draft_service, draft_templates
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


def _variables(pairs: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"Bitte geben Sie Variablen als --var name=wert an, nicht „{pair}“.")
        values[key.strip()] = value
    return values


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
    @click.option("--template", "template_name", default=None,
                  help="Gespeicherte Vorlage (Name oder Id, siehe `schreibstube template list`).")
    @click.option("--var", "var_pairs", multiple=True, metavar="NAME=WERT",
                  help="Wert für eine Variable der Vorlage oder Textart (mehrfach möglich).")
    @click.option("--model", default=None, help="Name des Modells (siehe `schreibstube models`).")
    @click.option("--export", type=click.Path(dir_okay=False, path_type=Path),
                  help="Entwurf speichern als .odt, .docx oder .md.")
    @click.option("--json", "as_json", is_flag=True, help="Ergebnis als JSON ausgeben.")
    @click.option("--options", "show_options", is_flag=True, help="Textarten und Optionen auflisten.")
    @click.pass_context
    @fail_cleanly
    def draft_cmd(ctx: click.Context, text_type: str | None, register_: str, source: Path | None,
                  template_name: str | None, var_pairs: tuple[str, ...], model: str | None,
                  export: Path | None, as_json: bool, show_options: bool, **fields: str) -> None:
        """Draft an e-mail, letter, Vermerk … from notes; stream it and optionally export it."""
        from schreibstube.context import build_context
        from schreibstube.tenants.local import local_user

        app_ctx = build_context(settings_from(ctx))
        if show_options:
            _print_options(app_ctx)
            return
        template_id = ""
        if template_name:
            template = draft_templates.find(app_ctx, local_user(app_ctx), template_name)
            template_id, text_type = template.id, text_type or template.text_type
        if not text_type:
            raise InvalidInput("Bitte geben Sie die Textart an, z. B. --type email (siehe --options).")
        source_text = source.read_text(encoding="utf-8", errors="replace") if source else ""
        request = DraftRequest(text_type=text_type, register=register_,  # type: ignore[arg-type]
                               source_text=source_text, template_id=template_id,
                               variables=_variables(var_pairs), **fields)  # type: ignore[arg-type]
        app_ctx.drafting.get(text_type)  # unknown type: German message before any work
        sys.exit(run_draft(app_ctx, request, model, export, as_json))

    register_templates(main, settings_from, fail_cleanly)


def register_templates(main: click.Group, settings_from: Callable[[click.Context], Any],
                       fail_cleanly: Callable[..., Any]) -> None:
    def local(ctx: click.Context) -> tuple[AppContext, CurrentUser]:
        from schreibstube.context import build_context
        from schreibstube.tenants.local import local_user

        app_ctx = build_context(settings_from(ctx.find_root()))
        return app_ctx, local_user(app_ctx)

    @main.group("template")
    def template() -> None:
        """Templates for drafting (Formulieren): personal or for the whole tenant."""

    @template.command("list")
    @click.pass_context
    @fail_cleanly
    def list_(ctx: click.Context) -> None:
        """List own templates and those shared with the tenant, with their variables."""
        app_ctx, user = local(ctx)
        views = draft_templates.list_templates(app_ctx, user)
        if not views:
            click.echo("Noch keine Vorlagen. Speichern mit: schreibstube template add NAME --file DATEI")
        for t in views:
            scope = "Behörde" if t.shared else "eigene"
            kind = t.text_type_label or "alle Textarten"
            state = "" if t.valid else f"  UNGÜLTIG: {t.problem}"
            variables = ", ".join(t.variables) or "–"
            click.echo(f"{t.name}\t{scope}\t{kind}\tVariablen: {variables}{state}")

    @template.command("add")
    @click.argument("name")
    @click.option("--file", "file", required=True,
                  type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  help="Textdatei mit der Vorlage, Variablen als {{ aktenzeichen }}.")
    @click.option("--type", "text_type", default=None, help="Nur für diese Textart (sonst alle).")
    @click.option("--shared", is_flag=True, help="Für die ganze Behörde (nur Administration).")
    @click.pass_context
    @fail_cleanly
    def add(ctx: click.Context, name: str, file: Path, text_type: str | None, shared: bool) -> None:
        """Save a template from a text file."""
        app_ctx, user = local(ctx)
        body = file.read_text(encoding="utf-8", errors="replace")
        t = draft_templates.save(app_ctx, user, name, body, text_type=text_type, shared=shared)
        click.echo(f"Vorlage „{t.name}“ gespeichert. Variablen: {', '.join(t.variables) or '–'}")

    @template.command("delete")
    @click.argument("name")
    @click.pass_context
    @fail_cleanly
    def delete(ctx: click.Context, name: str) -> None:
        """Delete a template (name or id)."""
        app_ctx, user = local(ctx)
        t = draft_templates.find(app_ctx, user, name)
        draft_templates.delete(app_ctx, user, t.id)
        click.echo(f"Vorlage „{t.name}“ gelöscht.")
