"""Arabic, right to left, in Chromium: the kiosk, the customer's status page and the board say
dir="rtl", mirror their layout (what sits at the left edge in German or English sits at the
right edge in Arabic), never scroll sideways on a phone or a landscape tablet, and axe finds
nothing. A host's own board language is theirs: chosen on the board, it survives a new sign-in.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import DESK, SITE_ZONE, audit, card, open_kiosk, shot, sign_in_board, watch
from tests.support.live_server import LiveServer

PHONE = {"width": 390, "height": 844}
LANDSCAPE = {"width": 1280, "height": 800}
CONFIG = 'kiosk_languages = ["de", "en", "tr", "ar"]\n'  # this site offers Arabic at its door
# Where an element's boxes (or, with text=true, its text) sit: the gap to the page's left and right edges.
GAPS = """([selector, text]) => {
    const width = document.documentElement.clientWidth;
    const rects = [...document.querySelectorAll(selector)].map(element => {
        if (!text) return element.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(element);
        return range.getBoundingClientRect();
    });
    return { left: Math.min(...rects.map(r => r.left)), right: width - Math.max(...rects.map(r => r.right)) };
}"""


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("rtl"), CONFIG)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def results():
    return {}


def gaps(page, selector: str, *, text: bool = False) -> dict:
    return page.evaluate(GAPS, [selector, text])


def assert_mirrored(ltr: dict, rtl: dict, side: str, what: str) -> None:
    """What sat `side`'s distance from that edge left to right sits as far from the other edge."""
    other = {"left": "right", "right": "left"}[side]
    assert abs(rtl[other] - ltr[side]) <= 2, f"{what} does not mirror: ltr {ltr}, rtl {rtl}"


def assert_right_to_left(page, language: str = "ar") -> None:
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", language)


def assert_fits_sideways(page, name: str, artifacts) -> None:
    """At a phone's and a landscape tablet's width, nothing is wider than the screen."""
    for size in (PHONE, LANDSCAPE):
        page.set_viewport_size(size)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {size}"
        shot(page, artifacts, f"{name}-ar-{size['width']}x{size['height']}", full_page=True)


def assert_clean(page, live_server, name: str, results: dict) -> None:
    audit(page, live_server.url, name, results)
    assert results[name] == [], results[name]


def test_the_kiosk_switches_to_arabic_right_to_left_and_mirrors(browser, live_server, results, artifacts):
    kiosk, context = open_kiosk(browser, live_server)
    page = kiosk.page
    try:
        buttons_ltr, label_ltr = gaps(page, ".lang-button"), gaps(page, 'label[for="name"]', text=True)
        page.locator('.lang-button[data-lang="ar"]').tap()
        assert_right_to_left(page)
        expect(page.get_by_role("heading", name="أهلاً وسهلاً!")).to_be_visible()
        expect(page.locator('.lang-button[data-lang="ar"]')).to_have_text("العربية")
        assert_mirrored(buttons_ltr, gaps(page, ".lang-button"), "right", "the language buttons")
        assert_mirrored(label_ltr, gaps(page, 'label[for="name"]', text=True), "left", "the name's label")
        assert_clean(page, live_server, "kiosk (ar)", results)
        assert_fits_sideways(page, "kiosk", artifacts)
        page.get_by_label("اسمك").fill("أميرة حداد")
        page.get_by_role("button", name="تسجيل الوصول", exact=True).tap()
        expect(page.get_by_role("heading", name="لاحظنا وصولك. يسعدنا وجودك هنا.")).to_be_visible()
        assert_right_to_left(page)
        assert_clean(page, live_server, "kiosk confirm (ar)", results)
        page.locator('.lang-button[data-lang="de"]').tap()
        expect(page.locator("html")).to_have_attribute("dir", "ltr")  # and back, without a reload
    finally:
        context.close()


def open_status(browser, live_server, language: str):
    visit = live_server.check_in(f"Gast {language}", language=language).json()["visit"]
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, locale="en-GB",
                                  timezone_id=SITE_ZONE)
    page = watch(context.new_page()).page
    page.goto(live_server.url + visit["status_url"])
    expect(page.locator("#status-page")).to_have_attribute("data-live", "true")
    return page, context


def test_the_status_page_of_an_arabic_visit_is_right_to_left_and_mirrors(browser, live_server, results,
                                                                          artifacts):
    english, english_context = open_status(browser, live_server, "en")
    arabic, arabic_context = open_status(browser, live_server, "ar")
    try:
        assert_right_to_left(arabic)
        expect(arabic.locator("#step-out-title")).to_have_text("هل ستخرج للحظة؟")
        for selector in ("#step-out-title", "#fact-ahead dt"):
            assert_mirrored(gaps(english, selector, text=True), gaps(arabic, selector, text=True), "left", selector)
        assert_clean(arabic, live_server, "status (ar)", results)
        assert_fits_sideways(arabic, "status", artifacts)
    finally:
        english_context.close()
        arabic_context.close()
        live_server.close_open_visits()


def choose_board_language(page, language: str) -> None:
    """The board's own-language choice: pick `language` ("" for the site's) and save; the board reloads."""
    page.locator("#own-language").select_option(value=language)
    page.locator("form.own-language button[type=submit]").click()


def test_a_host_chooses_arabic_for_their_board_and_keeps_it_at_the_next_sign_in(browser, live_server, results,
                                                                                artifacts):
    """Anna's browser asks for English; she chooses العربية on her board: it comes back right to left,
    mirrored, its live texts (connection, the card's buttons) in Arabic, and so after signing in again."""
    anna = live_server.hosts[0]
    context = browser.new_context(viewport=DESK, locale="en-GB", timezone_id=SITE_ZONE)
    page = watch(context.new_page()).page
    try:
        page.goto(f"{live_server.url}/board/login")
        sign_in_board(page, anna)
        expect(page.locator("html")).to_have_attribute("dir", "ltr")
        who_ltr = gaps(page, ".board-who")
        choose_board_language(page, "ar")
        assert_right_to_left(page)
        expect(page.get_by_label("لغتي")).to_have_value("ar")
        assert_mirrored(who_ltr, gaps(page, ".board-who"), "left", "the board's name and host")
        page.locator("#start-button").click()
        expect(page.locator("#conn-text")).to_have_text("مباشر")
        visit = live_server.check_in("Zoë", language="de").json()["visit"]
        expect(card(page, visit["id"]).get_by_role("button", name="رأيته")).to_be_visible()
        assert_clean(page, live_server, "board (ar)", results)
        assert_fits_sideways(page, "board", artifacts)

        page.set_viewport_size(DESK)
        page.locator("form[action='/board/logout'] button").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")  # the sign-in page: the browser's language
        sign_in_board(page, anna)
        assert_right_to_left(page)  # her choice is hers, not this browser session's
        expect(page.locator("#start-button")).to_have_text("ابدأ — تفعيل الصوت والتنبيهات")
        expect(page.locator("#own-language option[value='']")).to_have_text("لغة الموقع (Deutsch)")
        choose_board_language(page, "")
        expect(page.locator("html")).to_have_attribute("lang", "en")  # no choice: the browser's again
    finally:
        context.close()
        live_server.close_open_visits()
