"""The assignment policy: every step and reason, in the configured order."""

import pytest

from kiosk.domain.assignment import STEPS, Assignment, Candidate, assign_host


def host(host_id, status="available", signed_in=None, languages=("de",), topics=(), load=0):
    if signed_in is None:
        signed_in = status != "away"
    return Candidate(host_id, f"Host {host_id}", status, signed_in, tuple(languages), tuple(topics), load)


def test_the_customers_own_host_comes_first_even_when_busy():
    hosts = [host(1, load=0), host(2, "busy", load=3)]
    assert assign_host(hosts, dedicated_host_id=2) == Assignment(2, "dedicated")


@pytest.mark.parametrize("status, signed_in", [("away", True), ("off", True), ("available", False)])
def test_an_own_host_who_is_away_off_or_gone_passes_the_visit_on(status, signed_in):
    hosts = [host(1), host(2, status, signed_in=signed_in)]
    assert assign_host(hosts, dedicated_host_id=2) == Assignment(1, "least_loaded")


def test_the_appointments_host_comes_next():
    hosts = [host(1), host(2, load=5), host(3)]
    assert assign_host(hosts, appointment_host_id=2) == Assignment(2, "appointment")
    assert assign_host(hosts, dedicated_host_id=3, appointment_host_id=2) == Assignment(3, "dedicated")


def test_a_host_who_speaks_the_language_when_not_everyone_does():
    hosts = [host(1, languages=("de",)),
             host(2, languages=("de", "tr"), load=2),
             host(3, languages=("de", "tr"), load=1)]
    assert assign_host(hosts, language="tr") == Assignment(3, "language")
    assert assign_host(hosts, language="de") == Assignment(1, "least_loaded")  # everyone speaks it
    assert assign_host(hosts, language="uk") == Assignment(1, "least_loaded")  # nobody does


def test_a_host_who_covers_the_topic():
    hosts = [host(1, topics=("accounts",)), host(2, topics=("loans", "insurance"), load=4)]
    assert assign_host(hosts, topic="Loans") == Assignment(2, "topic")


def test_busy_hosts_are_not_available_for_new_guests():
    hosts = [host(1, "busy"), host(2, load=3)]
    assert assign_host(hosts) == Assignment(2, "least_loaded")


def test_with_nobody_available_anyone_signed_in_and_not_off():
    hosts = [host(1, "busy", load=2), host(2, "off", signed_in=True), host(3, "busy", load=1)]
    assert assign_host(hosts) == Assignment(3, "fallback", escalate_now=False)


def test_a_host_who_set_away_but_is_signed_in_takes_it_and_escalation_starts_at_once():
    hosts = [host(1, "away", signed_in=True), host(2, "off", signed_in=True)]
    assert assign_host(hosts) == Assignment(1, "fallback", escalate_now=True)


def test_nobody_signed_in_still_gets_a_host_by_policy_and_escalates_at_once():
    hosts = [host(1, "away", signed_in=False, load=1),
             host(2, "away", signed_in=False),
             host(3, "off", signed_in=False)]
    assert assign_host(hosts, dedicated_host_id=1) == Assignment(1, "fallback", escalate_now=True)
    assert assign_host(hosts, appointment_host_id=3) == Assignment(3, "fallback", escalate_now=True)
    assert assign_host(hosts) == Assignment(2, "fallback", escalate_now=True)


def test_a_site_without_hosts_leaves_the_visit_unassigned():
    assert assign_host([]) == Assignment(None, "unassigned", escalate_now=True)


def test_the_configured_order_decides():
    hosts = [host(1, load=3, languages=("de", "tr")), host(2), host(3)]
    order = ("least_loaded", "dedicated", "language")
    assert assign_host(hosts, dedicated_host_id=1, language="tr", order=order) == Assignment(2, "least_loaded")
    assert set(STEPS) == {"dedicated", "appointment", "language", "topic", "least_loaded", "fallback"}


def test_ties_go_to_the_lowest_id():
    assert assign_host([host(3), host(2)]) == Assignment(2, "least_loaded")
