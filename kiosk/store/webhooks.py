"""Queries of webhooks, their outbox of deliveries and the attempts (see kiosk/domain/webhooks/)."""

from __future__ import annotations

from collections.abc import Callable

WEBHOOK_COLUMNS = "id, site_id, url, events, active, secret, created_at, updated_at"


class WebhookQueries:
    # endpoints, each change with its audit entry

    def add_webhook(self, fields: dict, audit: Callable[[int], list[dict]], most: int) -> int | None:
        """A new endpoint; `audit(webhook_id)` gives the entries that record it. None, and
        nothing written, when the site has `most` endpoints already (counted in the same
        transaction, so two requests at once cannot both pass)."""
        with self.transaction():
            count = self.db.conn.execute("SELECT count(*) FROM webhooks WHERE site_id = ?",
                                         (fields["site_id"],)).fetchone()[0]
            if count >= most:
                return None
            webhook_id = self._insert("webhooks", fields)
            self._write_audit(audit(webhook_id))
        return webhook_id

    def webhook(self, webhook_id: int) -> dict | None:
        return self._one(f"SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE id = ?", (webhook_id,))

    def webhooks_of_site(self, site_id: int) -> list[dict]:
        return list(self._rows(f"SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE site_id = ? ORDER BY id", (site_id,)))

    def subscribed_webhooks(self, site_id: int, event: str) -> list[dict]:
        """The site's active endpoints that asked for `event` (a handful at most: one indexed read)."""
        return list(self._rows(
            "SELECT id, secret FROM webhooks WHERE site_id = ? AND active = 1 AND ',' || events || ',' LIKE ?",
            (site_id, f"%,{event},%")))

    def change_webhook(self, webhook_id: int, changes: dict, audit: list[dict]) -> None:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        with self.transaction():
            self.db.conn.execute(f"UPDATE webhooks SET {assignments} WHERE id = ?", (*changes.values(), webhook_id))
            self._write_audit(audit)

    def remove_webhook(self, webhook_id: int, audit: list[dict]) -> None:
        """The endpoint with its delivery log."""
        with self.transaction():
            conn = self.db.conn
            conn.execute("DELETE FROM webhook_attempts WHERE delivery_id IN "
                         "(SELECT id FROM webhook_deliveries WHERE webhook_id = ?)", (webhook_id,))
            conn.execute("DELETE FROM webhook_deliveries WHERE webhook_id = ?", (webhook_id,))
            conn.execute("DELETE FROM webhooks WHERE id = ?", (webhook_id,))
            self._write_audit(audit)

    # the outbox

    def queue_test_delivery(self, delivery: dict, audit: list[dict]) -> None:
        with self.transaction():
            self._enqueue_deliveries([delivery])
            self._write_audit(audit)

    def _enqueue_deliveries(self, rows: list[dict]) -> int:
        """Inside the calling store method's transaction: queue deliveries; one already queued for
        the same endpoint, visit and event is kept."""
        if not rows:
            return 0
        columns = list(rows[0])
        sql = (f"INSERT OR IGNORE INTO webhook_deliveries ({', '.join(columns)}) "
               f"VALUES ({', '.join('?' for _ in columns)})")
        return self.db.conn.executemany(sql, [tuple(row[c] for c in columns) for row in rows]).rowcount

    def claim_due_deliveries(self, now: str, lease_until: str, claimer: str, limit: int, per_site: int) -> list[dict]:
        """Take up to `limit` deliveries that are due, for `claimer` until `lease_until`, so that
        of several processes exactly one sends each. The sites take turns: each site's oldest
        due delivery first, then each one's second …, at most `per_site` of one site, so one
        site's backlog cannot starve another's. A paused endpoint's deliveries wait (a test
        event goes out anyway)."""
        with self.transaction(durable=False):
            rows = list(self._rows(
                "SELECT id, uuid, webhook_id, event, body, attempts, url, secret, site_id FROM ("
                " SELECT d.id, d.uuid, d.webhook_id, d.event, d.body, d.attempts, d.next_attempt_at, w.url, w.secret,"
                " w.site_id, ROW_NUMBER() OVER (PARTITION BY w.site_id ORDER BY d.next_attempt_at, d.id) AS turn"
                " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                " WHERE d.status = 'pending' AND d.next_attempt_at <= ?"
                " AND (d.claimed_until IS NULL OR d.claimed_until <= ?)"
                " AND (w.active = 1 OR d.event = 'webhook.test'))"
                " WHERE turn <= ? ORDER BY turn, next_attempt_at, id LIMIT ?",
                (now, now, per_site, limit)))
            self.db.conn.executemany(
                "UPDATE webhook_deliveries SET claimed_by = ?, claimed_until = ? WHERE id = ?",
                [(claimer, lease_until, row["id"]) for row in rows])
        return rows

    def record_attempt(self, delivery_id: int, attempt: dict, outcome: dict) -> None:
        """One attempt and what follows from it (delivered, next retry, or given up)."""
        with self.transaction(durable=False):
            self._insert("webhook_attempts", {"delivery_id": delivery_id, **attempt})
            self.db.conn.execute(
                "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, "
                "claimed_by = NULL, claimed_until = NULL WHERE id = ?",
                (outcome["status"], outcome["next_attempt_at"], delivery_id))

    def delivery(self, delivery_id: int) -> dict | None:
        return self._one("SELECT * FROM webhook_deliveries WHERE id = ?", (delivery_id,))

    def deliveries_of_webhook(self, webhook_id: int, limit: int) -> list[dict]:
        """Newest first, each with its attempts (oldest first)."""
        deliveries = list(self._rows(
            "SELECT id, uuid, visit_id, event, status, attempts, created_at, next_attempt_at "
            "FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?", (webhook_id, limit)))
        if not deliveries:
            return []
        marks = ", ".join("?" for _ in deliveries)
        attempts: dict[int, list] = {}
        for row in self._rows(
                f"SELECT delivery_id, at, status_code, error, duration_ms FROM webhook_attempts "
                f"WHERE delivery_id IN ({marks}) ORDER BY id", [d["id"] for d in deliveries]):
            attempts.setdefault(row.pop("delivery_id"), []).append(row)
        return [dict(d, attempt_log=attempts.get(d["id"], [])) for d in deliveries]

    def forget_deliveries_before(self, cutoff: str) -> int:
        """Drop deliveries (their bodies name customers) and their attempts made before `cutoff`."""
        with self.transaction(durable=False):
            conn = self.db.conn
            conn.execute("DELETE FROM webhook_attempts WHERE delivery_id IN "
                         "(SELECT id FROM webhook_deliveries WHERE created_at < ?)", (cutoff,))
            return conn.execute("DELETE FROM webhook_deliveries WHERE created_at < ?", (cutoff,)).rowcount
