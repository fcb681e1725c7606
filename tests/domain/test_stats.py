"""Stats on hand-built visits whose figures are worked out by hand here, plus the edge cases."""

import csv
import io
import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from kiosk.clock import to_iso
from kiosk.domain.stats import Numbers, appointment_figures, compute, nearest_rank, parse_window, totals_figures

BERLIN = ZoneInfo("Europe/Berlin")
WINDOW = ("2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z")


class Floor:
    """Writes visits with chosen times straight into the store, as if they had happened."""

    def __init__(self, store, site):
        self.store = store
        self.hosts = {h["name"]: h["id"] for h in site["hosts"]}
        self.kiosk_id = site["kiosk"]["id"]
        self.count = 0

    def visit(self, arrived, host="Anna", ack=None, greet=None, done=None, abandon=None, by=None, feedback=None,
              escalated=False, topic=None):
        """Times are seconds after `arrived` (a UTC 'YYYY-MM-DD HH:MM' string)."""
        start = datetime.fromisoformat(arrived).replace(tzinfo=UTC)

        def at(seconds):
            return None if seconds is None else to_iso(start + timedelta(seconds=seconds))

        helper = self.hosts[by or host]
        status = "abandoned" if abandon is not None else "completed" if done is not None else \
            "greeted" if greet is not None else "acknowledged" if ack is not None else "waiting"
        self.count += 1
        visit_id = self.store.insert_visit({
            "site_id": 1, "kiosk_id": self.kiosk_id, "client_id": f"floor-{self.count}", "host_id": self.hosts[host],
            "assignment_reason": "least_loaded", "status": status, "arrived_at": at(0),
            "acknowledged_at": at(ack), "acknowledged_by": helper if ack is not None else None,
            "greeted_at": at(greet), "greeted_by": helper if greet is not None else None,
            "completed_at": at(done), "abandoned_at": at(abandon), "escalated_at": at(30) if escalated else None,
            "topic": topic,
        }, {"site_id": 1, "name": f"Guest {self.count}", "created_at": at(0)})
        if feedback:
            self.store.insert_feedback(visit_id, feedback, at(0))
        return visit_id

    def receipt(self, visit_id, seconds, kind="board", host="Anna"):
        """A confirmed receipt `seconds` after the visit's arrival: a board's through the store's
        own method; a push service's or a channel's as their senders record it (kind and all)."""
        arrived = datetime.fromisoformat(self.store.visit(visit_id)["arrived_at"].replace("Z", "+00:00"))
        at = to_iso(arrived + timedelta(seconds=seconds))
        if kind == "board":
            self.store.record_delivery(visit_id, self.hosts[host], f"board-{visit_id}-{seconds}", at)
            return
        with self.store.transaction():
            self.store.db["alert_deliveries"].insert({"visit_id": visit_id, "host_id": self.hosts[host],
                                                      "board_id": f"{kind}:1", "delivered_at": at, "kind": kind})
            self.store.db.execute("UPDATE visits SET alert_delivered_at = min(COALESCE(alert_delivered_at, ?), ?) "
                                  "WHERE id = ?", (at, at, visit_id))


@pytest.fixture
def floor(domain):
    return Floor(domain.store, domain.site)


def stats_of(store, window=WINDOW, **filters):
    """The window's figures read straight from the visits, and again with every day
    summed up (store.sum_up_day): the two must agree exactly, and so must the head office's
    columns (store.window_totals, read from the days' kept durations) with each."""
    def figures():
        answer = compute(store.stats_data(1, *window, **filters), greet_target=60, acknowledge_target=30,
                         zone=BERLIN, window=window, receipt_seconds=5)
        if not filters:
            assert totals_figures(store.window_totals(1, *window), greet_target=60) == head_office_columns(answer)
        return answer

    store.db.execute("DELETE FROM stats_days")
    store.db.execute("DELETE FROM stats_hours")
    live = figures()
    for day in store.days_to_sum_up(1, "9999-12-31", limit=1000):
        store.sum_up_day(1, day)
    assert figures() == live
    return live


def head_office_columns(figures: dict) -> dict:
    """What the head office shows of a site's figures (see totals_figures)."""
    def spread(summary):
        return {"p50": summary["p50"], "p90": summary["p90"]}

    return {"visits": figures["visits"], "acknowledge_seconds": spread(figures["acknowledge_seconds"]),
            "greet_seconds": spread(figures["greet_seconds"]),
            "greeted_within_target_pct": figures["greeted_within_target_pct"],
            "alert_delivery_ms": spread(figures["alert_delivery_ms"])}


def test_nearest_rank():
    assert (nearest_rank(10, 50), nearest_rank(10, 90), nearest_rank(10, 100)) == (5, 9, 10)
    assert nearest_rank(1, 90) == 1
    assert nearest_rank(3, 50) == 2  # rank ceil(1.5) = 2
    assert nearest_rank(0, 50) == 1  # never rank 0
    assert nearest_rank([10, 3], 90).tolist() == [9, 3]


