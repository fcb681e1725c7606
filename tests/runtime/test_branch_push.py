"""A branch and its head office as two real `gastgeber serve` on loopback, the branch's pushes
going through a relay that keeps the bytes: the head office is down at first (the branch
queues and retries), comes up, and gets every ended day once; a day sent again is still one
row; a wrong token is 401 in the contract's shape; no customer's or host's name, no topic is
ever on the wire."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.support.live_server import LiveServer
from tests.support.polling import wait_until
from tests.support.wire import RecordingRelay


def rows(db_path, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        return db.execute(sql).fetchall()


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """The head office (not serving yet), a branch with 4 days of demo history pushing to it
    through the relay, and the branch's token."""
    head_office = LiveServer(tmp_path_factory.mktemp("head-office"), demo=False)
    operator = json.loads(head_office.gastgeber("operator", "add", "Olga", "--json").stdout)
    relay = RecordingRelay(head_office.port)
    workdir = tmp_path_factory.mktemp("branch")
    made = {}

    def start_head_office():
        head_office.start()
        answer = head_office.call("POST", "/branches", operator["token"], json={"name": "Hamburg"})
        if not made:
            assert answer.status_code == 201, answer.text
            made.update(answer.json())

    # the branch's token comes from the head office: make it there first, then take it down
    start_head_office()
    head_office.stop()
    branch = LiveServer(workdir, f'head_office_url = "{relay.url}"\nhead_office_token = "{made["token"]}"\n')
    branch.gastgeber("demo-data", "--days", "4", "--per-day", "12")
    yield {"head_office": head_office, "branch": branch, "relay": relay, "token": made["token"],
           "operator": operator, "start_head_office": start_head_office}
    branch.stop()
    head_office.stop()
    relay.close()


@pytest.fixture(scope="module")
def outage_then_back(chain):
    """The branch starts while the head office is down, tries, and keeps the days; then the head
    office comes back."""
    branch = chain["branch"]
    branch.start()
    owed = wait_until(lambda: [row for row in rows(branch.db_path, "SELECT attempts, status FROM summary_outbox")
                               if row[0] >= 1] or None, message="a failed attempt to reach the head office")
    assert all(status == "pending" for _, status in owed)
    queued = rows(branch.db_path, "SELECT site_id, day FROM summary_outbox ORDER BY day")
    assert queued, "the demo history has ended days"
    chain["start_head_office"]()

    def all_sent():
        return all(status == "sent" for (status,) in rows(branch.db_path, "SELECT status FROM summary_outbox"))

    wait_until(all_sent, timeout=45, message="every owed day sent once the head office was back")
    return queued


def test_the_days_kept_during_the_outage_arrive_once_each(chain, outage_then_back):
    kept = rows(chain["head_office"].db_path, "SELECT site_key, day, visits FROM branch_days ORDER BY day")
    assert [(site, day) for site, day, _ in kept] == outage_then_back  # nothing lost, nothing twice
    berlin = ZoneInfo("Europe/Berlin")  # the branch's time zone (the default)
    start = datetime.combine(date.fromisoformat(kept[0][1]), time(0), berlin).astimezone(UTC)
    end = datetime.combine(date.fromisoformat(kept[-1][1]) + timedelta(days=1), time(0), berlin).astimezone(UTC)
    branch_visits = rows(chain["branch"].db_path, "SELECT COUNT(*) FROM visits WHERE arrived_at >= '"
                         f"{start:%Y-%m-%dT%H:%M:%S.000Z}' AND arrived_at < '{end:%Y-%m-%dT%H:%M:%S.000Z}'")[0][0]
    assert sum(visits for *_, visits in kept) == branch_visits > 0
    failed = rows(chain["branch"].db_path, "SELECT MAX(attempts) FROM summary_outbox")[0][0]
    assert failed >= 2  # the first attempt met the outage


def test_the_head_office_shows_the_branch_beside_its_own_sites(chain, outage_then_back):
    head_office = chain["head_office"]
    answer = head_office.call("GET", "/sites/stats", chain["operator"]["token"])
    assert answer.status_code == 200, answer.text
    pushed = [row for row in answer.json()["sites"] if row["branch"]]
    assert [row["branch"]["name"] for row in pushed] == ["Hamburg"]
    total = sum(visits for (visits,) in rows(head_office.db_path, "SELECT visits FROM branch_days"))
    assert pushed[0]["visits"] == total and pushed[0]["greet_seconds"]["p50"] is not None


def test_a_day_sent_twice_is_one_row(chain, outage_then_back):
    relay, head_office = chain["relay"], chain["head_office"]
    request = next(part for part in relay.wire().split(b"POST /api/v1/branches/summaries")[1:] if b"\r\n\r\n{" in part)
    body = json.loads(request.split(b"\r\n\r\n", 1)[1].split(b"\n", 1)[0])
    before = rows(head_office.db_path, "SELECT COUNT(*) FROM branch_days")
    again = head_office.call("POST", "/branches/summaries", chain["token"], json=body)
    assert again.status_code == 200, again.text
    assert rows(head_office.db_path, "SELECT COUNT(*) FROM branch_days") == before


def test_a_wrong_token_is_401_in_the_contracts_shape(chain, outage_then_back):
    answer = chain["head_office"].call("POST", "/branches/summaries", "gbr_not-the-token-of-any-branch",
                                       json={"day": "2026-11-02"})
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthorized" and set(answer.json()) == {"error"}
    answer = requests.post(f"{chain['head_office'].url}/api/v1/branches/summaries", json={}, timeout=5)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized"


def test_no_name_or_topic_is_on_the_wire(chain, outage_then_back):
    wire = chain["relay"].wire()
    assert wire.count(b"POST /api/v1/branches/summaries") >= len(outage_then_back)
    branch = chain["branch"].db_path
    names = {name for (name,) in rows(branch, "SELECT name FROM customers WHERE name IS NOT NULL")}
    names |= {name for (name,) in rows(branch, "SELECT name FROM hosts")}
    topics = {topic for (topic,) in rows(branch, "SELECT DISTINCT topic FROM visits WHERE topic IS NOT NULL")}
    assert names and topics
    for text in names | topics:
        assert text.encode() not in wire, f"{text!r} went over the wire"
        for word in text.split():
            if len(word) > 3:
                assert word.encode() not in wire, f"{word!r} went over the wire"
