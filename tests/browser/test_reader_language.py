"""Every screen speaks its reader's language, all of it (issue #16, "Languages").

A host whose browser speaks German (then Turkish) works a visit on the staff board: the
card of a guest of theirs (kicker, title, timer, host, tags, language, party, own host),
a colleague's guest in the team section, the presence control and the team strip, the
outcome note, Done and the emptied section. The kiosk at the door in Turkish and the
customer's status page in German and Turkish likewise. At every step none of the English
catalogue's texts for that screen shows (visible text, document title, and the
placeholder, title, aria-label and alt of what is on screen), unless the reader's
language writes it the same.

One Chromium and one live server for the module; a colleague's board (English) is open
throughout so that visits can go to someone else.
"""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.browser import SITE_ZONE, card, no_errors, open_board, open_kiosk, to_welcome, watch

DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ON_SCREEN = """() => {
  const texts = [document.title];
  for (const node of document.querySelectorAll("[placeholder], [title], [aria-label], [alt], option")) {
    const shown = node.tagName === "OPTION" ? node.parentElement.checkVisibility() : node.checkVisibility();
    if (!shown) continue;
    for (const name of ["placeholder", "title", "aria-label", "alt"]) {
      if (node.getAttribute(name)) texts.push(node.getAttribute(name));
    }
    if (node.tagName === "OPTION") texts.push(node.textContent);
  }
  return texts;
}"""
ENGLISH_WORDS = ("New guest", "is here for you", "Waiting", "waiting", "Host:", "Assigned", "Language", "Turkish",
                 "Own host", "none yet", "Save", "available", "away", "Outcome note", "First visit", "(you)")


@pytest.fixture(scope="module")
def catalogues(live_server):
    return {lang: requests.get(f"{live_server.url}/i18n/{lang}.json", timeout=10).json()["texts"]
            for lang in ("en", "de", "tr")}


def english_fragments(catalogues, language: str, prefixes: tuple[str, ...]) -> list[str]:
    """The English texts of these keys, cut at their placeholders, that the reader's language
    writes differently: none of them may show on that reader's screen."""
    english, theirs = catalogues["en"], catalogues[language]
    fragments = set(ENGLISH_WORDS) if language != "en" else set()
    for key, text in english.items():
        if not key.startswith(prefixes) or theirs.get(key) == text or key == "kiosk.lang_name":  # "English" button
            continue
        for part in re.split(r"\{[a-z_]+\}|%\([a-z_]+\)s", text):
            part = part.strip(" .,:;·—–()“”\"")
            if len(part) >= 3 and re.search(r"[A-Za-z]{3}", part) and part not in theirs.get(key, ""):
                fragments.add(part)
    return sorted(fragments)


def assert_no_english(page: Page, catalogues, language: str, prefixes: tuple[str, ...], where: str) -> str:
    """Assert that no English original of these keys shows on the page; returns the visible text."""
    shown = page.locator("body").inner_text() + "\n" + "\n".join(page.evaluate(ON_SCREEN))
    found = [part for part in english_fragments(catalogues, language, prefixes)
             if re.search(r"(?<![A-Za-z])" + re.escape(part) + r"(?![A-Za-z])", shown)]
    assert found == [], f"{where} ({language}) shows English: {found}\n---\n{shown}"
    return shown


@pytest.fixture(scope="module")
def colleague(browser, live_server):
    """Anna's board (she speaks de, en): a colleague for the English-speaking guest."""
    person, context = open_board(browser, live_server, live_server.hosts[0])
    yield person
    context.close()


def host_named(live_server, name: str) -> dict:
    return next(host for host in live_server.hosts if host["name"] == name)


def finish(live_server, visit: dict) -> None:
    """A host greets the visit and completes it (over the API: the screen under test is the customer's)."""
    for action in ("greet", "complete"):
        done = live_server.call("POST", f"/visits/{visit['id']}/{action}", live_server.hosts[0]["token"], json={})
        assert done.status_code == 200, done.text


def board_in(browser, live_server, language: str, host: dict):
    """The host's board in a browser that speaks `language`: signed in and started."""
    context = browser.new_context(viewport=DESK, locale=language, timezone_id=SITE_ZONE)
    person = watch(context.new_page())
    page = person.page
    page.goto(f"{live_server.url}/board/login")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("#name").fill(host["name"])
    page.locator("#pin").fill(host["pin"])
    page.locator("form[action='/board/login'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/board$"))
    page.wait_for_load_state("domcontentloaded")
    page.locator("#start-button").click()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    return person, context


