"""Faults, hostile input and privacy in real browsers (issue #4).

- The kiosk's privacy notice is one tap away on the welcome screen, in the kiosk's
  language, as an accessible modal dialog; every kiosk check-in carries the notice's
  version and the database stores it with the visit.
- Offline queue: with the check-in endpoint unreachable the customer is thanked at
  once and sees only a discreet "connecting…"; once the server is reachable again the
  check-in arrives exactly once (same client_id on every attempt, also across a reload
  of the kiosk page) and the host's board shows the alert.
- XSS payloads in names, appointment reasons and notes stay inert text on the board,
  the stats page, the live floor view and the kiosk.

One Chromium and one live server of its own for the module (custom privacy texts,
names shown on the live view so the payloads reach that page too). Every page fails
the test on an uncaught exception, a console error (CSP violations included) or a
JavaScript dialog.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (
    SITE_ZONE,
    card,
    every_board,
    kiosk_tablet,
    no_errors,
    shot,
    sign_in_manager,
    to_welcome,
    watch,
)
from tests.support.live_server import LiveServer

CHECKINS = "**/api/v1/checkins"
PENDING_KEY = "gastgeber.kiosk.pending.v1"
NOTICED_DE = "Wir haben Sie bemerkt. Schön, dass Sie da sind."
NOTICE_VERSION = "1"  # the default `privacy_notice_version`
NOTICE_DE = "Testfassung: Wir speichern Ihren Namen, um Sie anzukündigen, und löschen ihn nach 90 Tagen."
NOTICE_EN = "Test version: we keep your name to announce you and delete it after 90 days."
PAYLOADS = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    '"><svg onload=window.__xss=1>',
    "javascript:alert(1)",
]

# Every console error counts, except the failed loads of check-ins a test blocks on purpose.
WATCHING = {"console": "all", "blocked_url": "/api/v1/checkins"}


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    config = (f'privacy_notice_de = "{NOTICE_DE}"\n'
              f'privacy_notice_en = "{NOTICE_EN}"\n'
              "live_view_shows_names = true\n")
    server = LiveServer(tmp_path_factory.mktemp("faults"), extra_config=config)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def boards(browser, live_server):
    """Every demo host signed in on their own board, alerts started; keyed by host id."""
    with every_board(browser, live_server, **WATCHING) as signed_in:
        yield signed_in


@pytest.fixture(scope="module")
def kiosk(browser, live_server):
    """The tablet at the door: portrait 10-inch, touch, bound to the demo kiosk."""
    with kiosk_tablet(browser, live_server, **WATCHING) as person:
        yield person


def open_visits_named(live_server, name: str) -> list[dict]:
    answer = live_server.call("GET", "/visits?status=open", live_server.hosts[0]["token"])
    assert answer.status_code == 200, answer.text
    return [v for v in answer.json()["visits"] if v["customer"]["name"] == name]


def is_checkin(request) -> bool:
    return request.url.endswith("/api/v1/checkins") and request.method == "POST"


def stored_pending(page: Page) -> list:
    return page.evaluate("key => JSON.parse(window.localStorage.getItem(key) || '[]')", PENDING_KEY)


def alerted(boards: dict, visit: dict) -> None:
    """The assigned host's board shows the visit as their own alert."""
    board = boards[visit["host"]["id"]].page
    alert = board.locator("#mine-list").locator(f'[data-visit-id="{visit["id"]}"]')
    expect(alert).to_have_attribute("data-alert", "mine")
    expect(alert).to_have_attribute("data-status", "waiting")
    expect(alert.locator(".card-name")).to_have_text(visit["customer"]["name"])


def calm_while_offline(page: Page) -> None:
    """Thanked, a discreet "connecting…", and nothing that looks like an error."""
    expect(page.get_by_role("heading", name=NOTICED_DE)).to_be_visible()
    expect(page.locator("#status-line")).to_have_attribute("data-state", "notifying")
    expect(page.locator("#connecting-hint")).to_be_visible()
    expect(page.locator("#connecting-hint")).to_have_text("Verbindung wird hergestellt…")
    expect(page.locator("[role=alert]:visible")).to_have_count(0)
    text = page.locator("body").inner_text()
    for word in ("Fehler", "error", "Error", "fehlgeschlagen", "failed"):
        assert word not in text, word


