"""Fixtures for the admin pages' tests."""

import pytest


@pytest.fixture(autouse=True)
def english_reader(client):
    """The test client reads the pages as a browser asking for English does: the admin pages
    follow the reader (kiosk/web/i18n.py), and without a wish they speak the site's default, German.
    Tests of another language ask for it themselves."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