def test_a_month_worked_out_by_hand(floor, domain):
    # Anna: ten greeted visits, acknowledged after 1..10 s, greeted after 10..100 s.
    for n in range(1, 11):
        floor.visit(f"2026-11-{n + 1:02d} 09:15", ack=n, greet=10 * n, done=10 * n + 300,
                    feedback=3 if n <= 2 else None)
    # Ben: two abandoned (one after acknowledging in 4.5 s), one greeted by Anna standing in, one still waiting.
    floor.visit("2026-11-12 13:00", host="Ben", abandon=200)
    floor.visit("2026-11-12 13:05", host="Ben", ack=4.5, abandon=400, escalated=True)
    floor.visit("2026-11-13 13:10", host="Ben", ack=40.25, greet=45.5, by="Anna", feedback=1)
    floor.visit("2026-11-14 16:00", host="Ben")
    # Outside the window: not counted.
    floor.visit("2026-10-31 22:59", ack=1, greet=1)

    stats = stats_of(domain.store)
    assert stats["visits"] == 14
    # acknowledge: 1..10, 4.5, 40.25 → sorted 1,2,3,4,4.5,5,6,7,8,9,10,40.25;
    # p50 rank 6 → 5; p90 rank ceil(10.8)=11 → 10
    assert stats["acknowledge_seconds"] == {"p50": 5, "p90": 10, "max": 40.25}
    # greet: 10..100, 45.5 → sorted 10,20,30,40,45.5,50,...,100 (11 values); p50 rank 6 → 50; p90 rank 10 → 90
    assert stats["greet_seconds"] == {"p50": 50, "p90": 90, "max": 100}
    # within 60 s: 10..60 (6) + 45.5 = 7 of 11 greeted + 2 abandoned = 13 → 53.8 %
    assert stats["greeted_within_target_pct"] == 53.8
    assert (stats["target_seconds"], stats["abandoned"]) == (60, 2)
    assert stats["escalated_pct"] == round(100 / 14, 1)
    assert stats["feedback_average"] == round((3 + 3 + 1) / 3, 2)

    anna, ben = stats["per_host"]
    assert (anna["host"]["name"], anna["visits"]) == ("Anna", 10)
    assert anna["greet_seconds"] == {"p50": 50, "p90": 90, "max": 100}
    assert (anna["greeted_within_target_pct"], anna["stand_ins_given"], anna["stand_ins_received"]) == (60.0, 1, 0)
    assert (ben["visits"], ben["abandoned"], ben["stand_ins_given"], ben["stand_ins_received"]) == (4, 2, 0, 1)
    assert ben["acknowledge_seconds"] == {"p50": 4.5, "p90": 40.25, "max": 40.25}
    assert ben["greet_seconds"] == {"p50": 45.5, "p90": 45.5, "max": 45.5}
    assert ben["greeted_within_target_pct"] == round(100 / 3, 1)  # 1 of (1 greeted + 2 abandoned)

    # Hours in Berlin (UTC+1 in November): 09:15Z → 10, 13:xxZ → 14, 16:00Z → 17
    by_hour = {h["hour"]: h for h in stats["by_hour"]}
    assert len(stats["by_hour"]) == 24
    assert (by_hour[10]["visits"], by_hour[14]["visits"], by_hour[17]["visits"], by_hour[9]["visits"]) == (10, 3, 1, 0)
    assert by_hour[14]["greet_seconds"] == {"p50": 45.5, "p90": 45.5, "max": 45.5}
    assert by_hour[9]["greet_seconds"] == {"p50": None, "p90": None, "max": None}
    histogram = stats["greet_histogram"]["counts"]
    assert sum(histogram) == 11 and histogram[:5] == [2, 4, 3, 2, 0]  # 30-s buckets


def test_filters_by_host_and_reason(floor, domain):
    floor.visit("2026-11-02 09:00", ack=1, greet=2)
    floor.visit("2026-11-02 09:10", host="Ben", ack=3, greet=4)
    only_ben = stats_of(domain.store, host_id=floor.hosts["Ben"])
    assert only_ben["visits"] == 1 and only_ben["greet_seconds"]["max"] == 4
    assert stats_of(domain.store, reason="dedicated")["visits"] == 0


def test_no_visits(domain):
    stats = stats_of(domain.store)
    assert stats["visits"] == 0 and stats["per_host"] == [] and stats["abandoned"] == 0
    assert stats["acknowledge_seconds"] == stats["greet_seconds"] == {"p50": None, "p90": None, "max": None}
    assert stats["greeted_within_target_pct"] is None
    assert [h["visits"] for h in stats["by_hour"]] == [0] * 24


def test_all_abandoned(floor, domain):
    floor.visit("2026-11-02 09:00", abandon=60)
    floor.visit("2026-11-02 09:30", ack=5, abandon=90)
    stats = stats_of(domain.store)
    assert (stats["greeted_within_target_pct"], stats["abandoned"]) == (0.0, 2)
    assert stats["greet_seconds"]["p50"] is None and stats["acknowledge_seconds"]["max"] == 5


def test_visits_never_greeted_do_not_count_for_the_target_share(floor, domain):
    floor.visit("2026-11-02 09:00")
    floor.visit("2026-11-02 09:05", ack=12)
    stats = stats_of(domain.store)
    assert stats["visits"] == 2 and stats["greeted_within_target_pct"] is None
    assert stats["acknowledge_seconds"] == {"p50": 12, "p90": 12, "max": 12}


