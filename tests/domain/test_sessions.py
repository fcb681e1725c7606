"""Browser sign-ins kept on the server: they expire by the injected clock, move on with use,
and end with sign-out or with the credential they rest on."""

from __future__ import annotations

import pytest

from kiosk.domain.auth import hash_token
from kiosk.domain.sessions import BrowserSessions, session_key

NOW = "2026-11-23T09:00:00.000Z"


class Cookie(dict):
    """What Flask's session is to the domain: a dict that may be made permanent."""

    permanent = False


@pytest.fixture
def sessions(domain):
    return BrowserSessions(domain.store, domain.clock, hours=12)


def host_row(domain, name="Anna"):
    return domain.store.person("host", domain.host(name).id)


def test_the_cookie_holds_only_a_random_id_and_the_database_only_its_hash(domain, sessions):
    cookie = Cookie()
    sessions.sign_in(cookie, "host", host=host_row(domain))
    session_id = cookie[session_key("host")]
    assert cookie.permanent and len(session_id) >= 43 and set(cookie) == {"host_session"}
    record = domain.store.browser_session(hash_token(session_id))
    assert record["role"] == "host" and record["subject_id"] == domain.host("Anna").id
    assert session_id not in str(domain.store.db.execute("SELECT * FROM browser_sessions").fetchall())


def test_a_sign_in_lasts_session_hours_from_its_last_use(domain, sessions):
    cookie = Cookie()
    sessions.sign_in(cookie, "host", host=host_row(domain))
    domain.clock.advance(11 * 3600)
    assert sessions.principal(cookie, "host").name == "Anna"  # used: it moves on
    domain.clock.advance(11 * 3600)
    assert sessions.principal(cookie, "host").name == "Anna"
    domain.clock.advance(12 * 3600)
    assert sessions.principal(cookie, "host") is None


def test_signing_out_ends_the_record_so_a_copy_of_the_cookie_is_refused(domain, sessions):
    cookie = Cookie()
    sessions.sign_in(cookie, "host", host=host_row(domain))
    copy = Cookie(cookie)
    sessions.sign_out(cookie, "host")
    assert sessions.principal(copy, "host") is None


def test_signing_in_again_in_the_same_browser_ends_the_earlier_sign_in(domain, sessions):
    cookie = Cookie()
    sessions.sign_in(cookie, "host", host=host_row(domain, "Anna"))
    earlier = Cookie(cookie)
    sessions.sign_in(cookie, "host", host=host_row(domain, "Ben"))
    assert sessions.principal(earlier, "host") is None and sessions.principal(cookie, "host").name == "Ben"


def test_ending_a_credential_ends_the_browser_sign_ins_made_with_it(domain, sessions):
    store, site = domain.store, domain.site
    tablet, manager, board = Cookie(), Cookie(), Cookie()
    sessions.sign_in(tablet, "kiosk", token_hash=hash_token(site["kiosk"]["token"]))
    sessions.sign_in(manager, "manager", token_hash=hash_token(site["manager"]["token"]))
    sessions.sign_in(board, "host", host=host_row(domain, "Ben"))
    store.revoke_tokens("kiosk", site["kiosk"]["id"], NOW)
    store.end_manager_access(site["manager"]["id"], NOW, audit=[])
    store.deactivate_host(domain.host("Ben").id, NOW)
    ended = store.db.execute("SELECT role, end_reason FROM browser_sessions ORDER BY id").fetchall()
    assert ended == [("kiosk", "token_revoked"), ("manager", "access_ended"), ("host", "deactivated")]
    assert not [cookie for cookie, role in ((tablet, "kiosk"), (manager, "manager"), (board, "host"))
                if sessions.principal(cookie, role) is not None]


def test_a_cookie_made_up_or_of_another_role_speaks_for_nobody(domain, sessions):
    cookie = Cookie()
    sessions.sign_in(cookie, "host", host=host_row(domain))
    assert sessions.principal(Cookie(host_session="made-up"), "host") is None
    assert sessions.principal(Cookie(kiosk_session=cookie["host_session"]), "kiosk") is None
    assert sessions.principal(Cookie(host_session="x" * 5000), "host") is None


def test_a_tablet_bound_before_the_upgrade_stays_bound_while_its_token_holds(domain, sessions):
    kiosk = domain.site["kiosk"]
    bound = Cookie(kiosk_token=hash_token(kiosk["token"]))  # what such a tablet's cookie holds
    assert sessions.principal(bound, "kiosk").id == kiosk["id"]
    assert "kiosk_token" not in bound and "kiosk_session" in bound
    unpaired = Cookie(kiosk_token=hash_token(kiosk["token"]))
    domain.store.revoke_tokens("kiosk", kiosk["id"], NOW)
    assert sessions.principal(unpaired, "kiosk") is None and sessions.principal(bound, "kiosk") is None
