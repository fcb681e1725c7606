"""Check-in → alert latency of Gastgeber beside the bare floor (bench/baseline_server.py).

    .venv/bin/python bench/latency.py                        # quick: N=1,100, short phases
    .venv/bin/python bench/latency.py --boards 1,100,500,1000 --goal-run
    .venv/bin/python bench/latency.py --boards 100 --two-process  # adds 2 × serve + Redis
    .venv/bin/python bench/latency.py --boards 500 --profile /tmp/prof --only gastgeber
    .venv/bin/python bench/latency.py --boards 100 --rates 50 --async-mode eventlet,gevent --repeat 2

For each N (boards connected, each signed in as a distinct host with its own token) and
each server (Gastgeber, the baseline, optionally two Gastgeber processes sharing Redis):

  * a fresh database and server on a free loopback port (access log off, the kiosk rate
    limit raised, escalation timers pushed out of the run: see write_config);
  * N python-socketio clients over the websocket transport, spread over --client-procs
    processes; every board acks `visit.arrived` (its handler returns a value) and puts
    (host id, visit id, time.monotonic()) on a multiprocessing queue — time.monotonic()
    is CLOCK_MONOTONIC, one clock for every process on Linux;
  * kiosk check-ins over HTTP (keep-alive): sequential (the next one after the previous
    alert arrived), then open-loop at fixed rates; latency = receipt time at the board of
    the host named in the 201 answer − time just before the POST.

Reports p50/p90/p99/max, lost alerts, achieved rate, non-2xx/5xx, server CPU, machine CPU
(so you can see when the client starves the server: 2 cores are shared), RSS before and
after connecting the boards, and event-loop lag from outside (a /healthz round trip every
50 ms during each phase; at idle it is ~1 ms, anything above is time the request waited
for the hub).

With --async-mode eventlet,gevent every server runs under each mode (Gastgeber through
GASTGEBER_ASYNC_MODE, the baseline with its own --async-mode), and with --repeat R the
whole round is run R times, the modes in turn (A B, then B A …); the side-by-side table
gives each figure's median over the repetitions, and each mode's ratio to its own floor.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import http.client
import itertools
import json
import math
import multiprocessing as mp
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
TICK = os.sysconf("SC_CLK_TCK")
IGNORED_EVENTS = ('["team.updated"', '["visit.updated"', '["board.snapshot"', '["visit.escalated"')


# ----------------------------------------------------------------------------- processes

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proc_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def proc_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited at start:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(f"{url}/healthz", timeout=1).ok:
                return
        except requests.RequestException:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer /healthz:\n{log.read_text()[-3000:]}")


class Server:
    """One server process (Gastgeber or baseline) on a free loopback port."""

    def __init__(self, command: list[str], workdir: Path, name: str, env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"{name}.log"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([*command, "--port", str(self.port)], cwd=ROOT, stdout=log,
                                            stderr=subprocess.STDOUT, env=env)
        wait_healthy(self.url, self.process, self.log)

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()  # SIGKILL: a graceful stop would tell N boards goodbye one by one
            self.process.wait()


class Redis:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


# ----------------------------------------------------------------------------- targets

def write_config(path: Path, db: Path) -> None:
    """What the bench changes from the defaults, and why:

    kiosk_checkins_per_minute  one kiosk sends up to 300/s here
    access_log                 off (the default): a log line per request is not the app
    escalate_*                 out of the run: thousands of unacknowledged visits would
                               otherwise escalate to the whole team 30 s in, which is a
                               separate load from check-in → alert
    """
    path.write_text(f'db = "{db}"\nkiosk_checkins_per_minute = 100000\naccess_log = false\n'
                    "escalate_after_seconds = 3600\nescalate_managers_after_seconds = 72000\n")


def setup_gastgeber_db(db: Path, config: Path, n_hosts: int, site_size: int = 0) -> tuple[list[dict], list[str]]:
    """Hosts up to n_hosts, straight through kiosk.store/kiosk.team (like `gastgeber init --demo`
    and `gastgeber host add`, with the deliberately slow PIN hash replaced by a fixed one: N
    scrypt hashes would take minutes). `site_size` 0: the demo site and every host in it (each
    change goes to all N boards); otherwise sites of that many hosts with a kiosk each, as a
    chain's server holds them (a change goes to the boards of one site). Returns the hosts
    and the kiosks' tokens."""
    code = f"""
import json, sys
sys.path.insert(0, {str(ROOT)!r})
from kiosk.domain import people as team
from kiosk.clock import SystemClock
from kiosk.store import Store
fixed = team.hash_pin("000000")
team.hash_pin = lambda pin: fixed
store = Store({str(db)!r}); store.migrate()
clock = SystemClock()
n, size = {n_hosts}, {site_size}
if size:
    hosts, kiosks = [], []
    for s in range(-(-n // size)):
        site = f"site{{s + 1:03d}}"
        for i in range(min(size, n - s * size)):
            hosts.append(team.add_person(store, clock, "host", f"Bench Host {{i:04d}}", site))
        kiosks.append(team.add_person(store, clock, "kiosk", "Bench Door", site)["token"])
else:
    demo = team.add_demo_site(store, clock)
    hosts, kiosks = demo["hosts"], [demo["kiosk"]["token"]]
    for i in range(len(hosts), n):
        hosts.append(team.add_person(store, clock, "host", f"Bench Host {{i:04d}}", "main"))
print(json.dumps({{"hosts": [{{"id": h["id"], "token": h["token"]}} for h in hosts], "kiosks": kiosks}}))
"""
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    data = json.loads(out.stdout)
    return data["hosts"][:n_hosts], data["kiosks"]


