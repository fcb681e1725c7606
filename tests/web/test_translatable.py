"""Every text a person reads passes through the catalogues, and every key looked up exists.

Each heuristic is tried first on a made-up snippet that breaks the rule (so a rule that
finds nothing is not a rule that checks nothing), then on the real templates and modules.
"""

from __future__ import annotations

import pytest

from kiosk.web import i18n
from tests.support import untranslated
from tests.support.paths import ROOT


def test_the_template_rule_finds_literal_text_and_attributes():
    snippet = """{# a comment with words #}
    <h1>Team members</h1><p>{{ _("admin.team_title") }}</p>
    <input placeholder="Your name"><button value="Save it">{% if x %}Gastgeber{% endif %}</button>
    <input type="submit" value="Send now"><meta name="description" content="The front door">
    <img alt="{{ _('x') }}"><span>· —</span><script>var a = "Not text";</script>"""
    assert untranslated.untranslated_in_template(snippet) == [
        "Team members", 'input[placeholder]="Your name"', 'button[value]="Save it"',
        'input[value]="Send now"', 'meta[content]="The front door"']


def test_the_js_rule_finds_words_but_not_code():
    snippet = """import { x } from "./common/dom.js";
    // "A comment with words"
    el.textContent = "Outcome note (optional)";
    button.setAttribute("aria-label", "Close");
    var ok = T("acknowledge", "I've seen it") + t("coming");
    console.warn("Socket gone away");
    node.className = "btn primary"; document.querySelector("#board .card[data-id]");
    emit("visit.acknowledge");"""
    assert untranslated.untranslated_in_js(snippet) == ["Outcome note (optional)", "Close"]


def relative(path):
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", untranslated.templates() + untranslated.js_modules(), ids=relative)
def test_no_text_people_read_bypasses_the_catalogues(path):
    assert untranslated.findings(path) == []


def test_every_key_looked_up_exists_in_every_catalogue():
    catalogues = {language: set(i18n.catalogue(language)) for language in i18n.available_languages()}
    missing = [f"{relative(path)}: {key} not in {language}"
               for path in untranslated.templates() + untranslated.js_modules()
               for key in sorted(untranslated.keys_used(path))
               for language, keys in catalogues.items() if key not in keys]
    assert missing == []
