"""The drafting catalog: built-in text types load, broken files are refused at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from schreibstube.assistants.drafting import (
    DraftRequest,
    build_messages,
    load_catalog,
    render_user_template,
    validate_user_template,
)
from schreibstube.assistants.drafting.catalog import PROMPT_CONTEXT, Catalog
from schreibstube.assistants.drafting.messages import _context
from schreibstube.context import build_context
from schreibstube.errors import ConfigError, InvalidInput
from schreibstube.settings import load_settings

BUILT_IN = [
    "email",
    "brief",
    "vermerk",
    "beschlussvorlage",
    "rede",
    "pressemitteilung",
    "buergeranfrage",
]

VALID = '''
id = "widerspruch"
label = "Abhilfebescheid"
sections = ["Betreff", "Entscheidung", "Begründung"]
variables = ["aktenzeichen"]
prompt = """Schreibe einen Abhilfebescheid zum Widerspruch {{ aktenzeichen }}.
Aufbau: {{ sections | join(", ") }}."""
'''


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def write_type(directory: Path, text: str, name: str = "widerspruch") -> Path:
    path = directory / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_built_in_types_load_in_display_order(catalog: Catalog) -> None:
    assert list(catalog.text_types) == BUILT_IN
    assert ("vermerk", "Vermerk") in catalog.choices()


@pytest.mark.parametrize(
    ("type_id", "sections"),
    [
        ("vermerk", ["Betreff", "Sachverhalt", "Bewertung", "Vorschlag"]),
        ("brief", ["Betreff", "Anrede", "Text", "Grußformel"]),
        ("email", ["Betreff", "Anrede", "Text", "Gruß"]),
    ],
)
def test_usual_structure_comes_from_the_file(catalog: Catalog, type_id: str, sections: list[str]) -> None:
    assert list(catalog.get(type_id).sections) == sections


def test_beschlussvorlage_has_decision_and_finances(catalog: Catalog) -> None:
    sections = catalog.get("beschlussvorlage").sections
    assert {"Beschlussvorschlag", "Finanzielle Auswirkungen"} <= set(sections)
    assert any("Begründung" in s for s in sections)


def test_unknown_text_type_is_invalid_input_in_german(catalog: Catalog) -> None:
    with pytest.raises(InvalidInput, match="Unbekannte Textart „gedicht“"):
        catalog.get("gedicht")


def test_prompt_context_matches_what_messages_provide(catalog: Catalog) -> None:
    request = DraftRequest(text_type="brief", notes="x")
    assert set(_context(request, catalog.get("brief"), catalog)) == PROMPT_CONTEXT


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (VALID + 'farbe = "blau"\n', "unbekanntes Feld „farbe“"),
        (VALID.replace("{{ aktenzeichen }}.", "{{ aktenzeichen }."), "Jinja-Syntaxfehler in Zeile 1"),
        (VALID.replace('sections = ["Betreff", "Entscheidung", "Begründung"]', ""), "Pflichtfeld „sections“"),
        (
            VALID.replace('sections = ["Betreff", "Entscheidung", "Begründung"]', "sections = []"),
            "Pflichtfeld „sections“",
        ),
        (VALID.replace("{{ aktenzeichen }}", "{{ aktenzeichn }}"), "unbekannte Variable „aktenzeichn“"),
        (VALID.replace('id = "widerspruch"', 'id = "anderer_name"'), "Dateinamen"),
        (VALID.replace('label = "Abhilfebescheid"', "label = "), "kein gültiges TOML"),
        (VALID.replace('variables = ["aktenzeichen"]', 'variables = ["notes"]'), "reservierter"),
    ],
    ids=[
        "unknown-field",
        "jinja-syntax",
        "no-sections",
        "empty-sections",
        "unknown-variable",
        "id-mismatch",
        "bad-toml",
        "reserved-variable",
    ],
)
def test_broken_template_file_is_refused_naming_the_file(tmp_path: Path, text: str, reason: str) -> None:
    path = write_type(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_catalog([tmp_path])
    assert str(path) in caught.value.user_message
    assert reason in caught.value.user_message


def test_missing_extra_directory_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="existiert nicht"):
        load_catalog([tmp_path / "fehlt"])


def test_operator_directory_from_settings_fails_start_up(tmp_path: Path) -> None:
    broken = tmp_path / "textarten"
    broken.mkdir()
    path = write_type(broken, VALID.replace("{{ aktenzeichen }}", "{{ aktenzeichn }}"))
    settings = load_settings(environ={"SCHREIBSTUBE_DATA_DIR": str(tmp_path / "data"),
                                      "SCHREIBSTUBE_DRAFTING_TEMPLATE_DIRS": f"{tmp_path / 'leer'}:{broken}"})
    (tmp_path / "leer").mkdir()
    assert settings.drafting_template_dirs == [tmp_path / "leer", broken]
    with pytest.raises(ConfigError, match="aktenzeichn") as caught:
        build_context(settings)
    assert str(path) in caught.value.user_message


def test_extra_type_with_variable_renders_it(tmp_path: Path) -> None:
    write_type(tmp_path, VALID)
    catalog = load_catalog([tmp_path])
    request = DraftRequest(text_type="widerspruch", notes="Abhilfe", variables={"aktenzeichen": "32-17/2024"})
    user = build_messages(request, catalog)[1]["content"]
    assert "Widerspruch 32-17/2024" in user
    assert "Betreff, Entscheidung, Begründung" in user


def test_extra_type_variable_must_be_filled(tmp_path: Path) -> None:
    write_type(tmp_path, VALID)
    request = DraftRequest(text_type="widerspruch", notes="Abhilfe")
    with pytest.raises(InvalidInput, match="fehlen Angaben: aktenzeichen"):
        build_messages(request, load_catalog([tmp_path]))


def test_extra_directory_may_replace_a_built_in_type(tmp_path: Path) -> None:
    text = VALID.replace('"widerspruch"', '"vermerk"').replace('"Abhilfebescheid"', '"Vermerk (Kreis)"')
    write_type(
        tmp_path,
        text.replace('variables = ["aktenzeichen"]', "variables = []").replace("{{ aktenzeichen }}", "X"),
        name="vermerk",
    )
    assert load_catalog([tmp_path]).get("vermerk").label == "Vermerk (Kreis)"


def test_user_template_variables_are_listed() -> None:
    text = "Ihr Antrag vom {{ datum_antrag }}, Az. {{ aktenzeichen }} – {{ aktenzeichen }}"
    assert validate_user_template(text) == ["aktenzeichen", "datum_antrag"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Az. {{ aktenzeichen }", "Zeile 1"),
        ("{% include 'x' %}", "keine anderen Vorlagen"),
        ("{{ Aktenzeichen }}", "Ungültiger Variablenname: Aktenzeichen"),
    ],
)
def test_invalid_user_template_is_explained(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        validate_user_template(text)


def test_user_template_renders_and_requires_values() -> None:
    text = "Az. {{ aktenzeichen }}"
    assert render_user_template(text, {"aktenzeichen": " 61-1 "}) == "Az. 61-1"
    with pytest.raises(InvalidInput, match="fehlen Angaben: aktenzeichen"):
        render_user_template(text, {})


@pytest.mark.parametrize("text", ["{{ aktenzeichen.__class__ }}", "{{ aktenzeichen.format.__globals__ }}"])
def test_user_template_cannot_reach_python_internals(text: str) -> None:
    with pytest.raises(InvalidInput):
        render_user_template(text, {"aktenzeichen": "1"})
