"""Socket.IO through Flask-SocketIO's test client: who may connect, who hears what."""

import pytest

from tests.support.forms import form_post


def events_named(sio, name):
    return [event["args"][0] for event in sio.get_received() if event["name"] == name]


@pytest.fixture
def anna(demo):
    return demo["hosts"][0]


@pytest.fixture
def ben(demo):
    return demo["hosts"][1]


def test_a_connection_without_valid_credentials_is_refused(socket_client):
    assert not socket_client().is_connected()
    assert not socket_client(token="forged").is_connected()
    assert not socket_client(auth={"token": 12}).is_connected()


def test_a_board_gets_a_snapshot_of_open_visits_oldest_first_on_connect(api, demo, anna, socket_client, clock):
    for name in ("Early", "Late"):
        api.check_in(demo["kiosk"]["token"], name=name)
        clock.advance(1)
    board = socket_client(token=anna["token"])
    snapshot = events_named(board, "board.snapshot")
    assert len(snapshot) == 1
    assert [v["customer"]["name"] for v in snapshot[0]["visits"]] == ["Early", "Late"]
    assert snapshot[0]["server_time"] == "2026-11-23T09:00:02.000Z"


def test_the_assigned_host_alone_gets_the_alert_and_everyone_the_update(api, demo, anna, ben, socket_client):
    anna_board = socket_client(token=anna["token"])
    ben_board = socket_client(token=ben["token"])
    manager = socket_client(token=demo["manager"]["token"])
    for sio in (anna_board, ben_board, manager):
        sio.get_received()
    visit = api.check_in(demo["kiosk"]["token"], name="Zoë", topic="accounts").get_json()["visit"]
    assigned, other = (anna_board, ben_board) if visit["host"]["id"] == anna["id"] else (ben_board, anna_board)
    assigned_events = assigned.get_received()
    alerts = [e["args"][0] for e in assigned_events if e["name"] == "visit.arrived"]
    assert len(alerts) == 1 and alerts[0]["visit"]["id"] == visit["id"]
    assert alerts[0]["context"]["topic"] == "accounts"
    assert [e["name"] for e in other.get_received()] == ["visit.updated"]
    assert events_named(manager, "visit.updated")[0]["visit"]["id"] == visit["id"]


def test_assignment_prefers_a_host_whose_board_is_live(api, demo, ben, socket_client):
    socket_client(token=ben["token"])
    for _ in range(2):
        assert api.check_in(demo["kiosk"]["token"]).get_json()["visit"]["host"]["name"] == "Ben"


def test_acknowledge_over_socket_answers_with_the_visit_and_tells_the_kiosk(api, demo, anna, socket_client):
    kiosk = socket_client(token=demo["kiosk"]["token"])
    board = socket_client(token=anna["token"])
    visit = api.check_in(demo["kiosk"]["token"]).get_json()["visit"]
    kiosk.get_received()
    answer = board.emit("visit.acknowledge", {"visit_id": visit["id"]}, callback=True)
    assert answer["visit"]["status"] == "acknowledged"
    assert answer["visit"]["acknowledged_by"]["name"] == "Anna"
    updates = events_named(kiosk, "visit.updated")
    assert [u["visit"]["status"] for u in updates] == ["acknowledged"]
    assert updates[0]["visit"]["acknowledged_by"]["name"] == "Anna"


@pytest.mark.parametrize("payload, code", [
    (None, "invalid_input"), ({"visit_id": "1"}, "invalid_input"), ({"visit_id": True}, "invalid_input"),
    ({"visit_id": 2**70}, "invalid_input"), ({"visit_id": 999}, "not_found"),
])
def test_acknowledge_with_bad_input_answers_an_error(demo, anna, socket_client, payload, code):
    board = socket_client(token=anna["token"])
    assert board.emit("visit.acknowledge", payload, callback=True)["error"]["code"] == code


def test_a_kiosk_may_not_acknowledge(api, demo, socket_client):
    kiosk = socket_client(token=demo["kiosk"]["token"])
    visit = api.check_in(demo["kiosk"]["token"]).get_json()["visit"]
    answer = kiosk.emit("visit.acknowledge", {"visit_id": visit["id"]}, callback=True)
    assert answer["error"]["code"] == "forbidden"
    assert api.get(f"/visits/{visit['id']}", demo["manager"]["token"]).get_json()["visit"]["status"] == "waiting"


