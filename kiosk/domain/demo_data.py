"""A realistic, deterministic history of visits, so the stats page can be tried and benchmarked.

Opening hours Monday to Saturday, 9:00–18:00 local time, with a lunch peak; one
slower host; escalations when acknowledging took too long; some customers who
left before being greeted; stand-ins; feedback; topics; alert receipts on boards, phones
(push) and the slow host's e-mail, and a few alerts nobody confirmed. The same seed
gives the same history.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.clock import to_iso

FIRST_NAMES = ("Jonas", "Ayşe", "Marie", "Lukas", "Sofia", "Mehmet", "Lena", "Paul", "Emma", "Noah", "Mia",
               "Elias", "Hannah", "Ben", "Olena", "Finn", "Zoë", "Karim", "Ida", "Tomasz")
LAST_NAMES = ("Weber", "Yılmaz", "Schmidt", "Kowalski", "Nguyen", "Fischer", "Becker", "Hoffmann", "Schulz",
              "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Braun")
HOURLY_WEIGHT = {9: 0.7, 10: 1.0, 11: 1.2, 12: 1.9, 13: 1.8, 14: 1.0, 15: 0.9, 16: 1.1, 17: 0.9}
ESCALATE_AFTER = 30.0
TOPICS = ("accounts", "loans", "insurance", None)  # the demo hosts' topics; some guests name none


def generate(store, *, site_id: int, kiosk_id: int, host_ids: list[int], days: int, end: date,
             zone: ZoneInfo, visits_per_day: int = 40, seed: int = 1) -> int:
    """Write `days` days of visits ending the day before `end`; returns how many were written."""
    rng = random.Random(seed)  # nosec B311  # seeded, repeatable demo visits: no secret
    slow_host = host_ids[-1]
    first_day = datetime.combine(end - timedelta(days=days + 1), time(0), zone)
    customers = _customers(rng, site_id, to_iso(first_day), count=max(50, visits_per_day * days // 4))
    rows = []
    for day in (end - timedelta(days=n) for n in range(days, 0, -1)):
        if day.weekday() == 6:  # closed on Sundays
            continue
        for hour, weight in HOURLY_WEIGHT.items():
            for _ in range(_poisson(rng, visits_per_day / 9 * weight * (0.6 if day.weekday() == 5 else 1))):
                arrived = datetime.combine(day, time(hour), zone) + timedelta(seconds=rng.uniform(0, 3600))
                rows.append(_visit(rng, arrived, host_ids, slow_host, len(rows)))
    visits = []
    devices = random.Random(seed + 1)  # nosec B311  # its own stream: the visits stay as they were
    for number, (visit, rating) in enumerate(rows):
        receipts = _receipts(devices, visit, slow_host)
        visits.append(dict(visit, site_id=site_id, kiosk_id=kiosk_id, customer=rng.randrange(len(customers)),
                           client_id=f"demo-{seed}-{number}", feedback_rating=rating, receipts=receipts,
                           topic=devices.choice(TOPICS),
                           alert_delivered_at=min((at for _, at in receipts), default=None)))
    store.insert_history(customers, visits)
    return len(rows)


def _receipts(rng, visit: dict, slow_host: int) -> list[tuple[str, str]]:
    """The devices of the host that confirmed the visit's alert, and when: most boards within a
    second, some phones by push, the slow host's e-mail after seconds; now and then nothing."""
    arrived = datetime.fromisoformat(visit["arrived_at"].replace("Z", "+00:00"))
    receipts = []
    for kind, chance, mu, sigma in (("board", 0.9, -1.2, 0.6), ("push", 0.35, 0.3, 0.5),
                                    ("email", 0.5 if visit["host_id"] == slow_host else 0.0, 1.5, 0.5)):
        if rng.random() < chance:
            receipts.append((kind, to_iso(arrived + timedelta(seconds=rng.lognormvariate(mu, sigma)))))
    return receipts


def _customers(rng, site_id: int, created: str, count: int) -> list[dict]:
    return [{"site_id": site_id, "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", "created_at": created}
            for _ in range(count)]


def _poisson(rng, mean: float) -> int:
    """Knuth's method; means here are small."""
    limit, count, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _visit(rng, arrived: datetime, host_ids: list[int], slow_host: int, number: int) -> tuple[dict, int | None]:
    host = rng.choice(host_ids)
    pace = 2.2 if host == slow_host else 1.0
    acknowledge = rng.lognormvariate(2.2, 0.7) * pace
    greet = acknowledge + rng.lognormvariate(3.6, 0.6) * pace
    helper = host
    if acknowledge > ESCALATE_AFTER and rng.random() < 0.6:  # a colleague stepped in after the escalation
        helper = rng.choice([h for h in host_ids if h != host] or [host])
        acknowledge = ESCALATE_AFTER + rng.uniform(1, 15)
        greet = acknowledge + rng.lognormvariate(3.3, 0.5)
    visit = {
        "host_id": host, "assignment_reason": rng.choice(("dedicated", "least_loaded", "least_loaded", "language")),
        "arrived_at": to_iso(arrived), "escalated_at": None, "escalation_reason": None,
    }
    if acknowledge > ESCALATE_AFTER:
        visit.update(escalated_at=to_iso(arrived + timedelta(seconds=ESCALATE_AFTER)), escalation_reason="timeout")
    if rng.random() < 0.04:  # left before anyone greeted them
        left = greet * rng.uniform(0.5, 1.0)
        acknowledged = acknowledge < left and rng.random() < 0.5
        visit.update(status="abandoned", abandoned_at=to_iso(arrived + timedelta(seconds=left)),
                     acknowledged_at=to_iso(arrived + timedelta(seconds=acknowledge)) if acknowledged else None,
                     acknowledged_by=helper if acknowledged else None)
        return visit, None
    done = greet + rng.uniform(300, 1500)
    visit.update(
        status="completed", acknowledged_by=helper, greeted_by=helper,
        acknowledged_at=to_iso(arrived + timedelta(seconds=acknowledge)),
        greeted_at=to_iso(arrived + timedelta(seconds=greet)),
        completed_at=to_iso(arrived + timedelta(seconds=done)),
    )
    rating = rng.choices((1, 2, 3), weights=(1, 3, 8))[0] if rng.random() < 0.3 else None
    return visit, rating
