"""The template library over the JSON API and the page forms, with several users and tenants
behind the trusted proxy (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from schreibstube.llm.scripted import ScriptedModel
from schreibstube.testing import proxy_headers

URL = "/api/v1/drafting/templates"
BODY = "Ihr Antrag vom {{ datum_antrag }}, Aktenzeichen {{ aktenzeichen }}."


def save(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post(URL, json={"body": BODY, **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


ANNA, BERND = proxy_headers("land-a", "anna"), proxy_headers("land-a", "bernd")
ADMIN = proxy_headers("land-a", "chefin", admin=True)


def test_save_list_delete_round_trip(proxied: TestClient) -> None:
    saved = save(proxied, ANNA, name="Eingang", text_type="vermerk")
    assert saved["variables"] == ["datum_antrag", "aktenzeichen"] and saved["valid"] and not saved["shared"]
    assert "tenant_id" not in saved and "user_id" not in saved
    assert [t["name"] for t in proxied.get(URL, headers=ANNA).json()] == ["Eingang"]
    assert proxied.delete(f"{URL}/{saved['id']}", headers=ANNA).status_code == 204
    assert proxied.get(URL, headers=ANNA).json() == []


def test_users_see_own_and_shared_but_not_others(proxied: TestClient) -> None:
    save(proxied, ADMIN, name="Amtsweit", shared=True)
    save(proxied, ANNA, name="Annas")
    bernds = save(proxied, BERND, name="Bernds")
    save(proxied, proxy_headers("land-b", "anna", admin=True), name="Land B", shared=True)
    assert [t["name"] for t in proxied.get(URL, headers=ANNA).json()] == ["Annas", "Amtsweit"]
    for headers in (ANNA, proxy_headers("land-b", "bernd")):
        assert proxied.delete(f"{URL}/{bernds['id']}", headers=headers).status_code == 404
        draft = {"text_type": "vermerk", "template_id": bernds["id"], "stream": False}
        assert proxied.post("/api/v1/drafts", json=draft, headers=headers).status_code == 404


def test_non_admin_cannot_share_or_delete_shared(proxied: TestClient) -> None:
    refused = proxied.post(URL, json={"name": "Amtsweit", "body": "Text", "shared": True}, headers=ANNA)
    assert refused.status_code == 403
    assert "Nur Administratorinnen und Administratoren" in refused.json()["error"]["message"]
    shared = save(proxied, ADMIN, name="Amtsweit", shared=True)
    assert proxied.delete(f"{URL}/{shared['id']}", headers=ANNA).status_code == 403
    assert proxied.delete(f"{URL}/{shared['id']}", headers=ADMIN).status_code == 204


def test_invalid_template_is_refused_in_german(proxied: TestClient) -> None:
    response = proxied.post(URL, json={"name": "Kaputt", "body": "Az. {{ aktenzeichen"}, headers=ANNA)
    assert response.status_code == 422
    assert "Die Vorlage enthält in Zeile 1 einen Fehler" in response.json()["error"]["message"]


def test_draft_with_shared_template_fills_variables(proxied: TestClient, model: ScriptedModel) -> None:
    shared = save(proxied, ADMIN, name="Eingang", shared=True)
    model.enqueue("# Eingang\n\nIhr Antrag ist eingegangen.")
    draft = {"text_type": "vermerk", "template_id": shared["id"], "stream": False,
             "variables": {"datum_antrag": "3. März", "aktenzeichen": "61-17"}}
    response = proxied.post("/api/v1/drafts", json=draft, headers=ANNA)
    assert response.status_code == 201, response.text
    assert "Ihr Antrag vom 3. März, Aktenzeichen 61-17." in model.prompts[-1].messages[-1].content
    stored = proxied.get(f"/api/v1/drafts/{response.json()['draft_id']}", headers=ANNA).json()
    assert stored["request"]["template_name"] == "Eingang"


def test_missing_variable_is_a_german_client_error(proxied: TestClient, model: ScriptedModel) -> None:
    own = save(proxied, ANNA, name="Eingang")
    draft = {"text_type": "vermerk", "template_id": own["id"], "variables": {"aktenzeichen": "61-17"}}
    response = proxied.post("/api/v1/drafts", json=draft, headers=ANNA)
    assert response.status_code == 422 and model.prompts == []
    assert response.json()["error"]["message"] == "Für die Vorlage fehlen Angaben: datum_antrag."


def test_page_forms_save_use_and_delete_a_template(proxied: TestClient, model: ScriptedModel) -> None:
    saved = proxied.post("/formulieren/vorlagen", data={"name": "Eingang", "body": BODY, "text_type": ""},
                         headers=ANNA, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].startswith("/formulieren?vorlage=")
    template_id = saved.headers["location"].split("=")[1].split("#")[0]
    page = proxied.get(saved.headers["location"], headers=ANNA).text
    assert f'<option value="{template_id}" data-variables="datum_antrag aktenzeichen"' in page
    assert "Für die ganze Behörde freigeben" not in page  # not an admin
    form = {"text_type": "vermerk", "notes": "", "template_id": template_id,
            "var_aktenzeichen": "61-17", "var_datum_antrag": "3. März"}
    created = proxied.post("/formulieren", data=form, headers=ANNA, follow_redirects=False)
    assert created.status_code == 303 and "Aktenzeichen 61-17." in model.prompts[-1].messages[-1].content
    gone = proxied.post(f"/formulieren/vorlagen/{template_id}/loeschen", headers=ANNA, follow_redirects=False)
    assert gone.status_code == 303 and proxied.get(URL, headers=ANNA).json() == []
