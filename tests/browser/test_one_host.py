"""One host from start to finish, in real browsers (issue #3).

A returning customer reaches the same host; an appointment code brings the customer
to the appointment's host with the preparation notes on the alert; a colleague is
asked to step in when an alert never reached its host's board; the visit ends with
a thank-you and one-tap feedback at the kiosk.

One Chromium for the module and its own live server. Each host's board is its own
browser context (own cookies), in the site's time zone so appointment times typed
into the board mean what the server reads.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
import socketio
from playwright.sync_api import Page, expect

from tests.support.browser import (
    SITE_ZONE,
    Person,
    card,
    kiosk_tablet,
    no_errors,
    open_board,
    shot,
    start_alerts,
    to_welcome,
)
from tests.support.live_server import WAIT, Board

CHECKINS = "/api/v1/checkins"


class Boards:
    """Host boards, signed in on first use and kept for the module (a test may close one)."""

    def __init__(self, browser, live_server):
        self.browser = browser
        self.live_server = live_server
        self.people: dict[int, Person] = {}
        self.contexts: dict[int, object] = {}

    def __call__(self, host: dict) -> Person:
        if host["id"] not in self.people:
            person, context = open_board(self.browser, self.live_server, host)
            self.contexts[host["id"]] = context
            expect(person.page.locator(f'#team-strip [data-host-id="{host["id"]}"]')).to_have_attribute(
                "data-presence-status", re.compile("available|busy"))
            self.people[host["id"]] = person
        return self.people[host["id"]]

    def close(self, host: dict) -> None:
        """Close this host's browser board, if one is open."""
        self.people.pop(host["id"], None)
        context = self.contexts.pop(host["id"], None)
        if context is not None:
            context.close()

    def close_all(self) -> None:
        for context in self.contexts.values():
            context.close()


@pytest.fixture(scope="module")
def board_of(browser, live_server):
    boards = Boards(browser, live_server)
    yield boards
    boards.close_all()


@pytest.fixture(scope="module")
def kiosk(browser, live_server):
    """The tablet at the door: portrait 10-inch, touch, bound to the demo kiosk."""
    with kiosk_tablet(browser, live_server) as person:
        yield person