def test_a_window_that_cuts_through_a_visit_counts_it_by_arrival(floor, domain):
    floor.visit("2026-11-30 23:59", ack=30, greet=120)  # arrives inside, greeted after the window ends
    floor.visit("2026-10-31 23:59", ack=30, greet=120)  # arrives before, greeted inside
    stats = stats_of(domain.store)
    assert stats["visits"] == 1 and stats["greet_seconds"]["max"] == 120


def test_daylight_saving_changes_in_the_sites_zone(floor, domain):
    floor.visit("2026-03-29 00:30", greet=10)  # 01:30 CET
    floor.visit("2026-03-29 01:30", greet=20)  # 03:30 CEST: 02:xx does not exist that night
    floor.visit("2026-10-25 00:30", greet=30)  # 02:30 CEST
    floor.visit("2026-10-25 01:30", greet=40)  # 02:30 CET: the hour that happens twice
    stats = stats_of(domain.store, window=("2026-03-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z"))
    by_hour = {h["hour"]: h["visits"] for h in stats["by_hour"]}
    assert (by_hour[1], by_hour[2], by_hour[3]) == (1, 2, 1)
    assert [d["date"] for d in stats["by_day"]] == ["2026-03-29", "2026-10-25"]


def test_the_api_is_for_managers_and_checks_its_window(api, demo, app):
    manager, host = demo["manager"]["token"], demo["hosts"][0]["token"]
    assert api.get("/stats", host).status_code == 403
    assert api.get("/stats", None).status_code == 401
    answer = api.get("/stats?from=2026-11-01&to=2026-12-01", manager)
    assert answer.status_code == 200
    period = answer.get_json()
    assert (period["from"], period["to"]) == ("2026-10-31T23:00:00.000Z", "2026-11-30T23:00:00.000Z")
    for query, field in (("from=yesterday", "from"), ("from=2026-12-01&to=2026-11-01", "from"),
                         ("host_id=x", "host_id"), ("reason=luck", "reason")):
        response = api.get(f"/stats?{query}", manager)
        assert response.status_code == 400 and response.get_json()["error"]["field"] == field


def test_the_default_window_is_the_last_30_days(api, demo, clock):
    body = api.get("/stats", demo["manager"]["token"]).get_json()
    assert (body["from"], body["to"]) == ("2026-10-24T09:00:00.000Z", "2026-11-23T09:00:00.000Z")


def test_csv_has_one_row_per_visit_no_customer_names_and_no_formulas(api, demo, app, clock):
    from kiosk.domain.people import add_person

    store = app.extensions["gastgeber"].store
    sneaky = add_person(store, clock, "host", "=HYPERLINK(\"http://x\")")
    api.check_in(demo["kiosk"]["token"], name="Secret Customer")
    visit = api.check_in(demo["kiosk"]["token"], name="Other Customer").get_json()["visit"]
    api.act(sneaky["token"], visit["id"], "greet")
    clock.advance(1)  # the default window ends now, exclusive
    response = api.get("/stats.csv", demo["manager"]["token"])
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2 and "Secret Customer" not in text
    assert rows[1]["greeted_by"] == "'=HYPERLINK(\"http://x\")"
    assert api.get("/stats.csv", demo["hosts"][0]["token"]).status_code == 403


def test_demo_data_is_deterministic_and_the_cli_prints_the_same_figures_as_the_api(tmp_path):
    import json
    import sqlite3

    from click.testing import CliRunner

    from kiosk.cli import main

    runner = CliRunner()
    dumps = []
    for name in ("one.db", "two.db"):
        db = tmp_path / name
        result = runner.invoke(main, ["demo-data", "--days", "30", "--seed", "7", "--db", str(db)])
        assert result.exit_code == 0, result.output
        with sqlite3.connect(db) as connection:
            dumps.append(connection.execute(
                "SELECT host_id, status, escalated_at IS NOT NULL, "
                "round((julianday(greeted_at) - julianday(arrived_at)) * 86400, 3) "
                "FROM visits ORDER BY id").fetchall())
    assert dumps[0] == dumps[1] and len(dumps[0]) > 500
    statuses = {row[1] for row in dumps[0]}
    assert statuses == {"completed", "abandoned"} and any(row[2] for row in dumps[0])

    as_json = json.loads(runner.invoke(main, ["stats", "--json", "--db", str(tmp_path / "one.db")]).output)
    table = runner.invoke(main, ["stats", "--db", str(tmp_path / "one.db")]).output
    assert f"Visits {as_json['from'][:10]} to {as_json['to'][:10]}: {as_json['visits']}," in table
    assert f"{as_json['greet_seconds']['p50']:.1f}" in table
    assert f"{as_json['complete_seconds']['p50']:.1f}" in table
    assert as_json["alert_delivery_ms"]["p50"] is not None and as_json["alert_reached_nobody_pct"] > 0
    assert {row["kind"] for row in as_json["alert_delivery_by_kind"]} == {"board", "push", "email"}
    assert f"reached nobody within {as_json['alert_receipt_seconds']} s: {as_json['alert_reached_nobody_pct']:.1f} %" \
        in table
    assert "Appointments: {booked} booked, {checked_in} checked in, {no_show} no-shows".format(
        **as_json["appointments"]) in table
    bad = runner.invoke(main, ["stats", "--from", "someday", "--db", str(tmp_path / "one.db")])
    assert bad.exit_code == 2 and "--from" in bad.output


