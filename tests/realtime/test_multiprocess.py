"""Two server processes sharing one database and a real Redis: alerts cross processes, the
ladder runs once, a dead leader is replaced, and a Redis outage heals; under eventlet and gevent."""

from __future__ import annotations

import os
import signal
import sqlite3

import pytest
import requests

from tests.support.live_server import WAIT, Board, LiveServer
from tests.support.polling import wait_until
from tests.support.redis import RedisServer

pytestmark = pytest.mark.both_async_modes  # production modes alike (README: eventlet or gevent)

CONFIG = "escalate_after_seconds = 3\nalert_receipt_seconds = 3\npresence_grace_seconds = 0\n"


@pytest.fixture(scope="module")
def redis(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, redis, async_mode):
    first = LiveServer(tmp_path_factory.mktemp("cluster"), CONFIG, message_queue=redis.url, async_mode=async_mode)
    second = first.another_process("b")
    first.start()
    second.start()
    yield first, second
    first.stop()
    second.stop()


@pytest.fixture
def boards():
    made = []

    def connect(server, token):
        board = Board(server.url, token)
        board.next("board.snapshot")
        made.append(board)
        return board

    yield connect
    for board in made:
        board.close()


def query(server, sql, *params):
    with sqlite3.connect(server.db_path) as db:
        return db.execute(sql, params).fetchone()


def test_a_board_on_one_process_is_alerted_for_a_check_in_posted_to_the_other(cluster, boards):
    first, second = cluster
    anna = first.hosts[0]
    anna_on_second = boards(second, anna["token"])
    visit = first.check_in("Cross Process Carla").json()["visit"]
    assert visit["host"]["name"] == "Anna"  # the process that took the check-in sees Anna's board on the other
    heard = anna_on_second.next("visit.arrived", visit_id=visit["id"])["visit"]
    assert heard["customer"]["name"] == "Cross Process Carla"
    wait_until(lambda: query(first, "SELECT alert_delivered_at FROM visits WHERE id = ?", visit["id"])[0],
               message="the delivery receipt crossing back to the first process")
    requests.post(f"{second.url}/api/v1/visits/{visit['id']}/abandon", json={}, timeout=10,
                  headers={"Authorization": f"Bearer {anna['token']}"})


def test_the_ladder_runs_once_however_many_processes(cluster, boards):
    first, second = cluster
    anna, ben = first.hosts[0], first.hosts[1]
    boards(first, anna["token"])  # Anna's board receives the alert but nobody acknowledges
    ben_on_second = boards(second, ben["token"])
    ben_on_first = boards(first, ben["token"])
    visit = second.check_in("Patient Pia").json()["visit"]
    escalated = ben_on_second.next("visit.escalated", visit_id=visit["id"])
    assert escalated["reason"] == "timeout"
    requests.post(f"{first.url}/api/v1/visits/{visit['id']}/acknowledge", json={}, timeout=10,
                  headers={"Authorization": f"Bearer {ben['token']}"})
    seen = []
    while True:  # every event Ben's other board got until the acknowledgment reached it
        name, data = ben_on_first.events.get(timeout=WAIT)
        if data.get("visit", {}).get("id") == visit["id"]:
            seen.append((name, data["visit"]["status"]))
            if name == "visit.updated" and data["visit"]["status"] == "acknowledged":
                break
    assert [name for name, _ in seen].count("visit.escalated") == 1
    assert query(first, "SELECT COUNT(*) FROM locks WHERE name = 'scheduler'")[0] == 1


def test_when_the_leader_dies_the_other_process_takes_over(cluster, boards):
    first, second = cluster
    holder = query(first, "SELECT holder FROM locks WHERE name = 'scheduler'")[0]
    pid = int(holder.split(":")[1])
    leader, survivor = (first, second) if first.process.pid == pid else (second, first)
    os.kill(pid, signal.SIGKILL)
    leader.process.wait()
    try:
        ben = survivor.hosts[1]
        clara = survivor.hosts[2]
        boards(survivor, clara["token"])
        ben_board = boards(survivor, ben["token"])
        visit = survivor.check_in("After The Crash").json()["visit"]
        escalated = ben_board.next("visit.escalated", visit_id=visit["id"])  # every available host hears it
        assert escalated["level"] == "team"
        new_holder = query(survivor, "SELECT holder FROM locks WHERE name = 'scheduler'")[0]
        assert int(new_holder.split(":")[1]) == survivor.process.pid
    finally:
        leader.start()


def test_a_redis_outage_keeps_each_process_serving_its_own_boards_and_heals(cluster, redis, boards):
    first, second = cluster
    clara = first.hosts[2]
    clara_on_first = boards(first, clara["token"])
    redis.stop()
    try:
        during = first.check_in("During The Outage", topic="insurance").json()["visit"]
        assert during["host"]["name"] == "Clara"
        assert clara_on_first.next("visit.arrived", visit_id=during["id"])  # served by its own process
    finally:
        redis.start()
    clara_on_second = boards(second, clara["token"])  # a board that missed it all resyncs from the database
    resync = clara_on_second.client.call("board.resync", {}, timeout=WAIT)
    assert during["id"] in [v["id"] for v in resync["visits"]]
    assert "Cannot publish to redis" in first.log_path.read_text()
