"""How often the wait estimate holds on the demo data: the share greeted within the promised high end.

    .venv/bin/python bench/estimate_calibration.py [--days 90] [--per-day 40] [--seed 1] [--weeks 4]

Writes `gastgeber demo-data`'s history into a fresh database, then replays the last
`--weeks` weeks: at each visit's arrival it asks the estimator (kiosk/domain/estimates.py,
the code the status link uses) with the clock at that moment and the queue ahead of the
visit then (the same host's visits that arrived earlier and were not yet greeted or
closed), and checks whether the visit was greeted by then + high. The history read is
strictly earlier weeks', so nothing the estimate is checked against went into it.
Prints the share for the busy hours (local 11:00–14:00) and for all hours, each overall and
per week (Monday to Saturday, local; counted by `calibration`, the code behind the stats'
figure), how many visits got no estimate (too little history), and whether the goal of
GOAL_PCT % within the high end holds for the busy hours.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.clock import FixedClock, from_iso
from kiosk.domain.demo_data import generate
from kiosk.domain.estimates import WaitEstimates, calibration
from kiosk.domain.people import add_demo_site
from kiosk.store import Store

BUSY_HOURS = (11, 12, 13)
ZONE = ZoneInfo("Europe/Berlin")
GOAL_PCT = 80.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--per-day", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--weeks", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db")
        store.migrate()
        visits = demo_visits(store, args)
        met = report(replay(store, visits, args.weeks))
        print(f"goal ≥ {GOAL_PCT:.0f} % within the high end in the busy hours: {'met' if met else 'NOT met'}")
        store.close()


def demo_visits(store: Store, args) -> list[dict]:
    clock = FixedClock("2026-12-01T06:00:00.000Z")
    site = add_demo_site(store, clock)
    site_id = store.site_by_name(site["site"])["id"]
    generate(store, site_id=site_id, kiosk_id=site["kiosk"]["id"], host_ids=[h["id"] for h in site["hosts"]],
             days=args.days, end=date(2026, 12, 1), zone=ZONE, visits_per_day=args.per_day, seed=args.seed)
    return store._rows("SELECT * FROM visits ORDER BY arrived_at")


def replay(store: Store, visits: list[dict], weeks: int) -> list[dict]:
    start = from_iso(visits[-1]["arrived_at"]) - timedelta(weeks=weeks)
    clock = FixedClock(visits[0]["arrived_at"])
    estimates = WaitEstimates(store, clock, zone_of=lambda site_id: ZONE)
    outcomes = []
    for number, visit in enumerate(visits):
        arrived = from_iso(visit["arrived_at"])
        if arrived < start:
            continue
        clock.current = arrived
        ahead = sum(1 for other in visits[max(0, number - 60):number]
                    if other["host_id"] == visit["host_id"] and _still_waiting(other, visit["arrived_at"]))
        estimate = estimates.for_visit(visit, ahead, log=False)
        held = bool(estimate and visit["greeted_at"]
                    and from_iso(visit["greeted_at"]) <= arrived + timedelta(seconds=estimate["high"]))
        outcomes.append({"hour": arrived.astimezone(ZONE).hour, "estimate": estimate, "greeted": visit["greeted_at"],
                         "held": held, "given_at": visit["arrived_at"]})
    return outcomes


def _still_waiting(visit: dict, moment: str) -> bool:
    ended = visit["greeted_at"] or visit["abandoned_at"] or visit["completed_at"]
    return ended is None or ended > moment


def report(outcomes: list[dict]) -> bool:
    """Print the shares; True when the busy hours meet GOAL_PCT."""
    shares = {}
    for label, chosen in (("busy hours (11:00-14:00 local)", [o for o in outcomes if o["hour"] in BUSY_HOURS]),
                          ("all hours", outcomes)):
        judged = [o for o in chosen if o["estimate"] and o["greeted"]]
        missing = sum(1 for o in chosen if o["estimate"] is None)
        share = 100 * sum(o["held"] for o in judged) / len(judged) if judged else float("nan")
        shares[label] = share
        widths = sorted(o["estimate"]["high"] - o["estimate"]["low"] for o in judged)
        highs = sorted(o["estimate"]["high"] for o in judged)
        middle = len(judged) // 2
        print(f"{label}: {share:.1f} % of {len(judged)} greeted visits within the high end; "
              f"{missing} of {len(chosen)} without an estimate; median high end {highs[middle] if highs else 0} s, "
              f"median range width {widths[middle] if widths else 0} s")
        for week in per_week(judged):
            print(f"  week of {week['week']}: {week['within_high_pct']:.1f} % of {week['estimates']}")
    return shares["busy hours (11:00-14:00 local)"] >= GOAL_PCT


def per_week(judged: list[dict]) -> list[dict]:
    """The stats' own per-week count (estimates.calibration) of these outcomes."""
    return calibration([{"given_at": o["given_at"], "high_seconds": o["estimate"]["high"], "greeted_at": o["greeted"]}
                        for o in judged], ZONE)["per_week"]


if __name__ == "__main__":
    main()
