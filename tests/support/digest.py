"""Two weeks of a site's history for the weekly digest, with figures worked out by hand.

The digest's day is Monday 2026-11-23 (Europe/Berlin, UTC+1): last week is 16–22 November,
the week before 9–15 November. The greet target is the default, 120 s.

Last week (local times), eleven guests:
  Tue 17th 11:00–12:00  Anna's: greeted after 30, 150, 200, 250 s, and one left unseen
                        → 4 waited longer than 120 s (3 greeted late + 1 left), median 150 (rank 2 of 4)
  Wed 18th 14:00–15:00  Ben's: greeted after 130 and 140 s by Anna standing in, 60 s by Ben → 2, median 130
  Thu 19th 09:00–10:00  Clara's: 300 s and 20 s → 1, median 20
  Fri 20th 10:00–11:00  Clara's: 500 s → 1, median 500 (ranks before Thursday's 9:00: a longer wait)
  → the three hours: Tue 11:00 (4), Wed 14:00 (2), Fri 10:00 (1)
  greet times sorted: 20 30 60 130 140 150 200 250 300 500 → median rank 5 = 140 s, p90 rank 9 = 300 s;
  within 120 s: 3 of (10 greeted + 1 left) = 27.3 %; left unseen: 1
  stand-ins: Ben's guests were greeted by a colleague 2 times, of his 3
  estimates (high end 180 s) for Anna's four greeted guests on Tuesday: 30 and 150 held → 50 %
The week before: two of Anna's guests, Tue 10th 11:00, greeted after 60 and 90 s → median 60, p90 90,
  within 100 %, one estimate (high end 120 s, greeted after 60 s) held → 100 %.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.clock import to_iso

DIGEST_DAY = "2026-11-23"
MONDAY_MORNING = "2026-11-23T07:30:00.000Z"  # 08:30 in Berlin: the Monday digest is due


class History:
    """Writes visits with chosen times straight into the store, as if they had happened."""

    def __init__(self, store, site):
        self.store = store
        self.hosts = {h["name"]: h["id"] for h in site["hosts"]}
        self.kiosk_id = site["kiosk"]["id"]
        self.count = 0

    def visit(self, arrived_utc: str, host: str, greet=None, abandon=None, by=None, estimate_high=None) -> int:
        start = datetime.fromisoformat(arrived_utc).replace(tzinfo=UTC)

        def at(seconds):
            return None if seconds is None else to_iso(start + timedelta(seconds=seconds))

        helper = self.hosts[by or host]
        self.count += 1
        visit_id = self.store.insert_visit({
            "site_id": 1, "kiosk_id": self.kiosk_id, "client_id": f"digest-{self.count}", "host_id": self.hosts[host],
            "assignment_reason": "least_loaded", "status": "abandoned" if abandon is not None else "greeted",
            "arrived_at": at(0), "acknowledged_at": at(greet), "acknowledged_by": helper if greet is not None else None,
            "greeted_at": at(greet), "greeted_by": helper if greet is not None else None, "abandoned_at": at(abandon),
        }, {"site_id": 1, "name": f"Secret Guestname {self.count}", "created_at": at(0)})
        if estimate_high is not None:
            self.store.log_wait_estimate({"visit_id": visit_id, "site_id": 1, "host_id": self.hosts[host],
                                          "given_at": at(1), "low_seconds": 10, "high_seconds": estimate_high,
                                          "samples": 20})
        return visit_id


def two_weeks(store, site) -> None:
    """The history above (UTC = local − 1 h)."""
    floor = History(store, site)
    for minute, greet in zip((5, 15, 25, 35), (30, 150, 200, 250)):
        floor.visit(f"2026-11-17 10:{minute:02d}", "Anna", greet=greet, estimate_high=180)
    floor.visit("2026-11-17 10:45", "Anna", abandon=400)
    floor.visit("2026-11-18 13:05", "Ben", greet=130, by="Anna")
    floor.visit("2026-11-18 13:15", "Ben", greet=140, by="Anna")
    floor.visit("2026-11-18 13:25", "Ben", greet=60)
    floor.visit("2026-11-19 08:10", "Clara", greet=300)
    floor.visit("2026-11-19 08:20", "Clara", greet=20)
    floor.visit("2026-11-20 09:10", "Clara", greet=500)
    floor.visit("2026-11-10 10:05", "Anna", greet=60, estimate_high=120)
    floor.visit("2026-11-10 10:15", "Anna", greet=90)
