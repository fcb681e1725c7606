"""A kiosk's answer never tells who a phone number or e-mail belongs to: it shows the name
typed, answers 201 whether or not the contact was known, and a contact typed under another
name does not attach the visit to its owner (the host is asked to check instead)."""

import pytest


@pytest.fixture
def kiosk(demo):
    return demo["kiosk"]["token"]


@pytest.fixture
def board(demo, socket_client):
    return socket_client(token=demo["hosts"][0]["token"])


@pytest.fixture
def jonas(app, api, demo, kiosk):
    """A known customer with a greeted-and-completed visit behind them and an own host."""
    visit = api.check_in(kiosk, name="Jonas Weber", email="jonas@example.org").get_json()["visit"]
    host = demo["hosts"][0]["token"]
    for action in ("greet", "complete"):
        assert api.act(host, visit["id"], action).status_code == 200
    return app.extensions["gastgeber"].store.customer(visit["customer"]["id"])


def context_of(board, visit_id):
    return board.emit("board.resync", {}, callback=True)["contexts"][str(visit_id)]


def test_someone_else_with_a_known_email_sees_only_their_own_name(api, kiosk, jonas, board):
    answer = api.check_in(kiosk, name="Someone Else", email="JONAS@example.org")
    assert answer.status_code == 201
    visit = answer.get_json()["visit"]
    assert visit["customer"]["name"] == "Someone Else" and "Jonas" not in answer.get_data(as_text=True)
    assert visit["customer"]["id"] != jonas["id"]
    context = context_of(board, visit["id"])
    assert context["contact_matches_other"] is True and context["returning"] is False
    assert context["previous_visits"] == [] and context["own_host"] is None


def test_the_owner_of_the_contact_keeps_it(app, api, kiosk, jonas):
    api.check_in(kiosk, name="Someone Else", email="jonas@example.org")
    assert app.extensions["gastgeber"].store.customer(jonas["id"])["email"] == "jonas@example.org"
    again = api.check_in(kiosk, name="Jonas", email="jonas@example.org").get_json()["visit"]
    assert again["customer"]["id"] == jonas["id"]


def test_the_same_person_spelled_another_way_is_recognised_and_sees_what_they_typed(api, kiosk, jonas, board):
    visit = api.check_in(kiosk, name="jonas", email="jonas@example.org").get_json()["visit"]
    assert visit["customer"] == {"id": jonas["id"], "name": "jonas"}
    context = context_of(board, visit["id"])
    assert context["returning"] is True and context["contact_matches_other"] is False


def test_known_and_unknown_contacts_are_answered_alike(api, kiosk, jonas):
    known = api.check_in(kiosk, name="Jonas", email="jonas@example.org")
    open_again = api.check_in(kiosk, name="Jonas", email="jonas@example.org")
    unknown = api.check_in(kiosk, name="Nora", email="nora@example.org")
    assert [r.status_code for r in (known, open_again, unknown)] == [201, 201, 201]
    shapes = [sorted(r.get_json()["visit"]) for r in (known, open_again, unknown)]
    assert shapes[0] == shapes[1] == shapes[2]


def test_a_retry_with_the_same_client_id_still_answers_200(api, kiosk):
    first = api.check_in(kiosk, name="Nora", client_id="retry-1")
    again = api.check_in(kiosk, name="Nora", client_id="retry-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["visit"]["id"] == first.get_json()["visit"]["id"]
