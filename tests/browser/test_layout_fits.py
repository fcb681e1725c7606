"""Every page a person can reach fits a phone, a portrait tablet and a laptop without
sideways scrolling (issue #16, item 5): at 390×844, 800×1280, 1280×800 and 1440×900 the
document is never wider than the window, in German and in Arabic (right to left). Wide
tables stack their rows on a phone; the stats heatmap scrolls inside its own box, never
the page. A screenshot of each page at each
size goes to test-artifacts/layout-<page>-<language>-<width>.png.

One browser context per role (a manager, a host, the kiosk tablet, an operator, a
stranger, someone on a fresh server's /setup), each signed in once for the module.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    SITE_ZONE,
    audit,
    enter_kiosk_token,
    shot,
    sign_in_board,
    sign_in_manager,
    start_alerts,
)
from tests.support.live_server import LiveServer

SIZES = {"phone": {"width": 390, "height": 844}, "tablet": {"width": 800, "height": 1280},
         "laptop": {"width": 1280, "height": 800}, "desktop": {"width": 1440, "height": 900}}
LOOKS = [(language, size) for language in ("de", "ar") for size in SIZES]  # (the reader's language, the screen)
BROWSER_LOCALE = {"de": "de-DE", "ar": "ar"}

# page name -> (role, path or a function of the live server giving it, what marks it as loaded)
PAGES = {
    "start": ("stranger", "/", "body"),
    "setup": ("first-run", "/setup", "form"),
    "admin-team": ("manager", "/admin/team", "table"),
    "admin-host": ("manager", lambda s: f"/admin/team/{s.hosts[0]['id']}", "form"),
    "admin-kiosks": ("manager", "/admin/kiosks", "table"),
    "admin-settings": ("manager", "/admin/settings", "form"),
    "admin-webhooks": ("manager", "/admin/webhooks", "form"),
    "admin-audit": ("manager", "/admin/audit", "main"),
    "admin-brand": ("manager", "/admin/brand", "form"),
    "manager-login": ("stranger", "/admin/login", "form"),
    "stats": ("manager", "/stats", "#charts[data-ready='true']"),
    "stats-live": ("manager", "/stats/live", "#conn[data-state='live']"),
    "stats-digest": ("manager", "/stats/digest", "form"),
    "operator": ("operator", "/operator", "form"),
    "operator-stats": ("operator", "/operator/stats", "table"),
    "operator-branches": ("operator", "/operator/branches", "form"),
    "board-login": ("stranger", "/board/login", "form"),
    "board": ("host", "/board", "#board"),
    "kiosk": ("kiosk", "/kiosk", "#kiosk:not([aria-busy='true'])"),
    "kiosk-setup": ("stranger", "/kiosk/setup", "form"),
    "status": ("stranger", lambda s: s.status_url, "#status-page[data-live='true']"),
}


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    """A server on a database without any site or manager: the first-run /setup page is there."""
    server = LiveServer(tmp_path_factory.mktemp("layout-first-run"), demo=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """The demo site with 60 days of history (a full heatmap and per-host table), an operator,
    and guests waiting now (cards on the board, a visit for the status page)."""
    server = LiveServer(tmp_path_factory.mktemp("layout"))
    server.gastgeber("demo-data", "--days", "60")
    server.operator = json.loads(server.gastgeber("operator", "add", "Olga", "--json").stdout)
    server.start()
    for name in ("Amira Haddad", "Jonas Weber"):
        assert server.check_in(name).status_code == 201
    server.status_url = server.check_in("Zoë Example", language="en").json()["visit"]["status_url"]
    yield server
    server.stop()


def _sign_in(role: str, page, server) -> None:
    if role == "manager":
        sign_in_manager(page, server)
    elif role == "host":
        page.goto(f"{server.url}/board/login")
        sign_in_board(page, server.hosts[0])
        start_alerts(page)
    elif role == "kiosk":
        page.goto(f"{server.url}/kiosk/setup")
        enter_kiosk_token(page, server.kiosk["token"])
    elif role == "operator":
        page.goto(f"{server.url}/operator/login")
        page.get_by_label(re.compile("token", re.I)).fill(server.operator["token"])
        page.get_by_role("button", name=re.compile("sign in", re.I)).click()
        expect(page).to_have_url(re.compile(r"/operator$"))


@pytest.fixture(scope="module")
def pages(browser, servers, fresh_server):
    """One signed-in page per role (and browser language), made when first asked for; closed at
    the end of the module."""
    made, contexts = {}, []

    def page_for(role: str, locale: str | None = None):
        """The role's page; in another browser language, a browser of that language holding the
        same sign-in (its cookies), so no sign-in form has to be read in that language."""
        default = "de-DE" if role == "kiosk" else "en-GB"
        locale = locale or default
        if (role, locale) not in made:
            signed_in = page_for(role) if locale != default else None
            context = browser.new_context(viewport=SIZES["laptop"], has_touch=role in ("kiosk", "stranger"),
                                          locale=locale, timezone_id=SITE_ZONE)
            contexts.append(context)
            page = context.new_page()
            if signed_in is None:
                _sign_in(role, page, fresh_server if role == "first-run" else servers)
            else:
                context.add_cookies(signed_in.context.cookies())
            made[role, locale] = page
        return made[role, locale]

    yield page_for
    for context in contexts:
        context.close()


def sideways_overflow(page) -> dict:
    """How much wider than the window the document is, and the elements sticking out (not those
    inside a box that scrolls or clips them)."""
    return page.evaluate("""() => {
        const width = window.innerWidth;
        const out = [];
        const clipped = (el) => {
            for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                if (getComputedStyle(up).overflowX !== "visible") return true;
            }
            return false;
        };
        const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
            + (typeof el.className === "string" && el.className ? "." + el.className.split(" ").join(".") : "");
        for (const el of document.body.querySelectorAll("*")) {
            const box = el.getBoundingClientRect();
            if (box.right > width + 1 && box.width > 0 && !clipped(el)) {
                out.push(`${name(el)} right=${Math.round(box.right)}`);
            }
        }
        return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, sticking_out: out.slice(0, 8) };
    }""")


@pytest.mark.parametrize("language, size", LOOKS, ids=[f"{language}-{size}" for language, size in LOOKS])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_fits_the_width_of_the_screen(pages, servers, fresh_server, artifacts, name, language, size):
    role, path, loaded = PAGES[name]
    server = fresh_server if role == "first-run" else servers
    page = pages(role, BROWSER_LOCALE[language])  # the browser's language (a person's own choice comes first)
    page.set_viewport_size(SIZES[size])
    page.goto(server.url + (path(server) if callable(path) else path))
    expect(page.locator(loaded).first).to_be_attached()
    page.wait_for_load_state("load")
    shot(page, artifacts, f"layout-{name}-{language}-{SIZES[size]['width']}", full_page=True)
    found = sideways_overflow(page)
    assert found["scrollWidth"] <= found["innerWidth"], f"{name} in {language} at {size} scrolls sideways: {found}"


def test_on_a_phone_tables_stack_with_their_column_names_and_the_heatmap_scrolls_in_its_box(pages, servers, artifacts):
    page = pages("manager")
    page.set_viewport_size(SIZES["phone"])
    page.goto(f"{servers.url}/stats")
    expect(page.locator("#charts")).to_have_attribute("data-ready", "true")
    heat = page.locator(".heat-scroll")
    expect(page.locator("#heat-scroll-hint")).to_be_visible()
    assert heat.evaluate("box => box.scrollWidth > box.clientWidth"), "the heatmap box scrolls"
    heat.focus()
    page.keyboard.press("ArrowRight")  # a keyboard scrolls it too (the box is focusable)
    expect(heat).not_to_have_js_property("scrollLeft", 0)
    first_row = page.locator("#host-table tbody tr").first
    visits = first_row.locator("td").first
    assert "Visits" in visits.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert first_row.bounding_box()["width"] <= SIZES["phone"]["width"]
    heat.screenshot(path=str(artifacts / "layout-stats-phone-heatmap.png"), animations="disabled")
    for name, part in (("hosts", "#host-table"), ("feedback", "#figure-feedback")):
        page.locator(part).screenshot(path=str(artifacts / f"layout-stats-phone-{name}.png"), animations="disabled")
    scale = page.locator("#feedback-scale")
    expect(scale).to_have_text(re.compile(r"1 = unhappy\s*2 = okay\s*3 = happy"))
    bad = audit(page, servers.url, "stats on a phone", {})
    page.set_viewport_size(SIZES["laptop"])
    outside = page.locator("#host-table thead th").evaluate_all("""cells => cells.filter(th => {
        const cell = th.getBoundingClientRect(), icon = th.querySelector(".sort-icon").getBoundingClientRect();
        return icon.left < cell.left || icon.right > cell.right;
    }).map(th => th.textContent.trim())""")
    assert outside == [], f"sort arrows outside their column: {outside}"
    page.locator("#host-table thead").screenshot(path=str(artifacts / "layout-stats-sort-header.png"))
    page.goto(f"{servers.url}/admin/team")
    languages = page.locator("#team-table tbody tr").first.locator("td").nth(1)
    expect(languages).to_have_attribute("data-label", "Languages")
    bad += audit(page, servers.url, "team on a phone", {})
    assert bad == [], bad


def test_the_stats_pages_speak_the_managers_language(pages, servers, artifacts):
    page = pages("manager")
    page.set_viewport_size(SIZES["laptop"])
    try:
        page.goto(f"{servers.url}/stats?lang=de")
        expect(page.locator("#charts")).to_have_attribute("data-ready", "true")
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.locator("#feedback-scale")).to_contain_text("1 = unzufrieden")
        expect(page.get_by_role("button", name="Begrüßung Median")).to_be_visible()
        trend = re.compile(r"^Besuche und mittlere Zeiten an \d+ Tagen")
        expect(page.locator("#chart-trend")).to_have_attribute("aria-label", trend)
        expect(page.locator("#figure-within .figure-value")).to_have_text(re.compile(r"^\d+(,\d)? %$"))
        shot(page, artifacts, "stats-de", full_page=True)
        page.goto(f"{servers.url}/stats/live?lang=tr")
        expect(page.locator("#conn-text")).to_have_text("canlı")
        expect(page.get_by_role("heading", name=re.compile("Şu an bekleyenler"))).to_be_visible()
        expect(page.locator("#today-updated")).to_have_text(re.compile(r"^Güncellendi \d\d:\d\d$"))
        shot(page, artifacts, "stats-live-tr")
    finally:
        page.goto(f"{servers.url}/stats?lang=en")  # the manager's language for any later test


def action_heights(card) -> dict:
    return {action: round(card.locator(f'[data-action="{action}"]').bounding_box()["height"], 1)
            for action in ("acknowledge", "greet", "abandon")}


def test_the_board_on_a_phone_has_a_small_header_says_busy_and_one_height_of_buttons(pages, servers, artifacts):
    """Issue #16, item 6: the header ≤ 120 of 844 px (language and sign-out in its menu), the
    presence control showing "Busy" while serving a guest, "I've seen it" as tall as its neighbours."""
    page, host = pages("host"), servers.hosts[0]
    page.set_viewport_size(SIZES["phone"])
    page.goto(f"{servers.url}/board")
    start_alerts(page)
    waiting = servers.check_in("Ines Height").json()["visit"]
    serving = servers.check_in("Jan Busy").json()["visit"]
    try:
        assert waiting["host"]["id"] == serving["host"]["id"] == host["id"]  # the one host signed in
        alert = page.locator(f'[data-visit-id="{waiting["id"]}"]')
        expect(alert).to_have_attribute("data-alert", "mine")
        heights = action_heights(alert)
        assert len(set(heights.values())) == 1, f"card buttons differ in height on a phone: {heights}"

        assert servers.call("POST", f"/visits/{serving['id']}/greet", host["token"], json={}).status_code == 200
        presence = page.locator("#presence")
        expect(presence).to_have_attribute("data-status", "busy")
        pressed = presence.locator('[aria-pressed="true"]')
        expect(pressed).to_have_text("Busy", use_inner_text=True)  # what it reads, not "Available" in amber
        expect(pressed).to_have_accessible_name("Busy")
        expect(pressed).to_have_attribute("data-presence", "available")
        header = page.locator(".board-top").bounding_box()["height"]
        assert header <= 120, f"the board's header takes {header} of 844 px"
        shot(page, artifacts, "board-phone-header-busy")

        language = page.locator("#own-language")
        expect(language).to_be_hidden()
        page.get_by_role("button", name="Menu").click()
        expect(language).to_be_visible()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        shot(page, artifacts, "board-phone-menu")
        assert audit(page, servers.url, "board phone, busy, menu open", {}) == []
        page.keyboard.press("Escape")
        expect(language).to_be_hidden()
        expect(page.get_by_role("button", name="Menu")).to_be_focused()

        page.locator('#presence [data-presence="away"]').click()  # busy, and still a tap from away
        expect(presence).to_have_attribute("data-status", "away")
        expect(pressed).to_have_text("Away", use_inner_text=True)
        page.locator('#presence [data-presence="available"]').click()
        expect(presence).to_have_attribute("data-status", "busy")

        page.set_viewport_size(SIZES["laptop"])
        expect(language).to_be_visible()  # wider, the row has room for it
        heights = action_heights(alert)
        assert len(set(heights.values())) == 1, f"card buttons differ in height on a laptop: {heights}"
    finally:
        servers.call("POST", f"/visits/{waiting['id']}/abandon", host["token"], json={})
        servers.call("POST", f"/visits/{serving['id']}/complete", host["token"], json={})
