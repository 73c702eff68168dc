"""E-mail: German header lines, body, attachments read recursively with decoded names."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

import pytest

from schreibstube.documents import Limits
from schreibstube.documents.registry import Registry

QUOTED_RFC2047 = 'attachment; filename="=?utf-8?q?Bescheid_=E2=80=93_M=C3=BCller.txt?="'


def _mail(body: str, attachments: Sequence[tuple[str, bytes]] = (), html: bool = False) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.invalid", "b@example.invalid", "Test – Ä"
    msg.set_content(body, subtype="html" if html else "plain")
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg


def _load(tmp_path: Path, msg: EmailMessage):
    path = tmp_path / "post.eml"
    path.write_bytes(msg.as_bytes())
    return Registry(Limits(), soffice="").load(path, "post.eml")


@pytest.mark.parametrize(
    "line",
    [
        "Von: Referat 12 <referat12@example.invalid>",
        "An: Poststelle <poststelle@example.invalid>",
        "Betreff: Anfrage nach dem Informationsfreiheitsgesetz – Bitte um Prüfung",
        "Datum: 02.11.2026 09:15",
        "Anhänge: IFG – Informationsfreiheitsgesetz.pdf",
    ],
)
def test_header_lines_open_the_first_page(formats: Path, read, line: str) -> None:
    doc = read(formats / "ifg-anfrage.eml")
    assert line in doc.pages[0].text.split("\n\n")[0].split("\n")
    assert "anbei übersende ich das Informationsfreiheitsgesetz" in doc.pages[0].text


def test_pdf_attachment_is_a_part_with_pages(formats: Path, read) -> None:
    doc = read(formats / "ifg-anfrage.eml")
    (part,) = doc.parts
    assert part.name == "IFG – Informationsfreiheitsgesetz.pdf"
    assert part.media_type == "application/pdf" and part.page_count == 5
    assert [p.number for p in part.pages if "§ 7 Antrag und Verfahren" in p.text] == [3]


@pytest.mark.parametrize("encoding", ["rfc2231", "quoted-rfc2047"])
def test_attachment_names_with_dash_and_umlaut_decode(tmp_path: Path, encoding: str) -> None:
    msg = _mail("Siehe Anhang.", [("Bescheid – Müller.txt", "Bescheid vom 1. März".encode())])
    if encoding == "quoted-rfc2047":
        attachment = next(msg.iter_attachments())
        attachment.replace_header("Content-Disposition", QUOTED_RFC2047)
    doc = _load(tmp_path, msg)
    assert [p.name for p in doc.parts] == ["Bescheid – Müller.txt"]
    assert doc.parts[0].text == "Bescheid vom 1. März"


def test_forwarded_mail_is_read_recursively(tmp_path: Path) -> None:
    inner = _mail("Innere Nachricht", [("notiz.txt", b"Tiefer Anhang")])
    outer = _mail("Weitergeleitet")
    outer.add_attachment(inner)
    doc = _load(tmp_path, outer)
    (forwarded,) = doc.parts
    assert forwarded.media_type == "message/rfc822" and "Innere Nachricht" in forwarded.text
    assert [p.text for p in forwarded.parts] == ["Tiefer Anhang"]


def test_unreadable_attachment_is_a_warning_not_a_failure(formats: Path, tmp_path: Path) -> None:
    locked = (formats / "ifg-passwortgeschuetzt.pdf").read_bytes()
    doc = _load(
        tmp_path, _mail("Mit Anhang", [("geheim.pdf", locked), ("bild.png", b"\x89PNG\r\n\x1a\n\0\0")])
    )
    assert doc.parts == []
    assert "Der Anhang „geheim.pdf“ der E-Mail „post.eml“ wurde nicht gelesen" in doc.warnings[0]
    assert "passwortgeschützt" in doc.warnings[0]
    assert "„bild.png“" in doc.warnings[1] and "nicht unterstützt" in doc.warnings[1]


def test_html_only_body_is_converted(tmp_path: Path) -> None:
    doc = _load(tmp_path, _mail("<p>Sehr geehrte <b>Damen</b></p><ul><li>Punkt</li></ul>", html=True))
    assert "Sehr geehrte Damen\n\n- Punkt" in doc.text
    assert doc.title == "Test – Ä"