def test_acknowledging_an_abandoned_visit_is_a_conflict(api, demo, anna, socket_client):
    board = socket_client(token=anna["token"])
    visit = api.check_in(demo["kiosk"]["token"]).get_json()["visit"]
    api.act(anna["token"], visit["id"], "abandon")
    assert board.emit("visit.acknowledge", {"visit_id": visit["id"]}, callback=True)["error"]["code"] == "conflict"


def test_a_kiosk_hears_only_about_its_own_visits_and_never_gets_a_snapshot(app, api, demo, socket_client, clock):
    from kiosk.domain.people import add_person

    side_door = add_person(app.extensions["gastgeber"].store, clock, "kiosk", "Side door")
    entrance = socket_client(token=demo["kiosk"]["token"])
    api.check_in(side_door["token"], name="Someone Else")
    api.check_in(demo["kiosk"]["token"], name="Zoë")
    received = entrance.get_received()
    assert [e["name"] for e in received] == ["visit.updated"]
    assert received[0]["args"][0]["visit"]["customer"]["name"] == "Zoë"


def test_presence_status_is_validated_and_moves_assignment(api, demo, anna, ben, socket_client):
    anna_board = socket_client(token=anna["token"])
    socket_client(token=ben["token"])
    assert anna_board.emit("host.presence", {"status": "napping"}, callback=True)["error"]["code"] == "invalid_input"
    assert anna_board.emit("host.presence", {"status": "away"}, callback=True) == {"status": "away"}
    for _ in range(3):
        assert api.check_in(demo["kiosk"]["token"]).get_json()["visit"]["host"]["name"] == "Ben"


def test_a_browser_board_signs_in_with_a_pin_and_connects_with_its_cookie(app, demo, anna, socket_client):
    browser = app.test_client()
    wrong = form_post(browser, "/board/login", {"host_id": str(anna["id"]), "pin": "000000"})
    assert wrong.status_code == 401
    assert not socket_client(auth={"as": "host"}, flask_client=browser).is_connected()
    signed_in = form_post(browser, "/board/login", {"host_id": str(anna["id"]), "pin": anna["pin"]})
    assert signed_in.status_code == 303 and signed_in.headers["Location"].endswith("/board")
    cookie = signed_in.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    board = socket_client(auth={"as": "host"}, flask_client=browser)
    assert board.is_connected()
    assert events_named(board, "board.snapshot")[0]["visits"] == []
    form_post(browser, "/board/logout", page="/board")
    assert not socket_client(auth={"as": "host"}, flask_client=browser).is_connected()


def test_a_snapshot_carries_each_visits_context_so_a_reloaded_board_keeps_it(api, demo, anna, socket_client):
    visit = api.check_in(demo["kiosk"]["token"], topic="loans", party_size=3).get_json()["visit"]
    board = socket_client(token=anna["token"])
    snapshot = events_named(board, "board.snapshot")[0]
    context = snapshot["contexts"][str(visit["id"])]
    assert (context["topic"], context["party_size"], context["returning"]) == ("loans", 3, False)


def test_moving_a_customer_to_another_host_updates_every_board(api, demo, anna, ben, socket_client):
    visit = api.check_in(demo["kiosk"]["token"]).get_json()["visit"]
    ben_board = socket_client(token=ben["token"])
    ben_board.get_received()
    api.post(f"/customers/{visit['customer']['id']}/host", anna["token"], {"host_id": ben["id"]})
    update = events_named(ben_board, "visit.updated")[-1]["visit"]
    assert update["id"] == visit["id"] and update["customer"]["host"]["name"] == "Ben"


def test_a_known_customer_at_another_kiosk_is_followed_there(app, api, demo, socket_client, clock):
    from kiosk.domain.people import add_person

    side_door = add_person(app.extensions["gastgeber"].store, clock, "kiosk", "Side door")
    first = api.check_in(demo["kiosk"]["token"], phone="0171 2345678").get_json()["visit"]
    side = socket_client(token=side_door["token"])
    again = api.check_in(side_door["token"], phone="+49 171 2345678")
    assert again.status_code == 201 and again.get_json()["visit"]["id"] == first["id"]
    assert api.get(f"/visits/{first['id']}", side_door["token"]).status_code == 200
    api.act(demo["hosts"][0]["token"], first["id"], "acknowledge")
    assert events_named(side, "visit.updated")[-1]["visit"]["status"] == "acknowledged"


