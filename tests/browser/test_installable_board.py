"""The installable board in Chromium: the manifest is linked and valid, the service worker
controls /board, a new release's worker replaces the old cache (and caches no API answer),
and without internet the board says that push cannot work here and points to ntfy or e-mail."""

from __future__ import annotations

import json
import struct

import pytest
from playwright.sync_api import expect

from tests.support.browser import no_errors, open_board
from tests.support.live_server import LiveServer

SCOPE_READY = "navigator.serviceWorker.ready.then(registration => registration.scope)"
CACHE_NAMES = "caches.keys()"
CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
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


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", body[16:24])


def test_the_board_is_installable_and_its_service_worker_controls_it(browser, server):
    person, context = open_board(browser, server, server.hosts[0], start=False)
    page = person.page
    href = page.locator("link[rel=manifest]").get_attribute("href")
    assert href == "/board/manifest.webmanifest"
    answer = page.request.get(server.url + href)
    assert answer.ok and answer.headers["content-type"].startswith("application/manifest+json")
    manifest = answer.json()
    assert manifest["start_url"] == "/board" and manifest["scope"] == "/board"
    assert manifest["display"] == "standalone" and manifest["name"]
    sizes = {}
    for icon in manifest["icons"]:
        image = page.request.get(server.url + icon["src"])
        assert image.ok and image.headers["content-type"] == "image/png"
        sizes[icon["sizes"]] = png_size(image.body())
    assert sizes["192x192"] == (192, 192) and sizes["512x512"] == (512, 512)

    assert page.evaluate(SCOPE_READY) == f"{server.url}/board"
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null")  # the worker serves the board itself
    no_errors(person)
    context.close()


def test_a_new_release_replaces_the_old_cache_and_no_api_answer_is_cached(browser, server, monkeypatch):
    person, context = open_board(browser, server, server.hosts[0])
    page = person.page
    page.evaluate(SCOPE_READY)
    page.wait_for_function("async () => (await caches.keys()).length === 1")
    [first] = page.evaluate(CACHE_NAMES)
    assert first.startswith("gastgeber-board-")

    server.stop()
    monkeypatch.setenv("GASTGEBER_ASSET_VERSION", "second-release")  # the next release, as the server sees it
    server.start()
    page.reload()
    page.wait_for_function("async () => { const names = await caches.keys();"
                           " return names.length === 1 && names[0] === 'gastgeber-board-second-release'; }")
    page.reload()
    start = page.get_by_role("button", name="Start — enable sound and alerts")
    start.click()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    cached = page.evaluate(CACHED_URLS)
    worker = page.request.get(f"{server.url}/board/sw.js").text()
    precache = json.loads(worker.split("var PRECACHE = ", 1)[1].split(";\n", 1)[0])
    assert "/board" in cached and set(precache) <= set(cached), (precache, cached)
    assert [url for url in precache if "/push" in url], precache  # the board's Web Push module among them
    assert not [url for url in cached if url.startswith(("/api/", "/socket.io"))], cached
    context.close()


def test_without_internet_the_board_says_push_cannot_work_and_points_to_ntfy_or_email(browser, server):
    person, context = open_board(browser, server, server.hosts[0], permissions=["notifications"])
    page = person.page
    panel = page.locator("#push-panel")
    expect(panel).to_contain_text("Notifications are off for this device.")
    page.get_by_role("button", name="Notify me on this device").click()  # the push service is out of reach here
    expect(panel).to_contain_text("Push needs internet", timeout=30_000)
    expect(panel).to_contain_text("ntfy")
    assert server.call("GET", "/push/subscriptions", server.hosts[0]["token"]).json()["subscriptions"] == []
    context.close()
