"""The board's pages: PIN sign-in, names shown as text, sign-out."""

from kiosk.domain.people import add_person
from tests.support.forms import form_post


def test_the_board_asks_for_a_sign_in_first(client):
    response = client.get("/board")
    assert response.status_code == 302 and response.headers["Location"].endswith("/board/login")


def test_host_names_on_the_sign_in_page_are_text_not_markup(app, client, clock, demo, monkeypatch):
    add_person(app.extensions["gastgeber"].store, clock, "host", '<img src=x onerror="alert(1)">')
    form_post(client, "/board/site", {"site": "main"}, page="/board/login")
    page = client.get("/board/login").get_data(as_text=True)
    assert "Anna" in page and "Ben" in page and "Clara" in page
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_sign_in_with_the_right_pin_opens_the_board_and_sign_out_closes_it(client, demo):
    anna = demo["hosts"][0]
    assert form_post(client, "/board/login", {"host_id": anna["id"], "pin": "999999"}).status_code == 401
    assert form_post(client, "/board/login", {"host_id": "1" * 40, "pin": anna["pin"]}).status_code == 401
    assert form_post(client, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]}).status_code == 303
    page = client.get("/board")
    assert page.status_code == 200 and "Anna" in page.get_data(as_text=True)
    form_post(client, "/board/logout", page="/board")
    assert client.get("/board").status_code == 302


def test_wrong_pins_lock_the_host_out_for_a_while_with_a_clear_message(client, demo, clock):
    anna, ben = demo["hosts"][0], demo["hosts"][1]
    for _ in range(5):
        assert form_post(client, "/board/login", {"host_id": anna["id"], "pin": "000000"}).status_code == 401
    locked = form_post(client, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]})
    assert locked.status_code == 429 and "Bitte warten Sie 15 Minute(n)" in locked.get_data(as_text=True)
    assert int(locked.headers["Retry-After"]) == 15 * 60
    assert form_post(client, "/board/login", {"host_id": ben["id"], "pin": ben["pin"]}).status_code == 303
    clock.advance(15 * 60)
    assert form_post(client, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]}).status_code == 303


def test_one_address_guessing_across_hosts_is_locked_out_too(client, demo):
    anna = demo["hosts"][0]
    for guess in range(20):
        assert form_post(client, "/board/login", {"host_id": str(900 + guess), "pin": "000000"}).status_code == 401
    assert form_post(client, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]}).status_code == 429


def test_a_right_pin_clears_the_hosts_count(client, demo):
    anna = demo["hosts"][0]
    for _ in range(4):
        form_post(client, "/board/login", {"host_id": anna["id"], "pin": "000000"})
    assert form_post(client, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]}).status_code == 303
    for _ in range(4):
        assert form_post(client, "/board/login", {"host_id": anna["id"], "pin": "000000"}).status_code == 401


def test_a_form_post_without_its_csrf_token_is_refused(client, demo):
    anna = demo["hosts"][0]
    forged = client.post("/board/login", data={"host_id": anna["id"], "pin": anna["pin"]},
                         headers={"Accept-Language": "en"})
    assert forged.status_code == 400 and "Please try again" in forged.get_data(as_text=True)
    assert client.get("/board").status_code == 302
    assert client.post("/kiosk/setup", data={"token": demo["kiosk"]["token"]}).status_code == 400


def test_a_board_sign_in_expires_after_session_hours(client, demo, monkeypatch):
    import itsdangerous.timed

    anna = demo["hosts"][0]
    assert form_post(client, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]}).status_code == 303
    assert client.get("/board").status_code == 200
    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() + 12 * 3600 + 1)
    assert client.get("/board").status_code == 302  # signed out: the cookie's signature is too old


def test_the_reach_panel_speaks_the_boards_language(client, demo):
    """"How should we reach you?" and the drill's texts come from the catalogues (de, en, tr)."""
    anna = demo["hosts"][0]
    form_post(client, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]})
    for language, title, button, problem in (
            ("de", "Wie erreichen wir Sie?", "Meinen Alarm testen", "Ton blockiert"),
            ("en", "How should we reach you?", "Test my alert", "sound blocked"),
            ("tr", "Size nasıl ulaşalım?", "Uyarımı test et", "ses engellendi")):
        page = client.get(f"/board?lang={language}").get_data(as_text=True)
        assert title in page and button in page and problem in page, language
        assert "mailtos://" in page and "@smtp.example.org?to=" in page  # the example, in the reader's words


def test_a_hosts_own_language_wins_over_the_browsers_and_stays_with_them(app, client, demo):
    """Anna chooses Arabic on her board: it speaks Arabic right to left whatever the browser asks for,
    in her next sign-in too (another browser), and empty gives her the browser's language back."""
    anna = demo["hosts"][0]
    form_post(client, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]})
    chosen = form_post(client, "/board/language", {"language": "ar"}, page="/board")
    assert chosen.status_code == 303 and chosen.headers["Location"].endswith("/board")
    page = client.get("/board", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page and "كيف نصل إليك؟" in page
    assert '<option value="ar" lang="ar" selected>العربية</option>' in page
    assert client.get("/board?lang=tr").get_data(as_text=True).count('lang="ar" dir="rtl"') == 1
    elsewhere = app.test_client()
    form_post(elsewhere, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]})
    again = elsewhere.get("/board", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in again
    form_post(elsewhere, "/board/language", {"language": ""}, page="/board")
    assert '<html lang="en" dir="ltr">' in elsewhere.get("/board", headers={"Accept-Language": "en"}).get_data(
        as_text=True)


def test_a_language_without_a_catalogue_is_refused_and_nothing_changes(client, demo):
    anna = demo["hosts"][0]
    form_post(client, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]})
    refused = form_post(client, "/board/language", {"language": "xx"}, page="/board")
    assert refused.status_code == 400
    assert '<html lang="en"' in client.get("/board", headers={"Accept-Language": "en"}).get_data(as_text=True)