def check_in_offline(page: Page, name: str) -> tuple[list, object]:
    """Check in while the check-in endpoint is unreachable; returns (every body the kiosk tried
    to send, the route handler that blocks them: unroute it to bring the server back)."""
    sent = []

    def unreachable(route):
        sent.append(route.request.post_data_json)
        route.abort("internetdisconnected")

    page.context.route(CHECKINS, unreachable)
    page.get_by_label("Ihr Name").fill(name)
    with page.expect_event("requestfailed", is_checkin):
        page.get_by_role("button", name="Einchecken").click()
    calm_while_offline(page)
    return sent, unreachable


# ---------------------------------------------------------------- privacy notice


def test_privacy_notice_is_one_tap_away_in_the_kiosks_language(kiosk, artifacts):
    page = kiosk.page
    to_welcome(page)
    link = page.get_by_role("button", name="Datenschutz", exact=True)
    expect(link).to_be_visible()
    expect(link).to_have_attribute("aria-haspopup", "dialog")
    # Calm and small: far smaller than the check-in button, and the notice is not on screen yet.
    box, submit = link.bounding_box(), page.get_by_role("button", name="Einchecken").bounding_box()
    assert box["height"] < submit["height"] and box["width"] < submit["width"] / 2, (box, submit)
    expect(page.get_by_text(NOTICE_DE)).to_be_hidden()

    link.tap()
    dialog = page.get_by_role("dialog", name="Datenschutz")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(dialog.locator("#privacy-text")).to_have_text(NOTICE_DE)  # the configured text, literally
    close = dialog.get_by_role("button", name="Schließen")
    expect(close).to_be_focused()  # focus moved into the dialog
    shot(page, artifacts, "kiosk-privacy-de")
    close.tap()
    expect(dialog).to_be_hidden()
    expect(link).to_be_focused()  # and back to where it came from

    # In English, the English text; Escape closes it too.
    page.get_by_role("button", name="English").tap()
    link = page.get_by_role("button", name="Privacy", exact=True)
    link.tap()
    dialog = page.get_by_role("dialog", name="Privacy")
    expect(dialog.locator("#privacy-text")).to_have_text(NOTICE_EN)
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(link).to_be_focused()
    page.get_by_role("button", name="Deutsch").tap()
    expect(page.get_by_role("button", name="Datenschutz", exact=True)).to_be_visible()
    no_errors(kiosk)


def test_kiosk_check_in_stores_the_privacy_notice_version(live_server, kiosk):
    page = kiosk.page
    to_welcome(page)
    page.get_by_label("Ihr Name").fill("Paula Privat")
    with page.expect_response(lambda r: is_checkin(r.request)) as answer:
        page.get_by_role("button", name="Einchecken").click()
        expect(page.get_by_role("heading", name=NOTICED_DE)).to_be_visible()
    assert answer.value.status == 201, answer.value.text()
    assert answer.value.request.post_data_json["privacy_notice_version"] == NOTICE_VERSION
    visit = answer.value.json()["visit"]
    with sqlite3.connect(live_server.db_path) as db:
        rows = db.execute("SELECT privacy_notice_version FROM visits WHERE id = ?", (visit["id"],)).fetchall()
    assert rows == [(NOTICE_VERSION,)]
    no_errors(kiosk)


# ---------------------------------------------------------------- offline queue


