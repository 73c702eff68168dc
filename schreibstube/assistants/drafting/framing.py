"""Salutation and closing, guaranteed in code after the model has written.

The prompt asks the model to copy the salutation line and the closing computed in
:mod:`.salutation`. Models — small ones especially — forget them, alter them ("Sehr geehrte
Frau Schulz" without the comma, "Liebe Grüße" in a formal letter) or invent their own.
:func:`frame` repairs the finished body of a text type that has an Anrede:

* the first non-empty line, if it *is* a salutation ("Sehr geehrte …", "Guten Tag …",
  "Liebe …", "Hallo …"), is replaced by the computed line — text after its first comma stays,
  as the next paragraph; otherwise the computed line is put in front;
* among the last lines, a closing formula ("… Grüße", "Hochachtungsvoll") is replaced by the
  computed closing, keeping the name lines below it; without one, the closing and the sender
  (or the placeholder "[Name]") are appended. A closing that ends the text gets the sender.

Pure string work on the Markdown-light body (see :mod:`.draft`); partial texts from a broken
stream are not framed — adding a closing to half a letter would hide that it is incomplete.
"""

from __future__ import annotations

import re

_SALUTATION = re.compile(r"^(?:sehr geehrte[rs]?|guten (?:tag|morgen|abend)|liebe[rs]?|hallo|moin)\b",
                         re.IGNORECASE)
_CLOSING = re.compile(
    r"^(?:(?:mit\s+)?(?:freundliche[nr]?|beste[nr]?|herzliche[nr]?|viele[nr]?|liebe[nr]?|"
    r"kollegiale[nr]?)\s+gr(?:ü|ue)(?:ß|ss)(?:e|en)?|hochachtungsvoll)\b",
    re.IGNORECASE,
)
_CLOSING_WINDOW = 6  # a closing is looked for in this many last lines
NAME_PLACEHOLDER = "[Name]"


def frame(body: str, *, salutation: str, closing: str, sender: str = "") -> str:
    """``body`` starting with ``salutation`` and ending with ``closing`` and the sender."""
    lines = body.strip().splitlines()
    if salutation:
        lines = _with_salutation(lines, salutation)
    if closing:
        lines = _with_closing(lines, closing, sender.strip() or NAME_PLACEHOLDER)
    return "\n".join(lines).strip()


def _with_salutation(lines: list[str], salutation: str) -> list[str]:
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return [salutation]
    line = lines[first].strip()
    if not _SALUTATION.match(line):
        return [salutation, "", *lines]
    _, _, rest = line.partition(",")
    tail = ["", rest.strip()] if rest.strip() else []
    return [*lines[:first], salutation, *tail, *lines[first + 1 :]]


def _with_closing(lines: list[str], closing: str, sender: str) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    for i in range(len(lines) - 1, max(-1, len(lines) - 1 - _CLOSING_WINDOW), -1):
        if _CLOSING.match(lines[i].strip()):
            below = lines[i + 1 :]
            return [*lines[:i], closing, *(below or [sender])]
    return [*lines, "", closing, sender]
