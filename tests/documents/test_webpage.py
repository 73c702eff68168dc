"""HTML: structure as Markdown-ish text, boilerplate dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from schreibstube.documents.webpage import html_blocks

PAGE = """<!DOCTYPE html><html><head><title>Amt</title><style>p{}</style></head><body>
<nav><a href="/">Startseite</a></nav><script>var geheim = 1;</script>
<h2>Öffnungszeiten</h2><p>Montag&nbsp;bis
   Freitag<br>8 bis 12 Uhr</p>
<table><tr><th>Tag</th><th>Zeit</th></tr><tr><td>Mo</td><td>8–12</td></tr></table>
<ol start="3"><li>Antrag<ul><li>Formular A</li></ul></li><li><p>Nachweis</p></li></ol>
<div>Lose <b>Zeile</b></div></body></html>"""


@pytest.mark.parametrize(
    "expected",
    [
        "## Öffnungszeiten",
        "Montag bis Freitag\n8 bis 12 Uhr",
        "| Tag | Zeit |\n| --- | --- |\n| Mo | 8–12 |",
        "3. Antrag\n    - Formular A\n4. Nachweis",
        "Lose Zeile",
    ],
)
def test_html_blocks_become_markdown(expected: str) -> None:
    blocks, title = html_blocks(PAGE)
    assert expected in [b.markdown for b in blocks]
    assert title == "Amt"


def test_scripts_styles_and_navigation_are_dropped() -> None:
    text = "\n".join(b.markdown for b in html_blocks(PAGE)[0])
    assert "geheim" not in text and "Startseite" not in text and "p{}" not in text


def test_law_web_page_keeps_headings_and_numbered_lists(formats: Path, read) -> None:
    doc = read(formats / "vwvfg.html")
    assert doc.title == "Verwaltungsverfahrensgesetz (VwVfG)" and doc.logical_pages
    assert "\n#### § 44 Nichtigkeit des Verwaltungsaktes\n" in doc.text
    assert "\n1. des Bundes, der bundesunmittelbaren Körperschaften" in doc.text
    assert "<p>" not in doc.text
