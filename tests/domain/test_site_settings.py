"""A site's own settings over the config file's: checked by the config file's rules, audited,
in force at once in this process and within a second in every other; and their effect on
escalation, presence, retention. Plain Python with an injected clock."""

import pytest

from kiosk.clock import to_iso
from kiosk.domain import audit, config, privacy
from kiosk.domain.auth import Principal
from kiosk.domain.errors import Invalid
from kiosk.domain.escalation import Escalator
from kiosk.domain.presence import Presence
from kiosk.domain.site_settings import SiteSettings, from_text
from kiosk.store import Store


@pytest.fixture
def maria(domain):
    manager = domain.site["manager"]
    return Principal("manager", manager["id"], manager["name"], 1, "main")


@pytest.fixture
def site_settings(domain):
    return SiteSettings(domain.store, domain.clock, domain.settings | {"retention_days": 30})


def sources(site_settings, site_id=1):
    return {row["key"]: row["source"] for row in site_settings.described(site_id)}


def test_the_config_file_gives_the_defaults_and_a_change_shows_who_made_it(site_settings, maria, domain):
    assert site_settings.for_site(1)["escalate_after_seconds"] == 30
    assert sources(site_settings)["escalate_after_seconds"] == {"kind": "default"}
    assert sources(site_settings)["retention_days"] == {"kind": "config"}
    changed = site_settings.change(1, {"escalate_after_seconds": 12, "welcome_text_en": "  Hello at Main!  "}, maria)
    assert {entry["key"]: (entry["old"], entry["new"]) for entry in changed} == {
        "escalate_after_seconds": (30, 12), "welcome_text_en": ("", "Hello at Main!")}
    assert site_settings.for_site(1)["escalate_after_seconds"] == 12
    assert sources(site_settings)["escalate_after_seconds"] == {"kind": "site", "by": "Maria",
                                                                "at": to_iso(domain.clock.now())}
    logged = audit.entries(domain.store, 1)
    assert [(entry["action"], entry["details"]["key"], entry["actor"]["name"]) for entry in logged] == [
        ("settings.changed", "welcome_text_en", "Maria"), ("settings.changed", "escalate_after_seconds", "Maria")]
    assert logged[1]["details"]["old"] == 30 and logged[1]["details"]["new"] == 12


def test_a_reset_returns_to_the_config_files_value_and_is_audited(site_settings, maria, domain):
    site_settings.change(1, {"retention_days": 10}, maria)
    assert site_settings.change(1, {"retention_days": None}, maria) == [
        {"key": "retention_days", "old": 10, "new": 30, "reset": True}]
    assert site_settings.for_site(1)["retention_days"] == 30
    assert sources(site_settings)["retention_days"]["kind"] == "config"
    assert site_settings.change(1, {"retention_days": None}, maria) == []  # nothing to reset: nothing logged
    assert len(audit.entries(domain.store, 1)) == 2


@pytest.mark.parametrize("key, value, message", [
    ("escalate_after_seconds", 0, "must be at least 1, got 0"),
    ("escalate_after_seconds", "ten", "must be an integer, got 'ten'"),
    ("escalate_after_seconds", True, "must be an integer, got True"),
    ("presence_grace_seconds", -1, "must be at least 0, got -1"),
    ("timezone", "Mars/Olympus", "must be an IANA time zone"),
    ("timezone", "Europe/" + "x" * 5000, "must be at most 200 characters long"),
    ("kiosk_languages", [], "must be a list of distinct entries from de, en, tr"),
    ("default_language", "fr", "must be one of de, en, tr"),
    ("privacy_notice_de", 7, "must be a string"),
    ("db", "/tmp/elsewhere.db", "is not a setting that can be changed here"),
    ("no_such_key", 1, "is not a setting that can be changed here"),
])
def test_values_are_checked_by_the_config_files_rules_and_one_bad_value_changes_nothing(
        site_settings, maria, domain, key, value, message):
    with pytest.raises(Invalid) as refused:
        site_settings.change(1, {"greet_target_seconds": 90, key: value}, maria)
    assert refused.value.field == key and message in refused.value.errors[key]
    assert site_settings.for_site(1)["greet_target_seconds"] == 120  # the good value was not saved either
    assert audit.entries(domain.store, 1) == []


def test_form_text_is_read_as_the_settings_type():
    assert from_text("retention_days", " 45 ") == 45
    assert from_text("retention_days", "4.5") == "4.5"  # left as text: the rule refuses it
    assert from_text("kiosk_languages", ["de", "tr"]) == ["de", "tr"]
    assert from_text("welcome_text_de", "Hallo") == "Hallo"


