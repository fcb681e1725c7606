"""The owner's pages (first-run setup, operator, kiosks, webhooks, settings) speak their reader's
language (kiosk/web/i18n.py): the browser's Accept-Language, or a manager's own choice, which wins.
Their refusals too: a domain `Reason` is said through its `refused.<code>` key."""

import json
import re
from pathlib import Path

import pytest

from kiosk.domain import operators
from kiosk.domain.config import SETTINGS_BY_NAME
from kiosk.domain.setup import issue_setup_code
from kiosk.domain.site_settings import EDITABLE
from kiosk.domain.team import COLOURS
from kiosk.web import i18n
from tests.support.forms import form_post, token_session
from tests.support.paths import ROOT

GERMAN = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}


def services(app):
    return app.extensions["gastgeber"]


def html_language(page: str) -> tuple[str, str]:
    return re.search(r'<html lang="([^"]*)" dir="([^"]*)">', page).groups()


def field_error(page: str, field: str) -> str:
    return re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page).group(1)


def test_the_first_run_setup_speaks_german_to_a_german_browser(client, app, clock):
    code = issue_setup_code(services(app).store, clock)
    page = client.get("/setup", headers=GERMAN).get_data(as_text=True)
    assert html_language(page) == ("de", "ltr")
    assert "<h1>Gastgeber einrichten</h1>" in page and "Einrichtungscode" in page and "Set up" not in page
    refused = form_post(client, "/setup", {"code": code, "site": "Haupt-Filiale", "timezone": "Europe/Berlin",
                                           "kiosk_languages": ["de"], "default_language": "de", "name": "Selin",
                                           "pin": "482913", "pin_again": "482914"}, headers=GERMAN)
    assert refused.status_code == 400
    assert field_error(refused.get_data(as_text=True), "pin") == "Die beiden PINs sind nicht gleich."


def test_the_operator_page_speaks_german_to_a_german_browser(client, app, clock, demo):
    token = operators.add_operator(services(app).store, clock, "Olga")["token"]
    token_session(client, "operator", token)
    page = client.get("/operator", headers=GERMAN).get_data(as_text=True)
    assert html_language(page) == ("de", "ltr")
    assert "<h1>Standorte</h1>" in page and "Standort anlegen" in page and "Create site" not in page
    refused = form_post(client, "/operator/sites", {"name": "main", "manager_name": "Nina"}, page="/operator",
                        headers=GERMAN)
    assert field_error(refused.get_data(as_text=True), "name") == "Einen Standort namens „main“ gibt es schon."


def test_the_kiosks_page_is_arabic_and_right_to_left_for_a_manager_who_chose_arabic(client, demo):
    """The manager's own choice comes before the browser's German."""
    token_session(client, "manager", demo["manager"]["token"])
    assert form_post(client, "/admin/language", {"language": "ar", "next": "/admin/kiosks"},
                     page="/admin/kiosks").status_code == 303
    page = client.get("/admin/kiosks", headers=GERMAN).get_data(as_text=True)
    assert html_language(page) == ("ar", "rtl")
    assert "<h1>أجهزة الاستقبال</h1>" in page and "تسجيل جهاز الاستقبال" in page and "Register kiosk" not in page
    taken = form_post(client, "/admin/kiosks", {"name": "ENTRANCE"}, headers=GERMAN)
    assert taken.status_code == 409
    assert field_error(taken.get_data(as_text=True), "kiosk-name") == \
        "يوجد بالفعل جهاز استقبال باسم «ENTRANCE» في هذا الموقع: اختر اسمًا آخر."


def test_the_webhooks_page_hands_its_browser_code_the_readers_words(client, demo):
    token_session(client, "manager", demo["manager"]["token"])
    page = client.get("/admin/webhooks?lang=tr").get_data(as_text=True)
    texts = json.loads(re.search(r'<script type="application/json" id="webhooks-texts">(.*?)</script>', page).group(1))
    assert texts["status_delivered"] == "Teslim edildi" and texts["no_deliveries"] == "Henüz gönderim yok."
    assert "Henüz webhook yok" in page  # the page's own words too


def test_the_settings_page_says_labels_and_refusals_in_the_readers_language(client, app, demo):
    token_session(client, "manager", demo["manager"]["token"])
    page = client.get("/admin/settings", headers=GERMAN).get_data(as_text=True)
    assert "Das ganze Team alarmieren nach (Sekunden)" in page and "Gilt: Standardwert." in page
    refused = form_post(client, "/admin/settings", {"escalate_after_seconds": "0"}, headers=GERMAN)
    assert refused.status_code == 400
    assert field_error(refused.get_data(as_text=True), "escalate_after_seconds") == \
        "Geben Sie eine ganze Zahl von 1 bis 3600 ein."


# ------------------------------------------------------------------ keys built from names

CATALOGUES = {language: set(i18n.catalogue(language)) for language in i18n.available_languages()}
REASON = re.compile(r"""\bReason\(\s*f?["']([\w{}]+)["']""")


def reason_codes(source: str) -> set[str]:
    """The codes a module's `Reason("code", …)` names; `f"{role}_name_taken"` stands for one per role."""
    codes = set()
    for code in REASON.findall(source):
        codes |= {code.replace("{role}", role) for role in ("host", "kiosk", "manager")} if "{" in code else {code}
    return codes


def test_the_reason_rule_finds_codes():
    assert reason_codes('raise X(Reason("url_https", "…"))\nReason(\n  f"{role}_name_taken", m)') == {
        "url_https", "host_name_taken", "kiosk_name_taken", "manager_name_taken"}


@pytest.mark.parametrize("key", sorted(
    {f"refused.{code}" for path in (ROOT / "kiosk").rglob("*.py") for code in reason_codes(Path(path).read_text())}
    | {f"settings.{part}_{name}" for name in EDITABLE for part in ("label", "help")}
    | {f"forms.colour_{colour}" for colour in COLOURS}
    | {f"webhooks.js.status_{status}" for status in ("delivered", "failed", "pending")}))
def test_every_key_built_from_a_name_is_in_every_catalogue(key):
    assert [language for language, keys in CATALOGUES.items() if key not in keys] == []


def test_every_setting_on_the_page_is_a_setting():
    assert set(EDITABLE) <= set(SETTINGS_BY_NAME)
