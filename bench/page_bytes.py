"""Bytes a browser transfers for the kiosk, the board and the stats page: the plain files
(as before issue #16: no compression, revalidated every load) against the build of
`make assets` (minified, Brotli, content-named, kept a year).

    .venv/bin/python bench/page_bytes.py [--before CHECKOUT] [--json FILE]

--before: also measure another checkout's server (say, `git archive` of the release before,
with this node_modules linked into it), run from there with this .venv.

Each page is loaded in Debian's Chromium as its person (kiosk tablet, host, manager): first
load with an empty cache, then a second load in the same browser. Counted: every response's
bytes on the wire as Chromium reports them (Network.loadingFinished's encodedDataLength:
headers and body as sent, compressed where it was), split into the page's files (scripts,
style sheets, icons) and the rest (the page's HTML, API, catalogues, Socket.IO polling).
A service worker's own fetches are not in a page's count.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support import live_server
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, TABLET, enter_kiosk_token, sign_in_board
from tests.support.live_server import LiveServer

FILE_TYPES = {"Script", "Stylesheet", "Image", "Font"}
QUIET_SECONDS = 1.5  # no response for this long: the page has settled


def measured(context, url: str, ready) -> dict:
    """Open `url` in a new page of `context`; bytes by kind once it is ready and quiet."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    kinds, sizes, last = {}, {"files": 0, "other": 0}, [time.monotonic()]
    largest = []

    def sent(event):
        kinds[event["requestId"]] = (event.get("type", "Other"), event["request"]["url"].split("?")[0])
        last[0] = time.monotonic()

    def finished(event):
        kind, address = kinds.get(event["requestId"], ("Other", "?"))
        sizes["files" if kind in FILE_TYPES else "other"] += int(event["encodedDataLength"])
        largest.append((int(event["encodedDataLength"]), address))
        last[0] = time.monotonic()

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url)
    ready(page)
    while time.monotonic() - last[0] < QUIET_SECONDS:
        page.wait_for_timeout(200)
    page.close()
    return {**sizes, "total": sizes["files"] + sizes["other"], "largest": sorted(largest, reverse=True)[:6]}


def run(mode: str, workdir: Path, checkout: Path) -> dict:
    os.environ["GASTGEBER_ASSETS_DIR"] = str(workdir / "never-built") if mode != "built" else ""
    live_server.ROOT = checkout
    server = LiveServer(workdir)
    server.start()
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for name, url, sign_in, ready, options in pages(server):
                context = browser.new_context(service_workers="block", **options)
                cookies = cookies_after(browser, sign_in, options)
                context.add_cookies(cookies)
                results[name] = {"first": measured(context, url, ready), "again": measured(context, url, ready)}
                context.close()
            browser.close()
    finally:
        server.stop()
    return results


def cookies_after(browser, sign_in, options) -> list[dict]:
    context = browser.new_context(**options)
    try:
        sign_in(context.new_page())
        return context.cookies()
    finally:
        context.close()


def pages(server):
    def kiosk_in(page):
        page.goto(f"{server.url}/kiosk/setup")
        enter_kiosk_token(page, server.kiosk["token"])

    def host_in(page):
        page.goto(f"{server.url}/board/login")
        sign_in_board(page, server.hosts[0])

    def manager_in(page):
        page.goto(f"{server.url}/stats/login")
        page.get_by_label("Manager token").fill(server.manager["token"])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/stats")

    def board_ready(page):
        page.locator("#start-button").click()
        page.wait_for_selector('#conn[data-state="live"]')

    return [
        ("kiosk", f"{server.url}/kiosk", kiosk_in, lambda page: page.wait_for_selector("#kiosk:not([aria-busy])"),
         {"viewport": TABLET, "locale": "de-DE"}),
        ("board", f"{server.url}/board", host_in, board_ready, {"locale": "en-GB"}),
        ("stats", f"{server.url}/stats", manager_in,
         lambda page: page.wait_for_selector('#charts[data-ready="true"]'), {"locale": "en-GB"}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout to measure first")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    modes = {"plain": live_server.ROOT, "built": live_server.ROOT}
    if args.before:
        modes = {"before": args.before.resolve(), **modes}
    results = {}
    for mode, checkout in modes.items():
        with tempfile.TemporaryDirectory() as folder:
            results[mode] = run(mode, Path(folder), checkout)
    print(f"{'page':<6} {'load':<6} " + " ".join(f"{mode + ' ' + part:>14}" for part in ("files", "total")
                                               for mode in results))
    for name in results["plain"]:
        for load in ("first", "again"):
            print(f"{name:<6} {load:<6} " + " ".join(f"{results[mode][name][load][part]:>14,}"
                                                   for part in ("files", "total") for mode in results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
