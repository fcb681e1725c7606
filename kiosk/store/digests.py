"""Queries of the managers' weekly digest: their choice, their channels, the digests made and
their outbox (see kiosk/domain/digest.py and kiosk/domain/digest_outbox.py).

A test digest (a manager's "Send a test digest now") is a row of `digests` like any other, owed
to the one channel it tests; its `week` is `test:<channel id>:<when>` instead of an ISO week, so
it never counts as the week's digest, and the one-per-manager-and-week rule holds for it too.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.store.claims import claim_due

DEFAULT_WEEKDAY = 0  # a manager without a choice gets it on Mondays
DEFAULT_HOUR = 8  # at 08:00 local time (the column's default too, migration 0033)
TEST_WEEK = "test:"  # how a test digest's `week` begins
NEWEST_TEST = f"""(SELECT max(t.id) FROM digest_notices t JOIN digests d ON d.id = t.digest_id
                   WHERE t.channel_id = c.id AND d.week LIKE '{TEST_WEEK}%')"""

MANAGER_CHANNEL_SELECT = """
SELECT c.id, c.site_id, c.manager_id, c.kind, c.masked_url, c.label, c.created_at,
       n.last_at, n.last_ok, n.last_error, n.last_ms,
       t.created_at AS test_at, t.status AS test_status, t.last_at AS test_last_at, t.last_ok AS test_last_ok,
       t.last_error AS test_last_error, t.last_ms AS test_last_ms
FROM manager_channels c
LEFT JOIN digest_notices n ON n.id = (SELECT max(id) FROM digest_notices WHERE channel_id = c.id
                                       AND last_at IS NOT NULL)
LEFT JOIN digest_notices t ON t.id = """ + NEWEST_TEST
# A manager's channel as shown: never its raw URL; `last_*` is the newest attempt of a digest to it,
# `test_*` its newest test digest (asked at `test_at`; `test_status` 'pending' while on its way).
# A claimed digest notice with what its attempt needs: the channel's URL and the digest's content.
DIGEST_NOTICE_SELECT = f"""
SELECT n.id, n.digest_id, n.channel_id, n.attempts, c.url, c.kind, c.manager_id, d.site_id, d.week,
       d.subject, d.text, d.html, d.chart_png, d.week LIKE '{TEST_WEEK}%' AS test
