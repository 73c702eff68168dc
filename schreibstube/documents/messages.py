"""German, user-facing messages of the document layer, in one place for review.

Every message names the file (in German quotation marks „…“), says what is wrong and what the
user can do. Callers pass numbers and names only; nothing here reads a file. The functions
are pure, so the wording is tested without documents.
"""

from __future__ import annotations

from collections.abc import Sequence

SUPPORTED_LABELS = (
    "PDF",
    "Word (DOCX)",
    "OpenDocument-Text (ODT)",
    "Text (TXT)",
    "Markdown (MD)",
    "Webseite (HTML)",
    "E-Mail (EML)",
)


def _join(items: Sequence[str]) -> str:
    """German enumeration: "a, b und c"."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " und " + items[-1]


def page_list(numbers: Sequence[int]) -> str:
    """Compress page numbers into ranges: [1, 2, 3, 7] -> "1–3 und 7"."""
    ranges: list[str] = []
    start = prev = None
    for n in sorted(set(numbers)):
        if prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            ranges.append(f"{start}–{prev}" if prev != start else f"{start}")
        start = prev = n
    if start is not None:
        ranges.append(f"{start}–{prev}" if prev != start else f"{start}")
    return _join(ranges)


def _pages_phrase(numbers: Sequence[int]) -> str:
    return ("Seite " if len(numbers) == 1 else "Seiten ") + page_list(numbers)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def encrypted(name: str) -> str:
    return f"Die Datei „{name}“ ist passwortgeschützt – bitte ohne Kennwort speichern und erneut hochladen."


def damaged(name: str, reason: str) -> str:
    return (
        f"Die Datei „{name}“ ist beschädigt ({reason}) und konnte auch nicht repariert "
        "werden. Bitte öffnen Sie die Datei im ursprünglichen Programm, speichern oder "
        "exportieren Sie sie erneut und laden Sie sie dann noch einmal hoch."
    )


def repaired(name: str) -> str:
    return (
        f"Die Datei „{name}“ war beschädigt und wurde automatisch repariert. Bitte prüfen "
        "Sie, ob der Text vollständig ist."
    )


def unsupported(name: str) -> str:
    return (
        f"Das Format der Datei „{name}“ wird nicht unterstützt. Unterstützt werden "
        f"{_join(SUPPORTED_LABELS)}. Bitte speichern Sie die Datei in einem dieser Formate "
        "und laden Sie sie erneut hoch."
    )


def too_large(name: str, size: int, max_bytes: int) -> str:
    return (
        f"Die Datei „{name}“ ist mit {megabytes(size)} zu groß; erlaubt sind höchstens "
        f"{megabytes(max_bytes)}. Bitte teilen Sie die Datei auf oder verkleinern Sie sie "
        "(z. B. Bilder komprimieren) und laden Sie sie erneut hoch."
    )


def too_many_pages(name: str, pages: int, max_pages: int) -> str:
    return (
        f"Die Datei „{name}“ hat {pages} Seiten; erlaubt sind höchstens {max_pages}. Bitte "
        "teilen Sie die Datei in kleinere Dateien auf und laden Sie diese einzeln hoch."
    )


def empty_file(name: str) -> str:
    return f"Die Datei „{name}“ ist leer (0 Byte). Bitte prüfen Sie die Datei und laden Sie sie erneut hoch."


def no_text(name: str) -> str:
    return (
        f"Die Datei „{name}“ enthält keinen lesbaren Text und wurde deshalb nicht "
        "übernommen. Bitte prüfen Sie, ob Sie die richtige Datei gewählt haben."
    )


def scan_without_text(name: str, pages: Sequence[int], ocr_available: bool) -> str:
    why = (
        "auch die Texterkennung (OCR) hat dort keinen Text gefunden"
        if ocr_available
        else "die Texterkennung (OCR) ist auf diesem Server nicht verfügbar"
    )
    return (
        f"Die Datei „{name}“ enthält keinen lesbaren Text: {_pages_phrase(pages)} "
        f"{'ist ein Bild' if len(pages) == 1 else 'sind Bilder'} ohne Textebene (vermutlich "
        f"ein Scan), und {why}. Bitte laden Sie eine PDF-Datei mit Textebene hoch, z. B. nach "
        "einer Texterkennung im Scanprogramm."
    )


def pages_without_text(name: str, pages: Sequence[int], ocr_available: bool) -> str:
    why = (
        "auch die Texterkennung (OCR) hat dort keinen Text gefunden"
        if ocr_available
        else "die Texterkennung (OCR) ist auf diesem Server nicht verfügbar"
    )
    return (
        f"In der Datei „{name}“ {'enthält' if len(pages) == 1 else 'enthalten'} die "
        f"{_pages_phrase(pages)} keinen Text (vermutlich "
        f"eingescannt), und {why}. Der Inhalt dieser Seiten wird bei Suche und Antworten "
        "nicht berücksichtigt."
    )


def estimated_pages(name: str) -> str:
    return (
        f"Für die Datei „{name}“ konnten keine gedruckten Seitenzahlen ermittelt werden. Sie "
        "wurde in Abschnitte von etwa 3000 Zeichen eingeteilt; Quellenangaben nennen diese "
        "Abschnitte statt Seiten."
    )


def timeout(name: str, seconds: float) -> str:
    return (
        f"Das Lesen der Datei „{name}“ hat länger als {seconds:g} Sekunden gedauert und wurde "
        "abgebrochen. Bitte teilen Sie die Datei in kleinere Dateien auf oder laden Sie "
        "gescannte Dokumente als PDF mit Textebene hoch."
    )


def crashed(name: str) -> str:
    return (
        f"Die Datei „{name}“ konnte wegen eines unerwarteten Fehlers beim Lesen nicht "
        "verarbeitet werden. Bitte speichern Sie sie erneut (z. B. als PDF) und laden Sie sie "
        "noch einmal hoch. Besteht das Problem weiter, wenden Sie sich an Ihren IT-Service."
    )


def attachment_skipped(attachment: str, mail: str, reason: str) -> str:
    return f"Der Anhang „{attachment}“ der E-Mail „{mail}“ wurde nicht gelesen: {reason}"


def attachments_too_deep(mail: str) -> str:
    return (
        f"Die E-Mail „{mail}“ enthält zu tief verschachtelte weitergeleitete E-Mails; "
        "die innersten Anhänge wurden nicht gelesen."
    )