def test_offline_check_in_is_thanked_at_once_and_arrives_once(live_server, boards, kiosk):
    page = kiosk.page
    name = "Olga Offline"
    to_welcome(page)
    sent, unreachable = check_in_offline(page, name)
    assert [item["body"]["name"] for item in stored_pending(page)] == [name]
    with page.expect_event("requestfailed", is_checkin):  # it keeps trying
        pass
    calm_while_offline(page)
    assert open_visits_named(live_server, name) == []

    with page.expect_response(lambda r: is_checkin(r.request), timeout=20_000) as answer:
        page.context.unroute(CHECKINS, unreachable)
    assert answer.value.status == 201, answer.value.text()
    body = answer.value.request.post_data_json
    assert len(sent) >= 2 and {s["client_id"] for s in sent} == {body["client_id"]}, sent
    assert body["name"] == name and body["privacy_notice_version"] == NOTICE_VERSION
    expect(page.locator("#connecting-hint")).to_be_hidden()
    page.wait_for_function("key => window.localStorage.getItem(key) === null", arg=PENDING_KEY)

    visit = answer.value.json()["visit"]
    alerted(boards, visit)
    assert [v["id"] for v in open_visits_named(live_server, name)] == [visit["id"]]
    assert len(kiosk.blocked) <= len(sent)  # the only console errors: the blocked requests
    kiosk.blocked.clear()
    no_errors(kiosk, *boards.values())


def test_a_reload_while_offline_still_sends_the_check_in_once(live_server, boards, kiosk):
    page = kiosk.page
    name = "Rainer Reload"
    to_welcome(page)
    created = []

    def count_created(response):
        if is_checkin(response.request) and response.ok:
            created.append(response.json()["visit"]["id"])

    page.on("response", count_created)  # removed at the end: the kiosk page lives on for the module's other tests
    sent, unreachable = check_in_offline(page, name)

    # The tablet reloads (power blip, someone pulls to refresh): the check-in is still there.
    with page.expect_event("requestfailed", is_checkin):
        page.reload()
    calm_while_offline(page)
    assert [item["body"]["name"] for item in stored_pending(page)] == [name]
    assert open_visits_named(live_server, name) == []

    with page.expect_response(lambda r: is_checkin(r.request), timeout=20_000) as answer:
        page.context.unroute(CHECKINS, unreachable)
    assert answer.value.status == 201, answer.value.text()
    assert len(sent) >= 2 and {s["client_id"] for s in sent} == {answer.value.request.post_data_json["client_id"]}
    expect(page.locator("#connecting-hint")).to_be_hidden()
    page.wait_for_function("key => window.localStorage.getItem(key) === null", arg=PENDING_KEY)

    visit = answer.value.json()["visit"]
    alerted(boards, visit)
    assert [v["id"] for v in open_visits_named(live_server, name)] == [visit["id"]]
    assert created == [visit["id"]]  # sent once after the reload: one 2xx, no resend
    page.remove_listener("response", count_created)
    kiosk.blocked.clear()
    no_errors(kiosk, *boards.values())


# ---------------------------------------------------------------- hostile input


def assert_inert(page: Page) -> None:
    """Nothing of a payload ran or became markup."""
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    expect(page.locator("img[src=x]")).to_have_count(0)
    expect(page.locator("[onerror], [onload], [onmouseover]")).to_have_count(0)
    expect(page.locator("svg[onload], iframe, object, embed")).to_have_count(0)
    expect(page.locator('a[href^="javascript:" i]')).to_have_count(0)
    assert not page.evaluate("""() => Array.from(document.scripts)
        .filter(s => s.type !== 'application/json').some(s => s.textContent.includes('__xss'))""")