def kiosk_check_in(page: Page, name: str, contact: str | None = None, code: str | None = None) -> tuple[dict, dict]:
    """Check in on the kiosk (German); returns (the answer's visit, the body the kiosk sent)."""
    to_welcome(page)
    page.get_by_label("Ihr Name").fill(name)
    if contact is not None:
        page.get_by_label("Telefon oder E-Mail").fill(contact)
    if code is not None:
        page.get_by_label("Termincode").fill(code)
    with page.expect_response(lambda r: r.url.endswith(CHECKINS) and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Einchecken").click()
        expect(page.get_by_text("Wir haben Sie bemerkt. Schön, dass Sie da sind.")).to_be_visible()
    assert answer.value.status == 201, answer.value.text()
    return answer.value.json()["visit"], answer.value.request.post_data_json


def set_presence(live_server, host: dict, status: str) -> None:
    """The host's chosen presence, sent as a board sends it; the server's answer says it is stored."""
    board = Board(live_server.url, host["token"])
    try:
        assert board.client.call("host.presence", {"status": status}, timeout=WAIT) == {"status": status}
    finally:
        board.close()


@pytest.fixture
def clara_away(live_server):
    """Anna and Ben are the team on the test's floor: Clara is away until the test ends."""
    clara = live_server.hosts[2]
    set_presence(live_server, clara, "away")
    yield
    set_presence(live_server, clara, "available")


@pytest.mark.docs_screenshots
def test_returning_customer_reaches_the_same_host(live_server, board_of, kiosk, artifacts, clara_away):
    anna, ben = live_server.hosts[0], live_server.hosts[1]
    boards = {host["id"]: board_of(host) for host in (anna, ben)}
    page = kiosk.page

    first, sent = kiosk_check_in(page, "Petra Wiederkehr", contact="+49 171 2345678")
    assert sent["phone"] == "+49 171 2345678" and "email" not in sent
    expect(page.locator("#status-line")).to_have_attribute("data-alerted", "host")  # her host's board confirmed
    expect(page.locator("#follow-on-phone")).to_be_visible()  # the status link's QR, once its image loaded
    first_screen = page.locator("#kiosk").inner_text()
    own = next(h for h in (anna, ben) if h["id"] == first["host"]["id"])
    other = ben if own is anna else anna
    board, other_board = boards[own["id"]].page, boards[other["id"]].page

    # First visit: whoever gets it greets and completes; that makes them her own host.
    alert = card(board, first["id"])
    expect(alert).to_have_attribute("data-alert", "mine")
    expect(alert.locator('[data-tag="first"]')).to_have_text("First visit")
    alert.get_by_role("button", name="Greeted").click()
    expect(alert).to_have_attribute("data-status", "greeted")
    alert.get_by_label("Outcome note (optional)").fill("Opened a savings plan")
    alert.get_by_role("button", name="Done").click()
    expect(alert).to_have_count(0)
    # The kiosk thanks her; she taps the happy face and the kiosk makes room for the next guest.
    expect(page.get_by_role("heading", name="Vielen Dank für Ihren Besuch!")).to_be_visible()
    page.get_by_role("button", name="Zufrieden", exact=True).click()
    expect(page.get_by_role("heading", name="Danke!")).to_be_visible()
    expect(page.get_by_role("heading", name="Willkommen!")).to_be_visible()

    # Make her own host the busier one: the colleague steps away, a walk-in goes to the
    # own host, who greets them (busy); the colleague comes back, free and idle.
    other_board.get_by_role("button", name="Away", exact=True).click()
    expect(board.locator(f'#team-strip [data-host-id="{other["id"]}"]')).to_have_attribute(
        "data-presence-status", "away")
    between = live_server.check_in("Walter Zwischen").json()["visit"]
    assert between["host"]["id"] == own["id"]
    between_card = card(board, between["id"])
    between_card.get_by_role("button", name="Greeted").click()
    expect(between_card).to_have_attribute("data-status", "greeted")
    expect(board.locator("#presence")).to_have_attribute("data-status", "busy")
    expect(board.locator("#presence-busy")).to_have_text("Busy — with a guest")
    other_board.get_by_role("button", name="Available", exact=True).click()
    strip = other_board.locator("#team-strip")
    expect(strip.locator(f'[data-host-id="{own["id"]}"]')).to_have_attribute("data-presence-status", "busy")
    expect(strip.locator(f'[data-host-id="{own["id"]}"] .team-status')).to_have_text("busy")
    expect(strip.locator(f'[data-host-id="{other["id"]}"]')).to_have_attribute("data-presence-status", "available")

    # She comes back and writes her number differently: the same host is alerted (by
    # load alone the idle colleague would get her), and the kiosk shows nothing different.
    again, sent = kiosk_check_in(page, "Petra Wiederkehr", contact="0171 234 5678")
    assert sent["phone"] == "0171 234 5678"
    assert again["id"] != first["id"] and again["host"]["id"] == own["id"]
    expect(page.locator("#status-line")).to_have_attribute("data-alerted", "host")
    expect(page.locator("#follow-on-phone")).to_be_visible()
    assert page.locator("#kiosk").inner_text() == first_screen
    # The kiosk names the host it told ("Wir sagen Anna Bescheid."), as for any guest; never the
    # customer, the colleague, or another guest.
    for revealing in ("Petra", "Wiederkehr", other["name"], "Walter"):
        assert revealing not in page.content(), revealing

    returning = card(board, again["id"])
    expect(board.locator("#mine-list").locator(f'[data-visit-id="{again["id"]}"]')).to_be_visible()
    expect(returning).to_have_attribute("data-alert", "mine")
    expect(returning.locator('[data-tag="returning"]')).to_have_text("Returning guest")
    expect(returning.locator('[data-tag="assigned"]')).to_have_text("Assigned: their own host")
    expect(returning.locator('[data-context="language"] dd')).to_have_text("German")
    history = returning.locator(".history-item")
    expect(history).to_have_count(1)
    expect(history).to_contain_text(f"{own['name']} · completed")
    expect(history.locator(".history-note")).to_have_text("“Opened a savings plan”")
    expect(history.locator(".history-feedback")).to_have_attribute("data-rating", "3")
    # The colleague sees the guest too, with the reason, and can step in.
    team_card = other_board.locator("#team-list").locator(f'[data-visit-id="{again["id"]}"]')
    expect(team_card).to_contain_text(f"Host: {own['name']}")
    expect(team_card.locator('[data-tag="assigned"]')).to_have_text("Assigned: their own host")
    shot(board, artifacts, "board-returning-guest", docs="board.png")
    shot(page, artifacts, "kiosk-returning-guest")

    # Her own host can hand her over: the card then says whose guest she is.
    returning.get_by_label("Own host").select_option(str(other["id"]))
    returning.get_by_role("button", name="Save").click()
    expect(returning.locator(".own-host-status")).to_have_text("Saved")
    expect(returning.locator('[data-tag="own-host"]')).to_have_text(f"{other['name']}’s guest")
    no_errors(kiosk, *boards.values())


class DeafBoard(socketio.Client):
    """A host's board that gets alerts but never confirms them (a frozen tab, a dead speaker)."""

    def __init__(self, url: str, token: str):
        super().__init__(reconnection=False)
        self.swallowed = []
        self.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=10)

    def _handle_event(self, namespace, id, data):  # python-socketio acks every event; this one does not
        if data and data[0] == "visit.arrived":
            self.swallowed.append(data[1])
            return
        super()._handle_event(namespace, id, data)


