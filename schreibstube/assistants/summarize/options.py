"""Summary options as chosen by the user; validated once, rendered into prompts as text."""

from __future__ import annotations

from dataclasses import dataclass

from schreibstube.errors import InvalidInput

LENGTHS = {
    "kurz": "kurz: höchstens etwa 120 Wörter",
    "mittel": "mittellang: etwa 250 bis 350 Wörter",
    "ausfuehrlich": "ausführlich: etwa 600 bis 900 Wörter, gegliedert nach den Abschnitten des Dokuments",
}
STYLES = {
    "fachsprache": "in präziser Fachsprache der Verwaltung",
    "buergernah": "bürgernah: klar, freundlich, ohne unnötige Fachbegriffe, kurze Sätze",
    "einfache_sprache": "in Einfacher Sprache: kurze Hauptsätze, bekannte Wörter, Fachbegriffe erklärt",
}
FORMS = {"fliesstext": "als Fließtext in Absätzen", "stichpunkte": "als Stichpunkte (Markdown-Liste)"}
LANGUAGES = {"de": "Deutsch", "en": "Englisch", "fr": "Französisch", "uk": "Ukrainisch",
             "ar": "Arabisch", "tr": "Türkisch"}


@dataclass(frozen=True)
class SummaryOptions:
    length: str = "mittel"  # kurz | mittel | ausfuehrlich
    words: int | None = None  # overrides length
    bullets: int | None = None  # overrides length and form
    style: str = "fachsprache"
    form: str = "fliesstext"
    focus: str = ""
    language: str = "de"

    def __post_init__(self) -> None:
        for value, allowed, label in [(self.length, LENGTHS, "Länge"), (self.style, STYLES, "Stil"),
                                      (self.form, FORMS, "Form"), (self.language, LANGUAGES, "Sprache")]:
            if value not in allowed:
                raise InvalidInput(f"Unbekannte {label} „{value}“. Erlaubt: {', '.join(allowed)}.")
        if self.words is not None and not 20 <= self.words <= 3000:
            raise InvalidInput("Die Wortzahl muss zwischen 20 und 3000 liegen.")
        if self.bullets is not None and not 1 <= self.bullets <= 50:
            raise InvalidInput("Die Zahl der Stichpunkte muss zwischen 1 und 50 liegen.")
        if len(self.focus) > 500:
            raise InvalidInput("Der Schwerpunkt ist zu lang (höchstens 500 Zeichen).")

    def length_instruction(self) -> str:
        if self.bullets:
            return f"genau {self.bullets} Stichpunkte"
        if self.words:
            return f"etwa {self.words} Wörter"
        return LENGTHS[self.length]

    def prompt_values(self) -> dict[str, str]:
        return {
            "length": self.length_instruction(),
            "style": STYLES[self.style],
            "form": FORMS["stichpunkte" if self.bullets else self.form],
            "focus": self.focus.strip(),
            "language": LANGUAGES[self.language],
        }
