"""Queries of channels, their outbox of notices and the attempts (see kiosk/domain/channels/)."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.domain.device_kinds import channel_kind
from kiosk.store.claims import claim_due

# What a channel is shown as: never its raw URL. `last_*` is its newest attempt.
CHANNEL_SELECT = """
SELECT c.id, c.site_id, c.host_id, h.name AS host_name, c.kind, c.masked_url, c.send_when, c.label, c.created_at,
       a.at AS last_at, a.ok AS last_ok, a.error AS last_error, a.ms AS last_ms
FROM channels c
JOIN hosts h ON h.id = c.host_id
LEFT JOIN channel_attempts a ON a.id = (SELECT max(id) FROM channel_attempts WHERE channel_id = c.id)
"""
# The site's SMS channel: a channel without a host (schema 0025), never in the hosts' lists above.
SMS_CHANNEL_SELECT = CHANNEL_SELECT.replace("JOIN hosts h", "LEFT JOIN hosts h") + \
    " WHERE c.site_id = ? AND c.host_id IS NULL"
# A claimed notice with all its attempt needs: the channel's URL, its host (none for the site's
# SMS channel), the visit (for a text message: the number, its language, who acknowledged, the shop).
NOTICE_SELECT = """
SELECT n.id, n.channel_id, n.visit_id, n.alert, n.unless_confirmed, n.attempts,
       c.url, c.kind, c.host_id, h.name AS host_name, h.languages AS host_languages, h.language AS host_language,
       h.active AS host_active,
       v.site_id, v.status AS visit_status, v.arrived_at, v.host_id AS visit_host_id, vh.name AS visit_host_name,
       cu.name AS customer_name, v.sms_to, v.language AS visit_language, ab.name AS acknowledged_by_name,
       s.name AS site_name
