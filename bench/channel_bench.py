"""Channels (issue #14): how soon a channel hears a check-in, and what the outbox costs the board's alert.

    .venv/bin/python bench/channel_bench.py                      # both parts, the defaults below
    .venv/bin/python bench/channel_bench.py --hosts 1,50 --receipts 200 --rounds 3 --ab-count 200

Part 1, check-in → channel receipt. For each number of hosts (--hosts): a fresh database
with one site of that many hosts, a kiosk and a manager; `gastgeber serve` on a free
loopback port; every host adds one channel (`when: "unconfirmed"`, the default) pointing at
a JSON receiver on loopback (`json://127.0.0.1:PORT/h<host id>`, allowed by
`notify_allow_private_addresses`). No board is connected, so the contract sends at once.
Check-ins one after the other (the next once the previous one's notice arrived; the
assignment spreads them over the hosts): latency = the receiver's time of the notice
(on the path of the host named in the 201 answer, naming the guest) − the time just before
the POST. Both times are this process's time.monotonic().

Part 2, the outbox on the check-in path. One server, --ab-hosts hosts each with a board
connected (python-socketio clients, as bench/latency.py's boards: each acks `visit.arrived`);
sequential check-ins, latency = check-in → the board's `visit.arrived`. Phases alternate
A (no channels) and B (every host has a `when: "always"` channel, so each check-in queues
a notice and the sender posts it to the receiver meanwhile), --rounds times: A B A B …,
and the medians of the phases' p50/p99 are compared.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests
from latency import PY, ROOT, Boards, Phase, Server, Target, cpu_model, percentile

SETUP = """
import json, sys
sys.path.insert(0, {root!r})
from kiosk.clock import SystemClock
from kiosk.domain import people
from kiosk.store import Store
fixed = people.hash_pin("000000")
people.hash_pin = lambda pin: fixed  # n scrypt hashes would take a while
store = Store({db!r}); store.migrate()
clock = SystemClock()
store.ensure_site("main", "2026-01-01T00:00:00.000Z")
hosts = [people.add_person(store, clock, "host", f"Bench Host {{i:03d}}", "main") for i in range({n})]
kiosk = people.add_person(store, clock, "kiosk", "Bench Door", "main")
print(json.dumps({{"hosts": [{{"id": h["id"], "token": h["token"]}} for h in hosts], "kiosk": kiosk["token"]}}))
"""


class Receiver:
    """A JSON receiver on loopback (Apprise's `json://`) in a process of its own: every POST is kept
    there as (path, time, body). A thread of the measuring process would take its GIL to parse each
    notice's HTTP request while the next check-in is being posted and timed: a cost of the bench, not
    of the server (a real receiver, an ntfy server or a phone, is another machine). The questions go
    over a pipe; the times are time.monotonic(), one clock for every process on Linux."""

    def __init__(self):
        self.asking, answering = multiprocessing.Pipe()
        ready = multiprocessing.Queue()
        self.process = multiprocessing.Process(target=_receive, args=(answering, ready), daemon=True)
        self.process.start()
        self.port = ready.get(timeout=10)

    def _ask(self, *question):
        self.asking.send(question)
        return self.asking.recv()

    def wait_for(self, path: str, needle: str, after: float, timeout: float) -> float | None:
        """The time the first notice on `path` mentioning `needle` arrived (after `after`), or None."""
        return self._ask("wait_for", path, needle, after, timeout)

    def wait_until(self, count: int, timeout: float) -> None:
        self._ask("wait_until", count, timeout)

    def count(self) -> int:
        return self._ask("count")


def _receive(answering, ready) -> None:
    """The receiver process: an HTTP server on a thread, the questions answered on the main thread.
    At the lowest CPU priority (SCHED_IDLE, where Linux has it, else nice 19): on this machine's 2
    cores it stands for a receiver elsewhere, so it takes only what the server, the boards and the
    kiosk leave (its own receipt times can only come out later for it, never earlier)."""
    os.nice(19)
    if hasattr(os, "SCHED_IDLE"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    received: list[tuple[str, float, dict]] = []
    cond = threading.Condition()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            at = time.monotonic()
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            with cond:
                received.append((self.path, at, json.loads(body or b"{}")))
                cond.notify_all()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ready.put(server.server_address[1])

    def first(path, needle, after):
        for got_path, at, body in received:
            if got_path == path and at >= after and needle in json.dumps(body, ensure_ascii=False):
                return at
        return None

    def answer(question):
        if question[0] == "wait_for":
            _, path, needle, after, timeout = question
            cond.wait_for(lambda: first(path, needle, after) is not None, timeout)
            return first(path, needle, after)
        if question[0] == "wait_until":
            cond.wait_for(lambda: len(received) >= question[1], question[2])
            return None
        return len(received)

    while True:
        try:
            question = answering.recv()
        except EOFError:
            return
        with cond:
            answering.send(answer(question))


def start(workdir: Path, n_hosts: int) -> Target:
    db, config = workdir / "g.db", workdir / "g.toml"
    config.write_text(f'db = "{db}"\nkiosk_checkins_per_minute = 100000\naccess_log = false\n'
                      "escalate_after_seconds = 3600\nescalate_managers_after_seconds = 72000\n"
                      "notify_allow_private_addresses = true\nnotify_customer_names = true\n")
    made = json.loads(subprocess.run([PY, "-c", SETUP.format(root=str(ROOT), db=str(db), n=n_hosts)],
                                     capture_output=True, text=True, check=True, cwd=ROOT).stdout)
    target = Target()
    target.name = f"gastgeber, {n_hosts} hosts"
    server = Server([PY, "-m", "kiosk", "serve", "--db", str(db), "--config", str(config)], workdir, "gastgeber")
    target.parts, target.urls, target.pids = [server], [server.url], [server.pid]
    target.boards = [(h["id"], h["token"]) for h in made["hosts"]]
    target.kiosk_tokens = [made["kiosk"]]
    return target


def add_channels(target: Target, receiver: Receiver, when: str) -> list[tuple[str, int]]:
    """One channel per host, added by the host; (host token, channel id) of each."""
    made = []
    for host_id, token in target.boards:
        answer = requests.post(f"{target.urls[0]}/api/v1/channels", timeout=10,
                               headers={"Authorization": f"Bearer {token}"},
                               json={"url": f"json://127.0.0.1:{receiver.port}/h{host_id}", "when": when})
        if answer.status_code != 201:
            raise RuntimeError(f"adding a channel answered {answer.status_code}: {answer.text}")
        made.append((token, answer.json()["channel"]["id"]))
    return made


def remove_channels(target: Target, made: list[tuple[str, int]]) -> None:
    for token, channel_id in made:
        requests.delete(f"{target.urls[0]}/api/v1/channels/{channel_id}", timeout=10,
                        headers={"Authorization": f"Bearer {token}"}).raise_for_status()


def check_in(session: requests.Session, target: Target, name: str) -> tuple[float, dict]:
    started = time.monotonic()
    answer = session.post(f"{target.urls[0]}/api/v1/checkins", timeout=30,
                          headers={"Authorization": f"Bearer {target.kiosk_tokens[0]}"},
                          json={"name": name, "client_id": os.urandom(8).hex()})
    if answer.status_code != 201:
        raise RuntimeError(f"check-in answered {answer.status_code}: {answer.text}")
    return started, answer.json()["visit"]


def receipts(n_hosts: int, count: int, receiver: Receiver) -> dict:
    """Part 1: check-in → the channel's receipt, no board connected."""
    workdir = Path(tempfile.mkdtemp(prefix="gastgeber-channels-"))
    target = start(workdir, n_hosts)
    try:
        add_channels(target, receiver, "unconfirmed")
        latencies, lost = [], 0
        with requests.Session() as session:
            for i in range(count + 5):
                name = f"Guest {n_hosts}-{i}"
                started, visit = check_in(session, target, name)
                at = receiver.wait_for(f"/h{visit['host']['id']}", name, started, timeout=10)
                if i < 5:
                    continue  # warming up: the first sends load Apprise's plugins
                if at is None:
                    lost += 1
                else:
                    latencies.append((at - started) * 1000)
    finally:
        target.stop()
    return {"hosts": n_hosts, "sent": count, "lost": lost, **figures(latencies)}


def figures(latencies: list[float]) -> dict:
    return {"p50": percentile(latencies, 50), "p90": percentile(latencies, 90), "p99": percentile(latencies, 99),
            "max": max(latencies) if latencies else float("nan")}


def outbox_cost(args, receiver: Receiver) -> list[dict]:
    """Part 2: check-in → board alert, A (no channels) and B ("always" channels) alternating."""
    workdir = Path(tempfile.mkdtemp(prefix="gastgeber-channels-ab-"))
    target = start(workdir, args.ab_hosts)
    boards = None
    phases = []
    try:
        boards = Boards(target, procs=1, concurrency=4, connect_timeout=60)
        time.sleep(1.0)
        for round_number in range(args.rounds):
            for label in ("A", "B"):
                made = add_channels(target, receiver, "always") if label == "B" else []
                sent_before = receiver.count()
                phase = Phase(target, boards, f"{label}{round_number}")
                result = phase.measure(lambda phase=phase: phase.run_sequential(args.ab_count))
                if made:
                    receiver.wait_until(sent_before + args.ab_count, timeout=10)
                remove_channels(target, made)
                result.update(label=label, notices=receiver.count() - sent_before)
                phases.append(result)
                print(f"    {label} round {round_number}: p50 {result['p50']:6.2f}  p99 {result['p99']:6.2f}  "
                      f"max {result['max']:7.2f} ms  lost {result['lost']}  notices {result['notices']}", flush=True)
    finally:
        target.stop()
        if boards is not None:
            boards.close()
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", default="1,50", help="part 1: numbers of hosts with a channel, comma-separated")
    parser.add_argument("--receipts", type=int, default=200, help="part 1: check-ins measured per number of hosts")
    parser.add_argument("--ab-hosts", type=int, default=10, help="part 2: hosts, each with a board connected")
    parser.add_argument("--ab-count", type=int, default=200, help="part 2: check-ins per phase")
    parser.add_argument("--rounds", type=int, default=3, help="part 2: A B pairs")
    parser.add_argument("--only", choices=("receipts", "outbox"), help="run one part only")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}, load average before {os.getloadavg()}", flush=True)
    receiver = Receiver()
    rows = []
    if args.only != "outbox":
        for n in (int(n) for n in args.hosts.split(",")):
            rows.append(receipts(n, args.receipts, receiver))
            print(f"  {n} hosts: p99 {rows[-1]['p99']:.1f} ms", flush=True)
    phases = outbox_cost(args, receiver) if args.only != "receipts" else []
    print(f"\nload average after {os.getloadavg()}\n")
    if rows:
        print("Check-in → channel receipt (JSON receiver on loopback, no board connected), ms\n")
        print("| hosts with a channel | check-ins | lost | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['hosts']} | {r['sent']} | {r['lost']} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} | "
                  f"{r['max']:.1f} |")
    if phases:
        print_outbox_cost(phases, args)


def print_outbox_cost(phases: list[dict], args) -> None:
    print(f"\nCheck-in → board `visit.arrived`, {args.ab_hosts} hosts with a board, {args.ab_count} sequential "
          f"check-ins a phase, {args.rounds} rounds A B, ms (median over the rounds)\n")
    print("| phase | p50 | p90 | p99 | max | lost | notices sent |\n|---|---|---|---|---|---|---|")
    medians = {}
    for label, title in (("A", "A: no channels"), ("B", 'B: every host a "always" channel')):
        mine = [p for p in phases if p["label"] == label]
        medians[label] = {key: statistics.median(p[key] for p in mine) for key in ("p50", "p90", "p99", "max")}
        m = medians[label]
        print(f"| {title} | {m['p50']:.1f} | {m['p90']:.1f} | {m['p99']:.1f} | {m['max']:.1f} | "
              f"{sum(p['lost'] for p in mine)} | {sum(p['notices'] for p in mine)} |")
    print(f"\nB's p99 over A's: {medians['B']['p99'] / medians['A']['p99']:.3f} (goal ≤ 1.10); "
          f"p99 of each phase: " + ", ".join(f"{p['label']} {p['p99']:.1f}" for p in phases))


if __name__ == "__main__":
    main()