class Target:
    """A running server setup: urls for boards/check-ins, pids to watch, board credentials."""

    name: str
    urls: list[str]
    pids: list[int]
    boards: list[tuple[int, str]]  # (host id, token)
    kiosk_tokens: list[str]  # one per site; check-in i goes through kiosk i mod len (none: the baseline)

    def stop(self) -> None:
        for part in reversed(self.parts):
            part.stop()


def start_gastgeber(workdir: Path, n: int, processes: int = 1, mode: str = "eventlet", site_size: int = 0) -> Target:
    target = Target()
    target.name = "gastgeber" if processes == 1 else f"gastgeber×{processes}+redis"
    target.mode = mode
    environment = {**os.environ, "GASTGEBER_ASYNC_MODE": mode}
    db, config = workdir / "gastgeber.db", workdir / "gastgeber.toml"
    write_config(config, db)
    hosts, target.kiosk_tokens = setup_gastgeber_db(db, config, n, site_size)
    target.boards = [(h["id"], h["token"]) for h in hosts]
    target.parts = []
    queue_args = []
    if processes > 1:
        redis = Redis(workdir)
        target.parts.append(redis)
        queue_args = ["--message-queue", redis.url]
    for i in range(processes):
        command = [PY, "-m", "kiosk", "serve", "--db", str(db), "--config", str(config), *queue_args]
        target.parts.append(Server(command, workdir, f"gastgeber-{i}", env=environment))
    servers = [p for p in target.parts if isinstance(p, Server)]
    target.urls = [s.url for s in servers]
    target.pids = [s.pid for s in servers]
    return target


def start_baseline(workdir: Path, n: int, fanout: bool = False, mode: str = "eventlet") -> Target:
    target = Target()
    target.name = "baseline+fanout" if fanout else "baseline"
    target.mode = mode
    server = Server([PY, str(ROOT / "bench" / "baseline_server.py"), "--db", str(workdir / "floor.db"),
                     "--async-mode", mode, *(["--fanout"] if fanout else [])], workdir, f"{target.name}-{mode}")
    target.parts = [server]
    target.urls, target.pids = [server.url], [server.pid]
    target.boards = [(i + 1, f"host-{i + 1}") for i in range(n)]
    target.kiosk_tokens = []
    return target


# ----------------------------------------------------------------------------- boards

