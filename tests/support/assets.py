"""The browser's files built as `make assets` builds them (tools/build_assets.mjs), into a folder
of the test's own, and the built page's asset URLs."""

from __future__ import annotations

import json
import re
import subprocess  # nosec B404: runs the project's own build script
from pathlib import Path

from tests.support.paths import ROOT

BUILD_SCRIPT = ROOT / "tools" / "build_assets.mjs"
# /assets/js/kiosk/main-R43IBVC5.js, /assets/vendor/socket.io.min-b9eb7c1fd543.js, …
HASHED_URL = re.compile(r"/assets/[\w/.-]+-[A-Za-z0-9]{8,12}\.(?:js|css|svg|png)")


def build_assets(folder: Path) -> dict:
    """Build into `folder`; the manifest."""
    subprocess.run(["node", str(BUILD_SCRIPT), "--out", str(folder)], check=True, cwd=ROOT,  # nosec B603 B607
                   capture_output=True, timeout=120)
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def page_assets(page: str) -> list[str]:
    """The URLs of every script, style sheet and icon a page links."""
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/(?:assets|static|vendor)/[^"]+)"', page)
