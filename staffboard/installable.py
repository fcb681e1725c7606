"""The board as an installable web app: its manifest and its service worker.

The service worker (templates/board_sw.js) keeps the board's files in a cache named after
`asset_version()`, a digest of every file the browser gets (static/, the worker itself)
and the package's version: a new release is a new worker and a new cache, and the old
cache is deleted when the new worker takes over. It fetches network-first, keeping copies
only for when the server cannot be reached, so a reachable server always serves the
current board; /api/ and /socket.io/ are never cached. It also shows Web Push
notifications and sends their "I've seen it" (kiosk/domain/push/).
"""

from __future__ import annotations

import functools
import hashlib
import os
from importlib import metadata
from pathlib import Path

CACHE_PREFIX = "gastgeber-board-"
TEMPLATE = Path(__file__).parent / "templates" / "board_sw.js"
VERSION_OVERRIDE = "GASTGEBER_ASSET_VERSION"  # tests: play a second release without changing a file
# What an installed board needs to open while the server is away: its page's files and icons.
BOARD_FILES = ("css/app.css", "favicon.svg", "icons/board-192.png", "icons/board-512.png", "vendor/socket.io.min.js")
BOARD_ENTRY = "js/board/main.js"
ICONS = (
    {"src": "icons/board-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "icons/board-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {"src": "icons/board-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
)


@functools.cache
def _digest(static_folder: str) -> str:
    digest = hashlib.sha256(_package_version().encode())
    for path in sorted([*Path(static_folder).rglob("*"), TEMPLATE]):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def asset_version(static_folder: str) -> str:
    return os.environ.get(VERSION_OVERRIDE) or _digest(static_folder)


def _package_version() -> str:
    try:
        return metadata.version("gastgeber")
    except metadata.PackageNotFoundError:
        return "0"


def precache(static_folder: str, asset_url, asset_needs) -> list[str]:
    """The URLs the worker caches when it installs: the board's files and its JavaScript: the
    built entry and its chunks (kiosk/web/assets/), or, without a build, every plain module."""
    built = asset_needs(BOARD_ENTRY)
    if built:
        return [asset_url(name) for name in (*BOARD_FILES, BOARD_ENTRY)] + built
    modules = sorted(p.relative_to(static_folder).as_posix()
                     for folder in ("js/board", "js/common") for p in (Path(static_folder) / folder).glob("*.js"))
    return [asset_url(name) for name in (*BOARD_FILES, *modules)]


def manifest(name: str, description: str, language: str, asset_url) -> dict:
    return {"name": name, "short_name": "Gastgeber", "description": description, "lang": language,
            "id": "/board", "start_url": "/board", "scope": "/board", "display": "standalone",
            "background_color": "#ffffff", "theme_color": "#1f6f5c",
            "icons": [{**icon, "src": asset_url(icon["src"])} for icon in ICONS]}
