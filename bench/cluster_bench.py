"""Four `gastgeber serve` processes behind a real nginx, one SQLite file, Redis between them.

    .venv/bin/python bench/cluster_bench.py                       # 1,000 boards over 40 sites, ~3 min
    .venv/bin/python bench/cluster_bench.py --boards 100 --sites 4 --processes 2 --duration 10

The setup: `--sites` sites of `--boards`/`--sites` hosts each (every host its own token, every
site its own kiosk); `--processes` servers on their own loopback ports with `--message-queue`
pointing at one redis-server; Debian's nginx (tests/support/nginx.py: a generated config in a
temp dir, on a free loopback port) in front of them, round robin, websocket upgrade headers.
The boards connect through nginx with the websocket transport only: one upgraded connection
is the whole Socket.IO session, so no sticky sessions are needed (long-polling, which browsers
start with, would need `hash <per-client key> consistent;` in the upstream). They are the
asyncio clients of bench/latency.py spread over `--client-procs` processes, but they reconnect
(python-socketio's default backoff) and read the snapshot they get on reconnecting.

Check-ins go through nginx too (so round robin spreads them over the processes), each site's
from its own kiosk, and a check-in answered 502 or not at all is sent again with the same
`client_id`, as the kiosk's queue does (the server answers the visit it already has).

Phases: sequential; open loop at `--rate` for `--duration` s; the same again while the process
holding the scheduler's lock is killed with SIGKILL a third of the way in. An alert counts
when the assigned host's board receives `visit.arrived` or, for a board that was away, finds
the visit in the snapshot it gets on reconnecting (shown apart as "via snapshot"); lost is
neither within 30 s of the phase's end (later than 10 s is
counted apart as "over 10 s"). Per phase: p50/p90/p99/max, lost, rate, CPU of each
server, nginx and redis-server, and from Redis's INFO commandstats the PUBLISHes (calls,
µs each) and redis-server's CPU per published message.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.latency import (  # noqa: E402 -- after the path: bench/ is run as a script
    IGNORED_EVENTS,
    PY,
    Redis,
    Server,
    cpu_model,
    machine_busy,
    percentile,
    proc_cpu_seconds,
    write_config,
)
from tests.support.nginx import Nginx  # noqa: E402

SNAPSHOT_IGNORED = tuple(e for e in IGNORED_EVENTS if e != '["board.snapshot"')


# ----------------------------------------------------------------------------- setup

def setup_sites(db: Path, sites: int, per_site: int) -> tuple[list[tuple[int, str, int]], list[str]]:
    """`sites` sites of `per_site` hosts and one kiosk each, straight through the store (a fixed
    PIN hash: a thousand scrypt hashes would take minutes). Returns the boards (host id, token,
    site index) and each site's kiosk token."""
    code = f"""
import json, sys
sys.path.insert(0, {str(ROOT)!r})
from kiosk.domain import people as team
from kiosk.clock import SystemClock, to_iso
from kiosk.store import Store
fixed = team.hash_pin("000000")
team.hash_pin = lambda pin: fixed
store = Store({str(db)!r}); store.migrate()
clock = SystemClock()
boards, kiosks = [], []
for s in range({sites}):
    site = f"site-{{s:02d}}"
    store.ensure_site(site, to_iso(clock.now()))
    for h in range({per_site}):
        host = team.add_person(store, clock, "host", f"Host {{s:02d}}-{{h:02d}}", site)
        boards.append([host["id"], host["token"], s])
    kiosks.append(team.add_person(store, clock, "kiosk", f"Door {{s:02d}}", site)["token"])
print(json.dumps({{"boards": boards, "kiosks": kiosks}}))
"""
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    data = json.loads(out.stdout)
    return [tuple(b) for b in data["boards"]], data["kiosks"]


