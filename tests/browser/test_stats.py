"""The manager's statistics pages in a real browser (issue #5).

One Chromium and one live server of its own for the module, filled with 60 days of
synthetic history (`gastgeber demo-data`). The manager signs in with their token;
the stats page shows the headline figures and per-host table rendered on the server,
draws its charts with Chart.js under the strict CSP without a single console error,
sorts and filters; without JavaScript the figures are still there. The live floor
view shows a guest within seconds of the check-in, with a running timer and no name.
"""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.browser import SITE_ZONE, shot, watch
from tests.support.live_server import Board, LiveServer

CHARTS = ("chart-trend", "chart-histogram")
MANAGER_SCREEN = {"width": 1280, "height": 900}


def secs(value) -> str:
    """The page's format: 42 s, 2 min 5 s, – for none."""
    if value is None:
        return "–"
    s = round(value)
    if s < 60:
        return f"{s} s"
    return f"{s // 60} min" + (f" {s % 60} s" if s % 60 else "")


def stats(server: LiveServer, **query) -> dict:
    answer = requests.get(f"{server.url}/api/v1/stats", params=query, timeout=10,
                          headers={"Authorization": f"Bearer {server.manager['token']}"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def sign_in(page: Page, server: LiveServer, start: str = "/stats") -> None:
    page.goto(f"{server.url}{start}")
    expect(page).to_have_url(re.compile(r"/stats/login\?next="))
    expect(page.get_by_role("heading", name="Team statistics")).to_be_visible()
    page.get_by_label("Manager token").fill(server.manager["token"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(start) + "$"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # Escalation after a few seconds, so the live view shows an escalated guest quickly.
    server = LiveServer(tmp_path_factory.mktemp("stats"), extra_config="escalate_after_seconds = 4\n")
    server.gastgeber("demo-data", "--days", "60")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def manager(browser, server):
    """The manager's browser, signed in once for the module."""
    context = browser.new_context(viewport=MANAGER_SCREEN, locale="en-GB", timezone_id=SITE_ZONE)
    person = watch(context.new_page(), console="all")  # every console error, CSP violations included
    sign_in(person.page, server)
    yield person
    context.close()


def open_stats(manager, server: LiveServer) -> Page:
    """The signed-in manager's /stats, unfiltered and unsorted, whatever the last test left open."""
    page = manager.page
    page.goto(f"{server.url}/stats")
    expect(page.get_by_role("heading", name="How quickly are our guests noticed and greeted?")).to_be_visible()
    return page


def charts_drawn(page: Page) -> None:
    expect(page.locator("#charts")).to_have_attribute("data-ready", "true")
    for chart_id in CHARTS:
        canvas = page.locator(f"#{chart_id}")
        expect(canvas).to_be_visible()
        box = canvas.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, (chart_id, box)
        assert page.evaluate("id => !!window.Chart.getChart(document.getElementById(id))", chart_id), chart_id


def test_headline_figures_and_per_host_table(manager, server):
    page = open_stats(manager, server)
    figures = stats(server)
    assert figures["visits"] > 500  # 30 of the 60 generated days
    expect(page.locator("#figure-visits .figure-value")).to_have_text(f"{figures['visits']:,}")
    expect(page.locator("#figure-acknowledge .figure-value")).to_have_text(
        f"{secs(figures['acknowledge_seconds']['p50'])} median")
    expect(page.locator("#figure-acknowledge .figure-p90")).to_have_text(secs(figures["acknowledge_seconds"]["p90"]))
    expect(page.locator("#figure-greet .figure-value")).to_have_text(f"{secs(figures['greet_seconds']['p50'])} median")
    expect(page.locator("#figure-greet .figure-p90")).to_have_text(secs(figures["greet_seconds"]["p90"]))
    expect(page.locator("#figure-within .figure-value")).to_have_text(f"{figures['greeted_within_target_pct']:g} %")
    expect(page.locator("#figure-abandoned .figure-value")).to_have_text(f"{figures['abandoned']:,}")
    expect(page.locator("#figure-escalated .figure-value")).to_have_text(f"{figures['escalated_pct']:g} %")
    expect(page.locator("#figure-feedback .figure-value")).to_have_text(f"{figures['feedback_average']:.1f} of 3")

    rows = page.locator("#host-table tbody tr")
    expect(rows.locator("th")).to_have_text([row["host"]["name"] for row in figures["per_host"]])
    for row in figures["per_host"]:
        cells = page.locator(f'#host-table tr[data-host-id="{row["host"]["id"]}"] td')
        expect(cells.nth(0)).to_have_text(f"{row['visits']:,}")
        expect(cells.nth(3)).to_have_text(secs(row["greet_seconds"]["p50"]))
        expect(cells.nth(5)).to_have_text(secs(row["complete_seconds"]["p50"]))
        expect(cells.nth(8)).to_have_text(str(row["stand_ins_given"]))
        expect(cells.nth(9)).to_have_text(str(row["stand_ins_received"]))
    busy = [row for row in figures["by_hour"] if row["visits"]]
    expect(page.locator("#hour-table tbody tr")).to_have_count(len(busy))
    expect(page.locator("#heatmap td[data-weekday]").first).to_be_visible()
    csv = page.get_by_role("link", name="Download CSV")
    expect(csv).to_have_attribute("href", "/api/v1/stats.csv")
    expect(page.get_by_role("link", name="Live floor view")).to_have_attribute("href", "/stats/live")
    assert manager.errors == []


@pytest.mark.docs_screenshots
def test_charts_render_without_console_errors(manager, server, artifacts):
    page = open_stats(manager, server)
    charts_drawn(page)
    counts = page.evaluate("""() => window.Chart.getChart(document.getElementById('chart-histogram'))
        .data.datasets[0].data""")
    assert len(counts) == 20 and sum(counts) > 0
    days = page.evaluate("() => window.Chart.getChart(document.getElementById('chart-trend')).data.labels.length")
    assert days >= 25
    assert page.locator("style").count() == 0  # Chart.js injected no inline styles
    shot(page, artifacts, "stats-page", docs="stats.png", full_page=True)
    assert manager.errors == []


def test_sorting_a_column_changes_the_row_order(manager, server):
    page = open_stats(manager, server)
    names = page.locator("#host-table tbody tr th")
    before = names.all_inner_texts()
    rows = {row["host"]["name"]: row for row in stats_rows(page)}
    header = page.locator("#host-table thead th", has=page.get_by_role("button", name="Greet median"))
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    slowest_first = sorted(rows, key=lambda name: -rows[name]["greet"])
    expect(names).to_have_text(slowest_first)
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(names).to_have_text(slowest_first[::-1])
    assert slowest_first != before or slowest_first[::-1] != before
    page.get_by_role("button", name="Host", exact=True).click()
    expect(names).to_have_text(sorted(before))
    assert manager.errors == []


def stats_rows(page: Page) -> list[dict]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('#host-table tbody tr')).map(tr => ({
        host: {name: tr.querySelector('th').dataset.value}, greet: Number(tr.cells[4].dataset.value)}))""")


def test_filtering_by_host_reduces_the_visits(manager, server):
    page = open_stats(manager, server)
    everyone = stats(server)
    clara = next(row for row in everyone["per_host"] if row["host"]["name"] == "Clara")
    page.get_by_label("Host", exact=True).select_option(label="Clara")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"/stats\?host_id={clara['host']['id']}$"))  # empty fields left out
    expect(page.locator("#figure-visits .figure-value")).to_have_text(f"{clara['visits']:,}")
    assert clara["visits"] < everyone["visits"]
    expect(page.locator("#host-table tbody tr")).to_have_count(1)
    expect(page.get_by_label("Host", exact=True)).to_have_value(str(clara["host"]["id"]))
    charts_drawn(page)
    assert manager.errors == []


def test_the_figures_need_no_javascript(browser, server, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False,
                                  locale="en-GB", timezone_id=SITE_ZONE)
    try:
        page = context.new_page()
        sign_in(page, server)
        figures = stats(server)
        expect(page.locator("#figure-visits .figure-value")).to_have_text(f"{figures['visits']:,}")
        median_greet = secs(figures["greet_seconds"]["p50"])
        expect(page.locator("#figure-greet .figure-value")).to_have_text(f"{median_greet} median")
        expect(page.locator("#figure-within .figure-value")).to_have_text(f"{figures['greeted_within_target_pct']:g} %")
        expect(page.locator("#host-table tbody tr")).to_have_count(len(figures["per_host"]))
        expect(page.locator("#charts")).to_be_hidden()
        expect(page.locator("#host-table thead button")).to_have_count(0)  # sorting buttons come with JS
        expect(page.locator("#heatmap td[data-weekday]").first).to_be_visible()
        shot(page, artifacts, "stats-page-no-js", full_page=True)
    finally:
        context.close()


def act(server: LiveServer, visit: dict, action: str) -> dict:
    host = next(h for h in server.hosts if h["id"] == visit["host"]["id"])
    answer = requests.post(f"{server.url}/api/v1/visits/{visit['id']}/{action}", json={}, timeout=10,
                           headers={"Authorization": f"Bearer {host['token']}"})
    assert answer.status_code == 200, answer.text
    return answer.json()["visit"]


@pytest.mark.docs_screenshots
def test_live_floor_view(manager, server, artifacts):
    page = manager.page
    anna, ben, clara = server.hosts
    boards = [Board(server.url, host["token"]) for host in (anna, ben, clara)]
    page.set_viewport_size({"width": 1600, "height": 1000})  # a wall screen
    try:
        page.goto(f"{server.url}/stats/live")
        expect(page.locator("#conn")).to_have_attribute("data-state", "live")
        expect(page.locator("#waiting-empty")).to_be_visible()
        expect(page.locator(f'#team-list [data-host-id="{anna["id"]}"]')).to_have_attribute(
            "data-presence-status", "available")

        first = server.check_in("Wilhelmine Wartezeit").json()["visit"]
        guest = page.locator(f'#waiting-list [data-visit-id="{first["id"]}"]')
        expect(guest.locator(".live-guest-name")).to_have_text("Guest 1", timeout=5_000)
        expect(guest.locator(".live-guest-meta")).to_contain_text(f"for {first['host']['name']}")
        expect(guest.locator(".live-timer")).to_have_text(re.compile(r"^\d\d:\d\d$"))
        expect(page.locator("#waiting-count")).to_have_text("1")

        second = server.check_in("Xaver Zweitbesuch").json()["visit"]
        third = server.check_in("Yvonne Drittens").json()["visit"]
        fourth = server.check_in("Zacharias Viertens").json()["visit"]
        act(server, second, "acknowledge")
        act(server, fourth, "greet")
        expect(page.locator("#waiting-list .live-guest-name")).to_have_text(["Guest 1", "Guest 2", "Guest 3"])
        acknowledged = page.locator(f'#waiting-list [data-visit-id="{second["id"]}"]')
        expect(acknowledged).to_have_attribute("data-status", "acknowledged")
        expect(acknowledged.locator(".live-guest-meta")).to_contain_text("seen by")
        expect(page.locator("#served-line")).to_have_text("1 guest is being looked after right now.")
        expect(page.locator(f'#team-list [data-host-id="{fourth["host"]["id"]}"]')).to_have_attribute(
            "data-presence-status", "busy")
        # Unacknowledged past the (short) escalation time: highlighted.
        expect(guest).to_have_attribute("data-escalated", "true")
        third_in_list = page.locator(f'#waiting-list [data-visit-id="{third["id"]}"]')
        expect(third_in_list).to_have_attribute("data-escalated", "true")
        # Today's figures follow the check-ins (the generated history ends yesterday).
        expect(page.locator("#today-visits dd")).to_have_text("4")
        expect(page.locator("#today-abandoned dd")).to_have_text("0")

        text = page.locator("body").inner_text()
        assert "Guest" in text
        for name in ("Wilhelmine", "Wartezeit", "Xaver", "Yvonne", "Zacharias"):
            assert name not in text, name
        assert "Wilhelmine" not in page.content()
        shot(page, artifacts, "stats-live", docs="stats-live.png")

        # The greeted guest leaves the list when done; the first guest is greeted and leaves too.
        act(server, first, "greet")
        expect(guest).to_have_count(0)
        expect(page.locator("#waiting-list .live-guest-name")).to_have_text(["Guest 1", "Guest 2"])
        assert manager.errors == []
    finally:
        page.set_viewport_size(MANAGER_SCREEN)
        for board in boards:
            board.close()


def ms(value) -> str:
    """Alert delivery as the page shows it: seconds with one decimal."""
    return "–" if value is None else f"{value / 1000:.1f} s"


def test_service_delivery_appointments_estimates_and_topics_for_coaching(manager, server):
    page = open_stats(manager, server)
    figures = stats(server)
    expect(page.locator("#figure-service .figure-value")).to_have_text(
        f"{secs(figures['complete_seconds']['p50'])} median")
    expect(page.locator("#figure-delivery .figure-value")).to_have_text(
        f"{ms(figures['alert_delivery_ms']['p50'])} median")
    expect(page.locator("#figure-delivery .figure-p90")).to_have_text(ms(figures["alert_delivery_ms"]["p90"]))
    expect(page.locator("#delivery")).to_contain_text(
        f"{figures['alert_reached_nobody_pct']:g} % of the alerts reached nobody within 5 s")
    labels = {"board": "Staff board", "push": "Phone (push)", "email": "E-mail"}
    kinds = figures["alert_delivery_by_kind"]
    expect(page.locator("#delivery-table tbody th")).to_have_text([labels[row["kind"]] for row in kinds])
    for row in kinds:
        cells = page.locator(f'#delivery-table tr[data-kind="{row["kind"]}"] td')
        expect(cells).to_have_text([f"{row['alerts']:,}", ms(row["alert_delivery_ms"]["p50"]),
                                    ms(row["alert_delivery_ms"]["p90"]), f"{row['within_receipt_pct']:g} %"])
    hour = next(row for row in figures["by_hour"] if row["visits"])
    expect(page.locator(f'#hour-table tr[data-hour="{hour["hour"]}"] td').nth(4)).to_have_text(
        secs(hour["complete_seconds"]["p50"]))
    # the generated history names a topic on three visits in four
    topics = [row for row in figures["by_topic"] if row["group"] == "topic"]
    assert {row["topic"] for row in topics} == {"accounts", "loans", "insurance"}
    expect(page.locator("#topic-table tbody th")).to_have_text([row["topic"] for row in topics] + ["No topic given"])
    expect(page.locator("#appointments .empty")).to_be_visible()  # no appointments in the generated history
    expect(page.locator("#calibration .empty")).to_be_visible()
    assert manager.errors == []


def test_missed_appointments_show_by_weekday(manager, server):
    """Two appointments of a Monday long ago that nobody came to."""
    headers = {"Authorization": f"Bearer {server.hosts[0]['token']}"}
    for name in ("Erste Buchung", "Zweite Buchung"):
        answer = requests.post(f"{server.url}/api/v1/appointments", timeout=10, headers=headers, json={
            "customer_name": name, "starts_at": "2020-01-06T09:00:00Z"})
        assert answer.status_code == 201, answer.text
    page = open_stats(manager, server)
    page.goto(f"{server.url}/stats?from=2020-01-01&to=2020-02-01")
    expect(page.locator('#appointment-table tr[data-weekday="0"] th')).to_have_text("Monday")
    expect(page.locator('#appointment-table tr[data-weekday="0"] td')).to_have_text(["2", "0", "2", "0 %"])
    expect(page.locator("#appointment-table tbody tr")).to_have_count(1)
    assert "Erste Buchung" not in page.content() and manager.errors == []
