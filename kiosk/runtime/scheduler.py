"""The serving processes' clockwork, once a second.

Every process keeps its own boards' heartbeat and ends its connections whose
sign-in ended (realtime/connections.py). Exactly one process at a time —
the holder of the `scheduler` lock in the database, renewed each tick and taken
over when its holder dies — climbs the escalation ladder, sends presence changes
that happen by time alone, purges personal data past retention, and makes the
managers' weekly digests when due (once per manager and week: domain/digest_outbox.py). Every process
also watches the wall clock and logs a jump (clock.ClockWatch); the ladder and the
daily purge are timed by monotonic time.

Runs as a Flask-SocketIO background task, so it works in any async mode.
"""

from __future__ import annotations

import functools
import logging
from datetime import timedelta

from kiosk.clock import ClockWatch, to_iso
from kiosk.domain import privacy, stats, webhooks
from kiosk.domain.branches import pusher
from kiosk.domain.presence import HEARTBEAT_SECONDS
from kiosk.realtime.connections import SWEEP_SECONDS
from kiosk.runtime import channel_worker
from kiosk.store.durability import Checkpointer

log = logging.getLogger(__name__)
TICK_SECONDS = 1.0
LOCK_SECONDS = 5.0  # a dead leader is replaced within this long


class Scheduler:
    def __init__(self, store, clock, presence, leader_jobs, own_jobs=(), pause=lambda: None):
        """`own_jobs`: (every how many ticks, job) that every process runs for itself. `pause()`
        runs between two jobs: the serving process lets its event loop go on there, so a tick's
        jobs delay a check-in by the longest of them, not by their sum."""
        self.pause = pause
        self.store = store
        self.clock = clock
        self.presence = presence
        self.leader_jobs = list(leader_jobs)
        self.own_jobs = [(HEARTBEAT_SECONDS, presence.heartbeat), *own_jobs]
        self.ticks = 0

    def is_leader(self) -> bool:
        now = self.clock.now()
        return self.store.take_lock("scheduler", self.presence.process_id, to_iso(now),
                                    to_iso(now + timedelta(seconds=LOCK_SECONDS)))

    def tick(self) -> None:
        for every, job in self.own_jobs:
            if self.ticks % every == 0:
                self._run(job)
        self.ticks += 1
        if self._run(self.is_leader):
            for job in self.leader_jobs:
                self._run(job)

    def _run(self, job):
        self.pause()
        try:
            return job()
        except Exception:  # one bad tick must not stop the ladder for good
            log.exception("scheduled job %s failed; trying again in %s s", job.__name__, TICK_SECONDS)
            return None


def start(app) -> None:
    """In the serving process: the escalation ladder, presence, purges, stats summaries,
    WAL checkpoints (the leader's jobs), the webhooks' and the channels' senders, and on a branch
    the daily summaries for the head office, as background tasks."""
    services = app.extensions["gastgeber"]
    socketio = app.extensions["socketio"]
    store, clock, settings = services.store, services.clock, services.settings

    daily_purge = privacy.DailyPurge(store, clock, lambda site_id: services.site_settings.for_site(site_id)[
        "retention_days"], max_share_percent=settings["purge_max_share_percent"])

    def sum_up_stats():
        stats.sum_up_past_days(store, clock)

    checkpointer = Checkpointer(store.path, socketio.async_mode)
    checkpointer.take_over(store.db.conn)
    leader_jobs = (services.escalator.tick, services.team_updates.refresh_all, daily_purge.run_if_due,
                   services.presence.sweep, sum_up_stats, checkpointer.checkpoint, services.digests.run_if_due)
    scheduler = Scheduler(store, clock, services.presence, leader_jobs,
                          own_jobs=[(1, ClockWatch(clock).check), (SWEEP_SECONDS, services.connections.sweep)],
                          pause=lambda: socketio.sleep(0))

    def run_forever():
        while True:
            scheduler.tick()
            socketio.sleep(TICK_SECONDS)

    socketio.start_background_task(run_forever)
    start_webhook_sender(socketio, webhooks.Sender(
        store, clock, claimer=services.presence.process_id, post=webhooks.poster(settings),
        log_days=min(webhooks.LOG_DAYS, settings["retention_days"])))
    if settings["head_office_url"]:
        start_summary_pusher(socketio, pusher.SummaryPusher(
            store, clock, services.site_settings.for_site, url=settings["head_office_url"],
            token=settings["head_office_token"], claimer=services.presence.process_id,
            post=pusher.head_office_post(settings)))
    store.when_notices_queued("channel_notices", channel_worker.start(socketio, services.channel_sender))
    # the same loop, for the board devices' Web Push
    store.when_notices_queued("push_notices", channel_worker.start(socketio, services.push_sender))
    # and for the managers' weekly digests
    store.when_notices_queued("digest_notices", channel_worker.start(socketio, services.digest_sender))


def start_webhook_sender(socketio, sender: webhooks.Sender, poll_seconds: float = 1.0) -> None:
    """In the serving process: once a second, claim what is due and send each on a task of its own."""
    _claim_and_attempt_forever(socketio, poll_seconds, housekeeping=sender.forget_old,
                               housekeeping_seconds=webhooks.FORGET_EVERY_SECONDS, claim_due=sender.claim_due,
                               attempt=functools.partial(_attempt_logged, sender),
                               failure="webhook worker: could not claim deliveries; trying again")


def start_summary_pusher(socketio, summaries: pusher.SummaryPusher, poll_seconds: float = 1.0) -> None:
    """On a branch: owe the days that ended (once a minute), and send what is due (once a second),
    each site-day on a task of its own; a failure waits for its retry."""
    _claim_and_attempt_forever(socketio, poll_seconds, housekeeping=summaries.queue_ended_days,
                               housekeeping_seconds=pusher.QUEUE_EVERY_SECONDS, claim_due=summaries.claim_due,
                               attempt=functools.partial(_push_logged, summaries),
                               failure="summaries for the head office: could not queue or claim; trying again")


def _claim_and_attempt_forever(socketio, poll_seconds: float, *, housekeeping, housekeeping_seconds: float, claim_due,
                               attempt, failure: str) -> None:
    """Every `poll_seconds`: claim what is due and attempt each on a task of its own; every
    `housekeeping_seconds` (and at the start) run `housekeeping` first. A round that fails is
    logged and tried again at the next one."""

    def run_forever():
        rounds = 0
        while True:
            try:
                if rounds % round(housekeeping_seconds / poll_seconds) == 0:
                    housekeeping()
                rounds += 1
                for claimed in claim_due():
                    socketio.start_background_task(attempt, claimed)
            except Exception:
                log.exception(failure)
            socketio.sleep(poll_seconds)

    socketio.start_background_task(run_forever)


def _push_logged(summaries: pusher.SummaryPusher, owed: dict) -> None:
    try:
        summaries.attempt(owed)
    except Exception:
        log.exception("summary of site %s, %s, could not be recorded", owed.get("site_id"), owed.get("day"))


def _attempt_logged(sender: webhooks.Sender, delivery: dict) -> None:
    try:
        sender.attempt(delivery)
    except Exception:
        log.exception("webhook delivery %s could not be recorded", delivery.get("uuid"))