def test_each_site_has_its_own_values(site_settings, maria, domain):
    other = domain.store.ensure_site("north", to_iso(domain.clock.now()))
    site_settings.change(1, {"greet_target_seconds": 60}, maria)
    assert site_settings.for_site(other["id"])["greet_target_seconds"] == 120
    assert site_settings.for_site(1)["greet_target_seconds"] == 60


def test_another_process_sees_a_change_within_a_second(site_settings, maria, domain, db_path):
    other_store = Store(db_path)
    try:
        elsewhere = SiteSettings(other_store, domain.clock, domain.settings)
        assert elsewhere.for_site(1)["escalate_after_seconds"] == 30
        site_settings.change(1, {"escalate_after_seconds": 15}, maria)
        assert elsewhere.for_site(1)["escalate_after_seconds"] == 30  # cached: checked at most once a second
        domain.clock.advance(1)
        assert elsewhere.for_site(1)["escalate_after_seconds"] == 15
    finally:
        other_store.close()


def test_the_escalation_ladder_follows_the_sites_own_times(site_settings, maria, domain):
    escalator = Escalator(domain.store, domain.clock, domain.presence, domain.settings, domain.events.append,
                          domain.escalator.outbox, site_settings=site_settings)
    for host in domain.site["hosts"]:
        domain.presence.board_connected(host["id"], f"board-{host['id']}")
    visit = domain.check_in("Zoë")
    domain.store.record_delivery(visit["id"], visit["host_id"], f"board-{visit['host_id']}", to_iso(domain.clock.now()))
    site_settings.change(1, {"escalate_after_seconds": 8, "escalate_managers_after_seconds": 20}, maria)
    domain.wait(7)
    assert escalator.tick() == 0
    domain.wait(1)
    assert escalator.tick() == 1 and domain.store.visit(visit["id"])["escalation_reason"] == "timeout"
    domain.wait(12)
    assert escalator.tick() == 1 and domain.store.visit(visit["id"])["escalated_to_managers_at"] is not None


def test_presence_grace_is_the_sites_own(site_settings, maria, domain):
    presence = Presence(domain.store, domain.clock, 60,
                        grace_for=lambda site_id: site_settings.for_site(site_id)["presence_grace_seconds"])
    anna = domain.site["hosts"][0]["id"]
    presence.board_connected(anna, "board-a")
    presence.board_disconnected(anna, "board-a")
    site_settings.change(1, {"presence_grace_seconds": 20}, maria)
    domain.clock.advance(21)
    assert anna not in presence.signed_in(1)
    assert anna in presence.signed_in()  # without a site: the config file's 60 s


def test_retention_is_per_site(site_settings, maria, domain):
    old = domain.check_in("Old Customer")
    site_settings.change(1, {"retention_days": 200}, maria)
    domain.clock.advance(100 * 86400)
    retention = lambda site_id: site_settings.for_site(site_id)["retention_days"]  # noqa: E731
    assert privacy.purge(domain.store, domain.clock, retention).anonymised == 0  # kept: the site keeps 200 days
    site_settings.change(1, {"retention_days": 90}, maria)
    assert privacy.purge(domain.store, domain.clock, retention).anonymised == 1
    assert domain.store.customer(old["customer_id"])["name"] == "(anonymised)"


def test_the_shipped_config_file_still_lists_every_setting():
    assert set(config.SETTINGS_BY_NAME) >= {"welcome_text_de", "welcome_text_en", "welcome_text_tr", "kiosk_languages"}


@pytest.mark.parametrize("key", [key for key in config.SETTINGS_BY_NAME if config.SETTINGS_BY_NAME[key].kind is int])
def test_every_number_has_a_maximum_so_no_value_can_overflow_a_timer_or_a_date(key):
    assert config.SETTINGS_BY_NAME[key].maximum is not None
    with pytest.raises(config.ConfigError, match=f"'{key}' must be at most"):
        config.merge(config.defaults(), {key: 10**11}, source="test.toml")


@pytest.mark.parametrize("key", ["escalate_after_seconds", "presence_grace_seconds", "retention_days",
                                 "greet_target_seconds"])
def test_a_site_cannot_store_a_value_past_its_maximum(site_settings, maria, key):
    with pytest.raises(Invalid) as refused:
        site_settings.change(1, {key: 10**11}, maria)
    assert refused.value.field == key and "at most" in refused.value.message
    assert key not in site_settings.store.site_setting_rows(1)


def test_texts_have_a_length_bound(site_settings, maria):
    with pytest.raises(Invalid) as refused:
        site_settings.change(1, {"welcome_text_de": "Willkommen " * 100}, maria)
    assert refused.value.field == "welcome_text_de"
