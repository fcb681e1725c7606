"""Reading a QR code as a phone's camera would: from pixels, with zxing-cpp (pinned in the test extra)."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image
from playwright.sync_api import Locator


def decoded(picture: bytes) -> list[str]:
    """The texts of every QR code in a PNG."""
    image = Image.open(io.BytesIO(picture)).convert("L")
    return [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def decoded_on_screen(element: Locator) -> list[str]:
    """The texts of the QR codes an element shows, as Chromium drew it (a screenshot of it alone)."""
    return decoded(element.screenshot(animations="disabled"))
