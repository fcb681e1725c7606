"""Does a manager's full-year stats slow the door? (issue #18: at most +20 % on the check-in p99)

    .venv/bin/python bench/stats_beside_checkins.py [--rate 100] [--duration 20] [--rounds 3] [--db PATH]

A year of a busy site (`gastgeber demo-data`, ≥ 200,000 visits, the past days summed up as
the scheduler does), `gastgeber serve` on loopback (bench/latency.py's config), the demo
site's three hosts each with a board (python-socketio, acking `visit.arrived`), its kiosk
checking in at --rate a second (open loop). Phases alternate A (check-ins only) and B (the
same, while a manager's client asks for the full-year `GET /api/v1/stats` again as soon as
each answer is in), --rounds times; latency = check-in POST → the assigned host's board
hears `visit.arrived`. Prints each phase, the medians of A's and B's p50/p99, their ratio,
and how many stats answers B got and how long each took.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import requests
from latency import PY, ROOT, Boards, Phase, Server, Target, cpu_model, write_config


def year_database(db: Path, days: int, per_day: int) -> None:
    if db.exists():
        return
    started = time.monotonic()
    made = subprocess.run([PY, "-m", "kiosk", "demo-data", "--days", str(days), "--per-day", str(per_day),
                           "--db", str(db)], capture_output=True, text=True, check=True, cwd=ROOT)
    print(made.stdout.strip(), f"({time.monotonic() - started:.0f} s)", flush=True)


def start(workdir: Path, db: Path) -> tuple[Target, str]:
    """The server, and the demo site's credentials for boards, kiosk and manager."""
    config = workdir / "gastgeber.toml"
    write_config(config, db)
    credentials = json.loads(subprocess.run([PY, "-m", "kiosk", "demo-credentials", "--json", "--db", str(db)],
                                            capture_output=True, text=True, check=True, cwd=ROOT).stdout)
    server = Server([PY, "-m", "kiosk", "serve", "--db", str(db), "--config", str(config)], workdir, "gastgeber")
    target = Target()
    target.name, target.mode, target.parts = "gastgeber", "eventlet", [server]
    target.urls, target.pids = [server.url], [server.pid]
    target.boards = [(host["id"], host["token"]) for host in credentials["hosts"]]
    target.kiosk_tokens = [credentials["kiosk"]["token"]]
    return target, credentials["manager"]["token"]


class StatsAsker:
    """A manager's client asking for the full year again and again, in a process of its own at
    nice 19 (a manager's browser is not on the server: in this process its HTTP and JSON work
    would take the GIL from the kiosk's senders between their timestamp and their POST)."""

    def __init__(self, url: str, token: str):
        today = time.gmtime()
        self.url = (f"{url}/api/v1/stats?from={today.tm_year - 1}-{today.tm_mon:02d}-{today.tm_mday:02d}"
                    f"&to={today.tm_year}-{today.tm_mon:02d}-{today.tm_mday:02d}")
        self.headers = {"Authorization": f"Bearer {token}"}
        self.times: list[float] = []
        self.failed = 0
        self.stopping = mp.Event()
        self.answers = mp.Queue()
        self.process = mp.Process(target=ask_again_and_again, args=(self.url, self.headers, self.stopping,
                                                                    self.answers), daemon=True)

    def __enter__(self):
        self.process.start()
        return self

    def __exit__(self, *_):
        self.stopping.set()
        self.times, self.failed = self.answers.get(timeout=120)
        self.process.join()


def ask_again_and_again(url: str, headers: dict, stopping, answers) -> None:
    os.nice(19)
    session, times, failed = requests.Session(), [], 0
    while not stopping.is_set():
        started = time.monotonic()
        answer = session.get(url, headers=headers, timeout=60)
        if answer.status_code == 200 and answer.json().get("visits"):
            times.append((time.monotonic() - started) * 1000)
        else:
            failed += 1
    answers.put((times, failed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=640)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--duration", type=float, default=20, help="seconds per phase")
    parser.add_argument("--rounds", type=int, default=3, help="A B pairs")
    parser.add_argument("--db", type=Path, help="reuse (or create) this year's database")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}, load average before {os.getloadavg()}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="gastgeber-stats-beside-"))
    db = args.db or workdir / "year.db"
    year_database(db, args.days, args.per_day)
    target, manager_token = start(workdir, db)
    boards = Boards(target, procs=1, concurrency=3, connect_timeout=60)
    phases, asked = [], []
    try:
        for round_number in range(args.rounds):
            for label in ("A", "B"):
                phase = Phase(target, boards, f"{label}{round_number}")
                if label == "A":
                    result = phase.measure(lambda phase=phase: phase.run_rate(args.rate, args.duration))
                else:
                    with StatsAsker(target.urls[0], manager_token) as asker:
                        result = phase.measure(lambda phase=phase: phase.run_rate(args.rate, args.duration))
                    asked.append(asker)
                    result["stats"] = len(asker.times)
                result["label"] = label
                phases.append(result)
                stats = f"  stats answers {result['stats']}" if label == "B" else ""
                print(f"    {label} round {round_number}: rate {result['rate']:6.1f}/s  p50 {result['p50']:6.2f}  "
                      f"p99 {result['p99']:6.2f}  max {result['max']:7.2f} ms  lost {result['lost']}  "
                      f"5xx {result['5xx']}  err {result['errors']}  srvCPU {result['server_cpu_pct']:5.1f}%{stats}",
                      flush=True)
    finally:
        boards.close()
        target.stop()
    print_summary(phases, asked, args)


def print_summary(phases: list[dict], asked: list[StatsAsker], args) -> None:
    print(f"\nload average after {os.getloadavg()}\n")
    print(f"Check-in → board `visit.arrived` at {args.rate:g}/s, {args.duration:g} s a phase, "
          f"{args.rounds} rounds A B, ms (median over the rounds)\n")
    print("| phase | p50 | p90 | p99 | max | lost | 5xx | server CPU |\n|---|---|---|---|---|---|---|---|")
    medians = {}
    for label, name in (("A", "A: check-ins only"), ("B", "B: and full-year stats back to back")):
        mine = [p for p in phases if p["label"] == label]
        medians[label] = {key: statistics.median(p[key] for p in mine)
                          for key in ("p50", "p90", "p99", "max", "server_cpu_pct")}
        m = medians[label]
        print(f"| {name} | {m['p50']:.1f} | {m['p90']:.1f} | {m['p99']:.1f} | {m['max']:.1f} | "
              f"{sum(p['lost'] for p in mine)} | {sum(p['5xx'] for p in mine)} | {m['server_cpu_pct']:.0f} % |")
    times = [t for asker in asked for t in asker.times]
    print(f"\nB's p99 over A's: {medians['B']['p99'] / medians['A']['p99']:.2f} (goal ≤ 1.20); p99 of each phase: "
          + ", ".join(f"{p['label']} {p['p99']:.1f}" for p in phases))
    if times:
        print(f"full-year stats answers during B: {len(times)}, median {statistics.median(times):.0f} ms, "
              f"max {max(times):.0f} ms, failed {sum(asker.failed for asker in asked)}")


if __name__ == "__main__":
    main()
