"""Does one site's webhooks slow another site's check-ins? (security review, issue #13)

    .venv/bin/python bench/webhooks_fairness.py                 # 0, 20 and 200 webhooks on site A
    .venv/bin/python bench/webhooks_fairness.py --webhooks 0,20 --checkins 300

For each number of webhooks on site A: a fresh database with two sites (the demo site A
and site B with its own kiosk and host), `gastgeber serve` on a free loopback port, a
loopback receiver answering 200 at once, and that many webhooks on site A (every event).
While site A's kiosk checks in at --load-rate a second (each check-in owes every webhook a
delivery, which the sender sends meanwhile), site B's kiosk checks in one after the other
and the time of each answer is measured: p50/p95/max of site B's check-ins.

200 is the most `webhooks_per_site_max` can be set to; the default is 20.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
CONFIG = """webhooks_allow_http_loopback = true
webhooks_per_site_max = 200
kiosk_checkins_per_minute = 100000
escalate_after_seconds = 3600
escalate_managers_after_seconds = 86400
alert_receipt_seconds = 600
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Quick(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def gastgeber(workdir: Path, *args) -> dict:
    command = [sys.executable, "-m", "kiosk", *args, "--json", "--db", str(workdir / "g.db"),
               "--config", str(workdir / "g.toml")]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout)


def serve(workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(workdir / "server.log", "ab")  # noqa: SIM115 - the server writes to it until stopped
    process = subprocess.Popen([sys.executable, "-m", "kiosk", "serve", "--port", str(port), "--db",
                                str(workdir / "g.db"), "--config", str(workdir / "g.toml")],
                               cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(f"{url}/healthz", timeout=1).ok:
                return process, url
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError((workdir / "server.log").read_text())


def check_in(session: requests.Session, url: str, token: str, name: str) -> float:
    started = time.monotonic()
    answer = session.post(f"{url}/api/v1/checkins", json={"name": name, "client_id": os.urandom(8).hex()},
                          headers={"Authorization": f"Bearer {token}"}, timeout=30)
    elapsed = time.monotonic() - started
    if answer.status_code != 201:
        raise RuntimeError(f"check-in answered {answer.status_code}: {answer.text}")
    return elapsed * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(count: int, args, receiver_url: str) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="gastgeber-hooks-"))
    (workdir / "g.toml").write_text(CONFIG)
    site_a = gastgeber(workdir, "init", "--demo")["demo"]
    kiosk_b = gastgeber(workdir, "kiosk", "add", "Door B", "--site", "north")["token"]
    gastgeber(workdir, "host", "add", "Bea North", "--site", "north")
    process, url = serve(workdir)
    try:
        manager = {"Authorization": f"Bearer {site_a['manager']['token']}"}
        for n in range(count):
            made = requests.post(f"{url}/api/v1/webhooks", json={"url": f"{receiver_url}/{n}"}, headers=manager,
                                 timeout=10)
            made.raise_for_status()
        stop = threading.Event()

        def load():
            with requests.Session() as session:
                while not stop.is_set():
                    check_in(session, url, site_a["kiosk"]["token"], "Load A")
                    stop.wait(1 / args.load_rate)

        loader = threading.Thread(target=load, daemon=True)
        loader.start()
        with requests.Session() as session:
            check_in(session, url, kiosk_b, "Warm B")
            times = [check_in(session, url, kiosk_b, f"Guest B {i}") for i in range(args.checkins)]
        stop.set()
        loader.join(30)
        delivered = _delivered(url, manager)
    finally:
        process.terminate()
        process.wait(10)
    return {"webhooks": count, "p50": percentile(times, 0.5), "p95": percentile(times, 0.95), "max": max(times),
            "deliveries_sent": delivered}


def _delivered(url: str, manager: dict) -> int:
    hooks = requests.get(f"{url}/api/v1/webhooks", headers=manager, timeout=10).json()["webhooks"]
    return sum(sum(1 for d in requests.get(f"{url}/api/v1/webhooks/{h['id']}/deliveries?limit=100", headers=manager,
                                           timeout=10).json()["deliveries"] if d["status"] == "delivered")
               for h in hooks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--webhooks", default="0,20,200", help="numbers of webhooks on site A, comma-separated")
    parser.add_argument("--checkins", type=int, default=200, help="site B's check-ins measured per run")
    parser.add_argument("--load-rate", type=float, default=5.0, help="site A's check-ins a second meanwhile")
    args = parser.parse_args()
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Quick)
    receiver.daemon_threads = True
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    receiver_url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    print(f"{'webhooks on A':>13} {'B p50 ms':>9} {'B p95 ms':>9} {'B max ms':>9} {'sent (≤100/hook)':>17}")
    for count in (int(n) for n in args.webhooks.split(",")):
        row = run(count, args, receiver_url)
        print(f"{row['webhooks']:>13} {row['p50']:>9.1f} {row['p95']:>9.1f} {row['max']:>9.1f} "
              f"{row['deliveries_sent']:>17}", flush=True)
    receiver.shutdown()


if __name__ == "__main__":
    main()