def test_empty_filters_from_an_html_form_mean_all(api, demo):
    response = api.get("/stats?from=&to=&host_id=&reason=", demo["manager"]["token"])
    assert response.status_code == 200


@pytest.mark.parametrize("values", [[5, -3, 5, 0, 7], [5, -3, 5, 0, 2**61]])  # packed sort, then the fallback
def test_sorting_durations_keeps_each_with_its_group(values):
    groups = [3, 1, 0, 2, 0]
    ascending = Numbers(np.array(values), np.array(groups)).ascending()
    assert ascending.values.tolist() == sorted(values)
    assert sorted(zip(ascending.values.tolist(), ascending.groups.tolist())) == sorted(zip(values, groups))


def test_a_change_to_a_summed_up_day_counts_at_once(floor, domain):
    store = domain.store
    visit_id = floor.visit("2026-11-02 09:00", ack=1, greet=2, done=100)
    floor.visit("2026-11-03 09:00", ack=3, greet=4, done=100)
    assert stats_of(store)["feedback_average"] is None  # every day is summed up now
    store.insert_feedback(visit_id, 1, "2026-11-05T10:00:00.000Z")
    assert store.days_to_sum_up(1, "2026-11-04", limit=10) == ["2026-11-02"]  # the day's summary is gone
    assert compute(store.stats_data(1, *WINDOW), greet_target=60, acknowledge_target=30, zone=BERLIN,
                   window=WINDOW)["feedback_average"] == 1


def test_a_late_change_to_a_day_summed_up_again_is_in_the_next_read_of_the_kept_summaries(floor, domain):
    """Readers keep the parsed summaries (store.stats.SummaryCache); summing a changed day up
    again leaves the same days summed up, and the next read must still see the change."""
    from kiosk.store import Store

    store = domain.store
    visit_id = floor.visit("2026-11-02 09:00", ack=1, greet=2, done=100)
    floor.visit("2026-11-03 09:00", ack=3, greet=50, done=100)

    def read():
        reader = Store(store.path, read_only=True)  # as the web process reads stats (store/slow_reads.py)
        try:
            return compute(reader.stats_data(1, *WINDOW), greet_target=60, acknowledge_target=30, zone=BERLIN,
                           window=WINDOW)
        finally:
            reader.close()

    for day in store.days_to_sum_up(1, "2026-11-30", limit=40):
        store.sum_up_day(1, day)
    summed = store.days_to_sum_up(1, "2026-11-30", limit=40)
    assert read()["feedback_average"] is None
    assert read()["greet_seconds"]["max"] == 50  # the second read is the kept one
    store.insert_feedback(visit_id, 2, "2026-11-05T10:00:00.000Z")
    store.db.execute("UPDATE visits SET greeted_at = '2026-11-02T09:01:30.000Z' WHERE id = ?", (visit_id,))
    for day in store.days_to_sum_up(1, "2026-11-30", limit=40):
        store.sum_up_day(1, day)
    assert store.days_to_sum_up(1, "2026-11-30", limit=40) == summed  # the same days summed up as before
    after = read()
    assert (after["feedback_average"], after["greet_seconds"]["max"]) == (2, 90)


def test_the_scheduler_sums_up_days_before_yesterday_a_few_per_tick(floor, domain, clock):
    from kiosk.domain.stats import sum_up_past_days

    for day in ("2026-11-18", "2026-11-19", "2026-11-20", "2026-11-22", "2026-11-23"):
        floor.visit(f"{day} 09:00", ack=1)
    assert clock.now().date().isoformat() == "2026-11-23"
    assert sum_up_past_days(domain.store, clock, limit=2) == 2
    assert domain.store.days_to_sum_up(1, "2026-11-24", limit=10) == ["2026-11-20", "2026-11-21", "2026-11-22",
                                                                          "2026-11-23"]
    assert sum_up_past_days(domain.store, clock) == 2  # the 20th, and the 21st without visits
    assert sum_up_past_days(domain.store, clock) == 0  # yesterday and today stay live


def test_service_time_worked_out_by_hand(floor, domain):
    # Anna: greeted after 20 s, done 60, 120, 180, 240 and 600 s later.
    for n, service in enumerate((60, 120, 180, 240, 600)):
        floor.visit(f"2026-11-0{n + 2} 10:00", ack=5, greet=20, done=20 + service)
    # Ben: one done 90.5 s after the greeting, one greeted and not done yet, one abandoned;
    floor.visit("2026-11-09 10:00", host="Ben", ack=5, greet=30, done=120.5)
    floor.visit("2026-11-09 11:00", host="Ben", ack=5, greet=30)
    floor.visit("2026-11-09 12:00", host="Ben", abandon=100)
    # and one that arrives in the window's last minutes and is done after it ended: counted by arrival,
    floor.visit("2026-11-30 23:50", host="Ben", ack=5, greet=60, done=1200)
    # while one that arrived before the window and was done inside is not.
    floor.visit("2026-10-31 22:50", host="Ben", ack=5, greet=60, done=5000)

    stats = stats_of(domain.store)
    # 60, 90.5, 120, 180, 240, 600, 1140: p50 rank ceil(3.5) = 4 → 180; p90 rank ceil(6.3) = 7 → 1140
    assert stats["complete_seconds"] == {"p50": 180, "p90": 1140, "max": 1140}
    anna, ben = stats["per_host"]
    # Anna 60, 120, 180, 240, 600: p50 rank 3 → 180; p90 rank ceil(4.5) = 5 → 600
    assert anna["complete_seconds"] == {"p50": 180, "p90": 600, "max": 600}
    # Ben 90.5, 1140: p50 rank 1 → 90.5; p90 rank ceil(1.8) = 2 → 1140
    assert ben["complete_seconds"] == {"p50": 90.5, "p90": 1140, "max": 1140}
    exported = {row["arrived_at"][:16]: row["complete_seconds"] for row in domain.store.export_rows(1, *WINDOW)}
    assert [exported[at] for at in ("2026-11-09T10:00", "2026-11-09T11:00", "2026-11-30T23:50")] == [90.5, None, 1140]


