"""Exporting a :class:`~schreibstube.assistants.drafting.draft.Draft`: Markdown, DOCX, ODT.

The office formats use *real* styles, so the document behaves like one written by hand: the
title is "Heading 1", section headings "Heading 2"/"Heading 3", body text "Normal" (DOCX) or
"Text body" (ODT, ``Text_20_body``), bullets "List Bullet". Headings therefore show up in the
navigator and in a generated table of contents, and a house template can restyle everything.
In ODT the headings are ``text:h`` elements with ``text:outline-level`` and the named styles
``Heading_20_1`` … ``Heading_20_3`` LibreOffice itself uses.

Every export starts with the draft label (:data:`DRAFT_LABEL`) and any notices, in a named
paragraph style "Entwurfshinweis" — so they survive copy and paste and can be found and removed
deliberately once the text has been checked. The document language is German (de-DE), so
spell checking works at once.
"""

from __future__ import annotations

import io
import re
import unicodedata

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from odf import dc, style, text
from odf.opendocument import OpenDocumentText

from schreibstube.assistants.drafting.draft import DRAFT_LABEL, Draft, inline_runs, parse_blocks

NOTICE_STYLE = "Entwurfshinweis"
_NOTICE_COLOR = "a01c1c"


def to_markdown(draft: Draft) -> str:
    """The draft as Markdown-light: labels as a block quote, ``# title``, then the body."""
    out = ["\n>\n".join(f"> **{label}**" for label in draft.labels), f"# {draft.title}"]
    for block in parse_blocks(draft.text):
        if block.kind == "heading":
            out.append(f"{'#' * block.level} {block.text}")
        elif block.kind == "bullets":
            out.append("\n".join(f"- {item}" for item in block.items))
        else:
            out.append(block.text)
    return "\n\n".join(out) + "\n"


def to_docx(draft: Draft) -> bytes:
    """The draft as a Word document (python-docx's default template, German)."""
    document = docx.Document()
    _docx_language(document, "de-DE")
    notice = document.styles.add_style(NOTICE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    notice.base_style = document.styles["Normal"]
    notice.font.bold = True
    notice.font.color.rgb = RGBColor.from_string(_NOTICE_COLOR.upper())
    for label in draft.labels:
        document.add_paragraph(label, style=NOTICE_STYLE)
    document.add_heading(draft.title, level=1)
    for block in parse_blocks(draft.text):
        if block.kind == "heading":
            document.add_heading(block.text, level=block.level)
        elif block.kind == "bullets":
            for item in block.items:
                _docx_runs(document.add_paragraph(style="List Bullet"), item)
        else:
            _docx_runs(document.add_paragraph(style="Normal"), block.text)
    props = document.core_properties
    props.title, props.subject, props.language = draft.title, DRAFT_LABEL, "de-DE"
    props.author = props.last_modified_by = "Schreibstube"
    props.comments = " ".join(draft.labels)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_odt(draft: Draft) -> bytes:
    """The draft as an OpenDocument text (odfpy), with named heading and body styles."""
    document = OpenDocumentText()
    styles = _odt_styles(document)
    document.meta.addElement(dc.Title(text=draft.title))
    document.meta.addElement(dc.Language(text="de-DE"))
    body = document.text
    for label in draft.labels:
        body.addElement(text.P(stylename=styles["notice"], text=label))
    body.addElement(text.H(outlinelevel=1, stylename=styles["h1"], text=draft.title))
    for block in parse_blocks(draft.text):
        if block.kind == "heading":
            heading = text.H(outlinelevel=block.level, stylename=styles[f"h{block.level}"])
            body.addElement(_odt_runs(heading, block.text, styles))
        elif block.kind == "bullets":
            bullet_list = text.List(stylename=styles["list"])
            for item in block.items:
                list_item = text.ListItem()
                list_item.addElement(_odt_runs(text.P(stylename=styles["bullet"]), item, styles))
                bullet_list.addElement(list_item)
            body.addElement(bullet_list)
        else:
            body.addElement(_odt_runs(text.P(stylename=styles["body"]), block.text, styles))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def filename(draft: Draft, extension: str) -> str:
    """An ASCII file name for downloads, e.g. ``Entwurf-Antrag-auf-Baugenehmigung.docx``."""
    ascii_title = unicodedata.normalize("NFKD", _transliterate(draft.title))
    ascii_title = ascii_title.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-")[:60].rstrip("-")
    return f"Entwurf-{slug or 'Text'}.{extension.lstrip('.')}"


# -- DOCX helpers --------------------------------------------------------------------------


def _docx_language(document: object, tag: str) -> None:
    """Set the proofing language on the Normal style (all others inherit it)."""
    normal = document.styles["Normal"]  # type: ignore[attr-defined]
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)
    rpr.append(lang)


