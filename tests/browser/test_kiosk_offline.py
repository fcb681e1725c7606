"""The kiosk in Chromium while its server is away, after one load (issue #16): the page links
the built, content-named files; its service worker keeps the page, its files and the
catalogues, so a reload with the server stopped still opens the kiosk, switches its language
and thanks a customer at once; the check-in waits (checkin_queue.js) and arrives exactly once
when the server is back.

A live server of its own: the test stops and restarts it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.assets import HASHED_URL
from tests.support.browser import no_errors, open_kiosk
from tests.support.live_server import LiveServer
from tests.support.polling import wait_until

NOTICED_DE = "Wir haben Sie bemerkt. Schön, dass Sie da sind."
LINKED = """() => [...document.querySelectorAll('script[src], link[href]')]
  .map(element => new URL(element.src || element.href).pathname)"""
KEPT = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    if (!name.startsWith('gastgeber-kiosk-')) continue;
    for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
  }
  return urls;
}"""


@pytest.fixture
def server(tmp_path):
    made = LiveServer(tmp_path)
    made.start()
    yield made
    made.stop()


def visits_named(server, name: str) -> list[dict]:
    answer = server.call("GET", "/visits?status=open", server.hosts[0]["token"])
    return [visit for visit in answer.json()["visits"] if visit["customer"]["name"] == name]


def test_after_one_load_the_kiosk_opens_and_thanks_while_the_server_is_away(browser, server):
    person, context = open_kiosk(browser, server)
    page = person.page
    linked = [url for url in page.evaluate(LINKED) if url != "/kiosk"]
    assert linked and all(HASHED_URL.fullmatch(url) for url in linked), (
        f"the kiosk links plain files (is dist/ older than static/? `make assets`): {linked}")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # its worker took it over
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then(found => found.scope)")
    assert scope == f"{server.url}/kiosk"
    needed = [*linked, "/kiosk", "/i18n/tr.json"]
    page.wait_for_function(f"async () => {{ const kept = await ({KEPT})(); "
                           f"return {needed!r}.every(url => kept.includes(url)); }}")

    server.stop()
    page.reload()
    expect(page.get_by_role("heading", name="Willkommen!")).to_be_visible()
    expect(page.locator("#kiosk")).not_to_have_attribute("aria-busy", "true")
    page.locator('.lang-button[data-lang="tr"]').tap()  # its catalogue comes from the worker's cache
    expect(page.get_by_role("heading", name="Hoş geldiniz!")).to_be_visible()
    page.locator('.lang-button[data-lang="de"]').tap()
    name = "Olivia Offline"
    page.get_by_label("Ihr Name").fill(name)
    page.get_by_role("button", name="Einchecken").click()
    expect(page.get_by_role("heading", name=NOTICED_DE)).to_be_visible()
    expect(page.locator("#connecting-hint")).to_be_visible()

    server.start()
    wait_until(lambda: visits_named(server, name), timeout=40, message="the check-in made offline arriving")
    expect(page.locator("#connecting-hint")).to_be_hidden()
    assert len(visits_named(server, name)) == 1
    no_errors(person)
    context.close()
