"""The kiosk opens while the server is away (the worker's header in templates/kiosk_sw.js says how).

The worker keeps the kiosk page's own files (their built, content-named URLs where `make
assets` ran) and every language's catalogue; its cache is named after that list and the
worker's own text, so a release that changes any of them is a new cache.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import render_template, url_for

from kiosk.web import i18n
from kiosk.web.assets import asset_needs, asset_url
from kiosk.web.door import door

CACHE_PREFIX = "gastgeber-kiosk-"
WORKER = Path(__file__).parent / "templates" / "kiosk_sw.js"
KIOSK_FILES = ("css/app.css", "favicon.svg", "vendor/socket.io.min.js", "js/kiosk/main.js")


def precache() -> list[str]:
    files = [asset_url(name) for name in KIOSK_FILES] + asset_needs("js/kiosk/main.js")
    return files + [url_for("catalogue_json", language=language) for language in i18n.available_languages()]


@door.get("/kiosk/sw.js")
def service_worker():
    """The kiosk's service worker; it may control /kiosk itself (not only /kiosk/…)."""
    listed = precache()
    version = hashlib.sha256(json.dumps(listed).encode() + WORKER.read_bytes()).hexdigest()[:16]
    script = render_template("kiosk_sw.js", precache=listed, cache_prefix=CACHE_PREFIX, version=version)
    return script, 200, {"Content-Type": "text/javascript; charset=utf-8", "Service-Worker-Allowed": "/kiosk"}
