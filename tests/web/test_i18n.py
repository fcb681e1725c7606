"""Languages: one catalogue per language, served to the browser and complete in every language."""

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
