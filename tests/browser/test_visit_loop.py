"""The whole walk-in loop in real browsers: kiosk tablet, staff boards, live server.

One Chromium for the module; each person gets their own browser context (own cookies):
every host signs in on /board, the tablet is bound to the demo kiosk via /kiosk/setup. The server runs
under eventlet, then under gevent.
"""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.browser import audit, card, every_board, kiosk_tablet, no_errors, shot, start_alerts, to_welcome

GUEST = "Zoë <b>Test</b>"
CHECKINS = "**/api/v1/checkins"
PAGE_OPTIONS = {"console": None, "timezone_id": None}  # watch exceptions and dialogs only; browser's own zone

pytestmark = pytest.mark.both_async_modes  # production modes alike (README: eventlet or gevent)


@pytest.fixture(scope="module")
def boards(browser, live_server):
    """Every demo host signed in on their own board, alerts started; keyed by host id."""
    with every_board(browser, live_server, viewport={"width": 1100, "height": 860}, **PAGE_OPTIONS) as signed_in:
        for person in signed_in.values():
            expect(person.page.locator("#conn")).to_contain_text("live")
        yield signed_in


@pytest.fixture(scope="module")
def kiosk(browser, live_server):
    """The tablet at the door: portrait 10-inch, touch, bound to the demo kiosk."""
    with kiosk_tablet(browser, live_server, **PAGE_OPTIONS) as person:
        yield person


def check_in(page: Page, name: str) -> dict:
    """Check in on the kiosk; returns the visit from the server's answer."""
    page.get_by_label("Ihr Name").fill(name)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/checkins") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Einchecken").click()
        expect(page.get_by_text("Wir haben Sie bemerkt. Schön, dass Sie da sind.")).to_be_visible()
    assert answer.value.status == 201, answer.value.text()
    return answer.value.json()["visit"]


def host_act(live_server, host: dict, visit_id, action: str) -> dict:
    answer = requests.post(f"{live_server.url}/api/v1/visits/{visit_id}/{action}", json={}, timeout=10,
                           headers={"Authorization": f"Bearer {host['token']}"})
    assert answer.status_code == 200, answer.text
    return answer.json()["visit"]


@pytest.mark.docs_screenshots
def test_walk_in_loop_from_kiosk_to_board_and_back(live_server, boards, kiosk, artifacts):
    page = kiosk.page
    to_welcome(page)  # whatever the module's other test left on the tablet
    # Someone else's guest is already waiting: the team sees it, this kiosk must not show it.
    earlier = live_server.check_in("Jonas Weber").json()["visit"]
    shot(page, artifacts, "kiosk-welcome-portrait", docs="kiosk.png")

    # The first attempt fails on the network: the guest still sees the confirmation at once,
    # and the retry carries the same client_id.
    sent = []

    def flaky_network(route):
        sent.append(route.request.post_data_json)
        if len(sent) == 1:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(CHECKINS, flaky_network)
    visit = check_in(page, GUEST)
    page.unroute(CHECKINS)
    assert len(sent) == 2 and sent[0]["client_id"] == sent[1]["client_id"]
    assert sent[0]["name"] == GUEST and sent[0]["language"] == "de"
    expect(page.locator("#status-line")).to_have_attribute("data-state", "notifying")

    host = next(h for h in live_server.hosts if h["id"] == visit["host"]["id"])
    board = boards[host["id"]].page
    alert = card(board, visit["id"])
    expect(alert).to_have_attribute("data-alert", "mine")
    expect(alert).to_have_attribute("data-status", "waiting")
    expect(board.locator("#mine-list").locator(f'[data-visit-id="{visit["id"]}"]')).to_be_visible()
    expect(alert.locator(".card-name")).to_have_text(GUEST)  # literal text, not markup
    expect(alert.locator(".card-title")).to_have_text(f"{GUEST} is here for you")
    expect(alert.locator("b")).to_have_count(0)
    expect(alert.locator(".timer-value")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    expect(board).to_have_title(re.compile(r"^\(\d+ waiting\) "))

    # Everyone else sees the guest too, with the host's name, and can step in.
    for other_id, other in boards.items():
        if other_id != host["id"]:
            team_card = other.page.locator("#team-list").locator(f'[data-visit-id="{visit["id"]}"]')
            expect(team_card).to_contain_text(f"Host: {host['name']}")
            expect(team_card.locator('[data-action="acknowledge"]')).to_be_visible()
            expect(card(other.page, earlier["id"])).to_be_attached()
    shot(board, artifacts, "board-alert")  # docs/board.png comes from test_one_host.py
    narrow = next(p.page for i, p in boards.items() if i != host["id"])
    narrow.set_viewport_size({"width": 390, "height": 844})
    shot(narrow, artifacts, "board-alert-phone")
    narrow.set_viewport_size({"width": 1100, "height": 860})

    alert.get_by_role("button", name="I've seen it").click()
    expect(alert).to_have_attribute("data-status", "acknowledged")
    expect(alert.locator('[data-action="acknowledge"]')).to_have_count(0)
    expect(page.locator("#status-line")).to_have_text(f"{host['name']} kommt gleich zu Ihnen.")
    shot(page, artifacts, "kiosk-acknowledged-de")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_text("We noticed you're here. We're glad you're here.")).to_be_visible()
    expect(page.locator("#status-line")).to_have_text(f"{host['name']} will be with you in a moment.")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, artifacts, "kiosk-acknowledged-en-landscape")
    page.set_viewport_size({"width": 800, "height": 1280})

    alert.get_by_role("button", name="Greeted").click()
    expect(alert).to_have_attribute("data-status", "greeted")
    alert.get_by_label("Outcome note (optional)").fill("Opened a savings account")
    shot(board, artifacts, "board-greeted")
    alert.get_by_role("button", name="Done").click()
    for person in boards.values():
        expect(card(person.page, visit["id"])).to_have_count(0)
        expect(card(person.page, earlier["id"])).to_have_count(1)
    # The visit ends with a thank-you and the feedback faces, with no name on screen.
    expect(page.get_by_role("heading", name="Thank you for your visit!")).to_be_visible()
    expect(page.locator("#screen-feedback").get_by_role("button", name="Happy", exact=True)).to_be_visible()
    assert host["name"] not in page.locator("#screen-feedback").inner_text()

    body_text = page.locator("body").inner_text()
    assert "Jonas" not in body_text and "Jonas" not in page.content()
    no_errors(kiosk, *boards.values())


