"""The head office (/api/v1/sites/stats, /operator/stats): every site side by side, each over the
same days in its own time zone, figures worked out by hand; operators only; a bad window or
sort column gets a clear answer."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.clock import to_iso
from kiosk.domain import operators, people
from kiosk.domain.stats import sum_up_past_days
from tests.support.forms import token_session
from tests.support.openapi import PREFIX, check, error_check

STATS = f"{PREFIX}/sites/stats"
FIRST_WEEK = "from=2026-11-01&to=2026-11-08"


@pytest.fixture
def store(app):
    return app.extensions["gastgeber"].store


@pytest.fixture
def operator(store, clock):
    return operators.add_operator(store, clock, "Olga")


def visit(store, site: dict, arrived: str, ack: int | float, greet: int | float | None,
          delivered_ms: int | None = None) -> None:
    """A visit that happened: arrived at `arrived` (UTC), acknowledged and greeted seconds later
    (no greet: the guest left unseen), its alert received `delivered_ms` after the check-in."""
    start = datetime.fromisoformat(arrived).replace(tzinfo=UTC)
    site["count"] += 1
    if greet is None:
        later = {"status": "abandoned", "abandoned_at": to_iso(start + timedelta(seconds=ack + 60))}
    else:
        later = {"status": "greeted", "greeted_at": to_iso(start + timedelta(seconds=greet)),
                 "greeted_by": site["host"]}
    if delivered_ms is not None:
        later["alert_delivered_at"] = to_iso(start + timedelta(milliseconds=delivered_ms))
    store.insert_visit({
        "site_id": site["id"], "kiosk_id": site["kiosk"], "client_id": f"ho-{site['id']}-{site['count']}",
        "host_id": site["host"], "assignment_reason": "least_loaded", "arrived_at": to_iso(start),
        "acknowledged_at": to_iso(start + timedelta(seconds=ack)), "acknowledged_by": site["host"], **later},
        {"site_id": site["id"], "name": f"Guest {site['count']}", "created_at": to_iso(start)})


@pytest.fixture
def two_sites(api, demo, store, clock, operator):
    """The demo site (Europe/Berlin) and "East" (America/New_York), with visits around 1 November,
    the day New York leaves summer time."""
    made = api.post("/sites", operator["token"],
                    {"name": "East", "manager_name": "Erin", "timezone": "America/New_York"})
    assert made.status_code == 201, made.get_json()
    east = {"id": made.get_json()["site"]["id"], "count": 0,
            "host": people.add_person(store, clock, "host", "Hana", "East")["id"],
            "kiosk": people.add_person(store, clock, "kiosk", "Door", "East")["id"]}
    main = {"id": 1, "count": 0, "host": demo["hosts"][0]["id"], "kiosk": demo["kiosk"]["id"]}
    visit(store, main, "2026-10-31 23:30", ack=10, greet=30)   # 00:30 on 1 Nov in Berlin: in
    visit(store, main, "2026-11-02 10:00", ack=20, greet=60)
    visit(store, main, "2026-11-03 10:00", ack=40, greet=200)  # over the 120 s target
    visit(store, main, "2026-11-07 23:30", ack=5, greet=5)     # 00:30 on 8 Nov in Berlin: out
    visit(store, east, "2026-11-01 02:00", ack=1, greet=1)     # 22:00 on 31 Oct in New York: out
    visit(store, east, "2026-11-05 15:00", ack=100, greet=300)
    visit(store, east, "2026-11-08 03:30", ack=50, greet=90)   # 22:30 on 7 Nov (EST): in
    return main, east


def test_every_site_side_by_side_over_the_same_local_days(api, doc, operator, two_sites):
    answer = check(doc, api.get(f"/sites/stats?{FIRST_WEEK}", operator["token"]), "get", STATS)
    rows = {row["site"]["name"]: row for row in answer["sites"]}
    berlin, new_york = rows[next(name for name in rows if name != "East")], rows["East"]
    assert berlin["from"] == "2026-10-31T23:00:00.000Z" and berlin["to"] == "2026-11-07T23:00:00.000Z"
    assert new_york["from"] == "2026-11-01T04:00:00.000Z" and new_york["to"] == "2026-11-08T05:00:00.000Z"
    assert berlin["visits"] == 3
    assert berlin["acknowledge_seconds"] == {"p50": 20, "p90": 40}  # nearest rank of 10, 20, 40
    assert berlin["greet_seconds"] == {"p50": 60, "p90": 200}
    assert berlin["greeted_within_target_pct"] == 66.7
    assert new_york["visits"] == 2
    assert new_york["acknowledge_seconds"] == {"p50": 50, "p90": 100}
    assert new_york["greet_seconds"] == {"p50": 90, "p90": 300}
    assert new_york["greeted_within_target_pct"] == 50.0
    assert new_york["site"]["timezone"] == "America/New_York"


def test_sorted_by_a_column_either_way(api, operator, two_sites):
    def names(order):
        answer = api.get(f"/sites/stats?{FIRST_WEEK}&sort=greet_p90&order={order}", operator["token"])
        return [row["site"]["name"] for row in answer.get_json()["sites"]]

    assert names("desc")[0] == "East" and names("asc")[-1] == "East"


def test_only_an_operator_sees_it_and_bad_input_gets_a_clear_answer(api, doc, demo, operator, two_sites):
    error_check(doc, api.get("/sites/stats", demo["manager"]["token"]), "get", STATS, 403, "forbidden")
    error_check(doc, api.get("/sites/stats"), "get", STATS, 401, "unauthorized")
    token = operator["token"]
    error_check(doc, api.get("/sites/stats?sort=password", token), "get", STATS, 400, "invalid_input", "sort")
    error_check(doc, api.get("/sites/stats?from=2026-11-08&to=2026-11-01", token), "get", STATS, 400,
                "invalid_input", "from")
    error_check(doc, api.get("/sites/stats?to=yesterday", token), "get", STATS, 400, "invalid_input", "to")


def test_the_page_shows_each_site_in_the_readers_language_and_sorts_by_links(client, operator, two_sites):
    token_session(client, "operator", operator["token"])
    page = client.get("/operator/stats?from=2026-11-01&to=2026-11-08&sort=visits&order=desc",
                      headers={"Accept-Language": "de"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Zentrale" in html and "Nicht wahrgenommene Termine" in html
    rows = [part.split('"', 1)[0] for part in html.split('data-site-id="')[1:]]
    assert rows == ["1", "2"]  # 3 visits before 2
    assert 'aria-sort="descending"' in html
    assert "sort=visits&amp;order=asc" in html  # the sorted column's link turns the order round
    bad = client.get("/operator/stats?from=2026-13-45")
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.get_data(as_text=True)


def new_site(api, store, clock, operator, name: str, timezone: str) -> dict:
    made = api.post("/sites", operator["token"], {"name": name, "manager_name": f"Boss {name}", "timezone": timezone})
    assert made.status_code == 201, made.get_json()
    return {"id": made.get_json()["site"]["id"], "count": 0, "token": made.get_json()["manager"]["token"],
            "host": people.add_person(store, clock, "host", f"Host {name}", name)["id"],
            "kiosk": people.add_person(store, clock, "kiosk", f"Door {name}", name)["id"]}


def test_each_row_is_exactly_the_sites_own_stats_over_summed_up_and_live_days(api, demo, store, clock, operator):
    """The head office reads summed-up days from their kept durations (stats_day_values), the rest
    from the visits: every figure must be the one the site's own /api/v1/stats gives, to the ms.
    Two weeks of visits at odd milliseconds in four zones (one with a half-hour offset, so the
    window's edges cut through UTC hours and days), summed up except the last two days; one site
    without visits."""
    main = {"id": 1, "count": 0, "token": demo["manager"]["token"], "host": demo["hosts"][0]["id"],
            "kiosk": demo["kiosk"]["id"]}
    sites = [main, new_site(api, store, clock, operator, "East", "America/New_York"),
             new_site(api, store, clock, operator, "Mumbai", "Asia/Kolkata")]
    empty = new_site(api, store, clock, operator, "Quiet", "Pacific/Auckland")
    draw = random.Random(17)
    start = datetime(2026, 11, 9, tzinfo=UTC)
    for site in sites:
        for _ in range(150):
            arrived = start + timedelta(seconds=draw.randrange(14 * 86400))  # 9 to 23 Nov
            greet = None if draw.random() < 0.1 else draw.randrange(1, 400_000) / 1000
            delivered = None if draw.random() < 0.2 else draw.randrange(50, 9000)
            visit(store, site, arrived.strftime("%Y-%m-%d %H:%M:%S"), draw.randrange(1, 90_000) / 1000, greet,
                  delivered)
    assert sum_up_past_days(store, clock, limit=60) > 0
    summed = store.db.conn.execute("SELECT COUNT(*) FROM stats_day_values WHERE visits > 0").fetchone()[0]
    assert summed >= 3 * 11  # the days before yesterday (UTC) of each busy site
    window = "from=2026-11-10T07:30&to=2026-11-23T08:15"
    rows = {row["site"]["id"]: row for row in api.get(f"/sites/stats?{window}", operator["token"]).get_json()["sites"]}
    for site in [*sites, empty]:
        own = api.get(f"/stats?{window}", site["token"]).get_json()
        row = rows[site["id"]]
        assert (row["from"], row["to"]) == (own["from"], own["to"])
        assert row["visits"] == own["visits"]
        assert row["acknowledge_seconds"] == {key: own["acknowledge_seconds"][key] for key in ("p50", "p90")}
        assert row["greet_seconds"] == {key: own["greet_seconds"][key] for key in ("p50", "p90")}
        assert row["greeted_within_target_pct"] == own["greeted_within_target_pct"]
        assert row["alert_delivery_ms"] == {key: own["alert_delivery_ms"][key] for key in ("p50", "p90")}
        assert row["appointments"] == own["appointments"]
    assert all(rows[site["id"]]["visits"] > 100 for site in sites)
    assert rows[sites[0]["id"]]["greet_seconds"]["p50"] % 1  # the milliseconds are there
    assert rows[empty["id"]]["visits"] == 0 and rows[empty["id"]]["greet_seconds"] == {"p50": None, "p90": None}
