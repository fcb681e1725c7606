"""One site's bad data never stops a step of the scheduler for the other sites."""

import logging

from kiosk.domain import privacy
from kiosk.domain.auth import Principal
from kiosk.domain.people import add_person


def a_broken_branch(domain):
    """A second site whose settings hold values no rule allows (as a database of an older
    version could): far beyond what a date can hold."""
    store, clock = domain.store, domain.clock
    kiosk = add_person(store, clock, "kiosk", "Branch door", site="branch")
    host = add_person(store, clock, "host", "Dora", site="branch")
    site_id = store.site_by_name("branch")["id"]
    store.change_site_settings(site_id, {"escalate_after_seconds": 10**11, "retention_days": 10**11},
                               "2026-11-23T09:00:00.000Z", None, None, audit=[])
    return site_id, Principal("kiosk", kiosk["id"], kiosk["name"], site_id, "branch"), host


def test_the_ladder_still_climbs_for_the_other_sites(domain, caplog):
    site_id, branch_kiosk, dora = a_broken_branch(domain)
    for host_id in (domain.host("Anna").id, dora["id"]):
        domain.presence.board_connected(host_id, f"board-{host_id}")
    ours = domain.check_in("Zoë")
    theirs = domain.desk.check_in(branch_kiosk, {"name": "Yusuf", "client_id": "branch-1"})[0]
    for visit in (ours, theirs):
        domain.store.record_delivery(visit["id"], visit["host_id"], f"board-{visit['host_id']}",
                                     "2026-11-23T09:00:00.100Z")
    domain.wait(31)
    with caplog.at_level(logging.ERROR):
        assert domain.escalator.tick() == 1
    assert domain.store.visit(ours["id"])["escalated_at"] is not None
    assert domain.store.visit(theirs["id"])["escalated_at"] is None
    assert f"site {site_id}" in caplog.text


def test_the_purge_still_anonymises_the_other_sites(domain, caplog):
    a_broken_branch(domain)
    old = domain.check_in("Old Customer", phone="0171 5555555")
    domain.clock.advance(91 * 86400)
    with caplog.at_level(logging.ERROR):
        purged = privacy.purge(domain.store, domain.clock,
                               lambda site_id: domain.escalator.site_settings(site_id)["retention_days"])
    assert purged.anonymised >= 1 and domain.store.customer(old["customer_id"])["name"] == "(anonymised)"
    assert "retention purge failed for site" in caplog.text
