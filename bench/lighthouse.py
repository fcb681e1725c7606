"""Lighthouse scores (performance, accessibility, best practices) and bytes transferred for the
kiosk, the board and the stats page of a running server, each signed in as its person would be.

    .venv/bin/gastgeber init --demo --db /tmp/lh.db --json > /tmp/lh-demo.json
    .venv/bin/gastgeber serve --db /tmp/lh.db --port 5791 &
    .venv/bin/python bench/lighthouse.py http://127.0.0.1:5791 /tmp/lh-demo.json

Lighthouse 12.8.2 runs through npx (the newest release that runs on Debian's Node 20; it is a
measuring tool, not a dependency of the product) with Debian's Chromium. Serve with
GASTGEBER_ASSETS_DIR pointing at an empty folder to measure the plain files beside the build.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

LIGHTHOUSE = "lighthouse@12.8.2"
CATEGORIES = "performance,accessibility,best-practices"


def csrf(browser: requests.Session, url: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', browser.get(url).text).group(1)


def signed_in(base: str, path: str, form: dict) -> requests.Session:
    browser = requests.Session()
    answer = browser.post(base + path, data={**form, "csrf_token": csrf(browser, base + path)}, allow_redirects=False)
    assert answer.status_code == 303, f"{path}: {answer.status_code}"
    return browser


def measure(url: str, browser: requests.Session) -> dict:
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(["npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={report.name}",
                        f"--only-categories={CATEGORIES}", "--chrome-flags=--headless=new --no-sandbox",
                        f"--extra-headers={json.dumps({'Cookie': cookie})}"],
                       env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True, timeout=300)
        found = json.loads(Path(report.name).read_text())
    return {"scores": {name: round(category["score"] * 100) for name, category in found["categories"].items()},
            "bytes": int(found["audits"]["total-byte-weight"]["numericValue"])}


def main(base: str, demo_file: str) -> None:
    demo = json.loads(Path(demo_file).read_text())["demo"]
    host = demo["hosts"][0]
    people = {
        "kiosk": ("/kiosk", signed_in(base, "/kiosk/setup", {"token": demo["kiosk"]["token"]})),
        "board": ("/board", signed_in(base, "/board/login", {"host_id": host["id"], "pin": host["pin"]})),
        "stats": ("/stats", signed_in(base, "/stats/login", {"token": demo["manager"]["token"]})),
    }
    print("| page | performance | accessibility | best practices | bytes |\n|---|---|---|---|---|")
    for page, (path, browser) in people.items():
        result = measure(base + path, browser)
        scores = result["scores"]
        print(f"| {page} | {scores['performance']} | {scores['accessibility']} | {scores['best-practices']} "
              f"| {result['bytes']:,} |")


if __name__ == "__main__":
    main(*sys.argv[1:3])