@pytest.mark.parametrize("language", ["de", "tr"])
def test_the_board_speaks_the_hosts_language_from_alert_to_done(browser, live_server, colleague, catalogues,
                                                                language):
    live_server.close_open_visits()
    texts = catalogues[language]
    ben = host_named(live_server, "Ben")  # speaks de, tr
    board, context = board_in(browser, live_server, language, ben)
    page = board.page
    strip_status = page.locator(f'#team-strip [data-host-id="{ben["id"]}"] .team-status')
    try:
        page.locator('#presence [data-presence="available"]').click()  # whatever an earlier run left chosen
        expect(strip_status).to_have_text(texts["board.js.presence_available"], timeout=30_000)
        board_words = ("board.",)
        assert_no_english(page, catalogues, language, board_words, "the empty board")

        mine = live_server.check_in("Deniz Yıldız", language="tr", topic="loans", party_size=2).json()["visit"]
        theirs = live_server.check_in("Emily Brown", language="en", topic="accounts").json()["visit"]
        alert = card(page, mine["id"])
        expect(alert).to_have_attribute("data-mine", "true")
        expect(page.locator("#team-list").locator(f'[data-visit-id="{theirs["id"]}"]')).to_be_visible()
        expect(alert.locator('[data-tag="first"]')).to_have_text(texts["board.js.tag_first_visit"])
        expect(alert.locator(".card-kicker")).to_have_text(texts["board.js.kicker_new_guest"])
        expect(alert.locator(".card-title")).to_have_text(
            texts["board.js.title_here_for_you"].replace("{name}", "Deniz Yıldız"))
        turkish = {"de": "Türkisch", "tr": "Türkçe"}[language]  # the browser's own name for the language
        expect(alert.locator('[data-context="language"] dd')).to_have_text(turkish)
        expect(alert.locator(".timer")).to_contain_text(re.compile(r"\d\d:\d\d"))
        expect(alert.locator(".own-host-label")).to_have_text(texts["board.js.own_host_label"])
        assert_no_english(page, catalogues, language, board_words, "a guest of mine and a colleague's")

        page.locator('#presence [data-presence="away"]').click()
        expect(page.locator("#presence")).to_have_attribute("data-status", "away")
        # the strip follows the team's broadcast: allow a busy machine its time
        expect(strip_status).to_have_text(texts["board.js.presence_away"], timeout=30_000)
        assert_no_english(page, catalogues, language, board_words, "away")
        page.locator('#presence [data-presence="available"]').click()
        expect(strip_status).to_have_text(re.compile(f'{texts["board.js.presence_available"]}|{texts["board.js.presence_busy"]}'))

        alert.locator('[data-action="greet"]').click()
        expect(alert).to_have_attribute("data-status", "greeted")
        note = alert.get_by_label(texts["board.js.note_label"])
        expect(note).to_be_visible()
        assert_no_english(page, catalogues, language, board_words, "greeted, with the outcome note")

        note.fill("Kredit besprochen")
        alert.locator('[data-action="complete"]').click()
        expect(alert).to_have_count(0)
        expect(page.locator("#mine-empty")).to_be_visible()
        assert_no_english(page, catalogues, language, board_words, "done")
        no_errors(board, colleague)
    finally:
        context.close()


def test_the_kiosk_speaks_turkish_through_check_in_and_feedback(browser, live_server, catalogues):
    live_server.close_open_visits()
    kiosk, context = open_kiosk(browser, live_server)
    page = kiosk.page
    kiosk_words = ("kiosk.",)
    try:
        page.locator('.lang-button[data-lang="tr"]').tap()
        expect(page.locator("html")).to_have_attribute("lang", "tr")
        assert_no_english(page, catalogues, "tr", kiosk_words, "the welcome screen")
        with page.expect_response(lambda answer: "/api/v1/checkins" in answer.url) as answer:
            page.get_by_label(catalogues["tr"]["kiosk.name_label"]).fill("Deniz Yıldız")
            page.locator("#checkin-button").tap()
        visit = answer.value.json()["visit"]
        expect(page.locator("#screen-confirm")).to_be_visible()
        assert_no_english(page, catalogues, "tr", kiosk_words, "the confirmation")
        finish(live_server, visit)
        expect(page.locator("#screen-feedback")).to_be_visible()
        assert_no_english(page, catalogues, "tr", kiosk_words, "the thank-you")
        page.locator('.face[data-rating="3"]').tap()
        expect(page.locator("#feedback-done")).to_be_visible()
        assert_no_english(page, catalogues, "tr", kiosk_words, "the thanks for the feedback")
        to_welcome(page)
        no_errors(kiosk)
    finally:
        context.close()


@pytest.mark.parametrize("language", ["de", "tr"])
def test_the_status_page_speaks_the_visits_language(browser, live_server, colleague, catalogues, language):
    live_server.close_open_visits()
    visit = live_server.check_in("Deniz Yıldız", language=language).json()["visit"]
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, locale="en-GB",
                                  timezone_id=SITE_ZONE)  # the phone's own language does not matter
    phone = watch(context.new_page())
    page = phone.page
    words = ("status.", "kiosk.feedback", "kiosk.face", "kiosk.thanks")
    try:
        page.goto(live_server.url + visit["status_url"])
        expect(page.locator("#status-page")).to_have_attribute("data-live", "true")
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_no_english(page, catalogues, language, words, "waiting")
        page.locator('[data-away="10"]').tap()
        expect(page.locator("#status-away")).to_be_visible()
        assert_no_english(page, catalogues, language, words, "stepped out")
        finish(live_server, visit)
        expect(page.locator("#status-feedback")).to_be_visible()
        assert_no_english(page, catalogues, language, words, "done, asking for feedback")
        no_errors(phone)
    finally:
        context.close()
