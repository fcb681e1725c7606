"""429: a kiosk over its check-in rate (kiosk_checkins_per_minute)."""

import pytest


@pytest.fixture
def settings(db_path):
    return {"db": str(db_path), "kiosk_checkins_per_minute": 3}


def test_a_kiosk_over_its_rate_gets_429_with_retry_after(api, demo, clock):
    kiosk = demo["kiosk"]["token"]
    for n in range(3):
        assert api.check_in(kiosk, client_id=f"burst-{n}").status_code == 201
    limited = api.check_in(kiosk, client_id="burst-3")
    assert limited.status_code == 429
    assert limited.get_json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) == 60
    assert api.check_in(kiosk, client_id="burst-0").status_code == 200  # a retry still answers
    clock.advance(60)
    assert api.check_in(kiosk, client_id="burst-3").status_code == 201
