"""The HTTP API through Flask's test client (fixture `api`)."""

from __future__ import annotations

import os


class Api:
    """Calls the HTTP API the way a kiosk, board or integration does."""

    def __init__(self, client):
        self.client = client

    def post(self, path, token=None, body=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.post(f"/api/v1{path}", json=body, headers=headers, **kwargs)

    def get(self, path, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.get(f"/api/v1{path}", headers=headers)

    def check_in(self, kiosk_token, name="Zoë Example", client_id=None, **fields):
        body = {"name": name, "client_id": client_id or f"c-{os.urandom(6).hex()}", **fields}
        return self.post("/checkins", kiosk_token, body)

    def act(self, host_token, visit_id, action, body=None):
        return self.post(f"/visits/{visit_id}/{action}", host_token, body)
