"""The channels' sender in the serving process: a few times a second, claim what is due and
send each notice on a task of its own (its Apprise call runs on an OS thread: the
channels' `offload`, so a slow mail server never holds the event loop)."""

from __future__ import annotations

import logging

from kiosk.domain import channels

log = logging.getLogger(__name__)
POLL_SECONDS = 0.25  # a notice owed at once leaves within this (one read of a partial index when idle)


def start(socketio, sender: channels.ChannelSender, poll_seconds: float = POLL_SECONDS) -> None:
    def run_forever():
        rounds = 0
        forget_every = round(channels.FORGET_EVERY_SECONDS / poll_seconds)
        while True:
            try:
                if rounds % forget_every == 0:
                    sender.forget_old()
                rounds += 1
                for notice in sender.claim_due():
                    socketio.start_background_task(_attempt_logged, sender, notice)
            except Exception:
                log.exception("channel worker: could not claim notices; trying again")
            socketio.sleep(poll_seconds)

    socketio.start_background_task(run_forever)


def _attempt_logged(sender: channels.ChannelSender, notice: dict) -> None:
    try:
        sender.attempt(notice)
    except Exception:
        log.exception("channel notice %s could not be sent or recorded", notice.get("id"))
