"""The board's sign-in: who the page shows (only the browser's own site), by name and PIN,
the lockout kept in the database, and a sign-out that a copied cookie does not survive."""

from __future__ import annotations

import re

import pytest

from kiosk.app import create_app
from kiosk.domain.people import add_person
from tests.support.api import Api
from tests.support.demo import demo_site
from tests.support.forms import form_post, token_session

DEMO_NAMES = ("Anna", "Ben", "Clara")


@pytest.fixture
def dora(app, clock, demo):
    """A host of another site, 'north'."""
    return add_person(app.extensions["gastgeber"].store, clock, "host", "Dora", "Nordstadt")


def sign_in(client, host, pin=None, address="10.0.0.1", **headers):
    return form_post(client, "/board/login", {"host_id": host["id"], "pin": pin or host["pin"]},
                     environ_base={"REMOTE_ADDR": address}, headers=headers)


def wrong_pin(client, host, address="10.0.0.1", **headers):
    return sign_in(client, host, "000000", address, **headers)


# ------------------------------------------------------------------ who the page lists


def test_the_sign_in_page_of_an_unknown_browser_names_nobody_of_any_site(client, demo, dora):
    page = client.get("/board/login").get_data(as_text=True)
    text = re.sub(r"<[^>]*>", " ", page)
    assert not [name for name in (*DEMO_NAMES, "Dora", "main", "Nordstadt") if name in text]  # nor where they work
    assert 'name="name"' in page and 'name="pin"' in page and 'name="site"' in page


def test_a_browser_that_typed_its_site_code_lists_that_sites_team_only(client, demo, dora):
    chosen = form_post(client, "/board/site", {"site": "MAIN"}, page="/board/login")
    assert chosen.status_code == 303 and chosen.headers["Location"].endswith("/board/login")
    page = client.get("/board/login").get_data(as_text=True)
    assert all(name in page for name in DEMO_NAMES) and "Dora" not in page
    assert sign_in(client, demo["hosts"][1]).status_code == 303
    form_post(client, "/board/site", {"site": ""}, page="/board/login")  # "Another site": forgotten
    assert "Anna" not in client.get("/board/login").get_data(as_text=True)


def test_an_unknown_site_code_is_refused_clearly_and_counts_as_a_wrong_sign_in(client, demo):
    refused = form_post(client, "/board/site", {"site": "mian"}, page="/board/login")
    assert refused.status_code == 404 and "Kein Standort hat diesen Code." in refused.get_data(as_text=True)
    assert "Anna" not in refused.get_data(as_text=True)
    for _ in range(19):
        form_post(client, "/board/site", {"site": "mian"}, page="/board/login")
    assert form_post(client, "/board/site", {"site": "main"}, page="/board/login").status_code == 429


def test_a_paired_kiosk_tablet_lists_its_own_sites_team(client, demo, dora):
    token_session(client, "kiosk", demo["kiosk"]["token"])
    page = client.get("/board/login").get_data(as_text=True)
    assert all(name in page for name in DEMO_NAMES) and "Dora" not in page
    assert 'action="/board/site"' not in page  # a tablet's site is its own, not chosen here
    assert sign_in(client, demo["hosts"][0]).status_code == 303


def test_a_host_signs_in_with_name_and_pin(client, demo, dora):
    anna = demo["hosts"][0]
    # the demo site speaks German: so does its refusal
    wrong = form_post(client, "/board/login", {"name": "Anna", "pin": "000000"})
    assert wrong.status_code == 401 and "Name oder PIN stimmt nicht." in wrong.get_data(as_text=True)
    assert form_post(client, "/board/login", {"name": "Nobody", "pin": anna["pin"]}).status_code == 401
    assert form_post(client, "/board/login", {"name": " anna ", "pin": anna["pin"]}).status_code == 303
    assert "Anna" in client.get("/board").get_data(as_text=True)
    assert form_post(client.application.test_client(), "/board/login",
                     {"name": "Dora", "pin": dora["pin"]}).status_code == 303


def test_namesakes_on_two_sites_each_sign_in_with_their_own_pin(app, client, clock, demo, monkeypatch):
    monkeypatch.setattr("kiosk.domain.people.new_pin", lambda: "424242")
    other_anna = add_person(app.extensions["gastgeber"].store, clock, "host", "Anna", "north")
    assert other_anna["site"] == "north"
    assert form_post(client, "/board/login", {"name": "Anna", "pin": "424242"}).status_code == 303
    assert 'data-site="north"' in client.get("/board").get_data(as_text=True)
    board = app.test_client()
    assert form_post(board, "/board/login", {"name": "Anna", "pin": demo["hosts"][0]["pin"]}).status_code == 303


# ------------------------------------------------------------------ the lockout