FROM channel_notices n
JOIN channels c ON c.id = n.channel_id
LEFT JOIN hosts h ON h.id = c.host_id
JOIN visits v ON v.id = n.visit_id
JOIN customers cu ON cu.id = v.customer_id
JOIN sites s ON s.id = v.site_id
LEFT JOIN hosts vh ON vh.id = v.host_id
LEFT JOIN hosts ab ON ab.id = v.acknowledged_by
"""


class ChannelQueries:
    # channels, each change with its audit entry

    def add_channel(self, fields: dict, *, most_per_host: int, most_per_site: int,
                    audit: Callable[[int], list[dict]]) -> int | None:
        """A new channel, unless its host or site has as many as allowed already (None then)."""
        with self.transaction():
            per_host, per_site = self.db.conn.execute(
                "SELECT sum(host_id = ?), count(*) FROM channels WHERE site_id = ?",
                (fields["host_id"], fields["site_id"])).fetchone()
            if (per_host or 0) >= most_per_host or per_site >= most_per_site:
                return None
            channel_id = self._insert("channels", fields)
            self._write_audit(audit(channel_id))
        return channel_id

    def channel(self, channel_id: int) -> dict | None:
        return self._one(CHANNEL_SELECT + " WHERE c.id = ?", (channel_id,))

    def channel_url(self, channel_id: int) -> str | None:
        row = self._one("SELECT url FROM channels WHERE id = ?", (channel_id,))
        return row["url"] if row else None

    def channels_of_site(self, site_id: int, host_id: int | None = None) -> list[dict]:
        if host_id is None:
            return list(self._rows(CHANNEL_SELECT + " WHERE c.site_id = ? ORDER BY h.name, c.id", (site_id,)))
        return list(self._rows(CHANNEL_SELECT + " WHERE c.site_id = ? AND c.host_id = ? ORDER BY c.id",
                               (site_id, host_id)))

    def remove_channel(self, channel_id: int, audit: list[dict]) -> None:
        """The channel with its notices and attempts."""
        with self.transaction():
            self._delete_channel(channel_id)
            self._write_audit(audit)

    def _delete_channel(self, channel_id: int) -> None:
        conn = self.db.conn
        conn.execute("DELETE FROM channel_attempts WHERE channel_id = ?", (channel_id,))
        conn.execute("DELETE FROM channel_notices WHERE channel_id = ?", (channel_id,))
        conn.execute("DELETE FROM channels WHERE id = ?", (channel_id,))

    def channels_of_hosts(self, host_ids) -> list[dict]:
        """The channels of these hosts (active ones), for the notices an alert owes: one indexed read."""
        host_ids = list(host_ids)
        if not host_ids:
            return []
        marks = ", ".join("?" for _ in host_ids)
        return list(self._rows(
            f"SELECT c.id, c.host_id, c.send_when FROM channels c JOIN hosts h ON h.id = c.host_id "
            f"WHERE c.host_id IN ({marks}) AND h.active = 1 ORDER BY c.id", host_ids))

    # the site's SMS channel (one per site, no host)

    def sms_channel(self, site_id: int) -> dict | None:
        return self._one(SMS_CHANNEL_SELECT, (site_id,))

    def set_sms_channel(self, fields: dict, audit: list[dict]) -> None:
        """The site's SMS channel, replacing the one it had (with that one's notices and attempts)."""
        with self.transaction():
            old = self._one("SELECT id FROM channels WHERE site_id = ? AND host_id IS NULL", (fields["site_id"],))
            if old is not None:
                self._delete_channel(old["id"])
            self._insert("channels", fields)
            self._write_audit(audit)

    def forget_sms_number(self, visit_id: int) -> None:
        """The text message went out (or was given up): the number is not kept any longer."""
        with self.transaction(durable=False):
            self.db.conn.execute("UPDATE visits SET sms_to = NULL WHERE id = ?", (visit_id,))

    # the outbox

    def _enqueue_notices(self, rows: list[dict]) -> int:
        """Inside the calling store method's transaction: queue notices; a channel that already
        has one for the visit keeps it (each channel hears of a visit at most once). Web Push
        notices (with a `subscription_id`) ride along into their own outbox (store/push.py)."""
        pushes = [row for row in rows if "subscription_id" in row]
        rows = [row for row in rows if "subscription_id" not in row]
        queued = self._enqueue_push_notices(pushes)
        if not rows:
            return queued
        columns = list(rows[0])
        sql = (f"INSERT OR IGNORE INTO channel_notices ({', '.join(columns)}) "
               f"VALUES ({', '.join('?' for _ in columns)})")
        added = self.db.conn.executemany(sql, [tuple(row[c] for c in columns) for row in rows]).rowcount
        if added:
            self._notices_queued("channel_notices")
        return queued + added

    def claim_due_notices(self, now: str, lease_until: str, claimer: str, limit: int) -> list[dict]:
        """Take up to `limit` due notices for `claimer` until `lease_until` (store/claims.py)."""
        return claim_due(self, "channel_notices", NOTICE_SELECT, now, lease_until, claimer, limit)

    def alert_confirmed_by_board(self, visit_id: int, host_id: int) -> bool:
        """Whether a board of the host confirmed an alert of this visit (its arrival or its escalation);
        a channel's or a push service's delivery is no board's confirmation."""
        return self._one(
            "SELECT 1 FROM alert_deliveries WHERE visit_id = ? AND host_id = ? AND board_id NOT LIKE 'channel:%' "
            "AND board_id NOT LIKE 'push:%' "
            "UNION ALL SELECT 1 FROM escalation_receipts WHERE visit_id = ? AND host_id = ? LIMIT 1",
            (visit_id, host_id, visit_id, host_id)) is not None

    def settle_notice(self, notice_id: int, status: str) -> None:
        """A notice that needs no send (a board confirmed it, the guest was seen to, the host left)."""
        with self.transaction(durable=False):
            self.db.conn.execute("UPDATE channel_notices SET status = ?, next_attempt_at = NULL, claimed_by = NULL, "
                                 "claimed_until = NULL WHERE id = ?", (status, notice_id))

    def record_channel_attempt(self, notice: dict, attempt: dict, outcome: dict, *, reached_host: bool) -> bool:
        """One attempt and what follows (sent, next retry, given up). `reached_host`: the visit's
        own host got it, which counts as the alert's receipt (like a board's, for the ladder).
        True if that made it the visit's first delivered alert."""
        with self.transaction(durable=False):
            self._insert("channel_attempts", {"channel_id": notice["channel_id"], "notice_id": notice["id"],
                                              **attempt})
            self.db.conn.execute(
                "UPDATE channel_notices SET status = ?, attempts = attempts + 1, next_attempt_at = ?, "
                "claimed_by = NULL, claimed_until = NULL WHERE id = ?",
                (outcome["status"], outcome["next_attempt_at"], notice["id"]))
            if reached_host:
                self._insert("alert_deliveries", {"visit_id": notice["visit_id"], "host_id": notice["host_id"],
                                                  "board_id": f"channel:{notice['channel_id']}",
                                                  "delivered_at": attempt["at"], "kind": channel_kind(notice["kind"])})
                first = self.db.conn.execute("UPDATE visits SET alert_delivered_at = ? "
                                             "WHERE id = ? AND alert_delivered_at IS NULL",
                                             (attempt["at"], notice["visit_id"])).rowcount == 1
                self.db.conn.execute("UPDATE visits SET alert_delivered_at = ? WHERE id = ? AND alert_delivered_at > ?",
                                     (attempt["at"], notice["visit_id"], attempt["at"]))  # the earliest receipt of all
                return first
        return False

    def record_test_attempt(self, channel_id: int, attempt: dict) -> None:
        with self.transaction(durable=False):
            self._insert("channel_attempts", {"channel_id": channel_id, "notice_id": None, **attempt})

    def notices_of_visit(self, visit_id: int) -> list[dict]:
        return list(self._rows("SELECT * FROM channel_notices WHERE visit_id = ? ORDER BY id", (visit_id,)))

    def attempts_of_channel(self, channel_id: int) -> list[dict]:
        return list(self._rows("SELECT notice_id, at, ok, error, ms FROM channel_attempts WHERE channel_id = ? "
                               "ORDER BY id", (channel_id,)))

    def forget_channel_log_before(self, cutoff: str) -> int:
        """Drop finished notices and attempts made before `cutoff` (the newest attempt of each channel stays)."""
        with self.transaction(durable=False):
            conn = self.db.conn
            conn.execute("DELETE FROM channel_attempts WHERE at < ? AND id NOT IN "
                         "(SELECT max(id) FROM channel_attempts GROUP BY channel_id)", (cutoff,))
            conn.execute("UPDATE channel_attempts SET notice_id = NULL WHERE notice_id IN "
                         "(SELECT id FROM channel_notices WHERE created_at < ? AND status != 'pending')", (cutoff,))
            return conn.execute("DELETE FROM channel_notices WHERE created_at < ? AND status != 'pending'",
                                (cutoff,)).rowcount

    # receipts of team escalations (kiosk/realtime/publisher.py)

    def record_escalation_receipt(self, visit_id: int, host_id: int, board_id: str, now: str) -> None:
        with self.transaction(durable=False):
            self._insert("escalation_receipts",
                         {"visit_id": visit_id, "host_id": host_id, "board_id": board_id, "received_at": now})
