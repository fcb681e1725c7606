"""Channels (issue 14): a host who is not looking at a board hears of a waiting guest by
e-mail, ntfy, chat … through Apprise, once per visit, retried, and after a restart too.

Real parts: an SMTP server (aiosmtpd) and a JSON receiver on loopback, reached through
Apprise's own `mailto://` and `json://` (so `notify_allow_private_addresses` is on here).
Time moves through the injected FixedClock; the sender's step is driven directly.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from kiosk.app import create_app
from kiosk.clock import to_iso
from kiosk.domain.channels import RETRY_AFTER_SECONDS, messages, next_step
from kiosk.wiring import texts_for
from tests.support.mqtt import serving_mosquitto, subscribed
from tests.support.polling import wait_until
from tests.support.receivers import apprise_json_url, serving_mail

CHANNELS = "/api/v1/channels"


@pytest.fixture
def settings(db_path):
    return {"db": str(db_path), "notify_allow_private_addresses": True, "public_url": "https://door.example.org"}


def services(app):
    return app.extensions["gastgeber"]


def bearer(person):
    return {"Authorization": f"Bearer {person['token']}"}


def host(demo, name):
    return next(h for h in demo["hosts"] if h["name"] == name)


def add_channel(client, person, url, **fields):
    answer = client.post(CHANNELS, json={"url": url, **fields}, headers=bearer(person))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["channel"]


def board_of(app, socket_client, person):
    """A board of `person` connected (their presence counts), and its id."""
    before = services(app).presence.boards_of(person["id"])
    socket_client(token=person["token"])
    (board_id,) = services(app).presence.boards_of(person["id"]) - before
    return board_id


def messages_at(receiver, path="notify"):
    return [json.loads(r["body"]) for r in receiver.requests if r["path"] == f"/{path}"]


# --- what a notice says ------------------------------------------------------------------------------

def test_the_message_is_short_in_the_hosts_language_and_names_the_customer_only_when_allowed():
    common = {"alert": "arrived", "arrived_at": "2026-11-23T13:03:07.412Z", "zone": "Europe/Berlin",
              "link": "https://door.example.org/board", "host_name": "Anna"}
    title, body = messages.alert_message(texts_for("en"), customer_name=None, **common)
    assert (title, body) == ("A guest is waiting",
                             "A guest is waiting for you (since 14:03) · open the board https://door.example.org/board")
    _, german = messages.alert_message(texts_for("de"), customer_name="Zoë Weber", **common)
    assert german == "Zoë Weber wartet auf Sie (seit 14:03) · zum Board https://door.example.org/board"
    _, turkish = messages.alert_message(texts_for("tr"), customer_name=None, **{**common, "alert": "team"})
    assert turkish.startswith("Bir misafir Anna adlı kişiyi bekliyor (14:03 itibarıyla)")
    assert messages.host_language("fr,tr", ("de", "en", "tr"), "de") == "tr"
    assert messages.host_language("", ("de", "en", "tr"), "de") == "de"
    assert messages.board_link("", "http://10.0.0.5:5000") == "http://10.0.0.5:5000/board"


def test_retries_back_off_for_a_bounded_time_and_then_give_up(clock):
    now = clock.now()
    schedule = [next_step(n, False, now) for n in range(1, len(RETRY_AFTER_SECONDS) + 2)]
    assert [step["next_attempt_at"] for step in schedule[:-1]] == [
        to_iso(now + timedelta(seconds=s)) for s in RETRY_AFTER_SECONDS]
    assert schedule[-1] == {"status": "failed", "next_attempt_at": None}
    assert sum(RETRY_AFTER_SECONDS) <= 30 * 60


# --- e-mail through a real SMTP server -----------------------------------------------------------------

def test_an_email_channel_sends_its_test_and_the_alert_through_a_real_smtp_server(app, client, api, demo):
    anna = host(demo, "Anna")
    with serving_mail() as mail:
        for person in demo["hosts"]:  # whoever gets the visit (nobody is signed in) has a mailbox
            channel = add_channel(client, demo["manager"], mail.url(f"{person['name'].lower()}@example.org"),
                                  host_id=person["id"], label="Mail")
        assert channel["kind"] == "mailto" and mail.password not in channel["url"]
        anna_channel = client.get(CHANNELS, headers=bearer(anna)).get_json()["channels"][0]
        tested = client.post(f"{CHANNELS}/{anna_channel['id']}/test", headers=bearer(anna))
        assert tested.status_code == 200
        assert tested.get_json()["delivery"]["ok"] is True, tested.get_json()
        visit = api.check_in(demo["kiosk"]["token"], name="Zoë Weber").get_json()["visit"]
        assert services(app).channel_sender.deliver_due() == 1
    own = visit["host"]["name"]
    assert [m["To"] for m in mail.messages] == ["anna@example.org", f"{own.lower()}@example.org"]
    assert mail.messages[0]["Subject"] == "Gastgeber: Test"  # Anna speaks German first
    if own != "Clara":  # Clara speaks English first
        assert mail.messages[1]["Subject"] == "Ein Gast wartet"
        assert mail.texts()[1].strip() == ("Ein Gast wartet auf Sie (seit 10:00) · zum Board "
                                           "https://door.example.org/board")
    assert "Zoë" not in mail.texts()[1]  # notify_customer_names is off


def test_an_mqtt_channel_sends_its_test_and_the_alert_through_a_real_mosquitto(app, client, api, demo, tmp_path):
    with serving_mosquitto(tmp_path) as port, subscribed(port, "gastgeber/#") as heard:
        channels = {person["name"]: add_channel(client, person, f"mqtt://127.0.0.1:{port}/gastgeber/{person['name']}")
                    for person in demo["hosts"]}
        assert channels["Anna"]["kind"] == "mqtt"
        tested = client.post(f"{CHANNELS}/{channels['Anna']['id']}/test", headers=bearer(host(demo, "Anna")))
        assert tested.get_json()["delivery"]["ok"] is True, tested.get_json()
        wait_until(lambda: heard.on("gastgeber/Anna"), message="the test message on Anna's topic")
        visit = api.check_in(demo["kiosk"]["token"], name="Zoë").get_json()["visit"]
        assert services(app).channel_sender.deliver_due() == 1
        own = visit["host"]["name"]
        wait_until(lambda: len(heard.messages) == 2, message="the alert on the host's topic")
    (alert,) = [payload for topic, payload in heard.messages[1:] if topic == f"gastgeber/{own}"]
    assert "https://door.example.org/board" in alert and "Zoë" not in alert
    assert "(seit 10:00)" in alert or "(since 10:00)" in alert


# --- who hears what, when ---------------------------------------------------------------------------------

def test_with_no_board_connected_the_channel_hears_the_alert_at_once(app, client, api, demo, receiver):
    for person in demo["hosts"]:
        add_channel(client, person, apprise_json_url(receiver, person["name"]))
    visit = api.check_in(demo["kiosk"]["token"], name="Zoë").get_json()["visit"]
    assert services(app).channel_sender.deliver_due() == 1  # without moving time: due at once
    own = visit["host"]["name"]
    (message,) = messages_at(receiver, own)
    assert message["title"] == ("A guest is waiting" if own == "Clara" else "Ein Gast wartet")
    assert "https://door.example.org/board" in message["message"] and "Zoë" not in message["message"]
    assert [r["path"] for r in receiver.requests] == [f"/{own}"]  # nobody is available: the team has no one
    assert services(app).store.visit(visit["id"])["alert_delivered_at"] is not None  # the host was reached
    assert [row["kind"] for row in services(app).store.deliveries(visit["id"])] == ["json"]  # for the stats


def test_the_customers_name_is_sent_only_when_the_site_allows_it(db_path, clock, demo, receiver, settings):
    named = create_app({**settings, "notify_customer_names": True, "clock": clock, "async_mode": "threading"})
    try:
        client = named.test_client()
        for person in demo["hosts"]:
            add_channel(client, person, apprise_json_url(receiver, "all"))
        client.post("/api/v1/checkins", json={"name": "Zoë Weber", "client_id": "c-named"},
                    headers=bearer(demo["kiosk"]))
        services(named).channel_sender.deliver_due()
    finally:
        services(named).store.close()
    (message,) = messages_at(receiver, "all")
    assert "Zoë Weber" in message["message"]


def test_the_sender_is_woken_once_a_check_in_that_owes_a_notice_has_committed(app, client, api, demo, receiver):
    """So the serving process sends at once instead of at its next look (runtime/channel_worker.py)."""
    store = services(app).store
    wakes = []
    store.when_notices_queued("channel_notices", lambda: wakes.append(store.db.conn.in_transaction))
    api.check_in(demo["kiosk"]["token"], name="Zoë")
    assert wakes == []  # nobody has a channel: nothing owed, nobody woken
    for person in demo["hosts"]:
        add_channel(client, person, apprise_json_url(receiver, person["name"]))
    api.check_in(demo["kiosk"]["token"], name="Yusuf")
    assert wakes == [False]  # once, after the commit
    assert services(app).channel_sender.deliver_due() == 1


def test_a_confirming_board_keeps_an_unconfirmed_channel_quiet_and_always_hears_at_once(
        app, client, api, demo, receiver, clock, socket_client):
    anna = host(demo, "Anna")
    board = board_of(app, socket_client, anna)  # the only host signed in: visits go to Anna
    add_channel(client, anna, apprise_json_url(receiver, "unconfirmed"))
    add_channel(client, anna, apprise_json_url(receiver, "always"), when="always")
    sender, publisher = services(app).channel_sender, services(app).publisher

    seen = api.check_in(demo["kiosk"]["token"], name="Zoë").get_json()["visit"]
    assert seen["host"]["id"] == anna["id"]
    sender.deliver_due()
    assert len(messages_at(receiver, "always")) == 1 and messages_at(receiver, "unconfirmed") == []
    publisher._receipt(seen["id"], anna["id"], board)({"received": True})  # the board's ack
    clock.advance(services(app).settings["alert_receipt_seconds"] + 1)
    sender.deliver_due()
    assert messages_at(receiver, "unconfirmed") == []  # the board showed it
    assert [n["status"] for n in services(app).store.notices_of_visit(seen["id"])] == ["confirmed", "sent"]

    missed = api.check_in(demo["kiosk"]["token"], name="Jonas").get_json()["visit"]
    sender.deliver_due()
    assert len(messages_at(receiver, "always")) == 2 and messages_at(receiver, "unconfirmed") == []
    clock.advance(services(app).settings["alert_receipt_seconds"] - 1)
    sender.deliver_due()
    assert messages_at(receiver, "unconfirmed") == []  # not yet: the board may still confirm
    clock.advance(2)
    sender.deliver_due()
    assert len(messages_at(receiver, "unconfirmed")) == 1  # no board confirmed it in time
    assert services(app).store.visit(missed["id"])["alert_delivered_at"] is not None


def test_a_channel_delivery_counts_as_reaching_the_host_for_the_ladder(app, client, api, demo, clock,
                                                                       receiver, socket_client):
    anna = host(demo, "Anna")
    board_of(app, socket_client, anna)  # connected, but its receipt never comes
    add_channel(client, anna, apprise_json_url(receiver), when="always")
    visit = api.check_in(demo["kiosk"]["token"]).get_json()["visit"]
    services(app).channel_sender.deliver_due()
    clock.advance(services(app).settings["alert_receipt_seconds"] + 1)
    services(app).presence.heartbeat()
    assert services(app).escalator.tick() == 0  # reached through the channel: no "undelivered" escalation
    assert services(app).store.visit(visit["id"])["escalated_at"] is None


def test_the_kiosk_hears_when_a_channel_was_the_first_to_reach_the_host(app, client, api, demo, receiver,
                                                                         socket_client):
    anna = host(demo, "Anna")
    board_of(app, socket_client, anna)  # connected, but its receipt never comes
    add_channel(client, anna, apprise_json_url(receiver), when="always")
    tablet = socket_client(token=demo["kiosk"]["token"])
    visit = api.check_in(demo["kiosk"]["token"]).get_json()["visit"]
    assert visit["alerted"] == "nobody"
    tablet.get_received()
    services(app).channel_sender.deliver_due()
    updates = [event["args"][0]["visit"] for event in tablet.get_received() if event["name"] == "visit.updated"]
    assert [(v["id"], v["alerted"]) for v in updates] == [(visit["id"], "host")]


def test_a_team_escalation_reaches_every_available_hosts_channels_and_each_channel_hears_a_visit_once(
        app, client, api, demo, clock, receiver, socket_client):
    anna, ben, clara = (host(demo, name) for name in ("Anna", "Ben", "Clara"))
    boards = {person["name"]: board_of(app, socket_client, person) for person in (anna, ben)}  # Clara is away
    for person in (anna, ben, clara):
        add_channel(client, person, apprise_json_url(receiver, person["name"]), when="always")
    add_channel(client, ben, apprise_json_url(receiver, "ben-unconfirmed"))
    sender = services(app).channel_sender

    visit = api.check_in(demo["kiosk"]["token"], help=True, name="").get_json()["visit"]  # "please help me"
    sender.deliver_due()
    own = visit["host"]["name"]
    assert own in ("Anna", "Ben")
    assert sorted(r["path"] for r in receiver.requests) == ["/Anna", "/Ben"]  # each once; Clara is not available
    colleague = "Ben" if own == "Anna" else "Anna"
    assert messages_at(receiver, colleague)[0]["message"].startswith(
        f"Ein Gast wartet auf {own} (seit 10:00), noch hat niemand reagiert · zum Board")
    if own == "Anna":  # Ben heard it as the team: his board confirms the escalation
        services(app).publisher._escalation_receipt(visit["id"], ben["id"], boards["Ben"])({"received": True})
    else:  # Ben is the host: his board confirms the alert
        services(app).publisher._receipt(visit["id"], ben["id"], boards["Ben"])({"received": True})
    for _ in range(3):  # the rest of the ladder, and the sender again and again
        clock.advance(services(app).settings["escalate_managers_after_seconds"])
        services(app).presence.heartbeat()
        services(app).escalator.tick()
        sender.deliver_due()
    assert sorted(r["path"] for r in receiver.requests) == ["/Anna", "/Ben"]  # still once each, nothing more
    assert messages_at(receiver, "ben-unconfirmed") == []


def test_an_unconfirmed_team_escalation_reaches_a_colleagues_channel_after_the_receipt_time(
        app, client, api, demo, clock, receiver, socket_client):
    anna, ben = host(demo, "Anna"), host(demo, "Ben")
    board_of(app, socket_client, anna)
    add_channel(client, anna, apprise_json_url(receiver, "Anna"))
    visit = api.check_in(demo["kiosk"]["token"]).get_json()["visit"]
    assert visit["host"]["id"] == anna["id"]
    board_of(app, socket_client, ben)  # Ben signs in later; the visit escalates to him
    add_channel(client, ben, apprise_json_url(receiver, "Ben"))
    services(app).publisher._receipt(visit["id"], anna["id"], next(iter(
        services(app).presence.boards_of(anna["id"]))))({"received": True})
    clock.advance(services(app).settings["escalate_after_seconds"])
    services(app).presence.heartbeat()
    assert services(app).escalator.tick() == 1
    services(app).channel_sender.deliver_due()
    assert messages_at(receiver, "Ben") == []  # his board may still confirm
    clock.advance(services(app).settings["alert_receipt_seconds"])
    services(app).channel_sender.deliver_due()
    (message,) = messages_at(receiver, "Ben")
    assert message["message"].startswith("Ein Gast wartet auf Anna (seit 10:00)")
    assert messages_at(receiver, "Anna") == []  # her board confirmed the visit


def test_a_visit_seen_to_before_its_notice_is_due_sends_nothing(app, client, api, demo, clock, receiver,
                                                                 socket_client):
    anna = host(demo, "Anna")
    board_of(app, socket_client, anna)
    add_channel(client, anna, apprise_json_url(receiver))
    visit = api.check_in(demo["kiosk"]["token"]).get_json()["visit"]
    assert api.act(anna["token"], visit["id"], "acknowledge").status_code == 200
    clock.advance(services(app).settings["alert_receipt_seconds"] + 1)
    services(app).channel_sender.deliver_due()
    assert receiver.requests == []


# --- failures, retries, restarts ---------------------------------------------------------------------

def test_a_failing_receiver_is_retried_every_attempt_kept_and_after_a_restart_the_notice_arrives(
        app, client, api, demo, clock, receiver, settings):
    anna = host(demo, "Anna")
    channel = add_channel(client, anna, apprise_json_url(receiver))
    receiver.statuses = [503, 503]
    api.check_in(demo["kiosk"]["token"])
    assert services(app).channel_sender.deliver_due() == 1
    listed = client.get(CHANNELS, headers=bearer(anna)).get_json()["channels"][0]
    assert listed["last_delivery"]["ok"] is False and "503" in listed["last_delivery"]["error"]
    assert services(app).channel_sender.deliver_due() == 0  # not before its retry is due
    clock.advance(RETRY_AFTER_SECONDS[0])
    assert services(app).channel_sender.deliver_due() == 1
    assert len(receiver.requests) == 2
    # the server stops with the notice still owed; another starts on the same database file
    clock.advance(RETRY_AFTER_SECONDS[1])
    restarted = create_app({**settings, "clock": clock, "async_mode": "threading"})
    try:
        assert services(restarted).channel_sender.deliver_due() == 1
        attempts = services(restarted).store.attempts_of_channel(channel["id"])
        listed = restarted.test_client().get(CHANNELS, headers=bearer(anna)).get_json()["channels"][0]
    finally:
        services(restarted).store.close()
    assert len(receiver.requests) == 3 and [a["ok"] for a in attempts] == [0, 0, 1]
    assert listed["last_delivery"]["ok"] is True and listed["last_delivery"]["error"] is None


def test_a_receiver_that_never_answers_gives_up_after_the_last_retry(app, client, api, demo, clock, receiver):
    anna = host(demo, "Anna")
    add_channel(client, anna, apprise_json_url(receiver))
    receiver.statuses = [500] * (len(RETRY_AFTER_SECONDS) + 1)
    visit = api.check_in(demo["kiosk"]["token"]).get_json()["visit"]
    for wait in (0, *RETRY_AFTER_SECONDS):
        clock.advance(wait)
        assert services(app).channel_sender.deliver_due() == 1
    clock.advance(3600)
    assert services(app).channel_sender.deliver_due() == 0
    assert [n["status"] for n in services(app).store.notices_of_visit(visit["id"])] == ["failed"]
    assert len(receiver.requests) == len(RETRY_AFTER_SECONDS) + 1


def test_the_alert_speaks_the_language_the_host_chose_for_their_board(app, client, api, demo, receiver):
    """A host's own choice (their board's language) beats the languages they speak, for their alerts too."""
    for person in demo["hosts"]:
        add_channel(client, person, apprise_json_url(receiver, person["name"]))
        services(app).store.set_own_language("host", person["id"], "ar")
    visit = api.check_in(demo["kiosk"]["token"], name="Zoë").get_json()["visit"]
    assert services(app).channel_sender.deliver_due() == 1
    (message,) = messages_at(receiver, visit["host"]["name"])
    assert message["title"] == "ضيف بالانتظار" and message["message"].startswith("ضيف ينتظرك (منذ 10:00)")
