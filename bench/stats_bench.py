"""How fast are a year's stats? Generates a busy site's year (≥ 200,000 visits) and times
the stats API, the stats page and the CSV export through the app, in this process.

    .venv/bin/python bench/stats_bench.py [--days 365] [--per-day 640] [--runs 7] [--db PATH]

Prints the median and the spread of each, and the split between SQL and Python.
Goals (issue #17, with alert delivery by device kind, topics and service time by hour):
≤ 150 ms median for a full-year /api/v1/stats; the full-year CSV streamed at ≥ 200,000 rows/s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from kiosk.app import create_app
from kiosk.cli import main as cli
from kiosk.clock import SystemClock
from kiosk.domain.auth import hash_token
from kiosk.domain.stats import compute, parse_window, sum_up_past_days
from kiosk.store import Store


def timed(action, runs: int) -> list[float]:
    action()  # warm-up: caches, the page cache of the file
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(label: str, times: list[float]) -> None:
    print(f"{label:<38} median {statistics.median(times):7.1f} ms   min {min(times):7.1f}   max {max(times):7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=640)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="reuse (or create) this database instead of a temporary one")
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "year.db"
    if not db.exists():
        start = time.perf_counter()
        result = CliRunner().invoke(cli, ["demo-data", "--days", str(args.days), "--per-day", str(args.per_day),
                                          "--db", str(db)])
        print(result.output.strip(), f"({time.perf_counter() - start:.1f} s)")
    app = create_app({"db": str(db), "async_mode": "threading"})
    writer = app.extensions["gastgeber"].store
    summed = sum_up_past_days(writer, SystemClock(), limit=args.days + 1)  # what the scheduler does in the background
    store = Store(db, read_only=True)  # the connection the web process reads stats with (store/slow_reads.py)
    manager = CliRunner().invoke(cli, ["manager", "add", f"Bench {time.time_ns()}", "--json", "--db", str(db)]).output
    token = json.loads(manager)["token"]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    now = SystemClock().now()
    year = f"from={(now.date().replace(year=now.year - 1)).isoformat()}&to={now.date().isoformat()}"
    visits = client.get(f"/api/v1/stats?{year}", headers=headers).get_json()["visits"]
    print(f"window {year}: {visits} visits")

    zone = ZoneInfo("Europe/Berlin")
    window = parse_window(*(part.split("=")[1] for part in year.split("&")), now, zone)
    data = store.stats_data(1, *window)
    days = len(writer.db.execute("SELECT utc_day FROM stats_days").fetchall())
    print(f"{days} days summed up ({summed} just now), the rest of the window read from the visits")
    report("SQL: stats_data (summaries + live)", timed(lambda: store.stats_data(1, *window), args.runs))
    report("Python: compute (from fetched data)", timed(lambda: compute(data, greet_target=120, acknowledge_target=30,
                                                                       zone=zone, window=window), args.runs))
    report("GET /api/v1/stats (full year)",
           timed(lambda: client.get(f"/api/v1/stats?{year}", headers=headers), args.runs))
    report("GET /api/v1/stats (last 30 days)", timed(lambda: client.get("/api/v1/stats", headers=headers), args.runs))
    browser = app.test_client()
    with browser.session_transaction() as session:
        app.extensions["gastgeber"].sessions.sign_in(session, "manager", token_hash=hash_token(token))
    report("GET /stats page (full year)", timed(lambda: browser.get(f"/stats?{year}"), args.runs))
    body = client.get(f"/api/v1/stats?{year}", headers=headers).get_json()
    print("new keys: alert_delivery_ms", body["alert_delivery_ms"], "reached nobody", body["alert_reached_nobody_pct"],
          "%, kinds", [row["kind"] for row in body["alert_delivery_by_kind"]],
          "topics", [row["topic"] or row["group"] for row in body["by_topic"]])
    rows = []

    def export() -> None:
        response = client.get(f"/api/v1/stats.csv?{year}", headers=headers)
        rows.append(sum(chunk.count(b"\n") for chunk in response.response) - 1)  # streamed: read chunk by chunk

    csv_times = timed(export, max(3, args.runs // 2))
    report("GET /api/v1/stats.csv (full year)", csv_times)
    print(f"{'CSV rows/s (streamed, full year)':<38} {rows[-1] / (statistics.median(csv_times) / 1000):,.0f} "
          f"rows/s ({rows[-1]:,} rows)")
    report("GET /api/v1/stats, reason filter (live)", timed(
        lambda: client.get(f"/api/v1/stats?{year}&reason=least_loaded", headers=headers), args.runs))
    with writer.transaction():  # as on a fresh import, before the scheduler summed anything up
        writer.db.execute("DELETE FROM stats_days")
        writer.db.execute("DELETE FROM stats_hours")
    report("SQL: stats_data (no summaries: all live)", timed(lambda: store.stats_data(1, *window), args.runs))
    report("GET /api/v1/stats (full year, all live)",
           timed(lambda: client.get(f"/api/v1/stats?{year}", headers=headers), args.runs))


if __name__ == "__main__":
    main()
