"""The start page (/): the staff's front door, styled, with the places each person may go."""

import re

from tests.support.forms import form_post, token_session


def cards(page: str) -> dict[str, str]:
    """Each card's id and where its button leads."""
    return dict(re.findall(r'<li class="start-card" id="([\w-]+)">.*?href="([^"]+)"', page, re.S))


def test_a_stranger_sees_the_sign_ins_not_the_customers_tagline(client, demo):
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    with client.get(re.search(r'<link rel="stylesheet" href="([^"]+)">', page).group(1)) as stylesheet:
        assert 'class="page-start"' in page and stylesheet.mimetype == "text/css"  # styled like every page
    assert "glad you're here" not in page  # the customer's message belongs on the kiosk
    assert cards(page) == {"start-board": "/board/login", "start-manager": "/admin/login", "start-kiosk": "/kiosk"}


def test_a_signed_in_manager_gets_admin_and_stats_and_a_host_their_board(app, client, demo):
    token_session(client, "manager", demo["manager"]["token"])
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert cards(page) == {"start-board": "/board/login", "start-admin": "/admin/team", "start-stats": "/stats",
                           "start-kiosk": "/kiosk"}
    assert "Team, kiosks, settings and webhooks of main." in page
    anna = demo["hosts"][0]
    form_post(client, "/board/login", {"host_id": anna["id"], "pin": anna["pin"]}, page="/board/login")
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert cards(page)["start-board"] == "/board" and "Signed in as Anna" in page


def test_the_start_page_speaks_the_browsers_language(client, demo):
    page = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="de"' in page and "Eingang für das Team" in page
