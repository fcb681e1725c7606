"""One navigation for managers across stats and admin: from any of their pages to every other."""

import re

import pytest

from tests.support.forms import form_post

AREAS = ["/admin/team", "/admin/kiosks", "/admin/settings", "/admin/brand", "/admin/webhooks", "/admin/audit", "/stats"]


def navigation(page: str) -> list[str]:
    nav = re.search(r'<nav class="stats-nav[^"]*"[^>]*>(.*?)</nav>', page, re.S).group(1)
    return [href for href in re.findall(r'href="([^"?#]+)', nav) if href in AREAS]


@pytest.fixture
def manager_browser(app, demo):
    """Maria, signed in the way /admin/login asks: name and the demo's PIN."""
    browser = app.test_client()
    signed_in = form_post(browser, "/admin/login", {"name": "Maria", "pin": demo["manager"]["pin"]})
    assert signed_in.status_code == 303
    return browser


@pytest.mark.parametrize("area", AREAS)
def test_every_manager_page_links_every_area_and_marks_its_own(manager_browser, area):
    page = manager_browser.get(area, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert navigation(page) == AREAS
    assert re.search(rf'href="{area}" aria-current="page"', page)


def test_the_stats_page_names_the_admin_areas_in_the_readers_language(manager_browser):
    page = manager_browser.get("/stats", headers={"Accept-Language": "de"}).get_data(as_text=True)
    for label in ("Team", "Kioske", "Einstellungen", "Webhooks", "Protokoll"):
        assert f">{label}</a>" in page


def test_a_managers_own_language_wins_over_the_browsers_on_admin_and_stats(manager_browser):
    """Maria chooses Turkish in the navigation: admin and stats speak it whatever the browser
    asks for, and she comes back to the page she chose it on."""
    chosen = form_post(manager_browser, "/admin/language", {"language": "tr", "next": "/stats"}, page="/stats")
    assert chosen.status_code == 303 and chosen.headers["Location"].endswith("/stats")
    for area in ("/stats", "/admin/team"):
        page = manager_browser.get(area, headers={"Accept-Language": "de"}).get_data(as_text=True)
        assert '<html lang="tr" dir="ltr">' in page, area
        assert '<option value="tr" lang="tr" selected>Türkçe</option>' in page
    assert "Ekip istatistikleri" in manager_browser.get("/stats", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    elsewhere = form_post(manager_browser, "/admin/language", {"language": "", "next": "//evil.example/"},
                          page="/stats")
    assert elsewhere.headers["Location"].endswith("/admin")  # only a page of this area is gone back to
    assert '<html lang="de"' in manager_browser.get("/stats", headers={"Accept-Language": "de"}).get_data(
        as_text=True)
