"""Stats gain what the status link learns: visits left by the customer, and how often the estimate held."""

from __future__ import annotations

from datetime import timedelta

from kiosk.clock import to_iso
from kiosk.domain.people import add_person


def test_left_by_customer_and_estimate_calibration_in_stats(app, client, api, demo, clock):
    services = app.extensions["gastgeber"]
    store = services.store
    dora = add_person(store, clock, "host", "Dora Lang")["token"]
    host_ids = [row["id"] for row in store.active_hosts(1)]
    for number in range(12):  # last week's history: greeted after 60 s, by every host
        arrived = clock.now() - timedelta(weeks=1) + timedelta(seconds=number)
        for host_id in host_ids:
            store.insert_visit({"site_id": 1, "kiosk_id": demo["kiosk"]["id"], "client_id": f"past-{number}-{host_id}",
                                "host_id": host_id, "status": "completed", "arrived_at": to_iso(arrived),
                                "greeted_at": to_iso(arrived + timedelta(seconds=60)),
                                "completed_at": to_iso(arrived + timedelta(seconds=120))},
                               {"site_id": 1, "name": "Past", "created_at": to_iso(arrived)})
    kiosk = demo["kiosk"]["token"]
    left = api.check_in(kiosk, name="Leaving Guest").get_json()["visit"]
    kept = api.check_in(kiosk, name="Patient Guest").get_json()["visit"]
    late = api.check_in(kiosk, name="Late Guest").get_json()["visit"]
    for visit in (left, kept, late):
        assert client.get("/status/" + visit["status_url"][3:]).get_json()["wait_estimate_seconds"] is not None
    assert client.post("/status/" + left["status_url"][3:] + "/leave").get_json()["status"] == "abandoned"
    clock.advance(30)
    api.act(dora, kept["id"], "greet")
    clock.advance(3600)
    api.act(dora, late["id"], "greet")
    api.act(demo["hosts"][0]["token"], api.check_in(kiosk).get_json()["visit"]["id"], "abandon")  # by a host
    stats = api.get("/stats", demo["manager"]["token"]).get_json()
    assert stats["left_by_customer"] == 1
    calibration = stats["estimate_calibration"]
    assert calibration["estimates"] == 2 and calibration["within_high_pct"] == 50.0
    assert [week["estimates"] for week in calibration["per_week"]] == [2]
