"""The status link's limits: status_link_hours in fractions, and the rate limit per address."""

from __future__ import annotations

import pytest

from kiosk.domain.people import add_person


@pytest.fixture
def settings(db_path):
    return {"db": str(db_path), "status_link_hours": 0.5, "status_requests_per_minute": 5}


@pytest.fixture
def tokens(app, clock, demo):
    store = app.extensions["gastgeber"].store
    return {"dora": add_person(store, clock, "host", "Dora Lang", "north")["token"],
            "kiosk": add_person(store, clock, "kiosk", "North door", "north")["token"]}


def test_half_an_hour_after_closing_the_link_is_gone(client, api, tokens, clock):
    visit = api.check_in(tokens["kiosk"]).get_json()["visit"]
    api.act(tokens["dora"], visit["id"], "abandon")
    clock.advance(30 * 60)
    assert client.get("/status/" + visit["status_url"][3:]).status_code == 200
    clock.advance(1)
    assert client.get("/status/" + visit["status_url"][3:]).status_code == 404


def test_an_address_over_its_rate_gets_429_with_retry_after_and_others_do_not(client, api, tokens, clock):
    visit = api.check_in(tokens["kiosk"]).get_json()["visit"]
    path = "/status/" + visit["status_url"][3:]
    for _ in range(3):
        assert client.get(path).status_code == 200
    assert client.get(visit["status_url"]).status_code == 200
    assert client.get("/status/1-" + "A" * 32).status_code == 404  # wrong guesses count too
    limited = client.get(path)
    assert limited.status_code == 429 and limited.get_json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0
    assert client.get(visit["status_url"]).status_code == 429
    other = client.get(path, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200
    clock.advance(60)
    assert client.get(path).status_code == 200
