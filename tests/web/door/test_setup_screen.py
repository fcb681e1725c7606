"""The tablet's setup screen: pairing first; the kiosk token behind "advanced", without command-line text."""

import re

from tests.support.forms import form_post


def test_pairing_comes_first_and_the_token_form_waits_behind_advanced(client):
    page = client.get("/kiosk/setup", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert page.index('id="pair-form"') < page.index('<details class="pair-advanced" id="token-setup">')
    advanced = re.search(r'<details class="pair-advanced" id="token-setup">(.*?)</details>', page, re.S).group(1)
    assert "<summary>Erweitert: mit einem Kiosk-Token einrichten</summary>" in advanced
    assert 'name="token"' in advanced and page.count('name="token"') == 1  # only in the disclosure
    assert "gastgeber" not in page.replace("Gastgeber", "")  # no command line for whoever holds the tablet


def test_a_wrong_token_opens_the_disclosure_with_the_error(client):
    refused = form_post(client, "/kiosk/setup", {"token": "not-a-token"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 401
    assert re.search(r'<details class="pair-advanced" id="token-setup" open>.*id="setup-error"', page, re.S)
