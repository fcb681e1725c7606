"""The bare floor (/work/shared/FLOOR.md): Flask-SocketIO + eventlet (or gevent), one POST that inserts
one SQLite row (WAL) and emits one event to one room. It speaks the same protocol as
Gastgeber for what bench/latency.py uses, so one client drives both:

  connect  auth {"token": "host-<id>"}           -> joins room host:<id>
  POST     /api/v1/checkins {"bench_host": <id>}  -> 201 {"visit": {"id", "host": {"id"}}}
           and `visit.arrived` to room host:<id>, with an ack callback (boards ack)
  GET      /healthz

With --fanout every board also joins one room for the whole site, and each POST then
emits `visit.updated` to it as well: the floor of what CONTRACT.md asks of Gastgeber (an
alert to the host, and every change to every board of the site).

    .venv/bin/python bench/baseline_server.py --port 5001 --db /tmp/floor.db [--fanout] [--async-mode gevent]

It is the bare stack on purpose: it patches and serves with the libraries' own calls
(socketio.run; under gevent the server run() builds, with TCP_NODELAY, see NoDelayHandler),
not with Gastgeber's kiosk/async_mode.py.
"""

import sys

ASYNC_MODE = sys.argv[sys.argv.index("--async-mode") + 1] if "--async-mode" in sys.argv[:-1] else "eventlet"
if ASYNC_MODE == "gevent":  # the patching comes before every other import, as in `gastgeber serve`
    from gevent import monkey

    monkey.patch_all()
else:
    import eventlet

    eventlet.monkey_patch()

import argparse  # noqa: E402
import gc  # noqa: E402
import sqlite3  # noqa: E402

from flask import Flask, jsonify, request  # noqa: E402
from flask_socketio import ConnectionRefusedError, SocketIO, join_room  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--db", required=True)
parser.add_argument("--max-connections", type=int, default=4096)
parser.add_argument("--fanout", action="store_true", help="also send visit.updated to every board")
parser.add_argument("--async-mode", choices=("eventlet", "gevent"), default="eventlet")
args = parser.parse_args()

db = sqlite3.connect(args.db, timeout=2.0, isolation_level=None, check_same_thread=False)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")  # what Gastgeber uses (and SQLite's default)
db.execute("CREATE TABLE IF NOT EXISTS visits (id INTEGER PRIMARY KEY, host_id INTEGER, client_id TEXT, name TEXT)")

app = Flask(__name__)
socketio = SocketIO(app, async_mode=ASYNC_MODE, logger=False, engineio_logger=False)


@socketio.on("connect")
def connect(auth=None):
    token = (auth or {}).get("token", "")
    if not token.startswith("host-"):
        raise ConnectionRefusedError("unauthorized")
    join_room(f"host:{int(token[5:])}")
    if args.fanout:
        join_room("site")


@app.post("/api/v1/checkins")
def checkin():
    body = request.get_json()
    host_id = int(body["bench_host"])
    visit_id = db.execute("INSERT INTO visits (host_id, client_id, name) VALUES (?, ?, ?)",
                          (host_id, body["client_id"], body["name"])).lastrowid
    visit = {"id": visit_id, "host": {"id": host_id}}
    socketio.emit("visit.arrived", {"visit": visit}, to=f"host:{host_id}", callback=lambda *_: None)
    if args.fanout:
        socketio.sleep(0)  # as Gastgeber: the alert leaves before the broadcast
        socketio.emit("visit.updated", {"visit": visit}, to="site")
    return jsonify({"visit": visit}), 201


@app.get("/healthz")
def healthz():
    return jsonify({"ok": True})


gc.collect()
gc.freeze()
if ASYNC_MODE == "gevent":
    import socket

    from gevent.pool import Pool
    from gevent.pywsgi import WSGIServer
    from geventwebsocket.handler import WebSocketHandler

    class NoDelayHandler(WebSocketHandler):
        """pywsgi sends a response's headers and body in separate writes: without TCP_NODELAY,
        Nagle's algorithm and the client's delayed ACK hold the second one ~40 ms."""

        def handle(self):
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().handle()

    # socketio.run's own gevent server, but with the handler above (run() cannot take one)
    WSGIServer(("127.0.0.1", args.port), app, handler_class=NoDelayHandler, log=None,
               spawn=Pool(args.max_connections)).serve_forever()
else:
    socketio.run(app, host="127.0.0.1", port=args.port, log_output=False, max_size=args.max_connections)
