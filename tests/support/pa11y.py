"""pa11y (npm, pinned in package-lock.json) with its HTML_CodeSniffer runner, in Debian's
Chromium through puppeteer's launch options (tests/support/pa11y_audit.mjs).

Each page is audited as the person sees it: their session's cookies, their language, and
pa11y's actions ("click element …", "wait for element … to be visible") to reach a state.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404: runs the project's own audit script
from collections import Counter
from pathlib import Path

from tests.support.paths import ROOT

RUNNER = ROOT / "tests" / "support" / "pa11y_audit.mjs"
# A page with what WCAG 2 AA forbids (no language, no title, an image without a text): pa11y
# must find something there, or an empty finding elsewhere proves nothing.
FLAWED_PAGE = "<html><body><img src='x.png'><a href='#'></a></body></html>"


def page(name: str, url: str, *, cookies: list[dict] = (), actions: list[str] = (), locale: str = "en",
         viewport: dict | None = None, ignore: list[str] = ()) -> dict:
    """One page to audit; `cookies` as Playwright's context.cookies() gives them; `ignore`: pa11y
    codes that are HTML_CodeSniffer's mistake on this page (say why where it is used)."""
    return {"name": name, "url": url, "locale": locale, "actions": list(actions), "ignore": list(ignore),
            "viewport": viewport or {"width": 1280, "height": 900},
            "cookies": [{"name": c["name"], "value": c["value"], "url": url.split("/", 3)[0] + "//" +
                         url.split("/", 3)[2]} for c in cookies]}


def pa11y_issues(pages: list[dict], folder: Path) -> dict[str, list[dict]]:
    """Every page's issues (pa11y's errors), by name; prints the count per page. `folder`: where
    the flawed page is written."""
    (folder / "flawed.html").write_text(FLAWED_PAGE, encoding="utf-8")
    flawed = {"name": "(flawed page)", "url": (folder / "flawed.html").as_uri(), "cookies": [], "actions": []}
    answer = subprocess.run(["node", str(RUNNER)], input=json.dumps([flawed, *pages]), capture_output=True,  # nosec
                            text=True, cwd=ROOT, timeout=600, check=False)
    assert answer.returncode == 0, answer.stderr
    found = json.loads(answer.stdout)
    assert found.pop(flawed["name"]), "pa11y found nothing on a page made to fail it"
    for name, issues in found.items():
        codes = Counter(issue["code"].split(".")[-2] if "." in issue["code"] else issue["code"] for issue in issues)
        print(f"pa11y {name:<28} issues={len(issues)}" + (f"  {dict(codes)}" if issues else ""))
    return found
