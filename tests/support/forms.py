"""Browser forms and sessions through Flask's test client."""

from __future__ import annotations

import re

from kiosk.domain.auth import hash_token

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, page: str, **kwargs) -> str:
    """The CSRF token of the form on `page`."""
    html = client.get(page, **kwargs).get_data(as_text=True)
    return CSRF_FIELD.search(html).group(1)


def form_post(client, path, data=None, *, page=None, **kwargs):
    """Post a browser form the way a browser does: with the CSRF token of the page that shows it."""
    token = csrf_token(client, page or path, base_url=kwargs.get("base_url"))
    return client.post(path, data={**(data or {}), "csrf_token": token}, **kwargs)


def manager_session(client, token: str):
    """Sign a test client's browser session in as the manager with `token`; returns the client."""
    return token_session(client, "manager", token)


def token_session(client, role: str, token: str):
    """Sign a test client's browser in as the kiosk, manager or operator holding `token`, as the
    token sign-in pages do (a server-side session, domain/sessions.py); returns the client."""
    sessions = client.application.extensions["gastgeber"].sessions
    with client.session_transaction() as session:
        sessions.sign_in(session, role, token_hash=hash_token(token))
    return client


def submitted(client, path, data=None, *, page=None, **kwargs):
    """Post a form and go where its answer sends the browser, as a browser does: the form must
    answer 303 (POST → redirect → GET); returns the page that GET shows."""
    response = form_post(client, path, data, page=page, **kwargs)
    assert response.status_code == 303, (path, response.status_code)
    return client.get(response.headers["Location"])
