"""`schreibstube draft`, run as a real process against a scripted-model configuration."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from schreibstube.assistants.drafting import DRAFT_LABEL
from schreibstube.storage.db import Database
from schreibstube.storage.tables import Draft

CLI = [sys.executable, "-m", "schreibstube.cli"]
LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
DONE_WHEN = ["draft", "--type", "email", "--register", "buergernah", "--recipient", "Frau Schulz",
             "--notes", "Termin Montag 10 Uhr bestätigen, Unterlagen mitbringen"]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "schreibstube.toml"
    path.write_text(f'data_dir = "{tmp_path / "data"}"\n[[models]]\nname = "skript"\n'
                    'provider = "scripted"\n')
    return path


def run(config: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SCHREIBSTUBE_CONFIG": str(config)}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=120, cwd=cwd)


def test_draft_streams_prints_readability_and_label(config: Path) -> None:
    result = run(config, *DONE_WHEN)
    assert result.returncode == 0, result.stderr
    assert "Antwort (Skript)" in result.stdout and f"[{DRAFT_LABEL}]" in result.stdout
    assert "Lesbarkeit (Stichpunkte → Entwurf): Lesbarkeit (Amstad):" in result.stdout
    assert "Sehr geehrte Frau Schulz," in result.stdout.split("--- Endfassung")[1]


@pytest.mark.skipif(not LIBREOFFICE, reason="LibreOffice ist nicht installiert (libreoffice-writer-nogui)")
def test_done_when_the_odt_opens_in_libreoffice(config: Path, tmp_path: Path) -> None:
    result = run(config, *DONE_WHEN, "--export", "mail.odt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Gespeichert: mail.odt" in result.stdout
    profile = f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}"
    subprocess.run([LIBREOFFICE, profile, "--headless", "--convert-to", "txt:Text",
                    "--outdir", str(tmp_path / "out"), str(tmp_path / "mail.odt")],
                   check=True, capture_output=True, timeout=120)
    converted = (tmp_path / "out" / "mail.txt").read_text(encoding="utf-8-sig")
    lines = [ln.strip() for ln in converted.splitlines()]
    assert lines[:2] == [DRAFT_LABEL, "E-Mail"]
    body = [ln for ln in lines if ln]
    assert body[2] == "Sehr geehrte Frau Schulz," and body[3].startswith("Antwort (Skript)")
    assert body[-2:] == ["Mit freundlichen Grüßen", "[Name]"]


def test_json_output_and_markdown_export(config: Path, tmp_path: Path) -> None:
    result = run(config, "draft", "--type", "vermerk", "--register", "fachsprache", "--notes", "Schulhof",
                 "--json", "--export", str(tmp_path / "v.md"))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["number"] == 1 and data["labels"] == [DRAFT_LABEL] and data["readability"]["before"]
    assert (tmp_path / "v.md").read_text().startswith(f"> **{DRAFT_LABEL}**")


@pytest.mark.parametrize("args, message", [
    (["--type", "gedicht", "--notes", "x"], "Unbekannte Textart „gedicht“"),
    (["--type", "email", "--notes", "x", "--register", "jugend"], "Sprachebene"),
    (["--type", "email", "--notes", "x", "--export", "out.pdf"], "auf .odt, .docx oder .md enden"),
    (["--notes", "x"], "Bitte geben Sie die Textart an"),
])
def test_errors_are_german_without_traceback(config: Path, args: list[str], message: str) -> None:
    result = run(config, "draft", *args)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_options_list_the_ids(config: Path) -> None:
    result = run(config, "draft", "--options")
    assert "vermerk" in result.stdout and "leichte_sprache" in result.stdout


def test_template_round_trip_and_draft_with_variables(config: Path, tmp_path: Path) -> None:
    body = tmp_path / "eingang.txt"
    body.write_text("Ihr Antrag vom {{ datum_antrag }}, Aktenzeichen {{ aktenzeichen }}.", encoding="utf-8")
    added = run(config, "template", "add", "Eingang", "--file", str(body), "--type", "vermerk", "--shared")
    assert added.returncode == 0, added.stderr
    assert "Variablen: datum_antrag, aktenzeichen" in added.stdout
    listed = run(config, "template", "list")
    assert "Eingang\tBehörde\tVermerk\tVariablen: datum_antrag, aktenzeichen" in listed.stdout
    missing = run(config, "draft", "--template", "Eingang", "--var", "aktenzeichen=61-17")
    assert missing.returncode == 1
    assert "Fehler: Für die Vorlage fehlen Angaben: datum_antrag." in missing.stderr
    drafted = run(config, "draft", "--template", "Eingang", "--var", "aktenzeichen=61-17",
                  "--var", "datum_antrag=3. März", "--json")
    assert drafted.returncode == 0, drafted.stderr
    assert json.loads(drafted.stdout)["labels"] == [DRAFT_LABEL]
    db = Database(f"sqlite:///{tmp_path / 'data' / 'schreibstube.db'}")
    with db.session() as s:
        request = s.scalars(select(Draft)).one().request
    db.dispose()
    assert (request["template_name"], request["text_type"]) == ("Eingang", "vermerk")
    assert request["variables"] == {"aktenzeichen": "61-17", "datum_antrag": "3. März"}
    deleted = run(config, "template", "delete", "Eingang")
    assert deleted.returncode == 0 and "Vorlage „Eingang“ gelöscht." in deleted.stdout
    assert "Noch keine Vorlagen" in run(config, "template", "list").stdout
