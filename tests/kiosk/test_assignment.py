"""Assignment: least-loaded signed-in, available host first; else anyone; else nobody."""

from kiosk.assignment import Assignment, assign_host


def host(host_id, status="available"):
    return {"id": host_id, "status": status}


HOSTS = [host(1), host(2), host(3)]


def test_least_loaded_signed_in_host_gets_the_visit():
    assert assign_host(HOSTS, {1: 2, 2: 1, 3: 0}, signed_in={1, 2}) == Assignment(2, "least_loaded")


def test_ties_go_to_the_lowest_id():
    assert assign_host(HOSTS, {}, signed_in={3, 2}) == Assignment(2, "least_loaded")


def test_hosts_away_or_off_are_skipped_while_someone_is_available():
    hosts = [host(1, "away"), host(2, "off"), host(3)]
    assert assign_host(hosts, {3: 5}, signed_in={1, 2, 3}) == Assignment(3, "least_loaded")


def test_nobody_signed_in_falls_back_to_the_least_loaded_host():
    assert assign_host(HOSTS, {1: 1, 2: 0, 3: 4}, signed_in=set()) == Assignment(2, "fallback")


def test_everyone_away_falls_back_too():
    hosts = [host(1, "away"), host(2, "off")]
    assert assign_host(hosts, {}, signed_in={1, 2}) == Assignment(1, "fallback")


def test_a_site_without_hosts_leaves_the_visit_unassigned():
    assert assign_host([], {}, signed_in=set()) == Assignment(None, "unassigned")