class Cluster:
    def __init__(self, workdir: Path, processes: int, sites: int, per_site: int, mode: str):
        db, config = workdir / "gastgeber.db", workdir / "gastgeber.toml"
        write_config(config, db)
        self.db = db
        self.boards, self.kiosks = setup_sites(db, sites, per_site)
        self.redis = Redis(workdir)
        environment = {**os.environ, "GASTGEBER_ASYNC_MODE": mode}
        command = [PY, "-m", "kiosk", "serve", "--db", str(db), "--config", str(config),
                   "--message-queue", self.redis.url]
        self.servers = [Server(command, workdir, f"serve-{i}", env=environment) for i in range(processes)]
        program = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
        if program is None:
            raise SystemExit("needs nginx (Debian package nginx; .ci/run installs it)")
        nginx_dir = workdir / "nginx"
        nginx_dir.mkdir()
        self.nginx = Nginx(program, nginx_dir, [s.port for s in self.servers])
        self.nginx.start()
        self.url = self.nginx.url

    def alive(self) -> list[Server]:
        return [s for s in self.servers if s.process.poll() is None]

    def leader_pid(self) -> int | None:
        with sqlite3.connect(self.db) as conn:
            row = conn.execute("SELECT holder FROM locks WHERE name = 'scheduler'").fetchone()
        return int(row[0].split(":")[1]) if row else None

    def boards_by_pid(self) -> dict[int, int]:
        with sqlite3.connect(self.db) as conn:
            rows = conn.execute("SELECT process_id, COUNT(*) FROM board_connections GROUP BY process_id").fetchall()
        return {int(p.split(":")[1]): n for p, n in rows}

    def redis_info(self) -> dict:
        import redis
        client = redis.Redis.from_url(self.redis.url)
        stats = client.info("commandstats").get("cmdstat_publish", {"calls": 0, "usec": 0})
        cpu = client.info("cpu")
        dropped = client.info("stats").get("client_output_buffer_limit_disconnections", 0)
        client.close()
        return {"publish_calls": stats["calls"], "publish_usec": stats["usec"],
                "cpu": cpu["used_cpu_user"] + cpu["used_cpu_sys"], "subscribers_dropped": dropped}

    def stop(self) -> None:
        self.nginx.stop()
        for server in self.servers:
            server.stop()
        self.redis.stop()


# ----------------------------------------------------------------------------- boards

class Json:
    """bench/latency.py's LazyJson, but board.snapshot is read: a reconnecting board looks in it."""

    @staticmethod
    def loads(text, *args, **kwargs):
        if isinstance(text, str) and text.startswith(SNAPSHOT_IGNORED):
            return [text[2:text.index('"', 2)], None]
        return json.loads(text, *args, **kwargs)

    dumps = staticmethod(json.dumps)


def board_worker(boards, url, receipts, control, stop, concurrency):
    asyncio.run(_boards(boards, url, receipts, control, stop, concurrency))


async def _boards(boards, url, receipts, control, stop, concurrency):
    import socketio

    slots = asyncio.Semaphore(concurrency)
    connected, failures = [], []

    async def make(host_id, token):
        sio = socketio.AsyncClient(json=Json)
        state = {"away": False}

        @sio.on("visit.arrived")
        async def arrived(data):
            receipts.put((host_id, data["visit"]["id"], time.monotonic(), "live"))
            return True

        @sio.on("board.snapshot")
        async def snapshot(data):
            if state["away"]:
                state["away"] = False
                now = time.monotonic()
                control.put(("back", host_id, now))
                for visit in data["visits"]:
                    if (visit.get("host") or {}).get("id") == host_id:
                        receipts.put((host_id, visit["id"], now, "snapshot"))

        @sio.on("disconnect")
        async def gone(*_):
            state["away"] = True
            control.put(("gone", host_id, time.monotonic()))

        async with slots:
            for attempt in range(3):
                try:
                    await sio.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=60)
                    connected.append(sio)
                    return
                except Exception:
                    await asyncio.sleep(0.5 * (attempt + 1))
        failures.append(host_id)

    await asyncio.gather(*(make(host_id, token) for host_id, token, _site in boards))
    control.put(("ready", len(connected), len(failures)))
    await asyncio.get_running_loop().run_in_executor(None, stop.wait)
    os._exit(0)


