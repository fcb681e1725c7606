"""The shop's own face: only pixels the server drew are ever served, and only readable colours."""

from __future__ import annotations

import io
import zlib

import pytest
from PIL import Image, PngImagePlugin

from kiosk.domain.auth import Principal
from kiosk.domain.brand import (
    LOGO_BOX,
    LOGO_MAX_BYTES,
    Brand,
    BrandRefused,
    checked_accent,
    contrast_ratio,
    redrawn_logo,
)
from tests.support.demo import demo_site


def image_file(fmt: str, size=(200, 100), colour=(31, 111, 92, 255), **save) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGBA" if fmt != "JPEG" else "RGB", size, colour[: 4 if fmt != "JPEG" else 3])
    image.save(out, format=fmt, **save)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_png_jpeg_or_webp_logo_comes_back_as_a_fresh_png_of_the_same_picture(fmt):
    png, width, height = redrawn_logo(image_file(fmt))
    redrawn = Image.open(io.BytesIO(png))
    assert redrawn.format == "PNG" and (width, height) == redrawn.size == (200, 100)
    assert redrawn.convert("RGB").getpixel((100, 50)) == pytest.approx((31, 111, 92), abs=3)


def test_a_large_logo_is_drawn_within_the_box_in_proportion():
    _, width, height = redrawn_logo(image_file("PNG", size=(3200, 800)))
    assert (width, height) == (LOGO_BOX[0], 160)


def test_text_chunks_and_other_metadata_of_the_upload_are_not_carried_over():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    png, _, _ = redrawn_logo(image_file("PNG", pnginfo=info))
    assert b"<script>" not in png and b"Comment" not in png
    assert Image.open(io.BytesIO(png)).info.get("Comment") is None


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


@pytest.mark.parametrize("data, code", [
    (b"", "empty"),
    (SVG, "not_an_image"),
    (b"GIF89a" + image_file("GIF")[6:], "not_an_image"),  # a real GIF: not among the formats taken
    (b"%PDF-1.7\n", "not_an_image"),
    (image_file("PNG")[:60], "not_an_image"),  # a truncated PNG
    (b"\x89PNG" + b"\0" * (LOGO_MAX_BYTES + 1), "too_big"),
])
def test_anything_else_is_refused_with_its_reason(data, code):
    with pytest.raises(BrandRefused) as refused:
        redrawn_logo(data)
    assert refused.value.field == "logo" and refused.value.code == code


def test_a_decompression_bomb_is_refused_before_it_is_drawn():
    """A PNG that says it is 20,000 × 20,000 pixels: a few kilobytes on the wire, gigabytes once decoded."""
    def chunk(kind, body):
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")
    header = (20000).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    bomb = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 50000))
            + chunk(b"IEND", b""))
    with pytest.raises(BrandRefused) as refused:
        redrawn_logo(bomb)
    assert refused.value.code in {"too_many_pixels", "not_an_image"}


def test_contrast_follows_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_an_accent_colour_must_stay_readable_against_the_page():
    assert checked_accent(" #1F6F5C ") == "#1f6f5c"
    with pytest.raises(BrandRefused) as light:
        checked_accent("#ffcc00")
    assert light.value.code == "low_contrast" and light.value.values["ratio"] == 1.3
    for bad in ("red", "#12345", "#1234567", "#gggggg", 12, None):
        with pytest.raises(BrandRefused) as refused:
            checked_accent(bad)
        assert refused.value.code == "not_a_colour"


def test_a_change_is_stored_and_audited_and_a_new_logo_has_a_new_name(store, clock, monkeypatch):
    site = demo_site(store, clock, monkeypatch)
    maria = Principal("manager", site["manager"]["id"], "Maria", 1, site["site"])
    brand = Brand(store, clock)
    assert brand.of_site(1) == {"logo": None, "accent": None}
    first = brand.set_logo(maria, image_file("PNG"))["logo"]
    second = brand.set_logo(maria, image_file("PNG", colour=(120, 20, 60, 255)))["logo"]
    assert first["hash"] != second["hash"]
    assert brand.logo(1, first["hash"]) is None and brand.logo(1, second["hash"]).startswith(b"\x89PNG")
    assert brand.set_accent(maria, "#7a1f5c")["accent"] == "#7a1f5c"
    assert brand.set_accent(maria, None)["accent"] is None
    assert brand.remove_logo(maria)["logo"] is None
    actions = [entry["action"] for entry in store.audit_entries(1)]
    assert actions[:5] == ["brand.logo_removed", "brand.accent_changed", "brand.accent_changed",
                           "brand.logo_changed", "brand.logo_changed"]
