"""Input at the edges answers with a clear 4xx, never a 500: JSON nested past any parser,
ids the database cannot hold, dates at the ends of the calendar, a method a route lacks."""

import pytest

NESTED = "[" * 5000 + "]" * 5000  # well under 64 KiB, far past Python's recursion limit
HUGE_ID = 2**63


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("path, who", [("/api/v1/kiosks/pair", None), ("/api/v1/checkins", "kiosk"),
                                       ("/api/v1/appointments", "host"), ("/api/v1/hosts", "manager")])
def test_json_nested_past_the_parser_is_refused_as_invalid_json(client, demo, path, who):
    token = {"kiosk": demo["kiosk"]["token"], "host": demo["hosts"][0]["token"],
             "manager": demo["manager"]["token"]}.get(who)
    response = client.post(path, data=NESTED, content_type="application/json",
                           headers=bearer(token) if token else {})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("path", ["/api/v1/kiosks/{n}/pairing-code", "/api/v1/kiosks/{n}/unpair",
                                  "/api/v1/managers/{n}/pin", "/api/v1/managers/{n}/end-access",
                                  "/api/v1/visits/{n}/acknowledge", "/api/v1/hosts/{n}/pin"])
@pytest.mark.parametrize("number", [HUGE_ID, 0, 10**25])
def test_an_id_the_database_cannot_hold_is_not_found(client, demo, path, number):
    response = client.post(path.format(n=number), json={}, headers=bearer(demo["manager"]["token"]))
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("query, field", [("/appointments?date=0001-01-01", "date"),
                                          ("/appointments?date=9999-12-31", "date"),
                                          ("/stats?from=0001-01-01", "from"), ("/stats?to=9999-12-31", "to"),
                                          ("/stats?from=0001-01-01T00:00&to=2026-01-02", "from")])
def test_dates_at_the_ends_of_the_calendar_are_refused_naming_the_field(client, demo, query, field):
    token = demo["manager"]["token"]
    response = client.get(f"/api/v1{query}", headers=bearer(token))
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["error"]["field"] == field


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01T00:00+14:00"])
def test_an_appointment_at_the_ends_of_the_calendar_is_refused(client, demo, starts_at):
    response = client.post("/api/v1/appointments", json={"customer_name": "Jonas", "starts_at": starts_at},
                           headers=bearer(demo["hosts"][0]["token"]))
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "starts_at"


def test_a_method_a_route_lacks_says_which_it_has(client):
    response = client.delete("/api/v1/checkins")
    assert response.status_code == 405
    assert response.headers["Allow"].split(", ") and "POST" in response.headers["Allow"]
