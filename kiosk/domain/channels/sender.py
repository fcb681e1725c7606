"""Sending the channels' outbox: claim due notices atomically (of several server processes
each goes out once), decide whether each is still needed, send it through Apprise off the
event loop, record every attempt, and retry with backoff (RETRY_AFTER_SECONDS) before
giving up. A notice owed before a crash is still pending in the database and goes out
after the restart."""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import quote

from kiosk.clock import to_iso
from kiosk.domain.channels.messages import COMING
from kiosk.domain.domain_events import AlertDelivered

# After a failed attempt wait this long before the next; after the last, give up (~20 minutes in all:
# an alert about a guest is worth little later).
RETRY_AFTER_SECONDS = (5, 15, 60, 300, 900)
CLAIM_SECONDS = 60  # a claimed notice's lease: longer than any attempt; a dead process's notices come back
CLAIM_LIMIT = 20
LOG_DAYS = 7
FORGET_EVERY_SECONDS = 3600
log = logging.getLogger(__name__)


class ChannelSender:
    """Sends due notices: claim, decide, send, record the attempt, schedule the retry or give up."""

    def __init__(self, channels, *, claimer: str, log_days: int = LOG_DAYS, publish=lambda event: None):
        """`publish` hears AlertDelivered when a channel was the first to reach a visit's host."""
        self.channels = channels
        self.publish = publish
        self.store = channels.store
        self.clock = channels.clock
        self.claimer = claimer
        self.log_days = log_days

    def claim_due(self, limit: int = CLAIM_LIMIT) -> list[dict]:
        now = self.clock.now()
        return self.store.claim_due_notices(to_iso(now), to_iso(now + timedelta(seconds=CLAIM_SECONDS)),
                                            self.claimer, limit)

    def attempt(self, notice: dict) -> str:
        """Send one claimed notice (or settle it unsent); returns its status afterwards."""
        unneeded = self._unneeded(notice)
        if unneeded:
            self.store.settle_notice(notice["id"], unneeded)
            if notice["alert"] == COMING:
                self.store.forget_sms_number(notice["visit_id"])
            return unneeded
        title, body = self.channels.message_for(notice)
        texting = notice["alert"] == COMING
        url = with_recipient(notice["url"], notice["sms_to"]) if texting else notice["url"]
        attempt = self.channels.send_now(url, title, body)
        if texting:  # the customer's number stays out of every stored or logged text
            attempt["error"] = attempt["error"] and without_number(attempt["error"], notice["sms_to"])
        outcome = next_step(notice["attempts"] + 1, bool(attempt["ok"]), self.clock.now())
        reached_host = bool(attempt["ok"]) and notice["alert"] == "arrived" and \
            notice["host_id"] == notice["visit_host_id"]
        if self.store.record_channel_attempt(notice, attempt, outcome, reached_host=reached_host):
            self.publish(AlertDelivered(self.store.visit(notice["visit_id"])))
        if not attempt["ok"]:
            log.warning("channel %s (%s) of host %s: attempt %s failed (%s); %s", notice["channel_id"],
                        notice["kind"], notice["host_id"], notice["attempts"] + 1, attempt["error"],
                        f"next at {outcome['next_attempt_at']}" if outcome["next_attempt_at"] else "giving up")
        if texting and outcome["status"] != "pending":
            self.store.forget_sms_number(notice["visit_id"])
        return outcome["status"]

    def _unneeded(self, notice: dict) -> str | None:
        """Why a notice need not be sent any more, if so: the guest is no longer waiting, its
        host left the team, or (an "unconfirmed" channel) a board of the host confirmed the alert."""
        if notice["alert"] == COMING:  # the customer's text: while someone is coming, to a number still known
            return None if notice["visit_status"] in ("acknowledged", "greeted") and notice["sms_to"] else "settled"
        if notice["visit_status"] != "waiting":
            return "settled"
        if not notice["host_active"]:
            return "settled"
        if notice["unless_confirmed"] and self.store.alert_confirmed_by_board(notice["visit_id"], notice["host_id"]):
            return "confirmed"
        return None

    def deliver_due(self) -> int:
        """Claim and send every due notice, one after the other (tests; the worker runs them side by side)."""
        claimed = self.claim_due()
        for notice in claimed:
            self.attempt(notice)
        return len(claimed)

    def forget_old(self) -> int:
        return self.store.forget_channel_log_before(to_iso(self.clock.now() - timedelta(days=self.log_days)))


def next_step(attempts_made: int, succeeded: bool, now) -> dict:
    """After `attempts_made` attempts: sent, a retry at the next backoff step, or given up."""
    if succeeded:
        return {"status": "sent", "next_attempt_at": None}
    if attempts_made > len(RETRY_AFTER_SECONDS):
        return {"status": "failed", "next_attempt_at": None}
    wait = RETRY_AFTER_SECONDS[attempts_made - 1]
    return {"status": "pending", "next_attempt_at": to_iso(now + timedelta(seconds=wait))}


def with_recipient(url: str, number: str) -> str:
    """The site's SMS URL with the customer's number as the recipient (Apprise's `to`)."""
    return f"{url}{'&' if '?' in url else '?'}to={quote(number, safe='')}"


def without_number(text: str, number: str) -> str:
    """`text` with the number, as typed with + and as digits (also URL-quoted), masked."""
    for form in (number, quote(number, safe=""), number.lstrip("+")):
        text = text.replace(form, "****")
    return text
