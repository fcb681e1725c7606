"""Queries of the audit log (see kiosk/audit.py)."""

from __future__ import annotations

import json


class AuditQueries:
    def insert_audit(self, entry: dict) -> int:
        """Write one entry: inside the caller's transaction when there is one, else in its own."""
        if not self.db.conn.in_transaction:
            with self.transaction():
                return self.insert_audit(entry)
        fields = dict(entry, details=json.dumps(entry.get("details") or {}, ensure_ascii=False, sort_keys=True))
        cursor = self.db.conn.execute(
            f"INSERT INTO audit_log ({', '.join(fields)}) VALUES ({', '.join('?' for _ in fields)})",
            list(fields.values()),
        )
        return cursor.lastrowid

    def audit_entries(self, site_id: int, *, limit: int = 100, before_id: int | None = None) -> list[dict]:
        """The site's entries, newest first; `before_id` pages back."""
        rows = self._rows(
            "SELECT * FROM audit_log WHERE site_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
            (site_id, before_id if before_id is not None else 2**62, limit),
        )
        return [dict(row, details=json.loads(row["details"] or "{}")) for row in rows]
