"""Kiosk pairing in Chromium: a manager registers a kiosk and reads its pairing code; a tablet
opens /kiosk, types the code and reaches the welcome screen; the manager unpairs it and the
tablet shows the pairing screen at once, without a reload. Pairing again works in place, and
a tablet opening the QR code's link pairs by itself, replacing the first one, which hears of it.

Takes the screenshots docs/admin-kiosks.png (with the QR code) and docs/kiosk-pairing.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import DESK, SITE_ZONE, TABLET, audit, no_errors, shot, sign_in_manager, watch

UNPAIRED = "Dieses Tablet ist nicht mehr gekoppelt"


def read_code(page) -> str:
    expect(page.locator("#pairing")).to_be_visible()
    code = page.locator("#pairing-code-value").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code), code
    return code


def new_tablet(browser):
    context = browser.new_context(viewport=TABLET, has_touch=True, locale="de-DE", timezone_id=SITE_ZONE)
    return context, watch(context.new_page())


@pytest.mark.docs_screenshots
def test_a_tablet_pairs_by_code_and_a_remote_unpair_sends_it_back_at_once(browser, live_server, artifacts):
    manager_context = browser.new_context(viewport=DESK, locale="en-GB", timezone_id=SITE_ZONE)
    tablet_context, tablet = new_tablet(browser)
    qr_context, findings = None, {}
    try:
        manager = watch(manager_context.new_page())
        page = manager.page
        sign_in_manager(page, live_server)
        page.goto(f"{live_server.url}/admin/kiosks")
        expect(page.get_by_role("heading", name="Kiosks", exact=True)).to_be_visible()

        # A name is required: said next to the field.
        page.get_by_role("button", name="Register kiosk").click()
        expect(page.locator("#kiosk-name-error")).to_be_visible()
        expect(page.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")
        page.get_by_label("Name", exact=True).fill("Side door")
        page.get_by_role("button", name="Register kiosk").click()
        code = read_code(page)
        qr = page.locator("#pairing-qr")
        expect(qr).to_be_visible()
        assert qr.evaluate("img => img.complete && img.naturalWidth > 100")  # the server's SVG, drawn
        row = page.locator("#kiosk-table tr", has_text="Side door")
        expect(row).to_contain_text("Waiting for the tablet")
        shot(page, artifacts, "admin-kiosks", docs="admin-kiosks.png", full_page=True)
        serious = audit(page, live_server.url, "admin kiosks", findings)

        # The tablet: /kiosk without a credential is the pairing screen; a wrong code is refused clearly.
        tablet.page.goto(f"{live_server.url}/kiosk")
        expect(tablet.page.get_by_role("heading", name="Dieses Tablet koppeln")).to_be_visible()
        shot(tablet.page, artifacts, "kiosk-pairing", docs="kiosk-pairing.png")
        serious += audit(tablet.page, live_server.url, "kiosk pairing", findings)
        tablet.page.get_by_label("Kopplungscode").fill("abcd-efgh")
        expect(tablet.page.get_by_label("Kopplungscode")).to_have_value("ABCD-EFGH")
        tablet.page.get_by_role("button", name="Tablet koppeln").click()
        expect(tablet.page.locator("#pair-error")).to_contain_text("nicht gültig")
        expect(tablet.page.get_by_label("Kopplungscode")).to_have_attribute("aria-invalid", "true")
        tablet.page.get_by_label("Kopplungscode").fill(code.replace("-", "").lower())
        tablet.page.get_by_role("button", name="Tablet koppeln").click()
        expect(tablet.page).to_have_url(re.compile(r"/kiosk$"))
        expect(tablet.page.get_by_role("heading", name="Willkommen!")).to_be_visible()
        expect(tablet.page.locator("#kiosk")).to_have_attribute("data-live", "true")

        page.goto(f"{live_server.url}/admin/kiosks")
        expect(row).to_contain_text("Paired")
        expect(row).to_contain_text("just now")
        expect(row).to_have_attribute("data-silent", "false")

        # Unpaired from the manager's desk: the tablet shows the pairing screen by itself.
        tablet.page.evaluate("window.stillTheSamePage = true")
        row.get_by_role("button", name="Unpair Side door").click()
        expect(page.locator("#unpaired-notice")).to_contain_text("Side door")
        expect(tablet.page.get_by_role("heading", name=UNPAIRED)).to_be_visible()
        expect(tablet.page.get_by_role("heading", name="Willkommen!")).to_be_hidden()
        expect(tablet.page.locator("#kiosk")).to_have_attribute("data-live", "false")
        assert tablet.page.evaluate("window.stillTheSamePage === true"), "the tablet reloaded"
        shot(tablet.page, artifacts, "kiosk-unpaired")
        serious += audit(tablet.page, live_server.url, "kiosk unpaired", findings)
        assert serious == [], serious  # axe-core: no serious or critical violations on these screens
        expect(row).to_contain_text("Not paired")

        # Pairing again, right there on the tablet.
        row.get_by_role("button", name="New pairing code for Side door").click()
        code = read_code(page)
        tablet.page.get_by_label("Kopplungscode").fill(code)
        tablet.page.get_by_role("button", name="Tablet koppeln").click()
        expect(tablet.page.get_by_role("heading", name="Willkommen!")).to_be_visible()
        expect(tablet.page.locator("#kiosk")).to_have_attribute("data-live", "true")

        # A second tablet opens the QR code's link: it pairs by itself and replaces the first.
        row.get_by_role("button", name="New pairing code for Side door").click()
        code = read_code(page)
        qr_context, second = new_tablet(browser)
        second.page.goto(f"{live_server.url}/kiosk/pair?code={code}")
        expect(second.page.get_by_role("heading", name="Willkommen!")).to_be_visible()
        expect(tablet.page.get_by_role("heading", name=UNPAIRED)).to_be_visible()
        no_errors(manager, tablet, second)
    finally:
        for context in (manager_context, tablet_context, qr_context):
            if context is not None:
                context.close()