FROM digest_notices n
JOIN manager_channels c ON c.id = n.channel_id
JOIN digests d ON d.id = n.digest_id
"""


class DigestQueries:
    # a manager's choice

    def digest_choice(self, manager_id: int) -> dict:
        row = self._one("SELECT enabled, weekday, hour FROM manager_digests WHERE manager_id = ?", (manager_id,))
        return {"enabled": bool(row["enabled"]), "weekday": row["weekday"], "hour": row["hour"]} if row else \
            {"enabled": True, "weekday": DEFAULT_WEEKDAY, "hour": DEFAULT_HOUR}

    def set_digest_choice(self, manager_id: int, choice: dict, now: str, audit: list[dict]) -> None:
        """`choice`: enabled, weekday and hour, all three."""
        with self.transaction():
            self.db.conn.execute(
                "INSERT INTO manager_digests (manager_id, enabled, weekday, hour, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (manager_id) DO UPDATE SET enabled = excluded.enabled, weekday = excluded.weekday, "
                "hour = excluded.hour, updated_at = excluded.updated_at",
                (manager_id, int(choice["enabled"]), choice["weekday"], choice["hour"], now))
            self._write_audit(audit)

    def digest_schedules(self, site_id: int) -> list[tuple[int, int]]:
        """The (weekday, local hour) pairs at which the site's managers who have the digest on get it."""
        return [(row["weekday"], row["hour"]) for row in self._rows(
            "SELECT DISTINCT COALESCE(g.weekday, ?) AS weekday, COALESCE(g.hour, ?) AS hour FROM managers m "
            "LEFT JOIN manager_digests g ON g.manager_id = m.id "
            "WHERE m.site_id = ? AND COALESCE(g.enabled, 1) = 1 ORDER BY 1, 2",
            (DEFAULT_WEEKDAY, DEFAULT_HOUR, site_id))]

    def managers_due_digest(self, site_id: int, weekday: int, hour: int, week: str) -> list[dict]:
        """The site's managers with access who get their digest on `weekday` at `hour`, have it on,
        have a channel and have no digest of `week` yet."""
        return list(self._rows(
            "SELECT m.id, m.name, m.language FROM managers m "
            "LEFT JOIN manager_digests g ON g.manager_id = m.id "
            "WHERE m.site_id = ? AND COALESCE(g.enabled, 1) = 1 AND COALESCE(g.weekday, ?) = ? "
            "AND COALESCE(g.hour, ?) = ? "
            "AND (m.pin_hash IS NOT NULL OR EXISTS (SELECT 1 FROM tokens t WHERE t.role = 'manager' "
            "     AND t.subject_id = m.id AND t.revoked_at IS NULL)) "
            "AND EXISTS (SELECT 1 FROM manager_channels c WHERE c.manager_id = m.id) "
            "AND NOT EXISTS (SELECT 1 FROM digests d WHERE d.manager_id = m.id AND d.week = ?) ORDER BY m.id",
            (site_id, DEFAULT_WEEKDAY, weekday, DEFAULT_HOUR, hour, week)))

    # a manager's channels

    def add_manager_channel(self, fields: dict, *, most: int, audit: Callable[[int], list[dict]]) -> int | None:
        """A new channel of the manager, unless they have `most` already (None then)."""
        with self.transaction():
            (count,) = self.db.conn.execute("SELECT count(*) FROM manager_channels WHERE manager_id = ?",
                                            (fields["manager_id"],)).fetchone()
            if count >= most:
                return None
            channel_id = self._insert("manager_channels", fields)
            self._write_audit(audit(channel_id))
        return channel_id

    def manager_channel(self, channel_id: int) -> dict | None:
        return self._one(MANAGER_CHANNEL_SELECT + " WHERE c.id = ?", (channel_id,))

    def manager_channels(self, manager_id: int) -> list[dict]:
        return list(self._rows(MANAGER_CHANNEL_SELECT + " WHERE c.manager_id = ? ORDER BY c.id", (manager_id,)))

    def manager_channel_urls(self, manager_id: int) -> list[dict]:
        """The URLs to send to (never shown): for a preview's test send and for queueing."""
        return list(self._rows("SELECT id, url, kind FROM manager_channels WHERE manager_id = ? ORDER BY id",
                               (manager_id,)))

    def remove_manager_channel(self, channel_id: int, audit: list[dict]) -> None:
        with self.transaction():
            self.db.conn.execute("DELETE FROM digest_notices WHERE channel_id = ?", (channel_id,))
            self.db.conn.execute("DELETE FROM manager_channels WHERE id = ?", (channel_id,))
            self._write_audit(audit)

    # digests and their outbox

    def queue_digest(self, fields: dict, now: str) -> int | None:
        """The digest of one manager and week, owed to each of their channels, in one transaction;
        None (and nothing written) when that manager already has the week's digest."""
        with self.transaction():
            cursor = self.db.conn.execute(
                "INSERT OR IGNORE INTO digests (site_id, manager_id, week, language, made_at, subject, text, html, "
                "chart_png) VALUES (:site_id, :manager_id, :week, :language, :made_at, :subject, :text, :html, "
                ":chart_png)", fields)
            if cursor.rowcount != 1:
                return None
            digest_id = cursor.lastrowid
            self.db.conn.execute(
                "INSERT INTO digest_notices (digest_id, channel_id, status, attempts, created_at, next_attempt_at) "
                "SELECT ?, id, 'pending', 0, ?, ? FROM manager_channels WHERE manager_id = ?",
                (digest_id, now, now, fields["manager_id"]))
            self._notices_queued("digest_notices")
        return digest_id

    def queue_test_digest(self, fields: dict, channel_id: int, now: str, *, not_since: str) -> int | None:
        """A test digest owed to one channel of its manager, in one transaction; None (and nothing
        written) when that channel had a test asked for after `not_since`."""
        with self.transaction():
            last = self.last_digest_test_at(channel_id)
            if last is not None and last > not_since:
                return None
            digest_id = self._insert("digests", {**fields, "week": f"{TEST_WEEK}{channel_id}:{now}"})
            self.db.conn.execute(
                "INSERT INTO digest_notices (digest_id, channel_id, status, attempts, created_at, next_attempt_at) "
                "VALUES (?, ?, 'pending', 0, ?, ?)", (digest_id, channel_id, now, now))
            self._notices_queued("digest_notices")
        return digest_id

    def last_digest_test_at(self, channel_id: int) -> str | None:
        """When the newest test digest of the channel was asked for (None: never)."""
        row = self._one("SELECT created_at FROM digest_notices WHERE id = " + NEWEST_TEST.replace("c.id", "?"),
                        (channel_id,))
        return row["created_at"] if row else None

    def digest_of_week(self, manager_id: int, week: str) -> dict | None:
        return self._one("SELECT * FROM digests WHERE manager_id = ? AND week = ?", (manager_id, week))

    def digest_notices_of(self, digest_id: int) -> list[dict]:
        return list(self._rows("SELECT * FROM digest_notices WHERE digest_id = ? ORDER BY id", (digest_id,)))

    def claim_due_digest_notices(self, now: str, lease_until: str, claimer: str, limit: int) -> list[dict]:
        return claim_due(self, "digest_notices", DIGEST_NOTICE_SELECT, now, lease_until, claimer, limit)

    def record_digest_attempt(self, notice_id: int, attempt: dict, outcome: dict) -> None:
        with self.transaction(durable=False):
            self.db.conn.execute(
                "UPDATE digest_notices SET status = ?, attempts = attempts + 1, next_attempt_at = ?, "
                "claimed_by = NULL, claimed_until = NULL, last_at = ?, last_ok = ?, last_error = ?, last_ms = ? "
                "WHERE id = ?",
                (outcome["status"], outcome["next_attempt_at"], attempt["at"], attempt["ok"], attempt["error"],
                 attempt["ms"], notice_id))

    def forget_digests_before(self, cutoff: str) -> int:
        """Digests made before `cutoff` whose notices are all finished, with those notices."""
        with self.transaction(durable=False):
            conn = self.db.conn
            old = "SELECT id FROM digests WHERE made_at < ? AND id NOT IN " \
                  "(SELECT digest_id FROM digest_notices WHERE status = 'pending')"
            conn.execute(f"DELETE FROM digest_notices WHERE digest_id IN ({old})", (cutoff,))
            return conn.execute(f"DELETE FROM digests WHERE id IN ({old})", (cutoff,)).rowcount
