"""`schreibstube summarize FILE…` — read files, summarise, print (with a progress bar)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import click

from schreibstube.assistants.summarize.options import FORMS, LENGTHS, STYLES, SummaryOptions
from schreibstube.assistants.summarize.run import summarize
from schreibstube.context import AppContext


def _progress_line(data: dict[str, Any]) -> str:
    if data["phase"] == "read":
        return f"Lese {data['file']} …"
    if data["phase"] == "map":
        width = 30
        filled = int(width * data["done"] / max(data["total"], 1))
        return f"[{'#' * filled}{'.' * (width - filled)}] Teil {data['done']}/{data['total']}"
    return "Fasse zusammen …"


def _render(done: dict[str, Any], single: bool) -> str:
    lines = [done["text"], "", f"Abdeckung: {done['coverage']}"]
    if not single:
        for i, para in enumerate(done["paragraphs"], 1):
            refs = "; ".join(f"{p['document']} {'Abschn.' if p.get('logical') else 'S.'} {p['page']}"
                             for p in para["pages"])
            if refs:
                lines.append(f"  Absatz {i}: {refs}")
    lines.append("[KI-generiert – bitte fachlich prüfen]")
    return "\n".join(lines)


async def run_summary(app_ctx: AppContext, files: list[Path], text: str, options: SummaryOptions,
                      model: str | None, as_json: bool) -> int:
    err = sys.stderr
    tty = err.isatty()
    failures: list[dict[str, Any]] = []
    done: dict[str, Any] | None = None
    async for event in summarize(app_ctx, files=[(f, f.name) for f in files], text=text,
                                 options=options, model_name=model):
        if event.kind == "progress":
            line = _progress_line(event.data)
            err.write(("\r" + line.ljust(60)) if tty else line + "\n")
            err.flush()
        elif event.kind in ("file_error", "error"):
            failures.append(event.data)
            err.write(f"\nFehler: {event.data['message']}\n")
        elif event.kind == "warning":
            err.write(f"\nHinweis: {event.data['message']}\n")
        elif event.kind == "done":
            done = event.data
    if tty:
        err.write("\r" + " " * 60 + "\r")
    if done is not None:
        if as_json:
            click.echo(json.dumps({**done, "ai_generated": True, "errors": failures},
                                  ensure_ascii=False, indent=2))
        else:
            click.echo(_render(done, single=len(files) + bool(text) == 1))
    return 0 if done is not None and not failures else 1


def register(main: click.Group, settings_from: Any, fail_cleanly: Any) -> None:
    @main.command("summarize")
    @click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
    @click.option("--text", default="", help="Text direkt zusammenfassen (statt oder zusätzlich zu Dateien).")
    @click.option("--length", type=click.Choice(list(LENGTHS)), default="mittel", show_default=True)
    @click.option("--words", type=int, default=None, help="Ungefähre Wortzahl (statt --length).")
    @click.option("--bullets", type=int, default=None, help="Zahl der Stichpunkte.")
    @click.option("--style", type=click.Choice(list(STYLES)), default="fachsprache", show_default=True)
    @click.option("--form", "form_", type=click.Choice(list(FORMS)), default="fliesstext", show_default=True)
    @click.option("--focus", default="", help="Schwerpunkt: Thema oder Frage.")
    @click.option("--language", default="de", show_default=True)
    @click.option("--model", default=None)
    @click.option("--json", "as_json", is_flag=True, help="Ergebnis als JSON ausgeben.")
    @click.pass_context
    @fail_cleanly
    def summarize_cmd(ctx: click.Context, files: tuple[Path, ...], text: str, length: str,
                      words: int | None, bullets: int | None, style: str, form_: str, focus: str,
                      language: str, model: str | None, as_json: bool) -> None:
        """Summarise documents (PDF, DOCX, ODT, HTML, TXT/MD, EML) or text."""
        from schreibstube.context import build_context

        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            raise click.UsageError(f"Datei nicht gefunden: {', '.join(missing)}")
        options = SummaryOptions(length=length, words=words, bullets=bullets, style=style,
                                 form=form_, focus=focus, language=language)
        app_ctx = build_context(settings_from(ctx))
        sys.exit(asyncio.run(run_summary(app_ctx, list(files), text, options, model, as_json)))