def _docx_runs(paragraph: DocxParagraph, content: str) -> DocxParagraph:
    for number, line in enumerate(content.split("\n")):
        if number:
            paragraph.add_run().add_break()
        for chunk, bold in inline_runs(line):
            paragraph.add_run(chunk).bold = bold or None
    return paragraph


# -- ODT helpers ---------------------------------------------------------------------------


def _odt_styles(document: OpenDocumentText) -> dict[str, style.Style]:
    """Named styles as LibreOffice names them, plus automatic bold and list styles."""
    named = document.styles
    standard = style.Style(name="Standard", family="paragraph", attributes={"class": "text"})
    standard.addElement(style.TextProperties(language="de", country="DE", fontsize="11pt"))
    heading = style.Style(
        name="Heading",
        family="paragraph",
        parentstylename="Standard",
        nextstylename="Text_20_body",
        attributes={"class": "text"},
    )
    heading.addElement(
        style.ParagraphProperties(margintop="0.42cm", marginbottom="0.21cm", keepwithnext="always")
    )
    heading.addElement(style.TextProperties(fontweight="bold"))
    body = style.Style(
        name="Text_20_body",
        displayname="Text body",
        family="paragraph",
        parentstylename="Standard",
        attributes={"class": "text"},
    )
    body.addElement(style.ParagraphProperties(margintop="0cm", marginbottom="0.25cm"))
    notice = style.Style(name=NOTICE_STYLE, family="paragraph", parentstylename="Standard")
    notice.addElement(style.TextProperties(fontweight="bold", color=f"#{_NOTICE_COLOR}"))
    bullet = style.Style(
        name="List_20_Bullet",
        displayname="List Bullet",
        family="paragraph",
        parentstylename="Text_20_body",
        attributes={"class": "list"},
    )
    out = {"notice": notice, "body": body, "bullet": bullet}
    for style_element in (standard, heading, body, notice, bullet):
        named.addElement(style_element)
    for level, size in ((1, "16pt"), (2, "13pt"), (3, "12pt")):
        h = style.Style(
            name=f"Heading_20_{level}",
            displayname=f"Heading {level}",
            family="paragraph",
            parentstylename="Heading",
            nextstylename="Text_20_body",
            defaultoutlinelevel=level,
            attributes={"class": "text"},
        )
        h.addElement(style.TextProperties(fontsize=size, fontweight="bold"))
        named.addElement(h)
        out[f"h{level}"] = h
    named.addElement(_odt_outline_style())
    bold = style.Style(name="T1", family="text")
    bold.addElement(style.TextProperties(fontweight="bold"))
    bullets = text.ListStyle(name="L1")
    level_style = text.ListLevelStyleBullet(level=1, bulletchar="•")
    level_style.addElement(style.ListLevelProperties(spacebefore="0.4cm", minlabelwidth="0.5cm"))
    bullets.addElement(level_style)
    document.automaticstyles.addElement(bold)
    document.automaticstyles.addElement(bullets)
    out["bold"], out["list"] = bold, bullets
    return out


def _odt_outline_style() -> text.OutlineStyle:
    outline = text.OutlineStyle(name="Outline")
    for level in range(1, 11):
        outline.addElement(text.OutlineLevelStyle(level=level, numformat=""))
    return outline


def _odt_runs(element: text.P, content: str, styles: dict[str, style.Style]) -> text.P:
    for number, line in enumerate(content.split("\n")):
        if number:
            element.addElement(text.LineBreak())
        for chunk, bold in inline_runs(line):
            if bold:
                element.addElement(text.Span(stylename=styles["bold"], text=chunk))
            else:
                element.addText(chunk)
    return element


def _transliterate(value: str) -> str:
    for umlaut, plain in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("Ä", "Ae"),
        ("Ö", "Oe"),
        ("Ü", "Ue"),
        ("ß", "ss"),
    ):
        value = value.replace(umlaut, plain)
    return value
