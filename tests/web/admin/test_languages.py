"""The owner's pages in the reader's language: a manager's own choice first, else what the
browser asks for (kiosk/web/i18n.py); the domain's refusals said in it too (kiosk/web/refusals.py)."""

import re

from tests.support.forms import form_post, token_session


def visible_text(page: str) -> str:
    """The page's text as a reader sees it: tags and scripts gone, spaces squeezed."""
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def maria(client, demo):
    return token_session(client, "manager", demo["manager"]["token"])


def test_a_manager_who_chose_german_reads_the_team_page_in_german(client, demo):
    """Maria chose German for herself: her team page speaks it although the browser asks for English."""
    maria(client, demo)
    chosen = form_post(client, "/admin/language", {"language": "de", "next": "/admin/team"}, page="/admin/team")
    assert chosen.status_code == 303
    page = client.get("/admin/team", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in page
    for heading in ("Team", "Wer gerade erreichbar ist", "Einen Kanal für einen Gastgeber hinzufügen",
                    "Gastgeber hinzufügen", "Manager"):
        assert re.search(rf"<h[123][^>]*>{heading}</h[123]>", page), heading
    for button in ("Kanal hinzufügen", "Gastgeber hinzufügen", "Manager hinzufügen", "Abmelden", "Bearbeiten"):
        assert re.search(rf"<(button|a) [^>]*>{button}<", page), button
    text = visible_text(page)
    assert "Verfügbar · nicht angemeldet" in text or "Abwesend · nicht angemeldet" in text
    for english in ("Add host", "Who can be reached", "Sign out", "Right now", "not signed in", "Managers run"):
        assert english not in text, english


def test_a_refusal_on_the_team_page_is_said_in_the_readers_language(client, demo):
    """The domain's refusal (a taken name, a URL no channel understands) in German next to the field."""
    maria(client, demo)
    german = {"Accept-Language": "de"}
    taken = form_post(client, "/admin/team", {"name": "anna", "languages": "", "topics": "", "colour": "teal"},
                      page="/admin/team", headers=german)
    assert taken.status_code == 409
    assert ('id="name-error">An diesem Standort gibt es schon einen Gastgeber namens „anna“: '
            "Wählen Sie einen anderen Namen.<") in taken.get_data(as_text=True)
    unknown = form_post(client, "/admin/team/channels", {"host_id": str(demo["hosts"][0]["id"]),
                                                         "url": "nosuchservice://x.example/<b>", "when": "always"},
                        page="/admin/team", headers=german)
    error = re.search(r'id="channel-url-error">([^<]*)<', unknown.get_data(as_text=True)).group(1)
    assert error.startswith("Kein Kanal dieses Servers versteht diese URL (nosuchservice://…)")


def test_the_host_page_and_the_audit_log_follow_the_managers_choice(client, demo):
    maria(client, demo)
    form_post(client, "/admin/language", {"language": "tr", "next": "/admin/audit"}, page="/admin/audit")
    anna = f"/admin/team/{demo['hosts'][0]['id']}"
    host = visible_text(client.get(anna).get_data(as_text=True))
    assert "PIN'i sıfırla" in host and "Müşterilerini taşıyın" in host and "Reset PIN" not in host
    reset = form_post(client, f"{anna}/pin", page=anna)
    shown = visible_text(client.get(reset.headers["Location"]).get_data(as_text=True))
    assert "Anna için yeni PIN:" in shown and "Yalnızca bu kez gösterilir." in shown
    audit = visible_text(client.get("/admin/audit").get_data(as_text=True))
    assert "Denetim kaydı" in audit and "(yönetici)" in audit and "Audit log" not in audit


def test_the_team_page_asked_for_in_arabic_is_arabic_and_right_to_left(client, demo):
    maria(client, demo)
    page = client.get("/admin/team", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert re.search(r"<h1>الفريق</h1>", page) and ">أضف المضيف</button>" in page
    assert ">تسجيل الخروج</button>" in page and "المديرون" in page
    assert "Add host" not in visible_text(page)


def test_the_manager_sign_in_speaks_the_browsers_language_and_says_a_wrong_pin_in_it(client, demo):
    arabic = {"Accept-Language": "ar"}
    page = client.get("/admin/login", headers=arabic).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page and "<h1>دخول المديرين</h1>" in page
    wrong = form_post(client, "/admin/login", {"name": "Maria", "pin": "000000"}, page="/admin/login",
                      headers=arabic)
    assert wrong.status_code == 401
    assert re.search(r'id="login-error">[^<]*الرقم السري[^<]*<', wrong.get_data(as_text=True))
    german = client.get("/admin/login", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in german and "Anmeldung für Manager" in german
