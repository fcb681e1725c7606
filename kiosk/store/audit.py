"""Queries of the audit log (see kiosk/domain/audit.py). Entries are written by the store
method of the change they record, in its transaction (`_write_audit`)."""

from __future__ import annotations

import json


class AuditQueries:
    def record_audit(self, entries: list[dict]) -> None:
        """Entries that record no change of their own (a test, an import's summary)."""
        with self.transaction():
            self._write_audit(entries)

    def _write_audit(self, entries) -> None:
        """Inside the calling store method's transaction."""
        for entry in entries:
            fields = dict(entry, details=json.dumps(entry.get("details") or {}, ensure_ascii=False, sort_keys=True))
            self._insert("audit_log", fields)

    def audit_entries(self, site_id: int, *, limit: int = 100, before_id: int | None = None) -> list[dict]:
        """The site's entries, newest first; `before_id` pages back."""
        rows = self._rows(
            "SELECT * FROM audit_log WHERE site_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
            (site_id, before_id if before_id is not None else 2**62, limit),
        )
        return [dict(row, details=json.loads(row["details"] or "{}")) for row in rows]
