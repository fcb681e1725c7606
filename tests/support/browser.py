"""Playwright helpers for the browser tests (fixtures `browser` and `artifacts` are in
tests/browser/conftest.py): Debian's Chromium, people on pages and what went wrong there,
the board and the kiosk signed in, screenshots, and the axe-core audit.

We never download Playwright's own browsers; the system's /usr/bin/chromium is used.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support.paths import DOCS, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SITE_ZONE = "Europe/Berlin"  # the server's default `timezone`
START_ALERTS = "Start — enable sound and alerts"
TABLET = {"width": 800, "height": 1280}  # a portrait 10-inch tablet
DESK = {"width": 1100, "height": 900}

expect.set_options(timeout=10_000)


@dataclass
class Person:
    """One browser page and what went wrong on it."""

    page: Page
    errors: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)
    blocked: list = field(default_factory=list)  # failed loads a test blocked on purpose, judged by that test


def watch(page: Page, *, console: str | None = "csp", blocked_url: str | None = None) -> Person:
    """Collect uncaught exceptions, JavaScript dialogs (dismissed) and console errors.

    console: None ignores the console, "csp" keeps only Content Security Policy violations,
    "all" keeps every console error. With blocked_url, "Failed to load resource" errors for
    that URL go to `person.blocked` instead of `person.errors`.
    """
    person = Person(page)

    def on_console(msg):
        if msg.type != "error" or (console == "csp" and "Content Security Policy" not in msg.text):
            return
        url = (msg.location or {}).get("url", "")
        if blocked_url and msg.text.startswith("Failed to load resource") and url.endswith(blocked_url):
            person.blocked.append(msg.text)
        else:
            person.errors.append(f"console: {msg.text} ({url})")

    if console is not None:
        page.on("console", on_console)
    page.on("pageerror", lambda exc: person.errors.append(f"pageerror: {exc}"))
    page.on("dialog", lambda dialog: (person.dialogs.append(dialog.message), dialog.dismiss()))
    return person


def no_errors(*people: Person) -> None:
    for person in people:
        assert person.errors == [], person.errors
        assert person.dialogs == [], person.dialogs


def sign_in_board(page: Page, host: dict, *, site: str | None = None) -> None:
    """On /board/login: type the host's name and PIN, and sign in; or, where the page shows the
    team of the browser's site (a desk browser that typed the site's code, `site`, once), pick them."""
    if site is not None:
        page.get_by_label("Site code").fill(site)
        page.get_by_role("button", name="Show my team").click()
    if page.get_by_label("Your name").count():
        page.get_by_label("Your name").fill(host["name"])
    else:
        page.get_by_label(host["name"], exact=True).check()
    page.get_by_label("PIN").fill(host["pin"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/board$"))


def sign_in_manager(page: Page, live_server) -> None:
    """On /stats/login: sign this browser in with the demo manager's token."""
    page.goto(f"{live_server.url}/stats/login")
    page.get_by_label("Manager token").fill(live_server.manager["token"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def start_alerts(page: Page) -> None:
    """Tap the board's Start button and wait for the live connection.

    The tap waits for the page's module scripts (DOMContentLoaded): on a loaded machine a
    tap that came before main.js had attached its handler was lost, and the board stayed idle."""
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("button", name=START_ALERTS).click()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")


def open_board(browser, live_server, host: dict, *, start: bool = True, viewport: dict | None = None,
               timezone_id: str | None = SITE_ZONE, init_scripts=(), permissions=(),
               **watching) -> tuple[Person, object]:
    """A host's board in its own browser context (own cookies), signed in; returns (person, context)."""
    context = browser.new_context(viewport=viewport or DESK, locale="en-GB", timezone_id=timezone_id)
    if permissions:
        context.grant_permissions(list(permissions), origin=live_server.url)
    for script in init_scripts:
        context.add_init_script(script)
    person = watch(context.new_page(), **watching)
    person.page.goto(f"{live_server.url}/board/login")
    sign_in_board(person.page, host)
    if start:
        start_alerts(person.page)
    return person, context


@contextmanager
def every_board(browser, live_server, **options):
    """Every demo host signed in on their own board, alerts started, keyed by host id; closed on exit."""
    people, contexts = {}, []
    try:
        for host in live_server.hosts:
            person, context = open_board(browser, live_server, host, **options)
            contexts.append(context)
            people[host["id"]] = person
        yield people
    finally:
        for context in contexts:
            context.close()


def enter_kiosk_token(page: Page, token: str) -> None:
    """On /kiosk/setup (a German tablet: German setup page): bind the tablet to a kiosk with a
    token, the form behind "advanced" (pairing comes first)."""
    advanced = page.locator("#token-setup")
    if advanced.get_attribute("open") is None:
        advanced.locator("summary").click()
    page.get_by_label("Kiosk-Token").fill(token)
    page.get_by_role("button", name="Kiosk einrichten").click()
    expect(page).to_have_url(re.compile(r"/kiosk$"))


def open_kiosk(browser, live_server, *, viewport: dict | None = None, timezone_id: str | None = SITE_ZONE,
               init_script: str | None = None, **watching) -> tuple[Person, object]:
    """The tablet at the door: touch, German, bound to the demo kiosk; returns (person, context)."""
    context = browser.new_context(viewport=viewport or TABLET, has_touch=True, locale="de-DE",
                                  timezone_id=timezone_id)
    if init_script:
        context.add_init_script(init_script)
    person = watch(context.new_page(), **watching)
    person.page.goto(f"{live_server.url}/kiosk/setup")
    enter_kiosk_token(person.page, live_server.kiosk["token"])
    expect(person.page.get_by_role("heading", name="Willkommen!")).to_be_visible()
    return person, context


@contextmanager
def kiosk_tablet(browser, live_server, **options):
    """open_kiosk() for a module fixture: the kiosk's person, its context closed on exit."""
    person, context = open_kiosk(browser, live_server, **options)
    try:
        yield person
    finally:
        context.close()


def to_welcome(page: Page) -> None:
    """Leave the confirmation or feedback screen: the kiosk's welcome, in its default language."""
    for leave in ("#new-checkin", "#feedback-skip"):
        button = page.locator(leave)
        if button.is_visible():
            try:
                button.click(timeout=5000)
            except PlaywrightTimeoutError:  # the kiosk left that screen by itself meanwhile (its visit closed)
                pass
    expect(page.get_by_role("heading", name="Willkommen!")).to_be_visible()


def card(board: Page, visit_id) -> Locator:
    return board.locator(f'[data-visit-id="{visit_id}"]')


# ---------------------------------------------------------------- screenshots

DOC_SCREENSHOTS = "GASTGEBER_DOC_SCREENSHOTS"  # set to 1 by `make screenshots`


def shot(page: Page, artifacts: Path, name: str, docs: str | None = None, **options) -> None:
    """Screenshot into test-artifacts/<name>.png; with `docs`, a copy as docs/<docs> too, but only
    under `make screenshots` (GASTGEBER_DOC_SCREENSHOTS=1): an ordinary test run leaves the committed
    pictures alone. A test that passes `docs` carries @pytest.mark.docs_screenshots, so that
    `make screenshots` runs it (tests/test_suite_layout.py checks both)."""
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled", **options)
    if docs and os.environ.get(DOC_SCREENSHOTS) == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copyfile(path, DOCS / docs)


# ---------------------------------------------------------------- accessibility (axe-core)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SEVERITIES = ("critical", "serious", "moderate", "minor")


def load_axe(page: Page, base_url: str) -> None:
    """axe-core from the app's /vendor/axe.min.js when it has that route, else from node_modules
    (a DevTools evaluation, so the strict CSP stays on)."""
    if page.evaluate("typeof window.axe") == "object":
        return
    if requests.get(f"{base_url}/vendor/axe.min.js", timeout=10).ok:
        page.add_script_tag(url="/vendor/axe.min.js")
    else:
        if not AXE.exists():
            pytest.fail("axe-core is missing: run `npm ci` (package.json pins axe-core)")
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
    page.wait_for_function("() => typeof window.axe === 'object'")


def audit(page: Page, base_url: str, name: str, results: dict) -> list:
    """Run axe-core on the page as it is now; record every violation in `results[name]`, print the
    counts per severity, and return the serious and critical ones."""
    load_axe(page, base_url)
    # Colours are judged at rest: wait for entrance animations (the endless glow never ends).
    page.wait_for_function("""() => document.getAnimations()
        .every(a => a.playState !== "running" || a.effect.getComputedTiming().iterations === Infinity)""")
    violations = page.evaluate("""async () => {
        const r = await axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                         nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5) }));
    }""")
    results[name] = violations
    counts = Counter(v["impact"] for v in violations)
    print(f"axe {name:<18} " + "  ".join(f"{s}={counts.get(s, 0)}" for s in SEVERITIES)
          + ("  [" + ", ".join(sorted({v['id'] for v in violations})) + "]" if violations else ""))
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def axe_version() -> str:
    return (ROOT / "node_modules/axe-core/package.json").read_text().split('"version": "')[1].split('"')[0]
