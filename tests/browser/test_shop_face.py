"""The shop's own face in Chromium: a manager uploads a logo and picks a colour on /admin/brand,
the kiosk and the board show them at once on their next load, a light colour and an SVG are
refused next to their fields, and the axe audit stays at zero with the shop's colour."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.support.browser import (
    DESK,
    SITE_ZONE,
    audit,
    no_errors,
    open_board,
    open_kiosk,
    shot,
    sign_in_manager,
    watch,
)

ACCENT = "#7a1f5c"  # rgb(122, 31, 92)


def logo_png() -> bytes:
    image = Image.new("RGBA", (480, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, 476, 156), radius=30, fill=(122, 31, 92, 255))
    draw.ellipse((30, 30, 130, 130), fill=(255, 255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def results():
    return {}


def test_a_manager_gives_the_kiosk_and_the_board_the_shops_logo_and_colour(browser, live_server, artifacts, results):
    context = browser.new_context(viewport=DESK, locale="en-GB", timezone_id=SITE_ZONE)
    try:
        manager = watch(context.new_page())
        page = manager.page
        sign_in_manager(page, live_server)
        page.goto(f"{live_server.url}/admin/brand")
        expect(page.get_by_role("heading", name="Your shop's look")).to_be_visible()
        bad = audit(page, live_server.url, "brand page", results)

        page.get_by_label("New logo").set_input_files(
            files=[{"name": "drawing.svg", "mimeType": "image/svg+xml",
                    "buffer": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'}])
        page.get_by_role("button", name="Upload logo").click()
        expect(page.locator("#logo-error")).to_contain_text("not a PNG, JPEG or WebP image")
        bad += audit(page, live_server.url, "brand page, refused", results)

        page.get_by_label("New logo").set_input_files(
            files=[{"name": "logo.png", "mimeType": "image/png", "buffer": logo_png()}])
        page.get_by_role("button", name="Upload logo").click()
        expect(page.locator("#brand-done")).to_contain_text("The new logo is in place")
        expect(page.locator("#logo-preview")).to_have_js_property("naturalWidth", 480)

        page.get_by_label("Colour (#rrggbb)").fill("#ffd700")
        page.get_by_role("button", name="Save colour").click()
        expect(page.locator("#accent-error")).to_contain_text("too light to read")
        page.get_by_label("Colour (#rrggbb)").fill(ACCENT)
        page.get_by_role("button", name="Save colour").click()
        expect(page.locator("#brand-done")).to_have_text("The colour is saved.")
        shot(page, artifacts, "admin-brand")
        no_errors(manager)
    finally:
        context.close()

    kiosk, kiosk_context = open_kiosk(browser, live_server)
    try:
        logo = kiosk.page.locator(".kiosk-brand img.shop-logo")
        expect(logo).to_be_visible()
        expect(logo).to_have_js_property("naturalWidth", 480)  # loaded: the CSP lets the server's own image in
        expect(kiosk.page.locator("#checkin-button")).to_have_css(
            "background-color", "rgb(122, 31, 92)")
        bad += audit(kiosk.page, live_server.url, "kiosk with the shop's face", results)
        shot(kiosk.page, artifacts, "kiosk-shop-face")
        no_errors(kiosk)
    finally:
        kiosk_context.close()

    board, board_context = open_board(browser, live_server, live_server.hosts[0])
    try:
        expect(board.page.locator(".board-shop img.shop-logo")).to_have_js_property("naturalWidth", 480)
        bad += audit(board.page, live_server.url, "board with the shop's face", results)
        no_errors(board)
    finally:
        board_context.close()
    assert bad == [], bad