def test_an_alert_that_never_arrived_goes_to_the_team(live_server, board_of, kiosk, artifacts):
    anna, ben, clara = live_server.hosts
    boards = {host["id"]: board_of(host) for host in (anna, ben)}
    board_of.close(clara)  # Clara's only board is the deaf one: a browser board would confirm the alert
    # Every alert so far reached a browser board: its receipt came back, nothing was escalated as undelivered.
    open_visits = live_server.call("GET", "/visits?status=open", live_server.manager["token"]).json()["visits"]
    assert all(v["escalation_reason"] != "undelivered" for v in open_visits), open_visits

    deaf = DeafBoard(live_server.url, clara["token"])
    try:
        booked = live_server.call("POST", "/appointments", clara["token"],
                     json={"customer_name": "Dora Durchgereicht", "host_id": clara["id"],
                           "starts_at": datetime.now(ZoneInfo(SITE_ZONE)).strftime("%Y-%m-%dT%H:%M")})
        assert booked.status_code == 201, booked.text
        visit = live_server.check_in("Dora Durchgereicht",
                                     appointment_code=booked.json()["appointment"]["code"]).json()["visit"]
        assert visit["host"]["id"] == clara["id"]

        # Clara's board never confirmed the alert: every available colleague is asked.
        available = [boards[h["id"]].page for h in (anna, ben)
                     if boards[h["id"]].page.locator("#presence").get_attribute("data-status") == "available"]
        busy = [boards[h["id"]].page for h in (anna, ben)
                if boards[h["id"]].page.locator("#presence").get_attribute("data-status") == "busy"]
        assert available, "one of the hosts must be free to step in"
        stand_in = available[0]
        step_in = stand_in.locator("#stepin-list").locator(f'[data-visit-id="{visit["id"]}"]')
        expect(step_in).to_be_visible(timeout=15_000)
        expect(step_in.locator(".card-kicker")).to_have_text("Can you step in?")
        expect(step_in.locator(".card-title")).to_have_text(
            re.compile(r"^Dora Durchgereicht has been waiting \d+:\d\d$"))
        expect(step_in).to_have_attribute("data-escalated", "true")
        expect(step_in.locator(".card-meta")).to_contain_text("Host: Clara")
        expect(step_in.locator(".card-meta")).to_contain_text("the alert did not reach their board")
        expect(stand_in.locator("#stepin-title")).to_be_visible()
        assert deaf.swallowed and deaf.swallowed[0]["visit"]["id"] == visit["id"]
        # A busy host is not asked, but sees the escalation on the team's card.
        for page in busy:
            expect(card(page, visit["id"])).to_have_attribute("data-escalated", "true")
            expect(page.locator("#stepin-list").locator(f'[data-visit-id="{visit["id"]}"]')).to_have_count(0)
            expect(card(page, visit["id"]).locator('[data-tag="escalated"]')).to_have_text(
                "Escalated to the team — the alert did not reach their board")
        shot(stand_in, artifacts, "board-step-in")

        # The stand-in acknowledges; the visit stays Clara's.
        step_in.get_by_role("button", name="I've seen it").click()
        moved = stand_in.locator("#team-list").locator(f'[data-visit-id="{visit["id"]}"]')
        expect(moved).to_have_attribute("data-status", "acknowledged")
        expect(moved.locator(".card-meta")).to_contain_text("Host: Clara · Seen by")
        expect(moved.locator(".card-meta")).to_contain_text("(you)")
        expect(stand_in.locator("#stepin-list").locator(f'[data-visit-id="{visit["id"]}"]')).to_have_count(0)
        stored = live_server.call("GET", f"/visits/{visit['id']}", live_server.manager["token"]).json()["visit"]
        assert stored["host"]["id"] == clara["id"] and stored["acknowledged_by"]["id"] != clara["id"]
        assert stored["escalation_reason"] == "undelivered"
    finally:
        deaf.disconnect()
    no_errors(*boards.values())