def test_service_time_across_the_night_the_clocks_go_back(floor, domain):
    """Greeted at 02:51 summer time, done at 02:51 winter time: the wall clock says nothing
    happened, an hour went by."""
    floor.visit("2026-10-25 00:50", greet=60, done=3660)
    stats = stats_of(domain.store, window=("2026-10-24T22:00:00.000Z", "2026-10-25T23:00:00.000Z"))
    assert stats["complete_seconds"] == {"p50": 3600, "p90": 3600, "max": 3600}
    assert stats["per_host"][0]["complete_seconds"] == {"p50": 3600, "p90": 3600, "max": 3600}


def test_no_service_time_without_a_completed_visit(floor, domain):
    floor.visit("2026-11-02 09:00", greet=10)
    stats = stats_of(domain.store)
    assert stats["complete_seconds"] == stats["per_host"][0]["complete_seconds"] == {"p50": None, "p90": None,
                                                                                     "max": None}


APPOINTMENT_CODES = itertools.count(1)


def book(store, starts_at: str, status: str = "scheduled") -> None:
    """An appointment starting at `starts_at` (UTC), straight into the store."""
    number = next(APPOINTMENT_CODES)
    store.insert_appointment(
        {"site_id": 1, "code": f"AP{number:04d}", "host_id": None, "starts_at": starts_at, "status": status,
         "created_at": "2026-10-01T08:00:00.000Z"},
        {"site_id": 1, "name": f"Booked {number}", "created_at": "2026-10-01T08:00:00.000Z"})


def appointments_at(store, window, now: str) -> dict:
    return appointment_figures(store.appointment_outcomes(1, *window), BERLIN,
                               datetime.fromisoformat(now.replace("Z", "+00:00")))


def test_appointments_worked_out_by_hand_in_the_sites_time_zone(domain):
    store = domain.store
    november = parse_window("2026-11-01", "2026-12-01", datetime(2026, 12, 5, tzinfo=UTC), BERLIN)
    book(store, "2026-10-31T22:30:00.000Z")  # 31 Oct 23:30 in Berlin: before the window
    book(store, "2026-10-31T23:30:00.000Z")  # 1 Nov 00:30 in Berlin: inside, never came — a no-show
    book(store, "2026-11-10T09:00:00.000Z", "checked_in")
    book(store, "2026-11-10T22:30:00.000Z")  # 10 Nov 23:30 in Berlin, not (yet) checked in
    book(store, "2026-11-12T10:00:00.000Z", "cancelled")  # cancelled: not booked at all
    book(store, "2026-11-30T22:59:00.000Z")  # 30 Nov 23:59 in Berlin: the window's last minute
    book(store, "2026-11-30T23:00:00.000Z")  # 1 Dec 00:00 in Berlin: after the window (it ends exclusive)
    # Months later: 4 booked (1 Nov, 10 Nov ×2, 30 Nov), 1 checked in, 3 no-shows.
    assert appointments_at(store, november, "2027-01-01T00:00:00.000Z") == {"booked": 4, "checked_in": 1, "no_show": 3}
    # On 10 Nov at 23:59 Berlin (22:59 UTC) the late appointment's day is not over yet; at 00:00
    # Berlin (23:00 UTC, an hour before the UTC day ends) it is a no-show. 30 Nov is still ahead.
    assert appointments_at(store, november, "2026-11-10T22:59:00.000Z") == {"booked": 4, "checked_in": 1, "no_show": 1}
    assert appointments_at(store, november, "2026-11-10T23:00:00.000Z") == {"booked": 4, "checked_in": 1, "no_show": 2}


def test_a_no_show_waits_for_the_end_of_a_25_hour_day(domain):
    """25 Oct 2026: Berlin leaves summer time at 03:00, so that day ends at 23:00 UTC, not 22:00."""
    store = domain.store
    day = parse_window("2026-10-25", "2026-10-26", datetime(2026, 11, 1, tzinfo=UTC), BERLIN)
    assert day == ("2026-10-24T22:00:00.000Z", "2026-10-25T23:00:00.000Z")
    book(store, "2026-10-24T22:00:00.000Z")  # 00:00 local (summer time)
    book(store, "2026-10-25T22:30:00.000Z")  # 23:30 local (winter time)
    assert appointments_at(store, day, "2026-10-25T22:30:00.000Z") == {"booked": 2, "checked_in": 0, "no_show": 0}
    assert appointments_at(store, day, "2026-10-25T23:00:00.000Z") == {"booked": 2, "checked_in": 0, "no_show": 2}


