"""Queries about browser sign-ins (their server-side records) and wrong sign-in attempts."""

from __future__ import annotations

LIVE = "ended_at IS NULL"


class SignInQueries:
    # ------------------------------------------------------------ browser sessions

    def start_browser_session(self, fields: dict, *, replaces: str | None, forget_before: str) -> None:
        """Record a new sign-in; end the one it replaces (the same browser's earlier sign-in in this
        role) and forget records that expired before `forget_before`."""
        with self.transaction(durable=False):
            if replaces is not None:
                self._end_browser_sessions("id_hash = ?", (replaces,), fields["created_at"], "replaced")
            self.db.conn.execute("DELETE FROM browser_sessions WHERE expires_at < ?", (forget_before,))
            self._insert("browser_sessions", fields)

    def browser_session(self, id_hash: str) -> dict | None:
        return self._one(f"SELECT * FROM browser_sessions WHERE id_hash = ? AND {LIVE}", (id_hash,))

    def touch_browser_session(self, id_hash: str, now: str, expires_at: str) -> None:
        with self.transaction(durable=False):
            self.db.conn.execute(f"UPDATE browser_sessions SET last_seen_at = ?, expires_at = ? "
                                 f"WHERE id_hash = ? AND {LIVE}", (now, expires_at, id_hash))

    def end_browser_session(self, id_hash: str, now: str, reason: str) -> int:
        with self.transaction(durable=False):
            return self._end_browser_sessions("id_hash = ?", (id_hash,), now, reason)

    def end_browser_sessions_of(self, role: str, subject_id: int, now: str, reason: str) -> int:
        """End every browser sign-in of one host, kiosk, manager or operator; returns how many."""
        with self.transaction():
            return self._end_sessions_of(role, subject_id, now, reason)

    def live_browser_sessions_of(self, role: str, subject_id: int) -> int:
        return self._one(f"SELECT COUNT(*) AS n FROM browser_sessions WHERE role = ? AND subject_id = ? AND {LIVE}",
                         (role, subject_id))["n"]

    def _end_sessions_of(self, role: str, subject_id: int, now: str, reason: str, kind: str | None = None) -> int:
        """Inside a caller's transaction: a credential of this person ended, so do the browser sign-ins
        made with one of its `kind` ("token" or "pin"; None: every kind)."""
        where = "role = ? AND subject_id = ?" + (" AND credential LIKE ?" if kind else "")
        params = (role, subject_id, f"{kind}:%") if kind else (role, subject_id)
        return self._end_browser_sessions(where, params, now, reason)

    def _end_browser_sessions(self, where: str, params: tuple, now: str, reason: str) -> int:
        return self.db.conn.execute(
            f"UPDATE browser_sessions SET ended_at = ?, end_reason = ? WHERE {where} AND {LIVE}",
            (now, reason, *params)).rowcount

    # ------------------------------------------------------------ wrong attempts

    def record_sign_in_failure(self, person: str | None, address: str, now: str, forget_before: str) -> None:
        with self.transaction(durable=False):
            self.db.conn.execute("DELETE FROM sign_in_failures WHERE at < ?", (forget_before,))
            self._insert("sign_in_failures", {"person": person, "address": address, "at": now})

    def sign_in_failures(self, *, since: str, person: str | None = None, address: str | None = None) -> list[str]:
        """The times of the failures after `since` for this person and/or address, oldest first."""
        where, params = ["at > ?"], [since]
        if person is not None:
            where.append("person = ?")
            params.append(person)
        if address is not None:
            where.append("address = ?")
            params.append(address)
        rows = self.db.conn.execute(f"SELECT at FROM sign_in_failures WHERE {' AND '.join(where)} ORDER BY at",
                                    params)
        return [row[0] for row in rows]

    def clear_sign_in_failures(self, person: str, address: str | None = None, audit: list[dict] = ()) -> int:
        """Forget a person's failures (from one address, or from everywhere, with `audit`'s entries)."""
        where, params = ("person = ? AND address = ?", (person, address)) if address else ("person = ?", (person,))
        with self.transaction(durable=bool(audit)):
            cleared = self.db.conn.execute(f"DELETE FROM sign_in_failures WHERE {where}", params).rowcount
            self._write_audit(audit)
        return cleared
