"""Sending the push outbox, the way the channels' sender does (channels/sender.py): claim due
notices atomically, skip those no longer needed, push, record the attempt, retry with the
channels' back-off. A subscription the push service says is gone (404/410) is removed."""

from __future__ import annotations

import logging
from datetime import timedelta

from kiosk.clock import to_iso
from kiosk.domain.channels.sender import CLAIM_LIMIT, CLAIM_SECONDS, LOG_DAYS, next_step

log = logging.getLogger(__name__)


class PushSender:
    """Sends due push notices (runtime/channel_worker.py runs it beside the channels' sender)."""

    def __init__(self, push, *, claimer: str, log_days: int = LOG_DAYS):
        self.push = push
        self.store = push.store
        self.clock = push.clock
        self.claimer = claimer
        self.log_days = log_days

    def claim_due(self, limit: int = CLAIM_LIMIT) -> list[dict]:
        now = self.clock.now()
        return self.store.claim_due_push_notices(to_iso(now), to_iso(now + timedelta(seconds=CLAIM_SECONDS)),
                                                 self.claimer, limit)

    def attempt(self, notice: dict) -> str:
        """Push one claimed notice (or settle it unpushed); returns its status afterwards."""
        unneeded = self._unneeded(notice)
        if unneeded:
            self.store.settle_push_notice(notice["id"], unneeded)
            return unneeded
        token, ack = self.push.new_ack(notice)
        attempt = self.push.push_now(notice, self.push.payload_for(notice, token))
        if attempt["gone"]:
            log.info("push subscription %s of host %s is gone (%s); removed", notice["subscription_id"],
                     notice["host_id"], attempt["error"])
            self.store.remove_push_subscription(notice["subscription_id"])
            return "gone"
        outcome = next_step(notice["attempts"] + 1, attempt["ok"], self.clock.now())
        reached_host = attempt["ok"] and notice["alert"] == "arrived" and notice["host_id"] == notice["visit_host_id"]
        self.store.record_push_attempt(notice, attempt, outcome, reached_host=reached_host,
                                       ack=ack if attempt["ok"] else None)
        if not attempt["ok"]:
            log.warning("push to subscription %s of host %s: attempt %s failed (%s); %s", notice["subscription_id"],
                        notice["host_id"], notice["attempts"] + 1, attempt["error"],
                        f"next at {outcome['next_attempt_at']}" if outcome["next_attempt_at"] else "giving up")
        return outcome["status"]

    def _unneeded(self, notice: dict) -> str | None:
        if notice["visit_status"] != "waiting" or not notice["host_active"]:
            return "settled"
        if notice["unless_confirmed"] and self.store.alert_confirmed_by_board(notice["visit_id"], notice["host_id"]):
            return "confirmed"
        return None

    def deliver_due(self) -> int:
        """Claim and push every due notice, one after the other (tests; the worker runs them side by side)."""
        claimed = self.claim_due()
        for notice in claimed:
            self.attempt(notice)
        return len(claimed)

    def forget_old(self) -> int:
        now = self.clock.now()
        return self.store.forget_push_log_before(to_iso(now - timedelta(days=self.log_days)), to_iso(now))
