"""A chain's daily summaries as numbers: histograms whose merged percentiles are the exact
percentiles of every day's durations (at the unit), and a branch's summary of one day that
holds nothing but numbers."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import numpy as np

from kiosk.clock import to_iso
from kiosk.domain.branches import histograms, received
from kiosk.domain.branches.pusher import SummaryPusher
from kiosk.domain.branches.summary import day_summary
from kiosk.domain.stats import nearest_rank


def exact(millis: list[int], percent: int) -> int:
    """The nearest-rank percentile of the durations themselves, then rounded half up to seconds."""
    ordered = sorted(millis)
    return (ordered[int(nearest_rank(len(ordered), percent)) - 1] + 500) // 1000


def test_merged_days_give_the_exact_percentiles_of_all_their_visits():
    rng = random.Random(7)
    days = [[rng.randint(0, 900_000) for _ in range(rng.randint(1, 300))] for _ in range(30)]
    stored = [histograms.encode(histograms.of_millis(np.array(day), 1000)) for day in days]
    values, counts = histograms.merged(stored)
    everything = [ms for day in days for ms in day]
    for percent in (50, 90, 100):
        assert histograms.percentile(values, counts, percent) == exact(everything, percent)


def test_a_branch_day_is_numbers_only_and_the_head_office_takes_it(domain, store):
    demo = domain.site
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    for n, (ack, greet) in enumerate([(4, 20), (9, 95), (30, 400)]):
        arrived = start + timedelta(minutes=10 * n)
        store.insert_visit({
            "site_id": 1, "kiosk_id": demo["kiosk"]["id"], "client_id": f"branch-{n}",
            "host_id": demo["hosts"][0]["id"],
            "assignment_reason": "least_loaded", "status": "greeted", "arrived_at": to_iso(arrived),
            "acknowledged_at": to_iso(arrived + timedelta(seconds=ack)), "acknowledged_by": demo["hosts"][0]["id"],
            "greeted_at": to_iso(arrived + timedelta(seconds=greet)), "greeted_by": demo["hosts"][0]["id"],
            "topic": "Kredit für Familie Yılmaz"},
            {"site_id": 1, "name": "Ayşe Yılmaz", "created_at": to_iso(arrived)})
    settings = {"timezone": "Europe/Berlin", "greet_target_seconds": 120}
    body = day_summary(store, {"id": 1, "name": "main"}, settings, "2026-11-02", start + timedelta(days=2))
    assert body["visits"] == 3
    assert body["greet_seconds"] == {"p50": 95, "p90": 400, "histogram": [[20, 1], [95, 1], [400, 1]]}
    assert body["within_target"] == {"target_seconds": 120, "greeted": 2, "of": 3}
    wire = json.dumps(body, ensure_ascii=False)
    assert "Yılmaz" not in wire and "Kredit" not in wire and demo["hosts"][0]["name"] not in wire
    row = received.checked_summary(json.loads(wire), start + timedelta(days=2))
    assert row["greet_s"] == "20:1,95:1,400:1" and row["within_target_of"] == 3


def test_a_day_whose_summary_changed_after_it_was_sent_is_sent_again(domain, store, clock):
    """A visit of a day already sent is greeted late: the next look finds the day's summary
    changed and sends it again (the head office replaces the day); an unchanged day is not."""
    demo = domain.site
    host = demo["hosts"][0]["id"]
    for n, day in enumerate(("2026-11-19", "2026-11-20")):
        arrived = datetime.fromisoformat(f"{day}T09:00:00+00:00")
        store.insert_visit({
            "site_id": 1, "kiosk_id": demo["kiosk"]["id"], "client_id": f"late-{n}", "host_id": host,
            "assignment_reason": "least_loaded", "status": "acknowledged", "arrived_at": to_iso(arrived),
            "acknowledged_at": to_iso(arrived + timedelta(seconds=8)), "acknowledged_by": host},
            {"site_id": 1, "name": "Ayşe Yılmaz", "created_at": to_iso(arrived)})
    sent = []

    def post(url, body, headers, timeout):
        sent.append(json.loads(body))
        return 201

    settings = {"timezone": "Europe/Berlin", "greet_target_seconds": 120}
    pusher = SummaryPusher(store, clock, lambda site_id: settings, url="https://head.example", token="gbr_x",
                           claimer="test", post=post)
    pusher.queue_ended_days()
    pusher.send_due()
    first = {body["day"]: body for body in sent}
    assert first["2026-11-20"]["greet_seconds"]["histogram"] == [] and len(first) == 4  # 19th to 22nd
    assert pusher.queue_ended_days() == 0  # nothing changed: nothing owed again
    store.db.execute("UPDATE visits SET status = 'greeted', greeted_at = '2026-11-20T09:01:30.000Z', greeted_by = ? "
                     "WHERE client_id = 'late-1'", (host,))
    sent.clear()
    assert pusher.queue_ended_days() == 1
    pusher.send_due()
    assert [body["day"] for body in sent] == ["2026-11-20"]
    assert sent[0]["greet_seconds"]["histogram"] == [[90, 1]] and sent[0]["within_target"]["greeted"] == 1
    assert pusher.queue_ended_days() == 0
