"""`schreibstube collection …` and `schreibstube ask …` (Recherchieren) for the local user."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import click

from schreibstube.context import AppContext


def _context(settings: Any) -> tuple[AppContext, Any]:
    from schreibstube.context import build_context
    from schreibstube.retrieval.runtime import attach_retrieval
    from schreibstube.tenants.local import local_user

    ctx = build_context(settings)
    attach_retrieval(ctx)
    return ctx, local_user(ctx)


def _ingest_now(ctx: AppContext) -> None:
    from schreibstube.assistants.summarize.run import limits_from
    from schreibstube.ingestion.worker import IngestionWorker

    worker = IngestionWorker(ctx.db, limits_from(ctx), ctx.retrieval,
                             concurrency=ctx.settings.ingestion_concurrency)
    worker.on_done = lambda doc_id, status: click.echo(".", nl=False, err=True)
    asyncio.run(worker.run_once())
    click.echo("", err=True)


def _print_documents(ctx: AppContext, user: Any, collection_id: str) -> bool:
    from schreibstube.assistants.research import collections

    ok = True
    for d in collections.documents(ctx, user, collection_id):
        if d.status == "ready":
            click.echo(f"  {d.name}\tbereit – {d.page_count} Seiten / {d.chunk_count} Textstellen\t{d.id}")
        elif d.status == "failed":
            ok = False
            click.echo(f"  {d.name}\tfehlgeschlagen – {d.error_message}\t{d.id}")
        else:
            click.echo(f"  {d.name}\t{d.status}\t{d.id}")
    return ok


def register(main: click.Group, settings_from: Any, fail_cleanly: Any) -> None:
    @main.group()
    def collection() -> None:
        """Document collections for research (Recherchieren)."""

    @collection.command("create")
    @click.argument("name")
    @click.option("--shared", is_flag=True, help="Für alle im Mandanten sichtbar (nur Administration).")
    @click.pass_context
    @fail_cleanly
    def create(ctx: click.Context, name: str, shared: bool) -> None:
        """Create a collection NAME (names are unique among the collections you see)."""
        from schreibstube.assistants.research import collections

        app_ctx, user = _context(settings_from(ctx.find_root()))
        c = collections.create(app_ctx, user, name, shared=shared)
        click.echo(f"Sammlung „{c.name}“ angelegt ({c.id}).")

    @collection.command("add")
    @click.argument("name")
    @click.argument("files", nargs=-1, required=True,
                    type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.pass_context
    @fail_cleanly
    def add(ctx: click.Context, name: str, files: tuple[Path, ...]) -> None:
        """Add files and index them now (prints each file's state)."""
        from schreibstube.assistants.research import collections
        from schreibstube.web.uploads import display_name

        app_ctx, user = _context(settings_from(ctx.find_root()))
        cid = collections.resolve(app_ctx, user, name)
        collections.add_files(app_ctx, user, cid, [(display_name(f.name), "application/octet-stream",
                                                    f.read_bytes()) for f in files])
        _ingest_now(app_ctx)
        sys.exit(0 if _print_documents(app_ctx, user, cid) else 1)

    @collection.command("list")
    @click.argument("name", required=False)
    @click.pass_context
    @fail_cleanly
    def list_(ctx: click.Context, name: str | None) -> None:
        """List collections, or the documents of one collection with their state."""
        from schreibstube.assistants.research import collections

        app_ctx, user = _context(settings_from(ctx.find_root()))
        if name:
            _print_documents(app_ctx, user, collections.resolve(app_ctx, user, name))
            return
        for c in collections.list_visible(app_ctx, user):
            kind = "geteilt" if c.shared else "persönlich"
            click.echo(f"{c.name}\t{kind}\t{c.ready}/{c.documents} Dokumente bereit\t{c.id}")

    @collection.command("remove")
    @click.argument("name")
    @click.argument("document")
    @click.pass_context
    @fail_cleanly
    def remove(ctx: click.Context, name: str, document: str) -> None:
        """Remove a document (by name or id) with all its text, chunks and vectors."""
        from schreibstube.assistants.research import collections
        from schreibstube.errors import NotFound

        app_ctx, user = _context(settings_from(ctx.find_root()))
        docs = collections.documents(app_ctx, user, collections.resolve(app_ctx, user, name))
        match = [d for d in docs if document in (d.id, d.name)]
        if not match:
            raise NotFound(f"Das Dokument „{document}“ ist nicht in der Sammlung „{name}“.")
        for d in match:
            collections.remove_document(app_ctx, user, d.id)
        click.echo(f"{len(match)} Dokument(e) entfernt.")

    @collection.command("delete")
    @click.argument("name")
    @click.pass_context
    @fail_cleanly
    def delete(ctx: click.Context, name: str) -> None:
        """Delete a collection with all its documents."""
        from schreibstube.assistants.research import collections

        app_ctx, user = _context(settings_from(ctx.find_root()))
        collections.delete_collection(app_ctx, user, collections.resolve(app_ctx, user, name))
        click.echo(f"Sammlung „{name}“ gelöscht.")

    @main.command("ask")
    @click.argument("question")
    @click.option("--collection", "names", multiple=True, required=True, help="Sammlung (mehrfach möglich).")
    @click.option("--model", default=None)
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_context
    @fail_cleanly
    def ask_cmd(ctx: click.Context, question: str, names: tuple[str, ...], model: str | None,
                as_json: bool) -> None:
        """Ask a question over collections; answers cite document, page and a verified quote."""
        app_ctx, user = _context(settings_from(ctx))
        sys.exit(asyncio.run(_ask(app_ctx, user, list(names), question, model, as_json)))


async def _ask(ctx: AppContext, user: Any, names: list[str], question: str, model: str | None,
               as_json: bool) -> int:
    from schreibstube.assistants.research.service import ask

    result: dict[str, Any] = {}
    async for event in ask(ctx, user, names, question, model):
        if event.kind == "passages":
            result["passages"] = event.data["passages"]
        elif event.kind == "delta" and not as_json:
            click.echo(event.data["text"], nl=False, err=True)
        elif event.kind in ("done", "error"):
            result.update(event=event.kind, **event.data)
    if not as_json:
        click.echo("", err=True)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_answer(result)
    return 0 if result.get("event") == "done" else 1


def _print_answer(result: dict[str, Any]) -> None:
    if result.get("event") == "error":
        click.echo(f"Fehler: {result['message']}", err=True)
        return
    click.echo(result["answer"])
    if result.get("note"):
        click.echo(f"[Unvollständig: {result['note']}]")
    if result.get("unsupported"):
        click.echo("Hinweis: Keine Aussage dieser Antwort ist durch ein geprüftes Zitat belegt. "
                   "Bitte lesen Sie die gefundenen Textstellen selbst.")
    for c in result["citations"]:
        mark = "✓ geprüft" if c["verified"] else "✗ nicht im Dokument gefunden"
        click.echo(f"  [{c['n']}] {c['document']}, {_unit(c)} {c['pages']}: „{c['quote']}“ ({mark})")
    click.echo("\nGefundene Textstellen:")
    for p in result.get("passages", []):
        click.echo(f"  {p['id']} {p['document']}, {_unit(p)} {p['pages']} – {p['heading'] or p['text'][:80]}")
    click.echo("[KI-generiert – bitte anhand der Quellen prüfen]")


def _unit(source: dict[str, Any]) -> str:
    """"S." for printed pages, "Abschn." for sections of page-less formats (decisions/010)."""
    return "Abschn." if source.get("logical") else "S."
