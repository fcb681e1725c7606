"""Queries of Web Push: board devices' subscriptions, their outbox of notices, the one-time
"I've seen it" tokens, and the server's VAPID key pair (see kiosk/domain/push/)."""

from __future__ import annotations

from kiosk.domain.device_kinds import PUSH
from kiosk.store.claims import claim_due

# A claimed push notice with what its attempt needs: the subscription's keys, its host, the visit.
PUSH_NOTICE_SELECT = """
SELECT n.id, n.subscription_id, n.visit_id, n.alert, n.unless_confirmed, n.attempts,
       s.endpoint, s.p256dh, s.auth, s.host_id, h.name AS host_name, h.languages AS host_languages,
       h.language AS host_language, h.active AS host_active, v.site_id, v.status AS visit_status, v.arrived_at,
       v.host_id AS visit_host_id, vh.name AS visit_host_name, cu.name AS customer_name
FROM push_notices n
JOIN push_subscriptions s ON s.id = n.subscription_id
JOIN hosts h ON h.id = s.host_id
JOIN visits v ON v.id = n.visit_id
JOIN customers cu ON cu.id = v.customer_id
LEFT JOIN hosts vh ON vh.id = v.host_id
"""
VAPID_PRIVATE = "vapid_private_key"
VAPID_PUBLIC = "vapid_public_key"