def test_a_board_can_ask_for_the_whole_picture_again_but_a_kiosk_cannot(api, demo, anna, socket_client):
    board = socket_client(token=anna["token"])
    visit = api.check_in(demo["kiosk"]["token"]).get_json()["visit"]
    picture = board.emit("board.resync", {}, callback=True)
    assert [v["id"] for v in picture["visits"]] == [visit["id"]] and str(visit["id"]) in picture["contexts"]
    kiosk = socket_client(token=demo["kiosk"]["token"])
    assert kiosk.emit("board.resync", {}, callback=True)["error"]["code"] == "forbidden"


def serve(api, host, visit_id):
    api.act(host["token"], visit_id, "greet")
    return api.act(host["token"], visit_id, "complete").get_json()["visit"]


def test_a_hosts_snapshot_has_their_done_today_newest_first_and_only_theirs(api, demo, anna, ben, socket_client,
                                                                             clock):
    kiosk = demo["kiosk"]["token"]
    yesterday = api.check_in(kiosk, name="Yesterday").get_json()["visit"]
    serve(api, anna, yesterday["id"])
    clock.advance(24 * 3600)
    socket_client(token=anna["token"])  # signed in today: today's visits go to her
    first, second = (api.check_in(kiosk, name=name).get_json()["visit"] for name in ("First", "Second"))
    assert first["host"]["id"] == second["host"]["id"] == anna["id"]
    serve(api, anna, first["id"])
    clock.advance(5)
    serve(api, ben, second["id"])  # Ben stood in: it is his too
    anna_board = socket_client(token=anna["token"])  # another board of hers, or the same one reloaded
    ben_board = socket_client(token=ben["token"])
    manager = socket_client(token=demo["manager"]["token"])
    assert [v["customer"]["name"] for v in events_named(anna_board, "board.snapshot")[0]["done_today"]] == [
        "Second", "First"]
    assert [v["customer"]["name"] for v in events_named(ben_board, "board.snapshot")[0]["done_today"]] == ["Second"]
    assert "done_today" not in events_named(manager, "board.snapshot")[0]
    resynced = anna_board.emit("board.resync", {}, callback=True)
    assert [v["id"] for v in resynced["done_today"]] == [second["id"], first["id"]]


def test_undo_over_the_socket_within_a_minute_reaches_every_board_and_then_is_refused(api, demo, anna, ben,
                                                                                    socket_client, clock):
    socket_client(token=anna["token"])
    visit = api.check_in(demo["kiosk"]["token"], name="Zoë").get_json()["visit"]
    done = serve(api, anna, visit["id"])
    anna_board = socket_client(token=anna["token"])
    ben_board = socket_client(token=ben["token"])
    manager = socket_client(token=demo["manager"]["token"])
    assert [v["id"] for v in events_named(anna_board, "board.snapshot")[0]["done_today"]] == [visit["id"]]
    for sio in (ben_board, manager):
        sio.get_received()
    clock.advance(30)
    answer = anna_board.emit("visit.undo_complete", {"visit_id": visit["id"]}, callback=True)
    assert (answer["visit"]["status"], answer["visit"]["completed_at"]) == ("greeted", None)
    for sio in (ben_board, manager):
        assert [v["visit"]["status"] for v in events_named(sio, "visit.updated")] == ["greeted"]
    assert anna_board.emit("board.resync", {}, callback=True)["done_today"] == []

    api.act(anna["token"], visit["id"], "complete")
    clock.advance(60.5)
    late = anna_board.emit("visit.undo_complete", {"visit_id": visit["id"]}, callback=True)
    assert late["error"]["code"] == "conflict" and "within 60 s" in late["error"]["message"]
    assert done["completed_at"] < api.get(f"/visits/{visit['id']}", anna["token"]).get_json()["visit"]["completed_at"]


@pytest.mark.parametrize("payload, code", [({}, "invalid_input"), ({"visit_id": True}, "invalid_input"),
                                           ({"visit_id": 999999}, "not_found")])
def test_undo_over_the_socket_refuses_what_it_cannot_undo(anna, socket_client, payload, code):
    board = socket_client(token=anna["token"])
    assert board.emit("visit.undo_complete", payload, callback=True)["error"]["code"] == code


def test_only_a_host_may_undo_over_the_socket(demo, socket_client):
    manager = socket_client(token=demo["manager"]["token"])
    assert manager.emit("visit.undo_complete", {"visit_id": 1}, callback=True)["error"]["code"] == "forbidden"
