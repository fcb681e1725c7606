"""/admin/brand: a manager gives the kiosk, the status page and the board the shop's logo and colour."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from kiosk.domain.people import add_person
from tests.support.forms import csrf_token, form_post, manager_session, token_session


def png(size=(300, 120), colour=(122, 31, 92)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def manager(app, demo):
    return manager_session(app.test_client(), demo["manager"]["token"])


def board_of(app, host):
    browser = app.test_client()
    assert form_post(browser, "/board/login", {"host_id": host["id"], "pin": host["pin"]}).status_code == 303
    return browser


def upload(browser, data: bytes, filename="logo.png", **kwargs):
    return form_post(browser, "/admin/brand/logo", {"logo": (io.BytesIO(data), filename)}, page="/admin/brand",
                     content_type="multipart/form-data", **kwargs)


def logo_url(page: str) -> str:
    return re.search(r'class="shop-logo"[^>]*src="([^"]+)"|src="([^"]+)"[^>]*class="shop-logo"', page).group(1)


def test_an_uploaded_logo_shows_on_the_kiosk_the_status_page_and_the_board(app, manager, demo, api):
    answer = upload(manager, png())
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/admin/brand?done=logo")
    page = manager.get(answer.headers["Location"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The new logo is in place" in page
    url = re.search(r'id="logo-preview" src="([^"]+)"', page).group(1)
    assert re.fullmatch(r"/brand/1/logo-[0-9a-f]{16}\.png", url)

    tablet = token_session(app.test_client(), "kiosk", demo["kiosk"]["token"])
    assert f'src="{url}"' in tablet.get("/kiosk").get_data(as_text=True)
    assert f'src="{url}"' in board_of(app, demo["hosts"][0]).get("/board").get_data(as_text=True)
    visit = api.check_in(demo["kiosk"]["token"]).get_json()["visit"]
    assert f'src="{url}"' in app.test_client().get(visit["status_url"]).get_data(as_text=True)

    served = app.test_client().get(url)
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(served.data)).size == (300, 120)


def test_without_a_logo_the_kiosk_names_the_shop(app, demo):
    tablet = token_session(app.test_client(), "kiosk", demo["kiosk"]["token"])
    page = tablet.get("/kiosk").get_data(as_text=True)
    assert re.search(r'<span class="shop-name">[^<]+</span>', page) and "shop-logo" not in page


def test_a_replaced_logo_gets_a_new_address_and_the_old_one_is_gone(manager, client):
    upload(manager, png())
    first = re.search(r'id="logo-preview" src="([^"]+)"', manager.get("/admin/brand").get_data(as_text=True)).group(1)
    upload(manager, png(colour=(20, 60, 120)))
    second = re.search(r'id="logo-preview" src="([^"]+)"', manager.get("/admin/brand").get_data(as_text=True)).group(1)
    assert first != second and client.get(first).status_code == 404 and client.get(second).status_code == 200
    removed = form_post(manager, "/admin/brand/logo/remove", page="/admin/brand")
    assert removed.status_code == 303 and client.get(second).status_code == 404


@pytest.mark.parametrize("data, filename, german", [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg",
     "kein PNG-, JPEG- oder WebP-Bild"),
    (b"just text", "logo.png", "kein PNG-, JPEG- oder WebP-Bild"),
    (b"", "logo.png", "wählen Sie zuerst eine Datei"),
])
def test_a_file_that_is_not_a_picture_is_refused_next_to_the_field_in_the_readers_language(manager, data, filename,
                                                                                           german):
    answer = upload(manager, data, filename, headers={"Accept-Language": "de"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and german in page
    assert 'id="logo-error"' in page and 'aria-invalid="true"' in page
    assert "shop-logo" not in manager.get("/admin/brand").get_data(as_text=True)


def test_a_file_over_the_limit_gets_a_clear_answer_not_a_bare_413(manager):
    """The body is built here: the test client would spool a large one to a file it never closes."""
    token = csrf_token(manager, "/admin/brand")
    body = (f'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            '--b\r\nContent-Disposition: form-data; name="logo"; filename="big.png"\r\n'
            'Content-Type: image/png\r\n\r\n').encode() + b"\0" * (3 * 1024 * 1024) + b"\r\n--b--\r\n"
    answer = manager.post("/admin/brand/logo", data=body, content_type="multipart/form-data; boundary=b",
                          headers={"Accept-Language": "en"})
    assert answer.status_code == 413 and "larger than 2 MB" in answer.get_data(as_text=True)


def test_an_upload_without_the_forms_token_stores_nothing(manager):
    answer = manager.post("/admin/brand/logo", data={"logo": (io.BytesIO(png()), "logo.png")},
                          content_type="multipart/form-data")
    assert answer.status_code == 400
    assert "shop-logo" not in manager.get("/admin/brand").get_data(as_text=True)


def test_only_a_signed_in_manager_changes_the_look(app, demo):
    host = board_of(app, demo["hosts"][0])
    assert host.post("/admin/brand/accent", data={"accent": "#7a1f5c"}).status_code in (302, 303, 400, 403)
    nobody = app.test_client().get("/admin/brand")
    assert nobody.status_code == 302 and "/admin/login" in nobody.headers["Location"]


def test_an_accent_colour_is_laid_over_the_kiosk_and_a_light_one_is_refused(app, manager, demo):
    light = form_post(manager, "/admin/brand/accent", {"accent": "#ffd700"}, page="/admin/brand",
                      headers={"Accept-Language": "de"})
    assert light.status_code == 400 and "zu hell zum Lesen: 1,2:1" in light.get_data(as_text=True)
    saved = form_post(manager, "/admin/brand/accent", {"accent": "#7A1F5C"}, page="/admin/brand")
    assert saved.status_code == 303
    tablet = token_session(app.test_client(), "kiosk", demo["kiosk"]["token"])
    kiosk_page = tablet.get("/kiosk").get_data(as_text=True)
    theme = re.search(r'<link rel="stylesheet" href="(/brand/1/theme-7a1f5c\.css)">', kiosk_page)
    css = app.test_client().get(theme.group(1))
    assert css.mimetype == "text/css" and "--brand: #7a1f5c" in css.get_data(as_text=True)
    assert app.test_client().get("/brand/1/theme-000000.css").status_code == 404  # not this site's colour
    reset = form_post(manager, "/admin/brand/accent", {"reset": "1"}, page="/admin/brand")
    assert reset.status_code == 303 and "theme-" not in tablet.get("/kiosk").get_data(as_text=True)


def test_another_sites_board_does_not_show_this_sites_logo(app, clock, manager):
    upload(manager, png())
    dora = add_person(app.extensions["gastgeber"].store, clock, "host", "Dora Lang", "north")
    board = board_of(app, dora).get("/board").get_data(as_text=True)
    assert "shop-logo" not in board and "/brand/1/" not in board


@pytest.mark.parametrize("path", ["/brand/1/logo-.png", "/brand/1/logo-" + "a" * 500 + ".png", "/brand/0/logo-x.png",
                                  "/brand/1/theme-zzzzzz.css", "/brand/1/theme-%00.css", "/brand/99/theme-123456.css"])
def test_hostile_addresses_are_404_never_500(client, demo, path):
    assert client.get(path).status_code == 404
