"""The channels' sending process (runtime/send_process.py): a send made there arrives, a
refusal reads as it does in the serving process, and a process that died is started again
at the next send, so a notice is never stuck behind a dead helper."""

from __future__ import annotations

import json
import os
import signal
import socket

import pytest

from kiosk.runtime.send_process import SendProcess
from tests.support.receivers import apprise_json_url, serving_mail, serving_receiver


@pytest.fixture(scope="module")
def sending():
    made = SendProcess()
    yield made
    made.close()


def test_a_send_in_the_sending_process_reaches_the_receiver(sending):
    with serving_receiver() as receiver:
        outcome = sending.send(apprise_json_url(receiver), "A guest is waiting", "since 14:03", allow_private=True)
    assert outcome["ok"] is True and outcome["error"] is None
    assert json.loads(receiver.requests[0]["body"])["message"] == "since 14:03"


def test_a_digest_with_its_chart_goes_through_the_sending_process_as_html_mail(sending):
    chart = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40  # binary, beyond one JSON line's worth of text
    with serving_mail() as mail:
        outcome = sending.send(mail.url("maria@example.org"), "Last week", "text", allow_private=True,
                               html='<p>Last week</p><img src="cid:digest-chart.png">', image=chart)
        (message,) = mail.messages
    assert outcome["ok"] is True, outcome
    (inline,) = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert inline.get_content() == chart and inline["Content-ID"] == "<digest-chart.png>"


def test_a_request_it_cannot_read_is_answered_as_a_failed_send(sending):
    for request in (b'["not", "a request"]\n', b"{not json}\n", b'{"url": "json://x"}\n'):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(10)
            connection.connect(sending.path)
            connection.sendall(request)
            with connection.makefile("rb") as answers:
                answer = json.loads(answers.readline())
        assert answer == {"ok": False, "error": "The sending process could not read the request", "ms": 0}


def test_many_sends_one_after_another_each_arrive_once(sending):
    with serving_receiver() as receiver:
        outcomes = [sending.send(apprise_json_url(receiver), "t", f"guest {n}", allow_private=True)
                    for n in range(12)]
    assert all(outcome["ok"] for outcome in outcomes)
    assert sorted(json.loads(request["body"])["message"] for request in receiver.requests) == \
        sorted(f"guest {n}" for n in range(12))


def test_a_private_address_is_refused_there_as_here(sending):
    with serving_receiver() as receiver:
        outcome = sending.send(apprise_json_url(receiver), "t", "b", allow_private=False)
    assert outcome["ok"] is False
    assert "notify_allow_private_addresses" in outcome["error"]
    assert receiver.requests == []


def test_a_sending_process_that_died_is_started_again_at_the_next_send(sending):
    died = sending.process
    os.kill(died.pid, signal.SIGKILL)
    died.wait(10)
    with serving_receiver() as receiver:
        outcome = sending.send(apprise_json_url(receiver), "t", "after the restart", allow_private=True)
    assert outcome["ok"] is True
    assert sending.process.pid != died.pid and sending.process.poll() is None
    assert len(receiver.requests) == 1


def test_closing_ends_the_process_and_leaves_no_socket_behind():
    made = SendProcess()
    process, path = made.process, made.path
    made.close()
    assert process.wait(10) is not None
    assert not os.path.exists(path)