class PushQueries:
    # the VAPID key pair, made once per database

    def vapid_keys(self, make) -> tuple[str, str]:
        """(private key PEM, public key base64url) of this database; `make()` makes a pair the first time."""
        with self.transaction():
            private, public = (self._one("SELECT value FROM settings WHERE key = ?", (key,))
                               for key in (VAPID_PRIVATE, VAPID_PUBLIC))
            if private and public:
                return private["value"], public["value"]
            private_pem, public_b64 = make()
            self.db.conn.executemany("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                                     [(VAPID_PRIVATE, private_pem), (VAPID_PUBLIC, public_b64)])
            return private_pem, public_b64

    # subscriptions

    def save_push_subscription(self, fields: dict) -> int:
        """A board device's subscription; the same endpoint again (a re-subscribe, another host
        signing in on that device) takes the row over, with its new keys and owner."""
        with self.transaction(durable=False):
            row = self._one("SELECT id FROM push_subscriptions WHERE endpoint = ?", (fields["endpoint"],))
            if row is None:
                return self._insert("push_subscriptions", fields)
            self.db.conn.execute(
                "UPDATE push_subscriptions SET site_id = ?, host_id = ?, p256dh = ?, auth = ?, created_at = ?, "
                "last_error = NULL, last_error_at = NULL WHERE id = ?",
                (fields["site_id"], fields["host_id"], fields["p256dh"], fields["auth"], fields["created_at"],
                 row["id"]))
            return row["id"]

    def push_subscription(self, subscription_id: int) -> dict | None:
        return self._one("SELECT * FROM push_subscriptions WHERE id = ?", (subscription_id,))

    def push_subscriptions_of_host(self, host_id: int) -> list[dict]:
        return list(self._rows("SELECT * FROM push_subscriptions WHERE host_id = ? ORDER BY id", (host_id,)))

    def push_subscriptions_of_hosts(self, host_ids) -> list[dict]:
        """Active hosts' subscriptions, for the notices an alert owes: one indexed read."""
        host_ids = list(host_ids)
        if not host_ids:
            return []
        marks = ", ".join("?" for _ in host_ids)
        return list(self._rows(
            f"SELECT s.id, s.host_id FROM push_subscriptions s JOIN hosts h ON h.id = s.host_id "
            f"WHERE s.host_id IN ({marks}) AND h.active = 1 ORDER BY s.id", host_ids))

    def remove_push_subscription(self, subscription_id: int) -> None:
        """The subscription with its notices (an unsubscribe, or the push service said it is gone)."""
        with self.transaction(durable=False):
            self.db.conn.execute("DELETE FROM push_notices WHERE subscription_id = ?", (subscription_id,))
            self.db.conn.execute("DELETE FROM push_subscriptions WHERE id = ?", (subscription_id,))

    # the outbox

    def _enqueue_push_notices(self, rows: list[dict]) -> int:
        """Inside the calling store method's transaction; a subscription hears of a visit at most once."""
        if not rows:
            return 0
        columns = list(rows[0])
        sql = (f"INSERT OR IGNORE INTO push_notices ({', '.join(columns)}) "
               f"VALUES ({', '.join('?' for _ in columns)})")
        added = self.db.conn.executemany(sql, [tuple(row[c] for c in columns) for row in rows]).rowcount
        if added:
            self._notices_queued("push_notices")
        return added

    def claim_due_push_notices(self, now: str, lease_until: str, claimer: str, limit: int) -> list[dict]:
        """Take up to `limit` due notices for `claimer` until `lease_until` (store/claims.py)."""
        return claim_due(self, "push_notices", PUSH_NOTICE_SELECT, now, lease_until, claimer, limit)

    def settle_push_notice(self, notice_id: int, status: str) -> None:
        with self.transaction(durable=False):
            self.db.conn.execute("UPDATE push_notices SET status = ?, next_attempt_at = NULL, claimed_by = NULL, "
                                 "claimed_until = NULL WHERE id = ?", (status, notice_id))

    def record_push_attempt(self, notice: dict, attempt: dict, outcome: dict, *, reached_host: bool,
                            ack: dict | None) -> None:
        """One attempt and what follows; the subscription keeps its last success or failure.
        `ack`: the hashed one-time token the notification carried; `reached_host`: the push service
        took the visit's own host's alert, which counts as its receipt (like a channel's)."""
        with self.transaction(durable=False):
            conn = self.db.conn
            conn.execute(
                "UPDATE push_notices SET status = ?, attempts = attempts + 1, next_attempt_at = ?, "
                "claimed_by = NULL, claimed_until = NULL WHERE id = ?",
                (outcome["status"], outcome["next_attempt_at"], notice["id"]))
            if attempt["ok"]:
                conn.execute("UPDATE push_subscriptions SET last_ok_at = ? WHERE id = ?",
                             (attempt["at"], notice["subscription_id"]))
            else:
                conn.execute("UPDATE push_subscriptions SET last_error = ?, last_error_at = ? WHERE id = ?",
                             (attempt["error"], attempt["at"], notice["subscription_id"]))
            if ack is not None:
                self._insert("push_acks", ack)
            if reached_host:
                self._insert("alert_deliveries", {"visit_id": notice["visit_id"], "host_id": notice["host_id"],
                                                  "board_id": f"push:{notice['subscription_id']}",
                                                  "delivered_at": attempt["at"], "kind": PUSH})
                conn.execute("UPDATE visits SET alert_delivered_at = min(COALESCE(alert_delivered_at, ?), ?) "
                             "WHERE id = ?",  # the earliest receipt of all
                             (attempt["at"], attempt["at"], notice["visit_id"]))

    def push_notices_of_visit(self, visit_id: int) -> list[dict]:
        return list(self._rows("SELECT * FROM push_notices WHERE visit_id = ? ORDER BY id", (visit_id,)))

    # the "I've seen it" tokens

    def use_push_ack(self, token_hash: str, now: str) -> dict | None:
        """The token's row, marked used, if it exists, is unused and has not expired; else None."""
        with self.transaction(durable=False):
            row = self._one("SELECT * FROM push_acks WHERE token_hash = ?", (token_hash,))
            if row is None or row["used_at"] is not None or row["expires_at"] <= now:
                return None
            self.db.conn.execute("UPDATE push_acks SET used_at = ? WHERE token_hash = ?", (now, token_hash))
            return row

    def forget_push_log_before(self, cutoff: str, now: str) -> int:
        """Drop finished notices made before `cutoff` and tokens that expired."""
        with self.transaction(durable=False):
            self.db.conn.execute("DELETE FROM push_acks WHERE expires_at <= ?", (now,))
            return self.db.conn.execute("DELETE FROM push_notices WHERE created_at < ? AND status != 'pending'",
                                        (cutoff,)).rowcount