class LazyJson:
    """The boards' JSON: events they do not handle (team and visit updates broadcast to the
    whole site, snapshots) are not decoded, so N clients on 2 shared cores keep up with
    what the server sends. The server still encodes and sends every one of them."""

    @staticmethod
    def loads(text, *args, **kwargs):
        if isinstance(text, str) and text.startswith(IGNORED_EVENTS):
            return [text[2:text.index('"', 2)], None]
        return json.loads(text, *args, **kwargs)

    dumps = staticmethod(json.dumps)


def board_worker(boards, urls, receipts, control, stop, concurrency, deadline):
    """One client process: connect its boards, report, then hand over every alert.

    The boards are python-socketio AsyncClients on one asyncio loop (aiohttp websockets):
    with a thread per client (the synchronous Client) a few hundred boards that each receive
    every site-wide visit.updated took the cores before the server did."""
    asyncio.run(_connect_boards(boards, urls, receipts, control, stop, concurrency, deadline))


async def _connect_boards(boards, urls, receipts, control, stop, concurrency, deadline):
    import socketio

    clients, failures = [], []
    slots = asyncio.Semaphore(concurrency)

    async def make(index, host_id, token):
        sio = socketio.AsyncClient(reconnection=False, json=LazyJson)

        @sio.on("visit.arrived")
        async def arrived(data):
            receipts.put((host_id, data["visit"]["id"], time.monotonic()))
            return True  # the ack: Gastgeber records it as the delivery receipt

        @sio.on("disconnect")
        async def gone(*_):
            control.put(("gone", os.getpid(), host_id, 0))

        async with slots:
            for attempt in range(3):
                if time.monotonic() > deadline:
                    break
                try:
                    await sio.connect(urls[index % len(urls)], auth={"token": token}, transports=["websocket"],
                                      wait_timeout=60)
                    clients.append(sio)
                    return
                except Exception:
                    await asyncio.sleep(0.5 * (attempt + 1))
        failures.append(host_id)

    await asyncio.gather(*(make(index, host_id, token) for index, host_id, token in boards))
    control.put(("ready", os.getpid(), len(clients), len(failures)))
    await asyncio.get_running_loop().run_in_executor(None, stop.wait)
    os._exit(0)  # no goodbyes: the server is being killed anyway


class Boards:
    def __init__(self, target: Target, procs: int, concurrency: int, connect_timeout: float):
        ctx = mp.get_context("fork")
        self.receipts = ctx.Queue()
        self.control = ctx.Queue()
        self.stop_event = ctx.Event()
        indexed = [(i, host_id, token) for i, (host_id, token) in enumerate(target.boards)]
        procs = max(1, min(procs, len(indexed)))
        self.workers = [ctx.Process(target=board_worker, daemon=True,
                                    args=(indexed[k::procs], target.urls, self.receipts, self.control,
                                          self.stop_event, concurrency, time.monotonic() + connect_timeout))
                        for k in range(procs)]
        started = time.monotonic()
        for w in self.workers:
            w.start()
        self.connected = self.connect_errors = self.gone = 0
        ready = 0
        while ready < len(self.workers):
            kind, _pid, count, errors = self.control.get(timeout=connect_timeout + 120)
            if kind == "gone":
                self.gone += 1
                continue
            ready += 1
            self.connected += count
            self.connect_errors += errors
        self.connect_seconds = time.monotonic() - started
        self.arrivals: dict[int, tuple[int, float]] = {}  # visit id -> (host id, monotonic)
        self.misrouted = 0
        self.cond = threading.Condition()
        self.draining = True
        self.drainer = threading.Thread(target=self._drain, daemon=True)
        self.drainer.start()

    def _drain(self):
        while self.draining:
            try:
                host_id, visit_id, at = self.receipts.get(timeout=0.2)
            except queue.Empty:
                continue
            with self.cond:
                self.arrivals.setdefault(visit_id, (host_id, at))
                self.cond.notify_all()

    def wait_for(self, visit_id: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.cond:
            while visit_id not in self.arrivals:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(left)
            return True

    def live(self) -> int:
        """Boards connected and not (yet) disconnected by the server."""
        while True:
            try:
                kind, *_ = self.control.get_nowait()
            except queue.Empty:
                return self.connected - self.gone
            self.gone += kind == "gone"

    def cpu_seconds(self) -> float:
        total = 0.0
        for w in self.workers:
            try:
                total += proc_cpu_seconds(w.pid)
            except (FileNotFoundError, ProcessLookupError):
                pass
        return total

    def close(self):
        self.stop_event.set()
        for w in self.workers:
            w.join(timeout=5)
            if w.is_alive():
                w.kill()
        self.draining = False


# ----------------------------------------------------------------------------- load

class LagProbe:
    """/healthz round trips every 50 ms on their own connection(s), during a phase."""

    def __init__(self, urls):
        self.urls, self.samples, self.running = urls, [], True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        sessions = [requests.Session() for _ in self.urls]
        for i in itertools.count():
            if not self.running:
                return
            k = i % len(self.urls)
            start = time.monotonic()
            try:
                sessions[k].get(f"{self.urls[k]}/healthz", timeout=10)
                self.samples.append((time.monotonic() - start) * 1000)
            except requests.RequestException:
                self.samples.append(10_000.0)
            time.sleep(0.05)

    def stop(self) -> list[float]:
        self.running = False
        self.thread.join()
        return self.samples


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]  # nearest rank