def test_xss_payloads_are_inert_everywhere(browser, live_server, boards, kiosk, artifacts):
    anna = live_server.hosts[0]
    visits = []
    for payload in PAYLOADS:
        answer = live_server.check_in(payload)
        assert answer.status_code == 201, answer.text
        visits.append(answer.json()["visit"])
        assert visits[-1]["customer"]["name"] == payload  # stored as given; escaping is the pages' job

    booked = live_server.call("POST", "/appointments", anna["token"], json={
        "customer_name": '<img src=x onerror="window.__xss=1"> Termin',
        "host_id": anna["id"],
        "starts_at": datetime.now(ZoneInfo(SITE_ZONE)).strftime("%Y-%m-%dT%H:%M"),
        "reason": "<script>window.__xss=1</script> Kredit",
        "notes": '"><svg onload=window.__xss=1>\njavascript:alert(1)',
    })
    assert booked.status_code == 201, booked.text
    appointment = booked.json()["appointment"]
    with_code = live_server.check_in("<b onmouseover=window.__xss=1>Termin</b>", appointment_code=appointment["code"])
    assert with_code.status_code == 201, with_code.text
    appointment_visit = with_code.json()["visit"]
    assert appointment_visit["host"]["id"] == anna["id"]
    visits.append(appointment_visit)
    # The kiosk's answer names only what was typed; the team sees the stored customer
    # (for the appointment: the name it was booked under).
    visits = [live_server.call("GET", f"/visits/{visit['id']}", anna["token"]).json()["visit"] for visit in visits]
    assert visits[-1]["customer"]["name"] == '<img src=x onerror="window.__xss=1"> Termin'

    # The board: every payload is literal text on its card, for the whole team.
    shown = {visit["id"]: visit["customer"]["name"] for visit in visits}
    for person in boards.values():
        for visit_id, name in shown.items():
            expect(card(person.page, visit_id).locator(".card-name")).to_have_text(name)
    board = boards[anna["id"]].page
    alert = card(board, appointment_visit["id"])
    expect(alert.locator('[data-context="appointment"] dd')).to_contain_text("<script>window.__xss=1</script> Kredit")
    expect(alert.locator('[data-context="notes"] dd')).to_contain_text('"><svg onload=window.__xss=1>')
    expect(alert.locator('[data-context="notes"] dd')).to_contain_text("javascript:alert(1)")
    row = board.locator(f'#appts-list [data-appointment-id="{appointment["id"]}"]')
    expect(row).to_contain_text('<img src=x onerror="window.__xss=1"> Termin')
    expect(row.locator(".appt-notes")).to_contain_text('"><svg onload=window.__xss=1>')
    shot(board, artifacts, "board-xss-inert", full_page=True)
    for person in boards.values():
        assert_inert(person.page)

    # The kiosk: a payload typed at the door; the kiosk shows no name at all.
    page = kiosk.page
    to_welcome(page)
    page.get_by_label("Ihr Name").fill(PAYLOADS[0])
    with page.expect_response(lambda r: is_checkin(r.request)) as answer:
        page.get_by_role("button", name="Einchecken").click()
        expect(page.get_by_role("heading", name=NOTICED_DE)).to_be_visible()
    assert answer.value.status == 201, answer.value.text()
    kiosk_visit = answer.value.json()["visit"]
    host = next(h for h in live_server.hosts if h["id"] == kiosk_visit["host"]["id"])
    acknowledged = live_server.call("POST", f"/visits/{kiosk_visit['id']}/acknowledge", host["token"], json={})
    assert acknowledged.status_code == 200, acknowledged.text
    expect(page.locator("#status-line")).to_have_text(f"{kiosk_visit['host']['name']} kommt gleich zu Ihnen.")
    assert "__xss" not in page.locator("body").inner_text()
    assert_inert(page)
    expect(card(board, kiosk_visit["id"]).locator(".card-name")).to_have_text(PAYLOADS[0])

    # The manager's stats page and the live floor view (names shown on this site).
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB", timezone_id=SITE_ZONE)
    try:
        manager = watch(context.new_page(), **WATCHING)
        stats = manager.page
        sign_in_manager(stats, live_server)
        expect(stats).to_have_url(re.compile(r"/stats$"))
        expect(stats.locator("#charts")).to_have_attribute("data-ready", "true")
        assert_inert(stats)

        stats.goto(f"{live_server.url}/stats/live")
        expect(stats.locator("#conn")).to_have_attribute("data-state", "live")
        for visit_id, name in shown.items():
            guest = stats.locator(f'#waiting-list [data-visit-id="{visit_id}"] .live-guest-name')
            expect(guest).to_have_text(name)
        shot(stats, artifacts, "stats-live-xss-inert")
        assert_inert(stats)
        no_errors(manager)
    finally:
        context.close()
    no_errors(kiosk, *boards.values())
