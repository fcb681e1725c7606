"""Queries of a chain (migration 0031): on a branch, the outbox of daily summaries owed to the
head office; on the head office, the branches and the days they pushed (kiosk/domain/branches/)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from kiosk.domain.errors import Conflict, Reason
from kiosk.store.names import name_key

BRANCH_DAY_COLUMNS = ("site_key", "day", "site_name", "timezone", "visits", "abandoned", "acknowledge_s", "greet_s",
                      "alert_delivery_ms", "target_seconds", "within_target", "within_target_of", "booked",
                      "checked_in", "no_show")


class SummaryOutboxQueries:
    """A branch's side: which site-days are owed to the head office, and their attempts."""

    def first_visit_hours(self) -> dict[int, str]:
        """Each site's first visit's UTC hour ("2026-11-23T14"), for sites with any visit."""
        return dict(self.db.conn.execute(
            "SELECT site_id, MIN(arrived_hour) FROM visits GROUP BY site_id").fetchall())

    def queue_summary_days(self, rows: list[dict]) -> int:
        """Owe these (site_id, day) summaries; a day owed or sent already is kept as it is."""
        if not rows:
            return 0
        with self.transaction(durable=False):  # lost in a power cut: queued again at the next look
            return self.db.conn.executemany(
                "INSERT OR IGNORE INTO summary_outbox (site_id, day, status, attempts, next_attempt_at, created_at) "
                "VALUES (:site_id, :day, 'pending', 0, :next_attempt_at, :created_at)", rows).rowcount

    def claim_due_summaries(self, now: str, lease_until: str, claimer: str, limit: int) -> list[dict]:
        """Up to `limit` due summaries, oldest day first, for `claimer` until `lease_until`, so of
        several processes exactly one sends each."""
        with self.transaction(durable=False):
            rows = list(self._rows(
                "SELECT id, site_id, day, attempts FROM summary_outbox WHERE status = 'pending' "
                "AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?) "
                "ORDER BY day, site_id LIMIT ?", (now, now, limit)))
            self.db.conn.executemany(
                "UPDATE summary_outbox SET claimed_by = ?, claimed_until = ? WHERE id = ?",
                [(claimer, lease_until, row["id"]) for row in rows])
        return rows

    def record_summary_attempt(self, outbox_id: int, at: str, error: str | None, next_attempt_at: str | None,
                               *, refused: bool = False, sent_hash: str | None = None) -> None:
        """One attempt: sent (error None; `sent_hash` the SHA-256 of the body sent), pending again
        until `next_attempt_at`, or `refused` (the head office will not take this body: kept with
        its error, not sent again)."""
        status = "refused" if refused else "sent" if error is None else "pending"
        with self.transaction(durable=False):
            self.db.conn.execute(
                "UPDATE summary_outbox SET status = ?, attempts = attempts + 1, last_attempt_at = ?, last_error = ?, "
                "sent_at = ?, next_attempt_at = COALESCE(?, next_attempt_at), claimed_by = NULL, "
                "claimed_until = NULL, sent_hash = ? WHERE id = ?",
                (status, at, error, at if error is None else None, next_attempt_at,
                 sent_hash if error is None else None, outbox_id))

    def sent_summaries_since(self, first_day: str) -> list[dict]:
        """The site-days from `first_day` on that were sent, with the SHA-256 of what was sent."""
        return list(self._rows("SELECT id, site_id, day, sent_hash FROM summary_outbox WHERE status = 'sent' "
                               "AND day >= ? ORDER BY day, site_id", (first_day,)))

    def owe_summaries_again(self, outbox_ids: list[int], now: str) -> None:
        """Sent site-days whose summary changed since: owed again from `now`, as new."""
        with self.transaction(durable=False):  # lost in a power cut: found changed again at the next look
            self.db.conn.executemany(
                "UPDATE summary_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL "
                "WHERE id = ? AND status = 'sent'", [(now, outbox_id) for outbox_id in outbox_ids])

    def summary_outbox(self) -> list[dict]:
        """Every owed or sent site-day (tests and the README's figures)."""
        return list(self._rows("SELECT * FROM summary_outbox ORDER BY day, site_id"))


class BranchQueries:
    """The head office's side: the branches, their tokens' hashes, and the days they pushed."""

    def add_branch(self, name: str, token_hash: str, now: str, audit: Callable[[int], list[dict]]) -> int:
        with self.transaction():
            try:
                cursor = self.db.conn.execute(
                    "INSERT INTO branches (name, name_key, token_hash, created_at) VALUES (?, ?, ?, ?)",
                    (name, name_key(name), token_hash, now))
            except sqlite3.IntegrityError as error:
                if "branches.name_key" not in str(error):
                    raise
                raise Conflict(Reason("branch_name_taken", f"There is already a branch called “{name}”: choose "
                                      "another name.", name=name), "name") from None
            self._write_audit(audit(cursor.lastrowid))
        return cursor.lastrowid

    def set_branch_token(self, branch_id: int, token_hash: str | None, now: str,
                         audit: Callable[[str], list[dict]]) -> bool:
        """Replace a branch's token by `token_hash`, or revoke it (None); the old one stops at once.
        `audit(name)` gives the audit entries; False if there is no such branch."""
        with self.transaction():
            row = self.db.conn.execute("SELECT name FROM branches WHERE id = ?", (branch_id,)).fetchone()
            if row is None:
                return False
            self.db.conn.execute("UPDATE branches SET token_hash = ?, token_revoked_at = ? WHERE id = ?",
                                 (token_hash, None if token_hash else now, branch_id))
            self._write_audit(audit(row[0]))
        return True

    def branches(self) -> list[dict]:
        return list(self._rows(
            "SELECT b.id, b.name, b.created_at, b.last_push_at, b.token_revoked_at, COUNT(d.day) AS days, "
            "COUNT(DISTINCT d.site_key) "
            "AS sites FROM branches b LEFT JOIN branch_days d ON d.branch_id = b.id GROUP BY b.id ORDER BY b.name_key"))

    def branch_for_token(self, token_hash: str) -> dict | None:
        """The branch whose token this is; a revoked or replaced token matches none."""
        return self._one("SELECT id, name FROM branches WHERE token_hash = ?", (token_hash,))

    def put_branch_day(self, branch_id: int, row: dict, now: str) -> bool:
        """Keep one site-day of a branch, replacing what it pushed for that day before; True if new."""
        with self.transaction():
            conn = self.db.conn
            known = conn.execute("SELECT 1 FROM branch_days WHERE branch_id = ? AND site_key = ? AND day = ?",
                                 (branch_id, row["site_key"], row["day"])).fetchone()
            columns = ("branch_id", *BRANCH_DAY_COLUMNS, "received_at")
            conn.execute(f"INSERT OR REPLACE INTO branch_days ({', '.join(columns)}) "
                         f"VALUES ({', '.join('?' for _ in columns)})",
                         (branch_id, *(row[column] for column in BRANCH_DAY_COLUMNS), now))
            conn.execute("UPDATE branches SET last_push_at = ? WHERE id = ?", (now, branch_id))
        return known is None

    def branch_days(self, first_day: str, last_day: str) -> list[dict]:
        """Every branch's site-days from `first_day` to `last_day` (both included), by the day index."""
        return list(self._rows(
            f"SELECT d.branch_id, b.name AS branch_name, {', '.join('d.' + c for c in BRANCH_DAY_COLUMNS)} "
            "FROM branch_days d JOIN branches b ON b.id = d.branch_id WHERE d.day >= ? AND d.day <= ?",
            (first_day, last_day)))