def test_the_api_and_the_cli_report_appointments(api, demo, app):
    store = app.extensions["gastgeber"].store
    book(store, "2026-11-20T09:00:00.000Z")  # the fixed clock is 23 Nov 09:00 UTC: long over, never came
    book(store, "2026-11-23T15:00:00.000Z")  # this afternoon: only booked so far
    body = api.get("/stats?from=2026-11-01", demo["manager"]["token"]).get_json()
    assert body["appointments"] == {"booked": 1, "checked_in": 0, "no_show": 1}  # the window ends now
    body = api.get("/stats?from=2026-11-01&to=2026-11-24", demo["manager"]["token"]).get_json()
    assert body["appointments"] == {"booked": 2, "checked_in": 0, "no_show": 1}


def test_alert_delivery_worked_out_by_hand(floor, domain):
    anna = [floor.visit(f"2026-11-0{day} 09:00", ack=20, greet=40) for day in (2, 3, 4, 5)]
    floor.receipt(anna[0], 0.8)
    floor.receipt(anna[0], 12, "email")  # a later receipt of another kind: the first one counts overall
    floor.receipt(anna[1], 1.2)
    floor.receipt(anna[2], 6)
    floor.receipt(anna[2], 2.5, "push")  # recorded after the board's, yet earlier: each kind's own first
    # anna[3]: no device confirmed it — reached nobody
    ntfy = floor.visit("2026-11-06 13:00", host="Ben", ack=30)
    floor.receipt(ntfy, 9, "ntfy", host="Ben")
    two_boards = floor.visit("2026-11-06 13:30", host="Ben")
    floor.receipt(two_boards, 0.4, host="Ben")
    floor.receipt(two_boards, 0.9, host="Ben")  # a second board of Ben's: not a second alert
    late = floor.visit("2026-11-30 23:59:58")  # arrives inside, confirmed after the window ends: counted by arrival
    floor.receipt(late, 3)
    before = floor.visit("2026-10-31 23:59:59")  # arrives before, confirmed inside: not counted
    floor.receipt(before, 0.5)

    stats = stats_of(domain.store)
    # overall (each visit's first receipt): 800, 1200, 2500, 9000, 400, 3000 → 400 800 1200 2500 3000 9000;
    # p50 rank 3 → 1200; p90 rank ceil(5.4) = 6 → 9000
    assert stats["alert_delivery_ms"] == {"p50": 1200, "p90": 9000, "max": 9000}
    # within 5 s: 400, 800, 1200, 2500, 3000; not: 9000 and the one never confirmed → 2 of 7 visits
    assert (stats["visits"], stats["alert_receipt_seconds"], stats["alert_reached_nobody_pct"]) == (7, 5, 28.6)
    by_kind = {row["kind"]: row for row in stats["alert_delivery_by_kind"]}
    assert list(by_kind) == ["board", "email", "ntfy", "push"]
    # boards: 800, 1200, 6000, 400 (first of two), 3000 → 400 800 1200 3000 6000; p50 rank 3, p90 rank ceil(4.5) = 5
    assert by_kind["board"] == {"kind": "board", "alerts": 5, "alert_delivery_ms": {"p50": 1200, "p90": 6000,
                                                                                    "max": 6000},
                                "within_receipt_pct": 80.0}
    assert by_kind["email"]["alert_delivery_ms"] == {"p50": 12000, "p90": 12000, "max": 12000}
    assert (by_kind["email"]["within_receipt_pct"], by_kind["ntfy"]["within_receipt_pct"],
            by_kind["push"]["within_receipt_pct"]) == (0.0, 0.0, 100.0)
    ben_only = stats_of(domain.store, host_id=floor.hosts["Ben"])
    assert ben_only["alert_delivery_ms"] == {"p50": 400, "p90": 9000, "max": 9000}
    assert [row["kind"] for row in ben_only["alert_delivery_by_kind"]] == ["board", "ntfy"]

    # a receipt that comes in after its day was summed up counts at once
    assert domain.store.days_to_sum_up(1, "2026-11-06", limit=10) == []
    floor.receipt(anna[3], 4, "email")
    assert domain.store.days_to_sum_up(1, "2026-11-06", limit=10) == ["2026-11-05"]
    again = stats_of(domain.store)
    assert again["alert_reached_nobody_pct"] == round(100 / 7, 1)
    assert [row["alerts"] for row in again["alert_delivery_by_kind"]] == [5, 2, 1, 1]


def test_alert_delivery_in_the_sites_time_zone_and_across_the_night_the_clocks_go_back(floor, domain):
    november = parse_window("2026-11-01", "2026-12-01", datetime(2026, 12, 5, tzinfo=UTC), BERLIN)
    inside = floor.visit("2026-10-31 23:30")  # 1 Nov 00:30 in Berlin
    floor.receipt(inside, 2)
    outside = floor.visit("2026-11-30 23:00")  # 1 Dec 00:00 in Berlin: after the window
    floor.receipt(outside, 1)
    stats = stats_of(domain.store, window=november)
    assert (stats["visits"], stats["alert_delivery_ms"]["max"], stats["alert_reached_nobody_pct"]) == (1, 2000, 0.0)
    # 02:59:59.5 summer time, confirmed at 02:00:01 winter time: 1.5 s went by, not minus an hour
    night = floor.visit("2026-10-25 00:59:59.5")
    floor.receipt(night, 1.5, "push")
    stats = stats_of(domain.store, window=("2026-10-24T22:00:00.000Z", "2026-10-25T23:00:00.000Z"))
    assert stats["alert_delivery_ms"] == {"p50": 1500, "p90": 1500, "max": 1500}
    assert stats["alert_delivery_by_kind"][0]["alert_delivery_ms"]["p50"] == 1500


