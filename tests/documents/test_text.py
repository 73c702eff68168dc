"""Plain text and Markdown: front matter, encodings, logical and form-feed pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from schreibstube.documents import Limits
from schreibstube.documents.registry import Registry
from schreibstube.documents.text import split_front_matter

LAWS = ["bdsg_2018", "bgg", "bitv_2_0", "egovg", "gg", "ifg", "ozg", "vwvfg"]


def _load(path: Path, name: str | None = None):
    return Registry(Limits(), soffice="").load(path, name or path.name)


@pytest.mark.parametrize("law", LAWS)
def test_front_matter_becomes_the_title_and_leaves_the_text(laws: Path, law: str) -> None:
    source = (laws / f"{law}.md").read_text(encoding="utf-8")
    doc = _load(laws / f"{law}.md")
    assert doc.title == split_front_matter(source)[0]["title"]
    assert doc.pages[0].text.startswith("# ")
    assert "origslug:" not in doc.text and doc.media_type == "text/markdown"


@pytest.mark.parametrize("law", ["gg", "vwvfg", "bdsg_2018"])
def test_logical_pages_are_small_and_cut_at_paragraphs(laws: Path, law: str) -> None:
    source = (laws / f"{law}.md").read_text(encoding="utf-8")
    doc = _load(laws / f"{law}.md")
    assert doc.logical_pages and doc.page_count > 10
    assert all(len(p.text) <= 3000 for p in doc.pages)
    for page in doc.pages[1:]:
        assert f"\n\n{page.text[:20]}" in source  # a page starts where a paragraph does


def test_form_feeds_are_printed_pages(tmp_path: Path) -> None:
    path = tmp_path / "auszug.txt"
    path.write_text("Seite eins\n\fSeite zwei\n\fSeite drei", encoding="utf-8")
    doc = _load(path)
    assert [p.text for p in doc.pages] == ["Seite eins", "Seite zwei", "Seite drei"]
    assert not doc.logical_pages


@pytest.mark.parametrize(
    "data",
    [
        "Gebühr für Änderung".encode("cp1252"),
        "\ufeffGebühr für Änderung".encode(),
        "Gebühr für Änderung".encode("utf-16"),
    ],
    ids=["windows-1252", "utf-8-bom", "utf-16"],
)
def test_encodings_are_detected(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "notiz.txt"
    path.write_bytes(data)
    assert _load(path).text == "Gebühr für Änderung"


def test_press_release_reads_as_one_page(shared_data: Path) -> None:
    doc = _load(shared_data / "pressemitteilung-sachsen-anhalt-llmoin-2025.txt")
    assert doc.media_type == "text/plain" and doc.page_count == 1
    assert "Sachsen-Anhalt" in doc.text