class Boards:
    def __init__(self, cluster: Cluster, procs: int, concurrency: int):
        ctx = mp.get_context("fork")
        self.receipts, self.control, self.stop_event = ctx.Queue(), ctx.Queue(), ctx.Event()
        self.workers = [ctx.Process(target=board_worker, daemon=True,
                                    args=(cluster.boards[k::procs], cluster.url, self.receipts, self.control,
                                          self.stop_event, concurrency)) for k in range(procs)]
        started = time.monotonic()
        for worker in self.workers:
            worker.start()
        self.connected = self.failed = 0
        self.gone, self.back = [], []
        self.away_hosts: set[int] = set()  # hosts one of whose boards lost its connection
        ready = 0
        while ready < procs:
            message = self.control.get(timeout=300)
            if message[0] == "ready":
                ready += 1
                self.connected += message[1]
                self.failed += message[2]
            else:
                self._note(message)
        self.connect_seconds = time.monotonic() - started
        self.arrivals: dict[int, tuple[int, float, str]] = {}
        self.cond = threading.Condition()
        self.running = True
        threading.Thread(target=self._drain, daemon=True).start()

    def _note(self, message) -> None:
        (self.gone if message[0] == "gone" else self.back).append(message[2])
        if message[0] == "gone":
            self.away_hosts.add(message[1])

    def _drain(self) -> None:
        while self.running:
            try:
                host_id, visit_id, at, via = self.receipts.get(timeout=0.2)
            except queue.Empty:
                continue
            with self.cond:
                self.arrivals.setdefault(visit_id, (host_id, at, via))
                self.cond.notify_all()

    def events(self) -> None:
        while True:
            try:
                self._note(self.control.get_nowait())
            except queue.Empty:
                return

    def wait_for(self, visit_id: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.cond:
            while visit_id not in self.arrivals:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(left)
        return True

    def cpu(self) -> float:
        return sum(proc_cpu_seconds(w.pid) for w in self.workers if w.is_alive())

    def close(self) -> None:
        self.stop_event.set()
        for worker in self.workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.kill()
        self.running = False


# ----------------------------------------------------------------------------- load

class Phase:
    def __init__(self, cluster: Cluster, boards: Boards, label: str):
        self.cluster, self.boards, self.label = cluster, boards, label
        self.slug = "".join(c if c.isalnum() else "-" for c in label)
        self.sent = []  # (visit id, host id, t0, status, attempts)
        self.lock = threading.Lock()

    def post(self, session: requests.Session, i: int) -> None:
        site = i % len(self.cluster.kiosks)
        body = {"name": f"Guest {i}", "client_id": f"cluster-{self.slug}-{i}"}
        headers = {"Authorization": f"Bearer {self.cluster.kiosks[site]}"}
        t0, status, visit = time.monotonic(), 0, None
        for attempt in range(1, 11):  # the kiosk's queue: the same client_id again until answered
            try:
                answer = session.post(f"{self.cluster.url}/api/v1/checkins", json=body, headers=headers, timeout=10)
                status = answer.status_code
                if status in (200, 201):
                    visit = answer.json()["visit"]
                    break
                if status < 500:
                    break
            except requests.RequestException:
                status = 0
            time.sleep(0.2 * attempt)
        record = ((visit or {}).get("id"), ((visit or {}).get("host") or {}).get("id"), t0, status, attempt)
        with self.lock:
            self.sent.append(record)

    def sequential(self, count: int) -> None:
        session = requests.Session()
        for i in range(count):
            self.post(session, i)
            if self.sent[-1][0] is not None:
                self.boards.wait_for(self.sent[-1][0], 2.0)

    def open_loop(self, rate: float, seconds: float, during=None, senders: int = 32) -> None:
        total, start = int(rate * seconds), time.monotonic() + 0.2
        counter = iter(range(total))
        counter_lock = threading.Lock()

        def sender():
            session = requests.Session()
            while True:
                with counter_lock:
                    i = next(counter, None)
                if i is None:
                    return
                pause = start + i / rate - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                self.post(session, i)

        threads = [threading.Thread(target=sender, daemon=True) for _ in range(senders)]
        for thread in threads:
            thread.start()
        if during is not None:
            during(start)
        for thread in threads:
            thread.join()

    def measure(self, run, grace: float = 30.0) -> dict:
        servers = self.cluster.alive()
        cpu0 = {s.pid: proc_cpu_seconds(s.pid) for s in servers}
        nginx = [self.cluster.nginx.process.pid, *self.cluster.nginx.worker_pids()]
        nginx0 = sum(proc_cpu_seconds(p) for p in nginx)
        redis0, info0 = proc_cpu_seconds(self.cluster.redis.process.pid), self.cluster.redis_info()
        client0 = self.boards.cpu() + time.process_time()
        busy0, all0 = machine_busy()
        wall0 = time.monotonic()
        run()
        wall = time.monotonic() - wall0
        cpu = {s.pid: 100 * (proc_cpu_seconds(s.pid) - cpu0[s.pid]) / wall for s in servers}  # a killed one: till then
        killed = [s.pid for s in servers if s.process.poll() is not None]
        nginx_cpu = 100 * (sum(proc_cpu_seconds(p) for p in nginx) - nginx0) / wall
        redis_cpu_s = proc_cpu_seconds(self.cluster.redis.process.pid) - redis0
        info1 = self.cluster.redis_info()
        client_cpu = 100 * (self.boards.cpu() + time.process_time() - client0) / wall
        busy1, all1 = machine_busy()
        deadline = time.monotonic() + grace  # a slow alert is late, not lost: see "over 10 s"
        for visit_id, *_ in self.sent:
            if visit_id is not None:
                self.boards.wait_for(visit_id, max(0.0, deadline - time.monotonic()))
        latencies, lost, via_snapshot, misrouted, lost_list = [], 0, 0, 0, []
        for visit_id, host_id, t0, _status, _attempts in self.sent:
            if visit_id is None:
                continue
            got = self.boards.arrivals.get(visit_id)
            if got is None:
                lost += 1
                lost_list.append((visit_id, host_id, t0, _attempts))
                continue
            misrouted += got[0] != host_id
            via_snapshot += got[2] == "snapshot"
            latencies.append((got[1] - t0) * 1000)
        publishes = info1["publish_calls"] - info0["publish_calls"]
        answered = sum(v is not None for v, *_ in self.sent)
        return {
            "phase": self.label, "sent": len(self.sent), "answered": answered,
            "unanswered": len(self.sent) - answered,
            "statuses": sorted({status for *_, status, _attempts in self.sent}),
            "retried": sum(a > 1 for *_, a in self.sent),
            "lost": lost, "via_snapshot": via_snapshot, "misrouted": misrouted, "rate": len(self.sent) / wall,
            "p50": percentile(latencies, 50), "p90": percentile(latencies, 90), "p99": percentile(latencies, 99),
            "max": max(latencies) if latencies else float("nan"),
            "over_10s": sum(ms > 10_000 for ms in latencies),
            "server_cpu": cpu, "killed": killed, "nginx_cpu": nginx_cpu, "redis_cpu": 100 * redis_cpu_s / wall,
            "client_cpu": client_cpu, "machine_busy": 100 * (busy1 - busy0) / max(1, all1 - all0),
            "publishes": publishes, "publishes_per_checkin": publishes / max(1, answered),
            "publish_usec_each": (info1["publish_usec"] - info0["publish_usec"]) / max(1, publishes),
            "redis_cpu_us_per_publish": 1e6 * redis_cpu_s / max(1, publishes),
            "lost_visits": lost_list,
            "subscribers_dropped": info1["subscribers_dropped"] - info0["subscribers_dropped"],
        }


def kill_leader(cluster: Cluster, boards: Boards, at: float, report: dict):
    """During a phase: SIGKILL the scheduler's leader at `at`; note who led before and after,
    how many boards it held, and how long its boards and the leadership took to move."""
    def run(start: float) -> None:
        time.sleep(max(0.0, start + at - time.monotonic()))
        before = cluster.leader_pid()
        held = cluster.boards_by_pid().get(before, 0)
        boards.events()
        gone0, back0 = len(boards.gone), len(boards.back)
        killed_at = time.monotonic()
        os.kill(before, signal.SIGKILL)
        after = None
        while time.monotonic() - killed_at < 30:
            after = cluster.leader_pid()
            if after not in (None, before):
                break
            time.sleep(0.1)
        leader_moved = time.monotonic() - killed_at
        report.update(leader_before=before, leader_after=after, leader_moved_s=leader_moved, boards_held=held,
                      killed_at=killed_at, gone0=gone0, back0=back0)
    return run


def finish_kill_report(boards: Boards, report: dict, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        boards.events()
        if len(boards.back) - report["back0"] >= len(boards.gone) - report["gone0"] > 0:
            break
        time.sleep(0.2)
    gone = boards.gone[report["gone0"]:]
    back = boards.back[report["back0"]:]
    report.update(disconnected=len(gone), reconnected=len(back),
                  all_back_s=(max(back) - report["killed_at"]) if back else float("nan"))


# ----------------------------------------------------------------------------- report

def table(processes: int, rows: list[dict], pids: list[int]) -> str:
    lines = ["| phase | sent | rate/s | p50 | p90 | p99 | max | lost | over 10 s | via snapshot | retried | "
             + " | ".join(f"CPU serve {i}" for i in range(processes))
             + " | nginx CPU | redis CPU | clients CPU | machine busy | PUBLISH per check-in | µs per PUBLISH "
             "(Redis's own) | redis CPU per PUBLISH |",
             "|---|" + "---|" * (17 + processes)]
    for r in rows:
        cpus = " | ".join((f"{r['server_cpu'][p]:.0f} %" + (" (killed)" if p in r["killed"] else ""))
                          if p in r["server_cpu"] else "—" for p in pids)
        lines.append(f"| {r['phase']} | {r['sent']} | {r['rate']:.0f} | {r['p50']:.1f} | {r['p90']:.1f} | "
                     f"{r['p99']:.1f} | {r['max']:.1f} | {r['lost']} | {r['over_10s']} | "
                     f"{r['via_snapshot']} | {r['retried']} | {cpus} | "
                     f"{r['nginx_cpu']:.0f} % | {r['redis_cpu']:.0f} % | {r['client_cpu']:.0f} % | "
                     f"{r['machine_busy']:.0f} % | {r['publishes_per_checkin']:.1f} | {r['publish_usec_each']:.1f} | "
                     f"{r['redis_cpu_us_per_publish']:.0f} µs |")
    return "\n".join(lines)


def print_lost(rows: list[dict], boards: Boards, report: dict) -> None:
    """Where the lost alerts were: the host's board away or not, sent how long after the kill."""
    for row in rows:
        if not row["lost_visits"]:
            continue
        away = sum(host in boards.away_hosts for _, host, _, _ in row["lost_visits"])
        offsets = sorted(t0 - report.get("killed_at", t0) for _, _, t0, _ in row["lost_visits"])
        print(f"  lost in {row['phase']}: {len(offsets)}, of which {away} to a host whose board was away; "
              f"sent {offsets[0]:+.1f} … {offsets[-1]:+.1f} s after the kill "
              f"(median {offsets[len(offsets) // 2]:+.1f}); "
              f"retried {sum(a > 1 for *_, a in row['lost_visits'])}; ids {[v for v, *_ in row['lost_visits'][:8]]}")


def main() -> None:
    args = parse_args()
    per_site = args.boards // args.sites
    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}; load average before {os.getloadavg()}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="gastgeber-cluster-"))
    cluster = boards = None
    try:
        started = time.monotonic()
        cluster = Cluster(workdir, args.processes, args.sites, per_site, args.async_mode)
        print(f"{args.processes} × serve, redis-server and nginx up with {len(cluster.boards)} hosts over "
              f"{args.sites} sites in {time.monotonic() - started:.1f} s; nginx at {cluster.url}", flush=True)
        boards = Boards(cluster, args.client_procs, args.connect_concurrency)
        time.sleep(2.0)  # the sign-in broadcasts of a thousand boards settle before measuring
        print(f"{boards.connected} boards connected through nginx in {boards.connect_seconds:.1f} s "
              f"({boards.failed} failed); per process {sorted(cluster.boards_by_pid().values())}", flush=True)
        pids = [s.pid for s in cluster.servers]
        rows, report = [], {}
        phase = Phase(cluster, boards, "seq")
        rows.append(phase.measure(lambda: phase.sequential(args.seq_count)))
        phase = Phase(cluster, boards, f"{args.rate:g}/s")
        rows.append(phase.measure(lambda: phase.open_loop(args.rate, args.duration)))
        phase = Phase(cluster, boards, f"{args.rate:g}/s, leader killed")
        rows.append(phase.measure(lambda: phase.open_loop(args.rate, args.duration,
                                                          kill_leader(cluster, boards, args.duration / 3, report))))
        finish_kill_report(boards, report)
        print_lost(rows, boards, report)
        for row in rows:
            figures = {k: v for k, v in row.items() if k not in ("phase", "lost_visits")}
            print(f"  {row['phase']}: {json.dumps(figures)}")
        print(f"\nload average after {os.getloadavg()}\n")
        print(table(args.processes, rows, pids))
        print(f"\nkilled serve {pids.index(report['leader_before'])} (pid {report['leader_before']}, the scheduler's "
              f"leader, {report['boards_held']} boards) {args.duration / 3:.0f} s into the phase; the leader after: "
              f"serve {pids.index(report['leader_after']) if report['leader_after'] in pids else '?'} "
              f"(pid {report['leader_after']}), {report['leader_moved_s']:.1f} s later; "
              f"{report['disconnected']} boards "
              f"disconnected, {report['reconnected']} reconnected through nginx, the last "
              f"{report['all_back_s']:.1f} s after the kill; boards per process now "
              f"{sorted(cluster.boards_by_pid().values())} (the dead one's rows stay until they are stale)")
        if args.json:
            args.json.write_text(json.dumps({"rows": rows, "kill": report, "pids": pids}, indent=1, default=str))
    finally:
        if boards is not None:
            boards.close()
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--boards", type=int, default=1000, help="boards (hosts), spread evenly over the sites")
    parser.add_argument("--sites", type=int, default=40)
    parser.add_argument("--processes", type=int, default=4, help="`gastgeber serve` processes behind nginx")
    parser.add_argument("--rate", type=float, default=50, help="check-ins/s in the open-loop phases")
    parser.add_argument("--duration", type=float, default=20, help="seconds of each open-loop phase")
    parser.add_argument("--seq-count", type=int, default=200)
    parser.add_argument("--client-procs", type=int, default=4)
    parser.add_argument("--connect-concurrency", type=int, default=8, help="concurrent connects per client process")
    parser.add_argument("--async-mode", default="eventlet", choices=["eventlet", "gevent"])
    parser.add_argument("--json", type=Path, help="write all figures here")
    return parser.parse_args()


if __name__ == "__main__":
    main()
