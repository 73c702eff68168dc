"""The catalog of text types and prompt files, loaded and validated once at start-up.

Everything the model is told lives in files next to this module, reviewed like code:

* ``types/<id>.toml`` — one text type each (E-Mail, Brief, Vermerk, ...): German label, the
  section list, and ``prompt``, a Jinja template with the type-specific instructions.
* ``prompts/system.md``, ``prompts/user.md``, ``prompts/revision.md`` — the frames every type
  shares (rules, output format, where notes and the fenced source text go).
* ``prompts/options.toml`` — label and model guidance for each register, length, gender-fair
  style and revision preset.

:func:`load_catalog` reads all of it, plus text types from operator/tenant directories
(``extra_dirs``; a later file with the same id replaces an earlier one), and raises
:class:`~schreibstube.errors.ConfigError` naming the broken file for anything invalid: bad TOML,
an unknown or missing field, a Jinja syntax error, or a template using a variable it may not
use (a typo such as ``{{ recipeint }}`` would otherwise surface only as a 500 on the first
request). Templates render in Jinja's sandbox with ``StrictUndefined``.

Variables: a type prompt may use the names in :data:`PROMPT_CONTEXT` plus those it declares in
``variables`` (e.g. ``aktenzeichen``); declared ones must then be filled by the request. User
templates saved later are checked with :func:`validate_user_template`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from schreibstube.assistants.drafting.request import (
    GENDER_STYLES,
    LENGTHS,
    REGISTERS,
    german_number,
)
from schreibstube.errors import ConfigError, InvalidInput

PACKAGE_DIR = Path(__file__).parent
TYPES_DIR = PACKAGE_DIR / "types"
PROMPTS_DIR = PACKAGE_DIR / "prompts"

REVISION_PRESETS: tuple[str, ...] = ("kuerzer", "foermlicher", "einfacher")

# fmt: off
#: Names every text type prompt may use (``messages._context`` builds exactly these).
PROMPT_CONTEXT: frozenset[str] = frozenset({
    "text_type", "sections", "notes", "recipient", "recipient_label", "salutation", "closing",
    "sender", "register", "register_label", "length", "length_guidance", "leichte_sprache",
    "has_source", "has_template",
})
# fmt: on
#: Extra names each frame may use on top of PROMPT_CONTEXT.
FRAME_CONTEXT: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "system": frozenset({"register_guidance", "gender_guidance"}),
        "user": frozenset({"task", "source_text", "template"}),
        "revision": frozenset({"instruction", "preset"}),
    }
)

# fmt: off
_TYPE_FIELDS = frozenset({
    "id", "label", "description", "order", "sections", "salutation", "recipient_label",
    "variables", "lengths", "prompt",
})
# fmt: on
_REQUIRED_TYPE_FIELDS = ("id", "label", "sections", "prompt")
_ID = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_VARIABLE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_USER_TEMPLATE_CHARS = 20_000


def make_environment() -> SandboxedEnvironment:
    """The Jinja environment for all drafting prompts: sandboxed, strict, plain text."""
    return SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


@dataclass(frozen=True)
class Option:
    """One choice of a closed option set, e.g. register "buergernah"."""

    id: str
    label: str
    guidance: str


@dataclass(frozen=True)
class Options:
    registers: Mapping[str, Option]
    lengths: Mapping[str, Option]
    genders: Mapping[str, Option]
    revisions: Mapping[str, Option]


@dataclass(frozen=True)
class TextType:
    """A kind of text, as read from ``types/<id>.toml``."""

    id: str
    label: str
    description: str
    sections: tuple[str, ...]
    salutation: bool
    recipient_label: str
    variables: tuple[str, ...]
    lengths: Mapping[str, str]
    order: int
    source: Path
    template: jinja2.Template = field(repr=False, compare=False)

    def render(self, context: Mapping[str, Any]) -> str:
        return _render(self.template, context, self.source)


@dataclass(frozen=True)
class Catalog:
    """All text types (in display order), the option sets and the shared prompt frames."""

    text_types: Mapping[str, TextType]
    options: Options
    frames: Mapping[str, jinja2.Template] = field(repr=False)

    def get(self, type_id: str) -> TextType:
        try:
            return self.text_types[type_id]
        except KeyError:
            known = ", ".join(self.text_types)
            raise InvalidInput(f"Unbekannte Textart „{type_id}“. Verfügbar sind: {known}.") from None

    def choices(self) -> list[tuple[str, str]]:
        """(id, German label) pairs for a selection list."""
        return [(t.id, t.label) for t in self.text_types.values()]

    def render_frame(self, name: str, context: Mapping[str, Any]) -> str:
        return _render(self.frames[name], context, PROMPTS_DIR / f"{name}.md")


def load_catalog(extra_dirs: list[Path] | tuple[Path, ...] = ()) -> Catalog:
    """Load built-in text types, then ``*.toml`` text types from each of ``extra_dirs``."""
    env = make_environment()
    types: dict[str, TextType] = {}
    for directory in (TYPES_DIR, *extra_dirs):
        if not directory.is_dir():
            raise ConfigError(f"Das Verzeichnis für Textarten {directory} existiert nicht.")
        seen: set[str] = set()
        for path in sorted(directory.glob("*.toml")):
            text_type = _load_text_type(path, env)
            if text_type.id in seen:
                raise ConfigError(f"Die Textart „{text_type.id}“ ist in {directory} doppelt.")
            seen.add(text_type.id)
            types[text_type.id] = text_type
    if not types:
        raise ConfigError(f"In {TYPES_DIR} wurden keine Textarten gefunden.")
    ordered = sorted(types.values(), key=lambda t: (t.order, t.label))
    return Catalog(
        text_types=MappingProxyType({t.id: t for t in ordered}),
        options=_load_options(PROMPTS_DIR / "options.toml"),
        frames=MappingProxyType({name: _load_frame(name, env) for name in FRAME_CONTEXT}),
    )


def validate_user_template(text: str) -> list[str]:
    """Check a template a user wants to save; return its variable names, sorted.

    Raises :class:`InvalidInput` (German, with the line number) for syntax errors, includes of
    other templates and variable names that are not simple lower-case identifiers.
    """
    if len(text) > MAX_USER_TEMPLATE_CHARS:
        raise InvalidInput(
            f"Die Vorlage ist zu lang (höchstens {german_number(MAX_USER_TEMPLATE_CHARS)} Zeichen)."
        )
    env = make_environment()
    try:
        ast = env.parse(text)
    except jinja2.TemplateSyntaxError as exc:
        raise InvalidInput(
            f"Die Vorlage enthält in Zeile {exc.lineno} einen Fehler: {exc.message}. "
            "Variablen schreiben Sie so: {{ aktenzeichen }}."
        ) from exc
    if any(True for _ in ast.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport))):
        raise InvalidInput("Eine Vorlage darf keine anderen Vorlagen einbinden.")
    if any(node.attr.startswith("_") for node in ast.find_all(nodes.Getattr)):
        raise InvalidInput("Eine Vorlage darf nur Variablen wie {{ aktenzeichen }} einsetzen.")
    names = sorted(meta.find_undeclared_variables(ast))
    bad = [n for n in names if not _VARIABLE.match(n)]
    if bad:
        raise InvalidInput(
            f"Ungültiger Variablenname: {', '.join(bad)}. Erlaubt sind Kleinbuchstaben, "
            "Ziffern und Unterstriche, z. B. {{ aktenzeichen }} oder {{ datum_antrag }}."
        )
    return names


def render_user_template(text: str, values: Mapping[str, str]) -> str:
    """Render a validated user template; missing values are an :class:`InvalidInput`."""
    names = validate_user_template(text)
    missing = [n for n in names if not str(values.get(n, "")).strip()]
    if missing:
        raise InvalidInput(f"Für die Vorlage fehlen Angaben: {', '.join(missing)}.")
    template = make_environment().from_string(text)
    try:
        return template.render({n: str(values[n]).strip() for n in names}).strip()
    except jinja2.TemplateError as exc:
        raise InvalidInput(f"Die Vorlage ließ sich nicht ausfüllen: {exc}") from exc


# -- loading -------------------------------------------------------------------------------


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Die Datei {path} ist kein gültiges TOML: {exc}") from exc


def _load_text_type(path: Path, env: SandboxedEnvironment) -> TextType:
    data = _read_toml(path)

    def broken(reason: str) -> ConfigError:
        return ConfigError(f"Die Textart-Datei {path} ist ungültig: {reason}")

    unknown = sorted(set(data) - _TYPE_FIELDS)
    if unknown:
        allowed = ", ".join(sorted(_TYPE_FIELDS))
        raise broken(f"unbekanntes Feld „{unknown[0]}“ (erlaubt: {allowed}).")
    for name in _REQUIRED_TYPE_FIELDS:
        if not data.get(name):
            raise broken(f"Pflichtfeld „{name}“ fehlt oder ist leer.")
    type_id = _expect(data, "id", str, broken)
    if not _ID.match(type_id) or type_id != path.stem:
        raise broken(
            f"„id“ muss aus Kleinbuchstaben bestehen und dem Dateinamen ({path.stem}) "
            f"entsprechen, ist aber „{type_id}“."
        )
    sections = _expect(data, "sections", list, broken)
    if not all(isinstance(s, str) and s.strip() for s in sections):
        raise broken("„sections“ muss eine Liste nicht leerer Texte sein.")
    variables = tuple(_expect(data, "variables", list, broken, default=[]))
    for var in variables:
        if not isinstance(var, str) or not _VARIABLE.match(var) or var in PROMPT_CONTEXT:
            raise broken(f"ungültiger oder reservierter Variablenname „{var}“.")
    lengths = _expect(data, "lengths", dict, broken, default={})
    if set(lengths) - set(LENGTHS) or not all(isinstance(v, str) for v in lengths.values()):
        raise broken(f"„lengths“ darf nur Texte für {', '.join(LENGTHS)} enthalten.")
    template = _compile(_expect(data, "prompt", str, broken), env, PROMPT_CONTEXT | set(variables), broken)
    return TextType(
        id=type_id,
        label=_expect(data, "label", str, broken),
        description=_expect(data, "description", str, broken, default=""),
        sections=tuple(s.strip() for s in sections),
        salutation=_expect(data, "salutation", bool, broken, default=False),
        recipient_label=_expect(data, "recipient_label", str, broken, default="Empfänger"),
        variables=variables,
        lengths=MappingProxyType(dict(lengths)),
        order=_expect(data, "order", int, broken, default=100),
        source=path,
        template=template,
    )


def _expect(data: dict[str, Any], key: str, kind: type, broken: Any, default: Any = None) -> Any:
    value = data.get(key, default)
    if value is None or not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise broken(f"Feld „{key}“ muss vom Typ {kind.__name__} sein.")
    return value


def _compile(
    source: str, env: SandboxedEnvironment, allowed: frozenset[str] | set[str], broken: Any
) -> jinja2.Template:
    try:
        ast = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise broken(f"Jinja-Syntaxfehler in Zeile {exc.lineno} der Vorlage: {exc.message}") from exc
    unknown = sorted(meta.find_undeclared_variables(ast) - set(allowed))
    if unknown:
        raise broken(
            f"unbekannte Variable „{unknown[0]}“ in der Vorlage. Erlaubt sind: "
            f"{', '.join(sorted(allowed))}; eigene Variablen bitte unter „variables“ angeben."
        )
    return env.from_string(source)


def _load_frame(name: str, env: SandboxedEnvironment) -> jinja2.Template:
    path = PROMPTS_DIR / f"{name}.md"
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"Die Prompt-Datei {path} fehlt oder ist nicht lesbar.") from exc

    def broken(reason: str) -> ConfigError:
        return ConfigError(f"Die Prompt-Datei {path} ist ungültig: {reason}")

    return _compile(source, env, PROMPT_CONTEXT | FRAME_CONTEXT[name], broken)


def _load_options(path: Path) -> Options:
    data = _read_toml(path)
    expected = {
        "register": REGISTERS,
        "length": LENGTHS,
        "gender": GENDER_STYLES,
        "revision": REVISION_PRESETS,
    }
    tables: dict[str, Mapping[str, Option]] = {}
    for group, ids in expected.items():
        table = data.get(group)
        if not isinstance(table, dict) or set(table) != set(ids):
            raise ConfigError(
                f"Die Datei {path} muss in [{group}] genau diese Einträge haben: {', '.join(ids)}."
            )
        entries = {}
        for option_id in ids:
            entry = table[option_id]
            if (
                not isinstance(entry, dict)
                or set(entry) != {"label", "guidance"}
                or not all(isinstance(v, str) and v.strip() for v in entry.values())
            ):
                raise ConfigError(
                    f"Die Datei {path} ist ungültig: [{group}.{option_id}] braucht genau "
                    "„label“ und „guidance“ als nicht leere Texte."
                )
            entries[option_id] = Option(option_id, entry["label"], entry["guidance"].strip())
        tables[group] = MappingProxyType(entries)
    if set(data) - set(expected):
        raise ConfigError(
            f"Die Datei {path} enthält unbekannte Abschnitte: {', '.join(sorted(set(data) - set(expected)))}."
        )
    return Options(tables["register"], tables["length"], tables["gender"], tables["revision"])


def _render(template: jinja2.Template, context: Mapping[str, Any], source: Path) -> str:
    try:
        return template.render(context).strip()
    except jinja2.TemplateError as exc:
        raise ConfigError(f"Die Vorlage {source} ließ sich nicht ausfüllen: {exc}") from exc
