"""How fast is the head office's view over 50 sites of a year each? Generates one busy site's
year (as bench/stats_bench.py does), copies its summed-up days, its live days and its
appointments to the other sites with SQL (each copy leaves out a different ~5 % of the hours,
so no two sites are alike), then times `GET /api/v1/sites/stats` and the /operator/stats page
for the full year through the app, in this process.

    .venv/bin/python bench/operator_bench.py [--sites 50] [--days 365] [--per-day 640] [--runs 5] [--db PATH]
                                             [--profile FILE]

Goal (issue #17): the operator view over 50 sites of a year each ≤ 1 s.
The copies carry no visits of the summed-up days (the view reads those days' summaries only),
so the file stays near one site's size.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from kiosk.app import create_app
from kiosk.cli import main as cli
from kiosk.clock import SystemClock
from kiosk.domain import head_office
from kiosk.domain.auth import hash_token
from kiosk.domain.stats import sum_up_past_days
from kiosk.store import Store
from kiosk.store.stats import fill_day_values

VISIT_COPY_SKIPPED = ("id", "site_id", "client_id")


def copy_site(db, source: int, target: int) -> None:
    """Site `source`'s stats rows as site `target`'s, a different ~5 % of the hours left out."""
    hours_left_out = (f"(CAST(substr(arrived_hour, 9, 2) AS INT) * 24 + CAST(substr(arrived_hour, 12, 2) AS INT) "
                      f"+ {target * 7}) % 20 = 0")
    visit_columns = [row[1] for row in db.execute("PRAGMA table_info(visits)") if row[1] not in VISIT_COPY_SKIPPED]
    columns = ", ".join(visit_columns)
    db.execute(f"INSERT INTO visits (site_id, client_id, {columns}) SELECT ?, client_id || '-' || ?, {columns} "
               "FROM visits WHERE site_id = ? AND substr(arrived_at, 1, 10) NOT IN "
               "(SELECT utc_day FROM stats_days WHERE site_id = ?)", (target, target, source, source))
    appointment_columns = [row[1] for row in db.execute("PRAGMA table_info(appointments)")
                           if row[1] not in ("id", "site_id", "visit_id")]
    columns = ", ".join(appointment_columns)
    db.execute(f"INSERT INTO appointments (site_id, {columns}) SELECT ?, {columns} FROM appointments WHERE site_id = ?",
               (target, source))
    db.execute("INSERT INTO stats_days (site_id, utc_day) SELECT ?, utc_day FROM stats_days WHERE site_id = ?",
               (target, source))
    hour_columns = ("arrived_hour, host_id, visits, abandoned, escalated, acknowledge_ms, greet_ms, stand_ins, "
                    "feedback, complete_ms, alert_delivery_ms")
    db.execute(f"INSERT INTO stats_hours (site_id, {hour_columns}) SELECT ?, {hour_columns} FROM stats_hours "
               f"WHERE site_id = ? AND NOT {hours_left_out}", (target, source))
    db.execute("INSERT INTO stats_slices (site_id, utc_day, host_id, slice, key, visits, abandoned, values_ms) "
               "SELECT ?, utc_day, host_id, slice, key, visits, abandoned, values_ms FROM stats_slices "
               "WHERE site_id = ?", (target, source))
    fill_day_values(db, db.execute("SELECT site_id, utc_day FROM stats_days WHERE site_id = ?", (target,)).fetchall())


def timed(action, runs: int) -> list[float]:
    action()  # warm-up: caches, the page cache of the file
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(label: str, times: list[float]) -> None:
    print(f"{label:<40} median {statistics.median(times):7.1f} ms   min {min(times):7.1f}   max {max(times):7.1f}")


def make_sites(db: Path, args) -> None:
    start = time.perf_counter()
    result = CliRunner().invoke(cli, ["demo-data", "--days", str(args.days), "--per-day", str(args.per_day),
                                      "--db", str(db)])
    print(result.output.strip(), f"({time.perf_counter() - start:.1f} s)")
    start = time.perf_counter()
    store = Store(db)
    source = store.site_ids()[0]
    now = SystemClock().now().isoformat()
    with store.transaction():
        for number in range(2, args.sites + 1):
            target = store.db.conn.execute("INSERT INTO sites (name, created_at) VALUES (?, ?)",
                                           (f"Branch {number:03d}", now)).lastrowid
            copy_site(store.db.conn, source, target)
    print(f"copied site {source} to {args.sites - 1} more sites ({time.perf_counter() - start:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=640)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="reuse (or create) this database instead of a temporary one")
    parser.add_argument("--profile", type=Path, help="write a cProfile of one API call here and print its top")
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "sites.db"
    if not db.exists():
        make_sites(db, args)
    app = create_app({"db": str(db), "async_mode": "threading"})
    sum_up_past_days(app.extensions["gastgeber"].store, SystemClock(), limit=args.days + 1)
    operator = json.loads(CliRunner().invoke(
        cli, ["operator", "add", f"Bench {time.time_ns()}", "--json", "--db", str(db)]).output)
    token = operator["token"]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    now = SystemClock().now()
    year = f"from={(now.date().replace(year=now.year - 1)).isoformat()}&to={now.date().isoformat()}"
    rows = client.get(f"/api/v1/sites/stats?{year}", headers=headers).get_json()["sites"]
    print(f"window {year}: {len(rows)} sites, {sum(row['visits'] for row in rows):,} visits")
    report("GET /api/v1/sites/stats (full year)",
           timed(lambda: client.get(f"/api/v1/sites/stats?{year}", headers=headers), args.runs))
    report("GET /api/v1/sites/stats (last 30 days)",
           timed(lambda: client.get("/api/v1/sites/stats", headers=headers), args.runs))
    browser = app.test_client()
    with browser.session_transaction() as session:
        app.extensions["gastgeber"].sessions.sign_in(session, "operator", token_hash=hash_token(token))
    report("GET /operator/stats page (full year)", timed(lambda: browser.get(f"/operator/stats?{year}"), args.runs))
    store = Store(db, read_only=True)
    settings = app.extensions["gastgeber"].site_settings
    settings_of = {site_id: settings.for_site(site_id) for site_id in store.site_ids()}
    window = year.split("&")
    parts = [part.split("=")[1] for part in window]
    report("domain: head_office.site_rows (full year)",
           timed(lambda: head_office.site_rows(store, settings_of, now, *parts), args.runs))
    if args.profile:
        cProfile.runctx("head_office.site_rows(store, settings_of, now, *parts)", globals(), locals(),
                        str(args.profile))
        pstats.Stats(str(args.profile)).sort_stats("cumulative").print_stats(18)


if __name__ == "__main__":
    main()
