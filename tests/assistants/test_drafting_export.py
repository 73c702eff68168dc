"""Exports: reopened with python-docx / odfpy (and LibreOffice, when installed)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.text.paragraph import Paragraph as DocxParagraph
from odf import teletype, text
from odf.namespaces import TEXTNS
from odf.opendocument import load
from odf.style import Style

from schreibstube.assistants.drafting import (
    DRAFT_LABEL,
    Draft,
    filename,
    to_docx,
    to_markdown,
    to_odt,
)
from schreibstube.assistants.drafting.draft import parse_blocks

BODY = """Aktenzeichen: 61-2024-17

## Sachverhalt

Der Schulhof der **Grundschule Nord** ist sanierungsbedürftig.
Die Schäden sind dokumentiert.

- Belag gerissen
- Entwässerung defekt

## Vorschlag

Sanierung in den Sommerferien."""
NOTICE = "Leichte Sprache – nicht von einer Prüfgruppe geprüft"
DRAFT = Draft(title="Sanierung Schulhof Nord", text=BODY)


def test_markdown_starts_with_label_then_title() -> None:
    assert to_markdown(DRAFT).startswith(f"> **{DRAFT_LABEL}**\n\n# Sanierung Schulhof Nord\n\n")
    assert "## Sachverhalt\n\nDer Schulhof" in to_markdown(DRAFT)
    assert "- Belag gerissen\n- Entwässerung defekt" in to_markdown(DRAFT)


def style_name(paragraph: DocxParagraph) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


def test_docx_uses_real_styles_and_label_first() -> None:
    document = docx.Document(io.BytesIO(to_docx(DRAFT)))
    paragraphs = [(style_name(p), p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Entwurfshinweis", DRAFT_LABEL)
    assert paragraphs[1] == ("Heading 1", "Sanierung Schulhof Nord")
    assert ("Heading 2", "Sachverhalt") in paragraphs and ("Heading 2", "Vorschlag") in paragraphs
    assert ("List Bullet", "Belag gerissen") in paragraphs
    assert ("Normal", "Sanierung in den Sommerferien.") in paragraphs
    assert document.styles["Entwurfshinweis"].base_style.name == "Normal"


def test_docx_keeps_line_breaks_bold_and_metadata() -> None:
    document = docx.Document(io.BytesIO(to_docx(DRAFT)))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Der Schulhof"))
    assert paragraph.text == (
        "Der Schulhof der Grundschule Nord ist sanierungsbedürftig.\nDie Schäden sind dokumentiert."
    )
    assert [r.text for r in paragraph.runs if r.bold] == ["Grundschule Nord"]
    assert document.core_properties.title == "Sanierung Schulhof Nord"
    assert document.core_properties.language == "de-DE"


def test_notices_follow_the_label() -> None:
    document = docx.Document(io.BytesIO(to_docx(Draft("Titel", "Text.", notices=(NOTICE,)))))
    assert [p.text for p in document.paragraphs[:3]] == [DRAFT_LABEL, NOTICE, "Titel"]


def odt_body(data: bytes) -> list[tuple[str, str, str, str]]:
    """(element, style, outline level, text) for each top-level body element."""
    document = load(io.BytesIO(data))
    return [
        (
            el.tagName,
            el.getAttrNS(TEXTNS, "style-name") or "",
            el.getAttrNS(TEXTNS, "outline-level") or "",
            teletype.extractText(el),
        )
        for el in document.text.childNodes
        if el.tagName in ("text:p", "text:h", "text:list")
    ]


def test_odt_uses_headings_with_outline_levels_and_label_first() -> None:
    body = odt_body(to_odt(DRAFT))
    assert body[0] == ("text:p", "Entwurfshinweis", "", DRAFT_LABEL)
    assert body[1] == ("text:h", "Heading_20_1", "1", "Sanierung Schulhof Nord")
    assert ("text:h", "Heading_20_2", "2", "Sachverhalt") in body
    assert ("text:p", "Text_20_body", "", "Sanierung in den Sommerferien.") in body
    assert any(tag == "text:list" and "Belag gerissen" in txt for tag, _, _, txt in body)


def test_odt_styles_are_named_paragraph_styles() -> None:
    document = load(io.BytesIO(to_odt(DRAFT)))
    named = {s.getAttribute("name"): s for s in document.styles.getElementsByType(Style)}
    for name in ("Heading_20_1", "Heading_20_2", "Text_20_body", "Entwurfshinweis"):
        assert named[name].getAttribute("family") == "paragraph"
    assert named["Heading_20_1"].getAttribute("defaultoutlinelevel") == "1"
    assert named["Heading_20_1"].getAttribute("displayname") == "Heading 1"


def test_odt_keeps_line_breaks() -> None:
    document = load(io.BytesIO(to_odt(DRAFT)))
    paragraph = next(
        p
        for p in document.text.getElementsByType(text.P)
        if teletype.extractText(p).startswith("Der Schulhof")
    )
    assert len(paragraph.getElementsByType(text.LineBreak)) == 1


@pytest.mark.parametrize(
    ("output", "title", "starts"),
    [
        ("# Sanierung\n\n## Sachverhalt\n\nText", "Sanierung", "## Sachverhalt"),
        (
            "Betreff: Ihr Antrag vom 3. Mai\n\nSehr geehrte Frau Schulz,",
            "Ihr Antrag vom 3. Mai",
            "Sehr geehrte",
        ),
        ("```markdown\n# Titel\n\nText\n```", "Titel", "Text"),
        ("## Sachverhalt\n\nText", "Vermerk", "## Sachverhalt"),
        ("Nur Text.", "Vermerk", "Nur Text."),
    ],
)
def test_draft_from_model_output(output: str, title: str, starts: str) -> None:
    draft = Draft.from_model_output(output, fallback_title="Vermerk")
    assert draft.title == title and draft.text.startswith(starts)


def test_heading_levels_are_clamped_below_the_title() -> None:
    blocks = parse_blocks("# Eins\n\n### Drei\n\n#### Vier")
    assert [(b.kind, b.level) for b in blocks] == [("heading", 2), ("heading", 3), ("heading", 3)]


def test_filename_is_ascii() -> None:
    draft = Draft("Bürgeranfrage: Straßenreinigung / Gebühren", "x")
    assert filename(draft, "docx") == "Entwurf-Buergeranfrage-Strassenreinigung-Gebuehren.docx"


LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


def libreoffice_convert(tmp_path: Path, source: Path, target: str) -> Path:
    assert LIBREOFFICE
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            LIBREOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return tmp_path / "out" / f"{source.stem}.{target.split(':')[0]}"


@pytest.mark.skipif(not LIBREOFFICE, reason="LibreOffice ist nicht installiert (libreoffice-writer-nogui)")
@pytest.mark.parametrize("export", [to_odt, to_docx], ids=["odt", "docx"])
def test_libreoffice_opens_the_export(tmp_path: Path, export: object) -> None:
    source = tmp_path / f"entwurf.{export.__name__[3:]}"  # type: ignore[attr-defined]
    source.write_bytes(export(DRAFT))  # type: ignore[operator]
    converted = libreoffice_convert(tmp_path, source, "txt:Text").read_text(encoding="utf-8-sig")
    lines = [line.strip() for line in converted.splitlines()]
    assert lines[:2] == [DRAFT_LABEL, "Sanierung Schulhof Nord"]
    assert "Sachverhalt" in lines and "• Belag gerissen" in lines


@pytest.mark.skipif(not LIBREOFFICE, reason="LibreOffice ist nicht installiert (libreoffice-writer-nogui)")
def test_libreoffice_reads_odt_headings_as_headings(tmp_path: Path) -> None:
    source = tmp_path / "entwurf.odt"
    source.write_bytes(to_odt(DRAFT))
    document = docx.Document(str(libreoffice_convert(tmp_path, source, "docx")))
    styles = {p.text: style_name(p) for p in document.paragraphs}
    assert styles["Sanierung Schulhof Nord"] == "Heading 1"
    assert styles["Sachverhalt"] == "Heading 2"
