"""Three server processes behind a real nginx, sharing one database and a real Redis: when the
scheduler's leader is killed, its boards reconnect through nginx to a survivor and find the
check-in made while they were away in their snapshot, and the leadership moves; under eventlet
and under gevent."""

from __future__ import annotations

import os
import signal
import sqlite3

import pytest
import requests

from tests.support.live_server import Board, LiveServer
from tests.support.nginx import Nginx
from tests.support.polling import wait_until
from tests.support.redis import RedisServer, needs

pytestmark = pytest.mark.both_async_modes  # production modes alike (README: eventlet or gevent)

PROCESSES = 3
BOARDS = 6  # two a process: nginx hands the websockets out in turn
AWAY_SECONDS = 1.5  # the boards' reconnection delay: the check-in below is made within it


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, async_mode):
    program = needs("nginx")
    redis = RedisServer(tmp_path_factory.mktemp("redis"))
    redis.start()
    first = LiveServer(tmp_path_factory.mktemp("cluster"), "presence_grace_seconds = 0\n", message_queue=redis.url,
                       async_mode=async_mode)
    servers = [first] + [first.another_process(str(i)) for i in range(1, PROCESSES)]
    for server in servers:
        server.start()
    nginx = Nginx(program, tmp_path_factory.mktemp("nginx"), [server.port for server in servers])
    nginx.start()
    yield nginx, servers
    nginx.stop()
    for server in servers:
        server.stop()
    redis.stop()


def query(server, sql, *params):
    with sqlite3.connect(server.db_path) as db:
        return db.execute(sql, params).fetchone()


def leader_pid(server) -> int | None:
    row = query(server, "SELECT holder FROM locks WHERE name = 'scheduler'")
    return int(row[0].split(":")[1]) if row else None


def serving_pid(server, board: Board) -> int | None:
    row = query(server, "SELECT process_id FROM board_connections WHERE board_id = ?", board.client.get_sid())
    return int(row[0].split(":")[1]) if row else None


def test_killing_the_leader_behind_nginx_loses_no_alert_and_moves_the_leadership(cluster):
    nginx, servers = cluster
    anna = servers[0].hosts[0]
    boards = [Board(nginx.url, anna["token"], reconnect_after=AWAY_SECONDS) for _ in range(BOARDS)]
    try:
        for board in boards:
            board.next("board.snapshot")
        on = {id(board): serving_pid(servers[0], board) for board in boards}
        assert len(set(on.values())) == PROCESSES  # nginx spread the boards over every process
        wait_until(lambda: leader_pid(servers[0]) is not None, message="a scheduler leader")
        killed = leader_pid(servers[0])
        victim = next(server for server in servers if server.process.pid == killed)
        away = [board for board in boards if on[id(board)] == killed]

        os.kill(killed, signal.SIGKILL)
        victim.process.wait()
        for board in away:
            board.next("disconnect")
        answer = requests.post(f"{nginx.url}/api/v1/checkins", timeout=10,
                               json={"name": "While Away Wanda", "client_id": "cluster-while-away"},
                               headers={"Authorization": f"Bearer {servers[0].kiosk['token']}"})
        assert answer.status_code == 201, answer.text
        visit = answer.json()["visit"]
        assert visit["host"]["name"] == "Anna"

        for board in away:  # back through nginx, at a survivor, with the visit in the snapshot
            snapshot = board.next("board.snapshot")
            assert visit["id"] in [v["id"] for v in snapshot["visits"]]
            wait_until(lambda board=board: serving_pid(servers[0], board) not in (None, killed),
                       message="the board's connection recorded at a surviving process")
        for board in boards:
            if board not in away:
                assert board.next("visit.arrived", visit_id=visit["id"])
        wait_until(lambda: leader_pid(servers[0]) not in (None, killed), timeout=15,
                   message="a survivor taking the scheduler's lock")
        assert leader_pid(servers[0]) in [s.process.pid for s in servers if s is not victim]
    finally:
        for board in boards:
            board.close()
