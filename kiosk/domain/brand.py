"""The shop's own face: its logo and accent colour on the kiosk, the status page and the board.

A logo is uploaded by a manager as PNG, JPEG or WebP (nothing else: an SVG can carry
script, a TIFF or a PDF a reader's exploit), at most LOGO_MAX_BYTES and LOGO_MAX_PIXELS.
It is decoded by Pillow and drawn again into a fresh PNG of at most LOGO_BOX pixels, so
what the server hands out is only pixels it made itself: no metadata, no embedded
profile, nothing a browser could run. The accent colour replaces the brand colour of
buttons and links; it must keep WCAG's 4.5:1 contrast against white text on a button and
against the page's backgrounds, so the accessibility audit stays at zero.

Plain Python: a store, a clock and Pillow.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from kiosk.clock import to_iso
from kiosk.domain import audit
from kiosk.domain.errors import Invalid

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 24_000_000  # a 6000 × 4000 photo; larger is refused before it is decoded
LOGO_BOX = (640, 240)  # the largest logo drawn: wide and low, as a header shows it
LOGO_FORMATS = ("PNG", "JPEG", "WEBP")
ACCENT = re.compile(r"#[0-9a-fA-F]{6}")
# What an accent colour must stand out from: white button text, the cards, the page's background.
BACKGROUNDS = ("#ffffff", "#f6f4ef")
MIN_CONTRAST = 4.5


class BrandRefused(Invalid):
    """A logo or colour this site cannot use: `code` names the reason for the page's catalogue
    (`brand.error_<code>`), `values` fill its placeholders."""

    def __init__(self, field: str, code: str, message: str, **values):
        super().__init__(message, field)
        self.code = code
        self.values = values


def redrawn_logo(data: bytes) -> tuple[bytes, int, int]:
    """The uploaded file as a fresh PNG of at most LOGO_BOX (width, height kept in proportion)."""
    if not data:
        raise BrandRefused("logo", "empty", "the file is empty")
    if len(data) > LOGO_MAX_BYTES:
        raise BrandRefused("logo", "too_big", f"the file is larger than {LOGO_MAX_BYTES // (1024 * 1024)} MB",
                           megabytes=LOGO_MAX_BYTES // (1024 * 1024))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=LOGO_FORMATS)
            if image.width * image.height > LOGO_MAX_PIXELS:
                raise BrandRefused("logo", "too_many_pixels", f"the image has more than {LOGO_MAX_PIXELS:,} pixels")
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError, OSError,
            ValueError, SyntaxError):
        raise BrandRefused("logo", "not_an_image", "the file is not a PNG, JPEG or WebP image") from None
    image = ImageOps.exif_transpose(image).convert("RGBA")
    image.thumbnail(LOGO_BOX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue(), image.width, image.height


def _luminance(colour: str) -> float:
    """WCAG 2's relative luminance of #rrggbb."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(one: str, other: str) -> float:
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def checked_accent(value) -> str:
    """`value` as a lower-case #rrggbb that keeps MIN_CONTRAST against every background."""
    if not isinstance(value, str) or not ACCENT.fullmatch(value.strip()):
        raise BrandRefused("accent", "not_a_colour", "the colour must be written as #rrggbb, e.g. #1f6f5c")
    colour = value.strip().lower()
    worst = min(contrast_ratio(colour, background) for background in BACKGROUNDS)
    if worst < MIN_CONTRAST:
        ratio = math.floor(worst * 10) / 10  # never shown as enough when it is not: 4.46 is "4.4"
        raise BrandRefused("accent", "low_contrast",
                           f"the colour is too light: {ratio}:1 against the page, at least 4.5:1 is needed",
                           ratio=ratio)
    return colour


def theme_css(accent: str) -> str:
    """The style sheet that lays the accent over app.css's brand colours."""
    return (f":root {{ --brand: {accent}; --brand-soft: color-mix(in srgb, {accent} 12%, #ffffff); }}\n")


class Brand:
    """Each site's logo and accent colour; every change is audited."""

    def __init__(self, store, clock):
        self.store = store
        self.clock = clock

    def of_site(self, site_id: int) -> dict:
        """{"logo": {"hash", "width", "height"} | None, "accent": "#rrggbb" | None}."""
        row = self.store.site_brand(site_id) or {}
        logo = ({"hash": row["logo_hash"], "width": row["logo_width"], "height": row["logo_height"]}
                if row.get("logo_hash") else None)
        return {"logo": logo, "accent": row.get("accent")}

    def logo(self, site_id: int, logo_hash: str) -> bytes | None:
        """The PNG of the site's logo if `logo_hash` is its current one."""
        return self.store.site_logo(site_id, logo_hash)

    def set_logo(self, principal, data: bytes) -> dict:
        png, width, height = redrawn_logo(data)
        logo_hash = hashlib.sha256(png).hexdigest()[:16]
        self.store.put_site_logo(principal.site_id, png, logo_hash, width, height, to_iso(self.clock.now()),
                                 [audit.entry(self.clock, principal, "brand.logo_changed",
                                              details={"width": width, "height": height, "bytes": len(png)})])
        return self.of_site(principal.site_id)

    def remove_logo(self, principal) -> dict:
        self.store.put_site_logo(principal.site_id, None, None, None, None, to_iso(self.clock.now()),
                                 [audit.entry(self.clock, principal, "brand.logo_removed")])
        return self.of_site(principal.site_id)

    def set_accent(self, principal, value) -> dict:
        """A new accent colour, or None for the product's own."""
        accent = None if value in (None, "") else checked_accent(value)
        self.store.put_site_accent(principal.site_id, accent, to_iso(self.clock.now()),
                                   [audit.entry(self.clock, principal, "brand.accent_changed",
                                                details={"accent": accent})])
        return self.of_site(principal.site_id)