class KioskConnections:
    """A kiosk's keep-alive HTTP connections, one per server (http.client). requests spends
    several times the CPU per call, and on 2 cores the load generator's CPU is taken from the
    server under test: a real kiosk is a tablet of its own."""

    def __init__(self, timeout: float = 30):
        self.timeout = timeout
        self.connections: dict[str, http.client.HTTPConnection] = {}

    def post_json(self, url: str, path: str, body: dict, headers: dict) -> tuple[int, dict | None]:
        """(status, the answer's JSON or None); status 0 when the server could not be reached."""
        data = json.dumps(body).encode()
        headers = {**headers, "Content-Type": "application/json", "Content-Length": str(len(data))}
        for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile is made again once
            connection = self._connection(url)
            try:
                connection.request("POST", path, body=data, headers=headers)
                answer = connection.getresponse()
                text = answer.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                self.connections.pop(url, None)
                if attempt == 2:
                    return 0, None
                continue
            try:
                return answer.status, json.loads(text) if text else None
            except ValueError:
                return answer.status, None
        return 0, None

    def _connection(self, url: str) -> http.client.HTTPConnection:
        if url not in self.connections:
            parts = urlsplit(url)
            self.connections[url] = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        return self.connections[url]


class Phase:
    """One load phase against a target: returns the figures."""

    def __init__(self, target: Target, boards: Boards, label: str):
        self.target, self.boards, self.label = target, boards, label
        self.sent = []  # (visit id or None, host id, t0, status)
        self.lock = threading.Lock()
        self.counter = itertools.count()
        self.late = []

    def post(self, kiosk: KioskConnections, i: int) -> None:
        url = self.target.urls[i % len(self.target.urls)]
        hosts = self.target.boards
        body = {"name": f"Bench Guest {i}", "client_id": f"b-{os.getpid()}-{self.label.replace('/', 'per')}-{i}",
                "bench_host": hosts[i % len(hosts)][0]}
        kiosks = self.target.kiosk_tokens
        headers = {"Authorization": f"Bearer {kiosks[i % len(kiosks)]}"} if kiosks else {}
        t0 = time.monotonic()
        status, answer = kiosk.post_json(url, "/api/v1/checkins", body, headers)
        visit = (answer or {}).get("visit") if status == 201 else None
        host = (visit or {}).get("host") or {}
        record = (visit["id"] if visit else None, host.get("id"), t0, status)
        with self.lock:
            self.sent.append(record)

    def run_sequential(self, count: int) -> None:
        kiosk = KioskConnections()
        for i in range(count):
            self.post(kiosk, i)
            visit_id = self.sent[-1][0]
            if visit_id is not None:
                self.boards.wait_for(visit_id, 1.0)

    def run_rate(self, rate: float, seconds: float, senders: int = 48) -> None:
        total = int(rate * seconds)
        start = time.monotonic() + 0.2
        stop_at = start + seconds + 2.0
        self.planned = total

        def sender():
            kiosk = KioskConnections()
            while True:
                i = next(self.counter)
                if i >= total or time.monotonic() > stop_at:
                    return  # a server that falls behind does not stretch the phase: unsent ones are counted
                due = start + i / rate
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                else:
                    self.late.append(-pause * 1000)
                self.post(kiosk, i)

        threads = [threading.Thread(target=sender, daemon=True) for _ in range(senders)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def measure(self, run, grace: float = 5.0) -> dict:
        pids = self.target.pids
        cpu0 = sum(proc_cpu_seconds(p) for p in pids)
        client0 = self.boards.cpu_seconds() + time.process_time()
        busy0, total0 = machine_busy()
        probe = LagProbe(self.target.urls)
        wall0 = time.monotonic()
        run()
        wall = time.monotonic() - wall0
        lag = probe.stop()
        cpu = sum(proc_cpu_seconds(p) for p in pids) - cpu0
        client = self.boards.cpu_seconds() + time.process_time() - client0
        busy1, total1 = machine_busy()
        # wait for stragglers
        deadline = time.monotonic() + grace
        for visit_id, *_ in self.sent:
            if visit_id is not None:
                self.boards.wait_for(visit_id, max(0.0, deadline - time.monotonic()))
        latencies, lost, misrouted = [], 0, 0
        for visit_id, host_id, t0, _status in self.sent:
            if visit_id is None:
                continue
            got = self.boards.arrivals.get(visit_id)
            if got is None:
                lost += 1
            elif got[0] != host_id:
                misrouted += 1
            else:
                latencies.append((got[1] - t0) * 1000)
        statuses = [s for *_, s in self.sent]
        return {
            "phase": self.label, "sent": len(self.sent), "planned": getattr(self, "planned", len(self.sent)),
            "ok": sum(s in (200, 201) for s in statuses),
            "5xx": sum(s >= 500 for s in statuses), "errors": sum(s == 0 or 400 <= s < 500 for s in statuses),
            "lost": lost, "misrouted": misrouted, "rate": len(self.sent) / wall if wall else 0,
            "p50": percentile(latencies, 50), "p90": percentile(latencies, 90), "p99": percentile(latencies, 99),
            "max": max(latencies) if latencies else float("nan"),
            "server_cpu_pct": 100 * cpu / wall, "client_cpu_pct": 100 * client / wall,
            "machine_busy_pct": 100 * (busy1 - busy0) / max(1, total1 - total0) * 1.0,
            "lag_p50": percentile(lag, 50), "lag_p99": percentile(lag, 99),
            "lag_max": max(lag) if lag else float("nan"),
            "late_p99": percentile(self.late, 99) if self.late else 0.0,
        }


# ----------------------------------------------------------------------------- one run

def run_target(starter, n: int, args, phases, workdir: Path, profile_dir: Path | None = None) -> dict:
    target = starter(workdir, n)
    result = {"target": target.name, "mode": target.mode, "n": n, "phases": []}
    boards = None
    try:
        time.sleep(0.5)
        rss0 = sum(proc_rss_kib(p) for p in target.pids)
        boards = Boards(target, args.client_procs, args.connect_concurrency, args.connect_timeout)
        settle = settle_server(target.pids, limit=args.settle_timeout)
        rss1 = sum(proc_rss_kib(p) for p in target.pids)
        live = boards.live()
        result.update(settle_seconds=settle, live_after_connect=live)
        result.update(connected=boards.connected, connect_errors=boards.connect_errors,
                      connect_seconds=boards.connect_seconds, rss_before_kib=rss0, rss_after_kib=rss1,
                      kib_per_board=(rss1 - rss0) / max(1, boards.connected))
        print(f"  {target.name:<22} {target.mode:<8} N={n:<5} connected {boards.connected} in "
              f"{boards.connect_seconds:.1f} s "
              f"(errors {boards.connect_errors}); RSS {rss0 / 1024:.1f} → {rss1 / 1024:.1f} MiB "
              f"({result['kib_per_board']:.1f} KiB/board); quiet after {settle:.1f} s more; "
              f"{live} still connected", flush=True)
        for label, run in phases:
            if boards.live() < 0.95 * n:
                print(f"    {label}: skipped, only {boards.live()} of {n} boards still connected", flush=True)
                result["phases"].append({"phase": label, "skipped": f"{boards.live()} of {n} boards connected"})
                continue
            phase = Phase(target, boards, label)
            spy = None
            if profile_dir is not None and label == args.profile_phase:
                spy = start_profiler(profile_dir, target, n, label, args.duration)
            figures = phase.measure(functools.partial(run, phase))
            if spy is not None:
                spy.wait(timeout=60)
            figures["live_boards"] = boards.live()
            result["phases"].append(figures)
            print(f"    {label:<8} sent {figures['sent']:>6} rate {figures['rate']:7.1f}/s  p50 {figures['p50']:7.2f}"
                  f"  p90 {figures['p90']:7.2f}  p99 {figures['p99']:7.2f}  max {figures['max']:8.2f} ms  lost "
                  f"{figures['lost']}  5xx {figures['5xx']}  err {figures['errors']}  srvCPU "
                  f"{figures['server_cpu_pct']:5.1f}%  cliCPU {figures['client_cpu_pct']:5.1f}%  machine "
                  f"{figures['machine_busy_pct']:5.1f}%  lag p99 {figures['lag_p99']:6.2f}"
                  f" max {figures['lag_max']:7.2f}  late p99 {figures['late_p99']:.1f}", flush=True)
    finally:
        target.stop()
        if boards is not None:
            boards.close()
    return result


def start_profiler(profile_dir: Path, target, n: int, label: str, duration: float) -> subprocess.Popen:
    """py-spy recording the target's first process for one phase, as raw collapsed stacks
    (<stem>.txt, its own messages in <stem>.log); wait() for it after the phase."""
    profile_dir.mkdir(parents=True, exist_ok=True)
    server = f"{target.name}-{target.mode}".replace("×", "x").replace("+", "_")
    stem = profile_dir / f"{server}-N{n}-{label.replace('/', 'per')}"
    with open(f"{stem}.log", "w") as log:  # py-spy writes to its own copy of the descriptor
        spy = subprocess.Popen([str(Path(PY).parent / "py-spy"), "record", "--nonblocking", "-r", "200",
                                "-d", str(int(duration)), "--pid", str(target.pids[0]),
                                "--format", "raw", "-o", f"{stem}.txt"],
                               stdout=subprocess.DEVNULL, stderr=log)
    time.sleep(1.0)
    return spy


def settle_server(pids, limit: float) -> float:
    """Wait until the server(s) use < 10 % CPU over a second (the sign-in broadcasts have
    been sent), at most `limit` seconds; returns how long that took."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        cpu0 = sum(proc_cpu_seconds(p) for p in pids)
        time.sleep(1.0)
        if sum(proc_cpu_seconds(p) for p in pids) - cpu0 < 0.10 * len(pids):
            break
    return time.monotonic() - start


def make_phases(args):
    phases = [("seq", lambda p: p.run_sequential(args.seq_count))]
    for rate in args.rates:
        phases.append((f"{rate:g}/s", lambda p, rate=rate: p.run_rate(rate, args.duration)))
    if args.goal_run:
        phases.append(("goal300", lambda p: p.run_rate(300, 60)))
    return phases


def server_label(result) -> str:
    return f"{result['target']} ({result['mode']})"


def table(results, key_order):
    lines = ["| server | N | phase | sent | rate/s | p50 | p90 | p99 | max | lost | 5xx | other err | server CPU | "
             "machine busy | hub lag p99 / max |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        for f in r["phases"]:
            if "skipped" in f:
                lines.append(f"| {server_label(r)} | {r['n']} | {f['phase']} | skipped: {f['skipped']} |" + " |" * 11)
                continue
            lines.append(f"| {server_label(r)} | {r['n']} | {f['phase']} | {f['sent']} | {f['rate']:.0f} | "
                         f"{f['p50']:.1f} | {f['p90']:.1f} | {f['p99']:.1f} | {f['max']:.1f} | {f['lost']} | "
                         f"{f['5xx']} | {f['errors']} | {f['server_cpu_pct']:.0f} % | {f['machine_busy_pct']:.0f} % | "
                         f"{f['lag_p99']:.1f} / {f['lag_max']:.1f} |")
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    ns = [int(n) for n in args.boards.split(",")]
    only = set(filter(None, args.only.split(","))) or {"gastgeber", "baseline", "two"}
    if not args.two_process:
        only.discard("two")

    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}, Python {sys.version.split()[0]}, "
          f"load average before {os.getloadavg()}", flush=True)
    phases = make_phases(args)
    results = []
    workroot = Path(tempfile.mkdtemp(prefix="gastgeber-bench-"))
    for repetition in range(args.repeat):
        modes = args.async_modes if repetition % 2 == 0 else args.async_modes[::-1]  # A B, then B A
        for n in ns:
            for mode in modes:
                for starter, profile in starters(only, args.profile, mode, args.site_size):
                    workdir = Path(tempfile.mkdtemp(dir=workroot))
                    results.append(run_target(starter, n, args, phases, workdir, profile) | {"repetition": repetition})
    print(f"\nload average after {os.getloadavg()}\n")
    print(table(results, None))
    print_memory(results)
    print_ratios(results)
    if len(args.async_modes) > 1 or args.repeat > 1:
        print_side_by_side(results)
    if args.json:
        args.json.write_text(json.dumps({"loadavg_end": os.getloadavg(), "results": results}, indent=1))
    shutil.rmtree(workroot, ignore_errors=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--boards", default="1,100", help="comma-separated N (e.g. 1,100,500,1000)")
    parser.add_argument("--rates", default="20,100,300", help="comma-separated check-ins/s ('' for none)")
    parser.add_argument("--duration", type=float, default=20, help="seconds per fixed-rate phase")
    parser.add_argument("--seq-count", type=int, default=300, help="sequential check-ins")
    parser.add_argument("--goal-run", action="store_true", help="add 300/s for 60 s (the issue's goal)")
    parser.add_argument("--two-process", action="store_true", help="also two `gastgeber serve` + redis-server")
    parser.add_argument("--only", default="", help="comma list of gastgeber,baseline,two,fanout to run "
                                                   "(default all but fanout: the baseline that also broadcasts)")
    parser.add_argument("--site-size", type=int, default=25,
                        help="hosts per site, each site with its kiosk (0: every host in one site)")
    parser.add_argument("--client-procs", type=int, default=4, help="board client processes")
    parser.add_argument("--connect-concurrency", type=int, default=4, help="concurrent connects per client process")
    parser.add_argument("--connect-timeout", type=float, default=240, help="give up connecting boards after this")
    parser.add_argument("--settle-timeout", type=float, default=120)
    parser.add_argument("--profile", type=Path, help="py-spy (raw collapsed stacks) of Gastgeber's first process here")
    parser.add_argument("--profile-phase", default="300/s")
    parser.add_argument("--json", type=Path, help="write all figures here")
    parser.add_argument("--async-mode", default="eventlet",
                        help="comma list of eventlet,gevent: every server runs under each (GASTGEBER_ASYNC_MODE)")
    parser.add_argument("--repeat", type=int, default=1, help="run everything this often, the modes in turn")
    args = parser.parse_args()
    args.rates = [float(r) for r in args.rates.split(",") if r]
    args.async_modes = [m for m in args.async_mode.split(",") if m]
    unknown = set(args.async_modes) - {"eventlet", "gevent"}
    if unknown or not args.async_modes:
        parser.error(f"--async-mode takes eventlet and/or gevent, got {args.async_mode!r}")
    return args


def starters(only: set, profile_dir: Path | None, mode: str, site_size: int = 0) -> list:
    """The servers to measure under `mode`, in this order: (start(workdir, n), where to profile it or None)."""
    runs = []
    if "gastgeber" in only:
        runs.append((lambda w, n: start_gastgeber(w, n, mode=mode, site_size=site_size), profile_dir))
    if "two" in only:
        runs.append((lambda w, n: start_gastgeber(w, n, processes=2, mode=mode, site_size=site_size), None))
    if "baseline" in only:
        runs.append((lambda w, n: start_baseline(w, n, mode=mode), None))
    if "fanout" in only:
        runs.append((lambda w, n: start_baseline(w, n, fanout=True, mode=mode), None))
    return runs


def print_memory(results) -> None:
    print("\n| server | N | connected | connect time | RSS before → after | per board |\n|---|---|---|---|---|---|")
    for r in results:
        print(f"| {server_label(r)} | {r['n']} | {r.get('connected')} | {r.get('connect_seconds', 0):.1f} s | "
              f"{r.get('rss_before_kib', 0) / 1024:.1f} → {r.get('rss_after_kib', 0) / 1024:.1f} MiB | "
              f"{r.get('kib_per_board', 0):.1f} KiB |")


def print_ratios(results) -> None:
    """Each server's latencies over the baseline's, for the same N and phase (nothing without a baseline)."""
    base = {(r["repetition"], r["mode"], r["n"], f["phase"]): f
            for r in results if r["target"] == "baseline" for f in r["phases"]}
    if not base:
        return
    print("\nRatios to the baseline (same repetition, async mode, N and phase): p50 / p99 / max\n")
    print("| server | N | phase | p50 × | p99 × | max × |\n|---|---|---|---|---|---|")
    for r in results:
        if r["target"] == "baseline":
            continue
        for f in r["phases"]:
            b = base.get((r["repetition"], r["mode"], r["n"], f["phase"]))
            if b and "skipped" not in f and "skipped" not in b:
                print(f"| {server_label(r)} | {r['n']} | {f['phase']} | {f['p50'] / b['p50']:.2f} | "
                      f"{f['p99'] / b['p99']:.2f} | {f['max'] / b['max']:.2f} |")


def print_side_by_side(results) -> None:
    """Each server, N and phase with the async modes side by side: medians over the repetitions
    of p50 / p99 / max (ms), lost alerts (summed), server CPU (and its milliseconds per
    check-in: every process of the server, fan-out included), memory per board, and p99 over
    the same mode's floor (the baseline's median p99)."""
    runs: dict[tuple, list] = {}
    for r in results:
        for f in r["phases"]:
            if "skipped" not in f:
                runs.setdefault((r["target"], r["n"], f["phase"], r["mode"]), []).append((r, f))
    modes = list(dict.fromkeys(r["mode"] for r in results))
    print(f"\nAsync modes side by side (medians of {max(r['repetition'] for r in results) + 1} repetition(s)): "
          "p50 / p99 / max ms; lost; server CPU; KiB per board; p99 × the same mode's floor\n")
    print("| server | N | phase | " + " | ".join(modes) + " |\n|---|---|---|" + "---|" * len(modes))
    for target, n, phase in dict.fromkeys(key[:3] for key in runs):
        cells = []
        for mode in modes:
            got = runs.get((target, n, phase, mode))
            if not got:
                cells.append("—")
                continue
            p99 = median(f["p99"] for _, f in got)
            floor = runs.get(("baseline", n, phase, mode))
            times_floor = f"; {p99 / median(f['p99'] for _, f in floor):.2f} × floor" if floor else ""
            cpu = median(f["server_cpu_pct"] for _, f in got)
            cpu_ms = median(10 * f["server_cpu_pct"] / f["rate"] for _, f in got if f["rate"])
            cells.append(f"{median(f['p50'] for _, f in got):.2f} / {p99:.2f} / {median(f['max'] for _, f in got):.1f}"
                         f"; lost {sum(f['lost'] for _, f in got)}; CPU {cpu:.0f} % ({cpu_ms:.1f} ms a check-in)"
                         f"; {median(r['kib_per_board'] for r, _ in got):.0f} KiB{times_floor}")
        print(f"| {target} | {n} | {phase} | " + " | ".join(cells) + " |")


def median(values) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "?"


if __name__ == "__main__":
    main()