def test_no_alert_delivery_without_a_receipt(floor, domain):
    floor.visit("2026-11-02 09:00", greet=10)
    stats = stats_of(domain.store)
    assert stats["alert_delivery_ms"] == {"p50": None, "p90": None, "max": None}
    assert (stats["alert_reached_nobody_pct"], stats["alert_delivery_by_kind"]) == (100.0, [])
    assert stats_of(domain.store, window=("2026-12-01T00:00:00.000Z", "2026-12-02T00:00:00.000Z"))[
        "alert_reached_nobody_pct"] is None


def test_a_channels_kind_is_what_a_manager_calls_it():
    from kiosk.domain.device_kinds import channel_kind

    assert [channel_kind(scheme) for scheme in ("mailtos", "mailto", "ntfys", "ntfy", "matrixs", "slack", "JSONS")] == [
        "email", "email", "ntfy", "ntfy", "matrix", "slack", "json"]


def test_topics_worked_out_by_hand(floor, domain):
    for greet, topic in ((30, "Loan"), (90, "loan "), (50, "Loan")):  # one topic, however it was typed
        floor.visit("2026-11-02 09:00", greet=greet, topic=topic)
    floor.visit("2026-11-02 10:00", host="Ben", abandon=100, topic="Loan")
    floor.visit("2026-11-03 10:00", greet=20, topic="Frau Meier, wegen gestern")  # given once: "other"
    floor.visit("2026-11-03 11:00", greet=70)
    stats = stats_of(domain.store)
    loan, rare, none = stats["by_topic"]
    # Loan: greeted after 30, 50, 90 s and one abandoned; p50 rank 2 → 50; within 60 s: 2 of (3 + 1) = 50 %
    assert loan == {"topic": "Loan", "group": "topic", "visits": 4, "abandoned": 1,
                    "greet_seconds": {"p50": 50, "p90": 90, "max": 90}, "greeted_within_target_pct": 50.0}
    assert (rare["topic"], rare["group"], rare["visits"], rare["greet_seconds"]["p50"]) == (None, "rare", 1, 20)
    assert (none["group"], none["visits"], none["greeted_within_target_pct"]) == ("not_given", 1, 0.0)
    assert "Meier" not in str(stats)


def test_service_time_and_appointments_by_weekday(floor, domain):
    floor.visit("2026-11-02 09:15", greet=10, done=70)  # 10:15 in Berlin: 60 s of service
    floor.visit("2026-11-03 09:45", greet=10, done=190)  # 10:45: 180 s
    by_hour = {row["hour"]: row for row in stats_of(domain.store)["by_hour"]}
    assert by_hour[10]["complete_seconds"] == {"p50": 60, "p90": 180, "max": 180}
    assert by_hour[11]["complete_seconds"] == {"p50": None, "p90": None, "max": None}

    from kiosk.domain.stats import appointments_by_weekday

    store = domain.store
    book(store, "2026-11-01T22:30:00.000Z", "checked_in")  # Sunday 23:30 in Berlin
    book(store, "2026-11-01T23:30:00.000Z")  # Monday 00:30 in Berlin, never came
    book(store, "2026-11-02T09:00:00.000Z", "checked_in")  # Monday
    window = parse_window("2026-11-01", "2026-12-01", datetime(2026, 12, 5, tzinfo=UTC), BERLIN)
    days = appointments_by_weekday(store.appointment_outcomes(1, *window), BERLIN, datetime(2026, 12, 5, tzinfo=UTC))
    assert len(days) == 7 and days[0] == {"weekday": 0, "booked": 2, "checked_in": 1, "no_show": 1}
    assert days[6] == {"weekday": 6, "booked": 1, "checked_in": 1, "no_show": 0}
    assert sum(day["booked"] for day in days[1:6]) == 0


def test_the_csv_streams_chunk_by_chunk_with_each_visit_once(api, demo, app, monkeypatch):
    from kiosk.domain import export

    monkeypatch.setattr(export, "EXPORT_CHUNK_ROWS", 2)
    floor = Floor(app.extensions["gastgeber"].store, demo)
    visits = [floor.visit("2026-11-02 09:00", ack=1) for _ in range(3)]  # the same moment: the id breaks the tie
    visits += [floor.visit("2026-11-02 10:00"), floor.visit("2026-11-03 10:00")]
    floor.receipt(visits[0], 0.75, "push")
    response = api.get("/stats.csv?from=2026-11-01&to=2026-12-01", demo["manager"]["token"])
    assert response.status_code == 200 and response.is_streamed
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [int(row["visit_id"]) for row in rows] == visits
    assert (rows[0]["alert_delivered_at"], rows[0]["alert_delivery_ms"]) == ("2026-11-02T09:00:00.750Z", "750")
    assert rows[1]["alert_delivery_ms"] == ""


