"""Languages: one catalogue per language, served to the browser and complete in every language."""

import gzip
import json
import re

from kiosk.domain.config import LANGUAGES
from kiosk.web import i18n


def test_every_language_has_a_catalogue_and_every_catalogue_has_every_key():
    assert set(LANGUAGES) <= set(i18n.available_languages())
    keys = {language: set(i18n.catalogue(language)) for language in i18n.available_languages()}
    reference = keys["en"]
    for language, present in keys.items():
        lacking, extra = sorted(reference - present)[:5], sorted(present - reference)[:5]
        assert present == reference, f"{language} lacks {lacking}, has extra {extra}"


def test_the_browser_gets_the_catalogue_as_json(client):
    german = client.get("/i18n/de.json").get_json()
    assert german["language"] == "de" and german["direction"] == "ltr"
    assert german["texts"]["kiosk.welcome_title"] == "Willkommen!"
    assert client.get("/i18n/xx.json").status_code == 404


def test_right_to_left_languages_are_marked():
    assert i18n.text_direction("ar") == "rtl" and i18n.text_direction("tr") == "ltr"


def html_language(page: str) -> tuple[str, str]:
    lang, direction = re.search(r'<html lang="([^"]*)" dir="([^"]*)">', page).groups()
    return lang, direction


def test_arabic_pages_are_right_to_left(client):
    """A page asked for in Arabic says so to the browser: lang="ar" dir="rtl" (the layout mirrors)."""
    assert html_language(client.get("/board/login?lang=ar").get_data(as_text=True)) == ("ar", "rtl")
    arabic = client.get("/i18n/ar.json").get_json()
    assert arabic["direction"] == "rtl" and arabic["texts"]["kiosk.lang_name"] == "العربية"


def test_without_a_choice_the_browsers_language_then_the_sites_apply(client):
    """Order (kiosk/web/i18n.py): own choice, ?lang=, Accept-Language, the site's default."""
    assert html_language(client.get("/board/login", headers={"Accept-Language": "tr"}).get_data(as_text=True))[0] \
        == "tr"
    assert html_language(client.get("/board/login", headers={"Accept-Language": "fr"}).get_data(as_text=True))[0] \
        == "de"  # nothing the browser prefers has a catalogue: the site's default
    client.get("/board/login?lang=en")  # remembered for the session, before the browser's preference
    assert html_language(client.get("/board/login", headers={"Accept-Language": "tr"}).get_data(as_text=True))[0] \
        == "en"


def test_a_catalogue_comes_gzipped_when_asked_and_is_the_same_json(client):
    plain = client.get("/i18n/de.json")
    zipped = client.get("/i18n/de.json", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers and zipped.headers["Content-Encoding"] == "gzip"
    assert plain.headers["Vary"] == zipped.headers["Vary"] == "Accept-Encoding"
    assert json.loads(gzip.decompress(zipped.data)) == plain.get_json()
    assert len(zipped.data) < len(plain.data) / 3