def test_appointment_code_at_the_kiosk(live_server, board_of, kiosk, artifacts):
    clara = live_server.hosts[2]
    board = board_of(clara).page
    page = kiosk.page

    # Clara books an appointment on her board; the code is shown large to tell the customer.
    board.get_by_text("Book an appointment").click()
    book = board.locator("#book-form")
    expect(book.get_by_label("Host")).to_have_value(str(clara["id"]))
    when = book.get_by_label("Date and time")
    expect(when).to_have_value(re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d$"))  # the board fills in a default
    starts_at = when.input_value()
    book.get_by_label("Customer name").fill("Gül Termin")
    book.get_by_label("Reason (optional)").fill("Mortgage advice")
    book.get_by_label("Preparation notes (optional)").fill("Bring the last three payslips.\nPrefers English.")
    with board.expect_response(lambda r: r.url.endswith("/api/v1/appointments") and r.request.method == "POST") as made:
        book.get_by_role("button", name="Book appointment").click()
    assert made.value.status == 201, made.value.text()
    appointment = made.value.json()["appointment"]
    code = appointment["code"]
    expect(board.locator("#booked-code")).to_have_text(code)
    row = board.locator(f'#appts-list [data-appointment-id="{appointment["id"]}"]')
    expect(row.locator(".appt-code")).to_have_text(code)
    expect(row.locator(".appt-time")).to_have_text(starts_at[11:16])
    expect(row).to_contain_text("Gül Termin")
    expect(row).to_contain_text("Mortgage advice")
    expect(row.locator(".appt-notes")).to_contain_text("Bring the last three payslips.")
    expect(row.locator(".appt-status")).to_have_text("Scheduled")
    shot(board, artifacts, "board-appointment-booked", full_page=True)

    # The customer types the code in lower case: Clara's board gets her, prepared.
    visit, sent = kiosk_check_in(page, "Gül Termin", code=code.lower())
    assert sent["appointment_code"] == code.lower()
    assert visit["appointment"] and visit["appointment"]["id"] == appointment["id"]
    assert visit["host"]["id"] == clara["id"]
    expect(page.locator("#code-note")).to_be_hidden()
    alert = card(board, visit["id"])
    expect(alert).to_have_attribute("data-alert", "mine")
    expect(alert.locator('[data-tag="assigned"]')).to_have_text("Assigned: their appointment")
    expect(alert.locator('[data-context="appointment"] dd')).to_have_text(f"{starts_at[11:16]} · Mortgage advice")
    expect(alert.locator('[data-context="notes"] dd')).to_have_text("Bring the last three payslips.\nPrefers English.")
    expect(row.locator(".appt-status")).to_have_text("Checked in")
    shot(board, artifacts, "board-appointment-alert")

    # A code nobody knows: a kind note, and the customer is checked in all the same.
    unknown, sent = kiosk_check_in(page, "Otto Ohnecode", code="zz-9999")
    assert unknown["appointment"] is None and sent["appointment_code"] == "zz-9999"
    note = page.locator("#code-note")
    expect(note).to_have_text("Diesen Termincode haben wir nicht gefunden – kein Problem, Sie sind eingecheckt.")
    page.get_by_role("button", name="English").click()
    expect(note).to_have_text("We couldn't find that appointment code — no problem, you're checked in.")
    expect(page.get_by_text("We noticed you're here. We're glad you're here.")).to_be_visible()
    shot(page, artifacts, "kiosk-unknown-code")
    page.get_by_role("button", name="Deutsch").click()
    no_errors(kiosk, board_of(clara))


def test_thank_you_and_feedback(live_server, board_of, kiosk, artifacts):
    for host in live_server.hosts:
        board_of(host)
    page = kiosk.page
    to_welcome(page)
    shot(page, artifacts, "kiosk-welcome-contact")  # docs/kiosk.png comes from test_visit_loop.py
    visit, sent = kiosk_check_in(page, "Fiona Feedback", contact="fiona@example.org")
    assert sent["email"] == "fiona@example.org" and "phone" not in sent
    host = next(h for h in live_server.hosts if h["id"] == visit["host"]["id"])
    board = board_of(host).page
    served = card(board, visit["id"])
    served.get_by_role("button", name="Greeted").click()
    expect(served).to_have_attribute("data-status", "greeted")
    served.get_by_role("button", name="Done").click()

    # The kiosk says thank you and offers three faces; no name anywhere on that screen.
    screen = page.locator("#screen-feedback")
    expect(page.get_by_role("heading", name="Vielen Dank für Ihren Besuch!")).to_be_visible()
    for face in ("Unzufrieden", "Geht so", "Zufrieden"):
        expect(screen.get_by_role("button", name=face, exact=True)).to_be_visible()
    for name in ("Fiona", host["name"]):
        assert name not in screen.inner_text()
    shot(page, artifacts, "kiosk-feedback")
    with page.expect_response(lambda r: r.url.endswith(f"/api/v1/visits/{visit['id']}/feedback")) as rated:
        screen.get_by_role("button", name="Geht so", exact=True).click()
    assert rated.value.status == 201, rated.value.text()
    assert rated.value.request.post_data_json == {"rating": 2}
    expect(page.get_by_role("heading", name="Danke!")).to_be_visible()
    expect(page.get_by_role("heading", name="Willkommen!")).to_be_visible()  # back for the next guest

    # Stored: the visit is completed, and a second rating for it is refused.
    stored = live_server.call("GET", f"/visits/{visit['id']}", live_server.manager["token"])
    assert stored.json()["visit"]["status"] == "completed"
    twice = live_server.call("POST", f"/visits/{visit['id']}/feedback", live_server.kiosk["token"], json={"rating": 3})
    assert twice.status_code == 409, twice.text
    no_errors(kiosk, *(board_of(h) for h in live_server.hosts))


def test_a_reloaded_board_keeps_what_helps_the_host_prepare(live_server, board_of):
    for team_member in live_server.hosts:  # every board is live before the check-ins: the alert brings the history
        board_of(team_member)
    first = live_server.check_in("Prepared Paula", phone="0171 9876543").json()["visit"]
    host = next(h for h in live_server.hosts if h["id"] == first["host"]["id"])
    for action in ("greet", "complete"):
        done = requests.post(f"{live_server.url}/api/v1/visits/{first['id']}/{action}",
                             json={"note": "Brought the forms"}, headers={"Authorization": f"Bearer {host['token']}"},
                             timeout=10)
        assert done.status_code == 200, done.text
    visit = live_server.check_in("Prepared Paula", phone="+49 171 9876543").json()["visit"]
    board = board_of(host).page
    history = card(board, visit["id"]).locator(".history-item")  # only the alert's context has the history
    expect(history).to_have_count(1)
    board.reload()
    start_alerts(board)
    expect(card(board, visit["id"]).locator(".history-item")).to_contain_text("Brought the forms")  # from the snapshot