def test_the_csv_parts_hold_each_row_once_whatever_is_written_between_their_reads(floor, domain):
    """The export's parts are cut first (export_bounds) and read one by one, two at once: each is
    bounded on both sides, so a visit written meanwhile is in one part or none, never in two."""
    from kiosk.domain.export import EXPORT_HEADER, export_part, export_ranges

    store = domain.store
    visits = [floor.visit(f"2026-11-02 09:{minute:02}") for minute in range(7)]
    ranges = export_ranges(store.export_bounds(1, *WINDOW, every=3))
    assert len(ranges) == 3  # 3 + 3 + 1 rows
    first = export_part(store, 1, WINDOW, *ranges[0]).decode()
    floor.visit("2026-11-02 08:00")  # a late import into the part already read: in none
    later = floor.visit("2026-11-02 09:04:30")  # into the second part, not read yet
    text = first + b"".join(export_part(store, 1, WINDOW, *bounds) for bounds in ranges[1:]).decode()
    assert text.startswith(EXPORT_HEADER) and text.count(EXPORT_HEADER) == 1
    assert [int(line.split(",")[0]) for line in text.splitlines()[1:]] == [*visits[:5], later, *visits[5:]]


def test_the_csv_quotes_names_as_the_csv_module_does_and_keeps_formulas_inert(api, demo, app, clock):
    from kiosk.domain.export import EXPORT_COLUMNS, FORMULA_STARTS, NAME_COLUMNS
    from kiosk.domain.people import add_person

    store = app.extensions["gastgeber"].store
    floor = Floor(store, demo)
    names = ['Smith, Anna', 'Anna "Ace" Berg', "Line\nbreak\r\nhere", "=1+1", '-2,"x"', "@SUM(A1)", "+49 30",
             "\tTab", "\rReturn", "Ünïcødé ✓"]
    for name in names:
        host = add_person(store, clock, "host", f"placeholder {len(floor.hosts)}")
        with store.transaction():  # as an older version or an import may have stored it: not cleaned
            store.db.conn.execute("UPDATE hosts SET name = ? WHERE id = ?", (name, host["id"]))
        floor.hosts[name] = host["id"]
    for minute, name in enumerate(names):
        floor.visit(f"2026-11-02 09:{minute:02}", host=name, ack=1.5, greet=12.001, done=60 + minute)
    floor.visit("2026-11-02 10:00", host="Anna", ack=2, greet=3, by=names[0], abandon=None)
    floor.visit("2026-11-02 10:05", abandon=40, escalated=True)
    response = api.get("/stats.csv?from=2026-11-01&to=2026-12-01", demo["manager"]["token"])
    text = response.get_data(as_text=True)

    expected = io.StringIO()  # the csv module's text, names made spreadsheet-safe first
    writer = csv.writer(expected)
    writer.writerow(EXPORT_COLUMNS)
    for row in store.export_rows(1, "2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"):
        writer.writerow(["'" + value if column in NAME_COLUMNS and value and value.startswith(FORMULA_STARTS)
                         else value for column, value in row.items()])
    assert text == expected.getvalue()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["host"] for row in rows[:len(names)]] == [
        "'" + name if name.startswith(FORMULA_STARTS) else name for name in names]
    assert rows[0]["acknowledge_seconds"] == "1.5" and rows[0]["greet_seconds"] == "12.001"
    assert rows[len(names)]["greeted_by"] == "Smith, Anna" and rows[-1]["status"] == "abandoned"


def test_a_summed_up_days_kept_durations_go_with_its_summary_and_past_32_bits_stay_exact(floor, domain):
    """stats_day_values (migration 0035) holds a day only while the day is summed up; a duration
    past 2^31 ms (a visit acknowledged 25 days later) makes the day's row 64-bit; the rows made
    from the hour summaries (the migration's way, store.stats.fill_day_values) are the same."""
    from kiosk.store.stats import fill_day_values

    store = domain.store
    visit_id = floor.visit("2026-11-02 09:00", ack=1, greet=2, done=100)
    floor.visit("2026-11-03 09:00", ack=25 * 86400, greet=25 * 86400 + 5, done=25 * 86400 + 60)
    stats_of(store)
    rows = store.db.execute("SELECT * FROM stats_day_values ORDER BY utc_day").fetchall()
    assert [(row[1], row[4]) for row in rows if row[2]] == [("2026-11-02", 0), ("2026-11-03", 1)]
    with store.transaction():
        store.db.execute("DELETE FROM stats_day_values")
        fill_day_values(store.db.conn, store.db.execute("SELECT site_id, utc_day FROM stats_days").fetchall())
    assert store.db.execute("SELECT * FROM stats_day_values ORDER BY utc_day").fetchall() == rows
    assert totals_figures(store.window_totals(1, *WINDOW), greet_target=60)["acknowledge_seconds"] == {
        "p50": 1.0, "p90": 25 * 86400.0}
    store.insert_feedback(visit_id, 1, "2026-11-05T10:00:00.000Z")
    assert store.db.execute("SELECT utc_day FROM stats_day_values WHERE utc_day = '2026-11-02'").fetchall() == []
    assert totals_figures(store.window_totals(1, *WINDOW), greet_target=60)["visits"] == 2  # the day read live
