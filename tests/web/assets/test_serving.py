"""The browser's files as the server hands them out (kiosk/web/assets/).

Built (tools/build_assets.mjs, here into a folder of the run's own): pages link content-named
files under /assets/, kept a year and immutable, sent as Brotli or gzip as the browser accepts
(the same bytes once decompressed), Vary: Accept-Encoding; a name that was not built is a 404.
Not built, or built from older sources: the plain files under /static/ and /vendor/.
"""

from __future__ import annotations

import gzip
import json
import shutil

import brotli
import pytest

from kiosk.app import create_app
from tests.support.assets import HASHED_URL, page_assets
from tests.support.forms import form_post

IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
def tablet(app, demo):
    browser = app.test_client()
    assert form_post(browser, "/kiosk/setup", {"token": demo["kiosk"]["token"]}).status_code == 303
    return browser


def fetched(client, url: str, accept: str | None = None):
    """The answer, its body read and its file closed."""
    headers = {"Accept-Encoding": accept} if accept is not None else {}
    with client.get(url, headers=headers) as answer:
        answer.get_data()
    return answer


def test_the_kiosk_page_links_only_built_content_named_files(tablet, built_folder):
    links = page_assets(tablet.get("/kiosk").get_data(as_text=True))
    manifest = json.loads((built_folder / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    assert {f"/assets/{files[name]}" for name in ("css/app.css", "js/kiosk/main.js", "vendor/socket.io.min.js",
                                                   "favicon.svg")} <= set(links)
    assert links and all(HASHED_URL.fullmatch(url) for url in links), links


@pytest.mark.parametrize("name", ["js/kiosk/main.js", "css/app.css", "vendor/socket.io.min.js", "favicon.svg"])
def test_a_built_file_comes_compressed_as_asked_and_is_the_same_file(client, built_folder, name):
    built = json.loads((built_folder / "manifest.json").read_text(encoding="utf-8"))["files"][name]
    url = f"/assets/{built}"
    plain = (built_folder / built).read_bytes()
    answers = {accept: fetched(client, url, accept) for accept in ("br, gzip", "gzip, deflate", None, "identity",
                                                                     "br;q=0, gzip")}
    for accept, answer in answers.items():
        assert answer.status_code == 200, accept
        assert answer.headers["Cache-Control"] == IMMUTABLE, accept
        assert answer.headers["Vary"] == "Accept-Encoding", accept
    assert answers["br, gzip"].headers["Content-Encoding"] == "br"
    assert brotli.decompress(answers["br, gzip"].data) == plain
    for accept in ("gzip, deflate", "br;q=0, gzip"):
        assert answers[accept].headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(answers[accept].data) == plain
    for accept in (None, "identity"):
        assert "Content-Encoding" not in answers[accept].headers
        assert answers[accept].data == plain
    assert len(answers["br, gzip"].data) < len(answers["gzip, deflate"].data) < len(plain)
    assert answers[None].mimetype == {"js": "text/javascript", "css": "text/css", "svg": "image/svg+xml"}[
        name.rsplit(".", 1)[1]]


def test_an_image_is_sent_as_it_is(client, built_folder):
    built = json.loads((built_folder / "manifest.json").read_text(encoding="utf-8"))["files"]["icons/board-192.png"]
    answer = fetched(client, f"/assets/{built}", "br, gzip")
    assert answer.status_code == 200 and answer.mimetype == "image/png" and "Content-Encoding" not in answer.headers
    assert answer.headers["Cache-Control"] == IMMUTABLE and answer.data == (built_folder / built).read_bytes()


@pytest.mark.parametrize("path", ["/assets/js/kiosk/main.js", "/assets/js/kiosk/main-AAAAAAAA.js",
                                  "/assets/manifest.json", "/assets/css/app.css", "/assets/../pyproject.toml",
                                  "/assets/%2e%2e/pyproject.toml"])
def test_a_file_that_was_not_built_is_not_found(client, built_folder, path):
    assert fetched(client, path, "br").status_code == 404


def test_the_board_loads_its_chunks_early_and_its_worker_caches_the_built_files(app, client, demo, built_folder):
    manifest = json.loads((built_folder / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["files"]["js/board/main.js"]
    chunks = manifest["needs"][entry]
    assert chunks  # the board's start.js and push.js come by import()
    form_post(client, "/board/login", {"host_id": demo["hosts"][0]["id"], "pin": demo["hosts"][0]["pin"]})
    page = client.get("/board").get_data(as_text=True)
    for chunk in chunks:
        assert f'<link rel="modulepreload" href="/assets/{chunk}">' in page
    worker = client.get("/board/sw.js").get_data(as_text=True)
    precache = json.loads(worker.split("var PRECACHE = ", 1)[1].split(";\n", 1)[0])
    assert {f"/assets/{name}" for name in [entry, *chunks, manifest["files"]["css/app.css"]]} <= set(precache)
    assert all(HASHED_URL.fullmatch(url) for url in precache), precache
    for url in precache:
        assert fetched(client, url).status_code == 200, url


def test_without_a_build_the_plain_files_are_served(plain_app):
    client = plain_app.test_client()
    links = page_assets(client.get("/kiosk/setup").get_data(as_text=True))
    assert "/static/css/app.css" in links and "/static/js/kiosk/pair.js" in links
    assert not [url for url in links if url.startswith("/assets/")]
    assert fetched(client, "/static/js/kiosk/pair.js").status_code == 200
    assert fetched(client, "/assets/js/kiosk/pair.js").status_code == 404


def test_a_build_older_than_the_sources_is_not_used(db_path, clock, tmp_path, built_folder, caplog):
    stale = tmp_path / "stale"
    shutil.copytree(built_folder, stale)
    manifest = json.loads((stale / "manifest.json").read_text(encoding="utf-8"))
    manifest["sources"] = "0" * 64  # built from other sources than static/ holds now
    (stale / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    app = create_app({"db": str(db_path), "clock": clock, "async_mode": "threading", "assets_dir": str(stale)})
    try:
        links = page_assets(app.test_client().get("/kiosk/setup").get_data(as_text=True))
        assert "/static/js/kiosk/pair.js" in links
        assert "make assets" in caplog.text
    finally:
        app.extensions["gastgeber"].store.close()
