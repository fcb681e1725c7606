"""Roles on every route: each credential tries every path; only the allowed ones get through.

Also: one site's people never see another site's visits, boards or appointments.
"""

import pytest

from kiosk.domain.people import add_person
from tests.support.routes import ROUTE_IDS, ROUTES, fill

ROLES = ["none", "forged", "kiosk", "host", "manager", "other_site_host", "other_site_kiosk"]


@pytest.fixture
def world(app, api, demo, clock):
    store = app.extensions["gastgeber"].store
    far_host = add_person(store, clock, "host", "Dora", site="branch")
    far_kiosk = add_person(store, clock, "kiosk", "Branch door", site="branch")
    visit = api.check_in(demo["kiosk"]["token"]).get_json()["visit"]
    appointment = api.post("/appointments", demo["hosts"][0]["token"],
                           {"customer_name": "Jonas", "starts_at": "2026-11-23T10:00"}).get_json()["appointment"]
    tokens = {
        "none": None, "forged": "forged-token",
        "kiosk": demo["kiosk"]["token"], "host": demo["hosts"][0]["token"], "manager": demo["manager"]["token"],
        "other_site_host": far_host["token"], "other_site_kiosk": far_kiosk["token"],
    }
    ids = {"visit": visit["id"], "customer": visit["customer"]["id"], "appointment": appointment["id"],
           "host": demo["hosts"][1]["id"]}
    return tokens, ids


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path, method, body, allowed", ROUTES, ids=ROUTE_IDS)
def test_every_route_refuses_every_role_it_does_not_serve(api, world, role, path, method, body, allowed):
    tokens, ids = world
    token = tokens[role]
    url, data = fill(path, ids, role), fill(body, ids, role)
    response = api.post(url, token, data) if method == "POST" else api.get(url, token)
    if role in ("none", "forged"):
        assert response.status_code == 401
    elif role.startswith("other_site"):
        if "{" in path or role.removeprefix("other_site_") not in allowed:  # names a thing of our site
            assert response.status_code in (403, 404), response.get_json()
        elif method == "GET":  # their own site's lists: none of ours in them
            assert response.status_code == 200 and list(response.get_json().values()) == [[]]
        else:  # acting at their own site
            assert response.status_code == 201
            assert "Dora" in str(response.get_json()) or response.get_json().get("appointment", {}).get("host") is None
    elif role in allowed:
        assert response.status_code < 400 or response.status_code == 409, (role, response.get_json())
    else:
        assert response.status_code == 403, (role, response.get_json())


def test_another_sites_board_never_hears_of_our_visits(api, world, socket_client):
    tokens, _ = world
    far_board = socket_client(token=tokens["other_site_host"])
    snapshot = next(e for e in far_board.get_received() if e["name"] == "board.snapshot")["args"][0]
    assert snapshot["visits"] == [] and [h["name"] for h in snapshot["team"]] == ["Dora"]
    api.check_in(tokens["kiosk"])
    assert far_board.get_received() == []
    assert api.get("/appointments", tokens["other_site_host"]).get_json()["appointments"] == []
