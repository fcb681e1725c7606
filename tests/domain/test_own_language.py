"""Each person's own language, stored with them: a host's and a manager's choice, or none (the site's)."""

import pytest

from kiosk.domain import own_language
from kiosk.domain.channels import messages
from kiosk.domain.errors import Invalid, NotFound


def test_a_hosts_choice_is_stored_with_them_and_cleared_back_to_the_sites(domain):
    anna, ben = (next(h for h in domain.site["hosts"] if h["name"] == name) for name in ("Anna", "Ben"))
    store = domain.store
    assert own_language.of(store.person("host", anna["id"])) is None  # nobody chose: the site's applies
    assert own_language.choose(store, "host", anna["id"], "ar") == "ar"
    assert store.person("host", anna["id"])["language"] == "ar"
    assert own_language.of(store.person("host", ben["id"])) is None  # Ben's is his own
    assert own_language.choose(store, "host", anna["id"], "") is None
    assert store.person("host", anna["id"])["language"] is None


def test_a_managers_choice_is_their_own(domain):
    store = domain.store
    manager = domain.site["manager"]
    own_language.choose(store, "manager", manager["id"], "tr")
    assert own_language.of(store.person("manager", manager["id"])) == "tr"


@pytest.mark.parametrize("language", ["fr", "AR", "ar ", 7, ["de"]])
def test_a_language_without_a_catalogue_is_refused_with_its_field(domain, language):
    with pytest.raises(Invalid) as refused:
        own_language.choose(domain.store, "host", domain.site["hosts"][0]["id"], language)
    assert refused.value.field == "language" and "de, en, tr, ar" in refused.value.message


def test_choosing_for_nobody_is_not_found(domain):
    with pytest.raises(NotFound):
        own_language.choose(domain.store, "host", 999_999, "de")


def test_the_hosts_own_choice_wins_over_the_languages_they_speak_for_their_alerts():
    available = ("ar", "de", "en", "tr")
    assert messages.host_language("de,en", available, "de", "ar") == "ar"
    assert messages.host_language("tr", available, "de", None) == "tr"
    assert messages.host_language("tr", available, "de", "xx") == "tr"  # a choice this version lacks
