"""Appointments: booking through the API, codes at the kiosk, listing by day, cancelling, CSV import."""

import json

import pytest
from click.testing import CliRunner

from kiosk.cli import main


@pytest.fixture
def clara(demo):
    return demo["hosts"][2]


def book(api, token, **fields):
    body = {"customer_name": "Jonas Weber", "starts_at": "2026-11-23T14:30", **fields}
    return api.post("/appointments", token, body)


def test_a_host_books_an_appointment_in_local_time_and_gets_a_short_code(api, clara):
    response = book(api, clara["token"], host_id=clara["id"], reason="Mortgage", notes="Bring salary slips")
    assert response.status_code == 201
    appointment = response.get_json()["appointment"]
    assert appointment["starts_at"] == "2026-11-23T13:30:00.000Z"  # Europe/Berlin is UTC+1 in November
    assert len(appointment["code"]) == 6 and appointment["code"].isalnum() and appointment["code"].isupper()
    assert appointment["host"]["name"] == "Clara" and appointment["status"] == "scheduled"


def test_the_code_at_the_kiosk_brings_the_customer_to_the_appointments_host(api, demo, clara):
    code = book(api, clara["token"], host_id=clara["id"], notes="Bring salary slips").get_json()["appointment"]["code"]
    response = api.check_in(demo["kiosk"]["token"], name="Jonas", appointment_code=f" {code[:3].lower()}-{code[3:]} ")
    visit = response.get_json()["visit"]
    assert visit["host"]["name"] == "Clara"
    assert visit["appointment"]["starts_at"] == "2026-11-23T13:30:00.000Z"
    staff_view = api.get(f"/visits/{visit['id']}", clara["token"]).get_json()["visit"]
    assert staff_view["assignment_reason"] in ("appointment", "fallback")
    listed = api.get("/appointments?date=2026-11-23", clara["token"]).get_json()["appointments"]
    assert [a["status"] for a in listed] == ["checked_in"]


def test_an_unknown_or_cancelled_code_is_a_normal_check_in(api, demo, clara):
    appointment = book(api, clara["token"]).get_json()["appointment"]
    cancelled = api.post(f"/appointments/{appointment['id']}/cancel", clara["token"]).get_json()["appointment"]
    assert cancelled["status"] == "cancelled"
    for code in ("NOPE42", appointment["code"]):
        visit = api.check_in(demo["kiosk"]["token"], appointment_code=code).get_json()["visit"]
        assert visit["appointment"] is None and visit["status"] == "waiting"


def test_appointments_are_listed_per_local_day_and_host(api, demo, clara):
    anna = demo["hosts"][0]
    book(api, clara["token"], host_id=clara["id"], starts_at="2026-11-23T23:30")  # still the 23rd in Berlin
    book(api, clara["token"], host_id=anna["id"], starts_at="2026-11-23T09:00")
    book(api, clara["token"], starts_at="2026-11-24T00:30")
    day = api.get("/appointments?date=2026-11-23", clara["token"]).get_json()["appointments"]
    assert [a["starts_at"] for a in day] == ["2026-11-23T08:00:00.000Z", "2026-11-23T22:30:00.000Z"]
    mine = api.get(f"/appointments?date=2026-11-23&host_id={clara['id']}", clara["token"]).get_json()["appointments"]
    assert [a["host"]["name"] for a in mine] == ["Clara"]
    assert len(api.get("/appointments", clara["token"]).get_json()["appointments"]) == 2  # today by the clock


@pytest.mark.parametrize("fields, field", [
    ({"customer_name": ""}, "customer_name"),
    ({"starts_at": "tomorrow"}, "starts_at"),
    ({"host_id": 999}, "host_id"),
    ({"email": "nope"}, "email"),
])
def test_bad_appointments_name_the_field(api, clara, fields, field):
    response = book(api, clara["token"], **fields)
    assert response.status_code == 400 and response.get_json()["error"]["field"] == field


def test_kiosks_cannot_book_and_other_sites_cannot_cancel(api, app, demo, clara, clock):
    from kiosk.domain.people import add_person

    assert book(api, demo["kiosk"]["token"]).status_code == 403
    appointment = book(api, clara["token"]).get_json()["appointment"]
    stranger = add_person(app.extensions["gastgeber"].store, clock, "host", "Dora", site="branch")
    assert api.post(f"/appointments/{appointment['id']}/cancel", stranger["token"]).status_code == 404
    assert api.get("/appointments?date=24.11.2026", clara["token"]).status_code == 400


CSV_OK = """customer_name,phone,email,host,starts_at,reason,notes
Jonas Weber,0171 2345678,,Clara,2026-11-24 10:30,Mortgage,"Bring salary slips"
Ayşe Yılmaz,,ayse@example.org,,2026-11-24T11:00:00+01:00,Account,
"""


def run_import(db_path, tmp_path, text, *args):
    path = tmp_path / "appointments.csv"
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--demo", "--db", str(db_path)]).exit_code == 0
    return runner.invoke(main, ["appointments", "import", str(path), "--db", str(db_path), *args])


def test_csv_import_books_every_row(db_path, tmp_path):
    result = run_import(db_path, tmp_path, CSV_OK, "--json")
    assert result.exit_code == 0, result.output
    imported = json.loads(result.output)
    assert [(a["customer"]["name"], a["host"] and a["host"]["name"], a["starts_at"]) for a in imported] == [
        ("Jonas Weber", "Clara", "2026-11-24T09:30:00.000Z"),
        ("Ayşe Yılmaz", None, "2026-11-24T10:00:00.000Z"),
    ]


def test_csv_import_with_bad_rows_imports_nothing_and_names_each_row(db_path, tmp_path):
    text = CSV_OK + "Nobody,,,Zed,2026-11-24 12:00,,\n,,,,2026-11-24 13:00,,\nX,,,,soon,,\n"
    result = run_import(db_path, tmp_path, text)
    assert result.exit_code == 2
    assert "row 4: host: no active host named 'Zed'" in result.output
    assert "row 5: customer_name:" in result.output
    assert "row 6: starts_at:" in result.output
    assert "nothing was imported" in result.output
    from kiosk.store import Store

    assert Store(db_path).db["appointments"].count == 0


def test_csv_without_the_needed_columns_is_refused(db_path, tmp_path):
    result = run_import(db_path, tmp_path, "name,time\nJonas,10:00\n")
    assert result.exit_code == 2 and "missing column(s) customer_name, starts_at" in result.output


def test_local_times_follow_the_sites_own_time_zone(api, client, demo, clara):
    manager = {"Authorization": f"Bearer {demo['manager']['token']}"}
    assert client.patch("/api/v1/settings", json={"timezone": "America/New_York"}, headers=manager).status_code == 200
    appointment = book(api, clara["token"]).get_json()["appointment"]
    assert appointment["starts_at"] == "2026-11-23T19:30:00.000Z"  # 14:30 in New York (UTC−5), not Berlin
    listed = api.get("/appointments", clara["token"]).get_json()["appointments"]
    assert [a["code"] for a in listed] == [appointment["code"]]  # "today" is New York's 23 November
