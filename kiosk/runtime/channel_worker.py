"""The channels' sender in the serving process: claim what is due and send each notice on a
task of its own (its Apprise call runs on an OS thread: the channels' `offload`, so a slow
mail server never holds the event loop).

It looks when woken, and a few times a second anyway. `start` answers the wake: the store
calls it after each commit in this process that queued a notice (Store.when_notices_queued),
so a check-in's notice leaves at once; the poll finds what other processes queued, what a
restart left owed and retries that came due.

Woken, it first lets the event loop run what is already queued: the commit that queued a
notice has just published its board alerts (python-socketio writes them on each board's own
task), and a host's board hears within milliseconds, a channel within a second."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kiosk.domain import channels

log = logging.getLogger(__name__)
POLL_SECONDS = 0.25  # the fallback look (one read of a partial index when idle)


def start(socketio, sender: channels.ChannelSender, poll_seconds: float = POLL_SECONDS) -> Callable[[], None]:
    """Run the sender as a background task; answers what wakes it."""
    woken = socketio.server.eio.create_event()  # an event of the server's async mode (Flask-SocketIO's engine)

    def run_forever():
        forget_at = time.monotonic()
        while True:
            woken.clear()  # before claiming: a wake during the claim is not lost
            try:
                if time.monotonic() >= forget_at:
                    forget_at = time.monotonic() + channels.FORGET_EVERY_SECONDS
                    sender.forget_old()
                for notice in sender.claim_due():
                    socketio.start_background_task(_attempt_logged, sender, notice)
            except Exception:
                log.exception("channel worker: could not claim notices; trying again")
            woken.wait(poll_seconds)
            socketio.sleep(0)  # the boards' alerts of the commit that woke us were queued first: let them go out

    socketio.start_background_task(run_forever)
    return woken.set


def _attempt_logged(sender: channels.ChannelSender, notice: dict) -> None:
    try:
        sender.attempt(notice)
    except Exception:
        log.exception("channel notice %s could not be sent or recorded", notice.get("id"))