def test_five_wrong_pins_from_one_address_leave_the_host_free_to_sign_in_elsewhere(client, demo):
    anna = demo["hosts"][0]
    for _ in range(5):
        assert wrong_pin(client, anna, "10.0.0.66").status_code == 401
    assert sign_in(client, anna, address="10.0.0.66").status_code == 429  # the guesser's address waits
    assert sign_in(client.application.test_client(), anna, address="10.0.0.7").status_code == 303


def test_two_servers_on_one_database_share_the_count(app, client, clock, demo, settings):
    anna = demo["hosts"][0]
    for _ in range(5):
        wrong_pin(client, anna)
    other = create_app({**settings, "clock": clock, "async_mode": "threading"})
    try:
        other.config["TESTING"] = True
        assert sign_in(other.test_client(), anna).status_code == 429  # locked on the other server too
        assert sign_in(other.test_client(), anna, address="10.0.0.2").status_code == 303
    finally:
        other.extensions["gastgeber"].store.close()


@pytest.fixture
def behind_proxy(tmp_path, clock, monkeypatch):
    """A server set up behind one proxy (`trusted_proxies = 1`), yet reachable directly."""
    app = create_app({"db": str(tmp_path / "proxied.db"), "clock": clock, "async_mode": "threading",
                      "trusted_proxies": 1})
    app.config["TESTING"] = True
    yield app, demo_site(app.extensions["gastgeber"].store, clock, monkeypatch)
    app.extensions["gastgeber"].store.close()


def test_fifty_wrong_pins_from_many_addresses_lock_the_host_everywhere_until_a_manager_unlocks(behind_proxy):
    """A client reaching the server directly can claim any address in X-Forwarded-For; the bound
    per host from anywhere still stops the guessing."""
    app, demo = behind_proxy
    client, anna = app.test_client(), demo["hosts"][0]
    for guess in range(50):
        forged = {"X-Forwarded-For": f"203.0.113.{guess // 5}"}
        assert wrong_pin(client, anna, **forged).status_code == 401, guess
    locked = sign_in(client, anna, **{"X-Forwarded-For": "198.51.100.1"})
    assert locked.status_code == 429 and "Zu viele falsche Versuche" in locked.get_data(as_text=True)
    assert sign_in(client, demo["hosts"][1], **{"X-Forwarded-For": "198.51.100.1"}).status_code == 303
    unlocked = Api(client).post(f"/hosts/{anna['id']}/unlock", demo["manager"]["token"])
    assert unlocked.status_code == 200 and unlocked.headers["Cache-Control"] == "no-store"
    assert sign_in(client, anna, **{"X-Forwarded-For": "198.51.100.1"}).status_code == 303


def test_a_rotating_forwarded_for_without_a_trusted_proxy_counts_against_the_real_peer(client, demo):
    anna, ben = demo["hosts"][0], demo["hosts"][1]
    for guess in range(5):
        assert wrong_pin(client, anna, "10.0.0.66", **{"X-Forwarded-For": f"203.0.113.{guess}"}).status_code == 401
    assert sign_in(client, anna, address="10.0.0.66", **{"X-Forwarded-For": "203.0.113.99"}).status_code == 429
    for guess in range(15):  # hosts that do not exist, from the same peer: its address fills up
        assert sign_in(client, {"id": 900 + guess, "pin": ben["pin"]}, address="10.0.0.66",
                       **{"X-Forwarded-For": f"198.51.100.{guess}"}).status_code == 401
    assert sign_in(client, ben, address="10.0.0.66", **{"X-Forwarded-For": "198.51.100.99"}).status_code == 429
    assert sign_in(client, anna, address="10.0.0.7").status_code == 303


# ------------------------------------------------------------------ sign-out


def test_a_board_cookie_copied_before_sign_out_is_refused_after_it(app, client, demo, socket_client):
    anna = demo["hosts"][0]
    assert sign_in(client, anna).status_code == 303
    copied = client.get_cookie("gastgeber_session").value
    form_post(client, "/board/logout", page="/board")
    replay = app.test_client()
    replay.set_cookie("gastgeber_session", copied)
    assert replay.get("/board").headers["Location"].endswith("/board/login")
    assert replay.get("/api/v1/visits?status=open").status_code == 401
    assert not socket_client(auth={"as": "host"}, flask_client=replay).is_connected()


def test_signing_out_ends_that_browsers_live_board_within_a_sweep(app, client, demo, socket_client):
    assert sign_in(client, demo["hosts"][0]).status_code == 303
    board = socket_client(auth={"as": "host"}, flask_client=client)
    elsewhere = socket_client(token=demo["hosts"][0]["token"])  # the same host's board on another device
    assert board.is_connected()
    form_post(client, "/board/logout", page="/board")
    app.extensions["gastgeber"].connections.sweep()  # what every process runs every 2 seconds
    assert not board.is_connected() and elsewhere.is_connected()
