"""The browser's files: built, named by content and pre-compressed where `make assets` ran,
the plain files where it did not (a checkout straight from git, while developing).

Templates refer to every file through `asset("js/kiosk/main.js")`, a Jinja global, which
gives its URL:

    /assets/js/kiosk/main-R43IBVC5.js   built (dist/): kept by browsers for a year, immutable,
                                        sent as Brotli or gzip as the browser accepts
    /static/js/kiosk/main.js            plain (static/), the modules as they are in git
    /vendor/socket.io.min.js            plain, a browser library from node_modules

A new release changes the name of every file that changed, so a year's cache is never stale.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, request, send_file, send_from_directory, url_for

from kiosk.web.assets.manifest import ENCODED_SUFFIXES, Built, load

assets = Blueprint("assets", __name__)
ROOT = Path(__file__).resolve().parents[3]
BUILT_FOLDER = ROOT / "dist"
FOLDER_VARIABLE = "GASTGEBER_ASSETS_DIR"  # where the build is, if not dist/ (a deployment's, a benchmark's)
IMMUTABLE = "public, max-age=31536000, immutable"
PLAIN_MAX_AGE = 3600
# Browser libraries from the pinned npm install (package-lock.json), by logical name "vendor/<name>".
VENDOR_FILES = {
    "socket.io.min.js": "socket.io-client/dist/socket.io.min.js",
    "socket.io.min.js.map": "socket.io-client/dist/socket.io.min.js.map",
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    "chart.umd.min.js.map": "chart.js/dist/chart.umd.min.js.map",
}
BUILT_VENDOR = ("socket.io.min.js", "chart.umd.min.js")  # the maps are not shipped in dist/
VENDOR_PREFIX = "vendor/"
EXTENSION = "gastgeber.assets"


def built() -> Built | None:
    return current_app.extensions[EXTENSION]


def asset_url(name: str) -> str:
    """The URL of the file with logical name `name` (its path under static/, or "vendor/…");
    an unknown name is a KeyError, so a template cannot link a file that is not there."""
    made = built()
    if made is not None:
        return url_for("assets.built_file", name=made.name(name))
    if name.startswith(VENDOR_PREFIX):
        filename = name.removeprefix(VENDOR_PREFIX)
        if filename not in VENDOR_FILES:
            raise KeyError(name)
        return url_for("assets.vendor", filename=filename)
    if not (Path(current_app.static_folder) / name).is_file():
        raise KeyError(name)
    return url_for("static", filename=name)


def asset_needs(name: str) -> list[str]:
    """The URLs of the files the module `name` imports (none for the plain files: the browser
    finds each module's imports as it goes)."""
    made = built()
    if made is None:
        return []
    return [url_for("assets.built_file", name=needed) for needed in made.needs.get(made.name(name), [])]


def _accepted(encodings: frozenset[str]) -> str | None:
    """The best pre-compressed copy this browser accepts: Brotli, then gzip, then none."""
    for encoding in ENCODED_SUFFIXES:
        if encoding in encodings and request.accept_encodings.quality(encoding) > 0:
            return encoding
    return None


@assets.get("/assets/<path:name>")
def built_file(name: str):
    made = built()
    if made is None or name not in made.served:
        abort(404)
    encoding = _accepted(made.encodings[name])
    path = made.folder / (name + ENCODED_SUFFIXES[encoding] if encoding else name)
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = send_file(path, mimetype=mimetype, conditional=True, download_name=Path(name).name)
    response.headers["Cache-Control"] = IMMUTABLE
    response.headers["Vary"] = "Accept-Encoding"
    if encoding:
        response.headers["Content-Encoding"] = encoding
    return response


@assets.get("/vendor/<path:filename>")
def vendor(filename: str):
    if filename not in VENDOR_FILES:
        abort(404)
    return send_from_directory(ROOT / "node_modules", VENDOR_FILES[filename], max_age=PLAIN_MAX_AGE)


def init_app(app: Flask, folder: Path | None = None) -> None:
    """Serve the build in `folder` (GASTGEBER_ASSETS_DIR, else dist/) where it is current, else
    the plain files."""
    folder = folder or os.environ.get(FOLDER_VARIABLE) or BUILT_FOLDER
    vendor_sources = {VENDOR_PREFIX + name: ROOT / "node_modules" / VENDOR_FILES[name] for name in BUILT_VENDOR}
    app.extensions[EXTENSION] = load(Path(folder), Path(app.static_folder), vendor_sources)
    app.register_blueprint(assets)
    app.jinja_env.globals.update(asset=asset_url, asset_needs=asset_needs)