def test_kiosk_never_shows_another_customers_name(live_server, boards, kiosk, artifacts):
    page = kiosk.page
    to_welcome(page)  # the next guest may skip the last one's screen; back to the default language

    first = check_in(page, "Erika Erste")
    page.get_by_role("button", name="Neuer Check-in").click()
    expect(page.get_by_label("Ihr Name")).to_have_value("")
    second = check_in(page, "Bruno Zweiter")
    assert first["id"] != second["id"]

    # Different hosts acknowledge the two visits; this kiosk gets both updates, in this order.
    first_host, second_host = live_server.hosts[2], live_server.hosts[1]
    host_act(live_server, first_host, first["id"], "acknowledge")
    host_act(live_server, second_host, second["id"], "acknowledge")
    expect(page.locator("#status-line")).to_have_text(f"{second_host['name']} kommt gleich zu Ihnen.")
    shot(page, artifacts, "kiosk-second-guest")

    text = page.locator("body").inner_text()
    html = page.content()
    for foreign in ("Erika", "Erste", first_host["name"], "Jonas"):
        assert foreign not in text, foreign
        assert foreign not in html, foreign
    assert "Bruno" not in text  # not even the guest's own name stays on screen
    no_errors(kiosk)


def test_a_finished_visit_waits_under_done_today_and_can_be_undone_for_a_minute(live_server, boards, artifacts):
    visit = live_server.check_in("Ida Rückgängig").json()["visit"]
    host = next(h for h in live_server.hosts if h["id"] == visit["host"]["id"])
    person = boards[host["id"]]
    board = person.page
    other = next(p.page for i, p in boards.items() if i != host["id"])
    alert = card(board, visit["id"])
    alert.get_by_role("button", name="Greeted").click()
    expect(alert).to_have_attribute("data-status", "greeted")
    alert.get_by_role("button", name="Done").click()
    expect(alert).to_have_count(0)
    expect(card(other, visit["id"])).to_have_count(0)

    # "Done today" is collapsed; it lists the visit, and still does after a reload (the server's snapshot).
    done_today = board.locator("#done-today")
    assert done_today.get_attribute("open") is None
    entry = board.locator(f'#done-list [data-done-visit-id="{visit["id"]}"]')
    expect(entry).to_be_hidden()
    board.reload()
    start_alerts(board)
    done_today.locator("summary").click()
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("Ida Rückgängig")
    expect(entry.locator(".done-meta")).to_have_text(re.compile(r"^done at \d\d:\d\d$"))
    expect(other.locator(f'#done-list [data-done-visit-id="{visit["id"]}"]')).to_have_count(0)  # not theirs
    shot(board, artifacts, "board-done-today")
    assert audit(board, live_server.url, "board, done today and undo", {}) == []

    # Within the minute: Undo brings the visit back, greeted, on every board; the server agrees.
    board.get_by_role("button", name="Undo “done” for Ida Rückgängig").click()
    expect(alert).to_have_attribute("data-status", "greeted")
    expect(entry).to_have_count(0)
    expect(board.locator("#just-done li")).to_have_count(0)
    expect(card(other, visit["id"])).to_have_attribute("data-status", "greeted")
    stored = live_server.call("GET", f"/visits/{visit['id']}", host["token"]).json()["visit"]
    assert (stored["status"], stored["completed_at"]) == ("greeted", None)

    alert.get_by_role("button", name="Done").click()  # and done for good
    expect(alert).to_have_count(0)
    expect(entry).to_be_visible()
    no_errors(person)
