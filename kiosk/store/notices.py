"""Notices shown once (kiosk/domain/notices.py): stored sealed, read and deleted in one step."""

from __future__ import annotations


class NoticeQueries:
    def put_notice(self, id_hash: str, page: str, sealed: str, expires_at: str, now: str,
                   replaces: str | None = None) -> None:
        """Keep a sealed notice; forget the browser's earlier one and every expired one."""
        with self.transaction(durable=False):
            self.db.conn.execute("DELETE FROM notices_once WHERE expires_at <= ? OR id_hash = ?", (now, replaces))
            self._insert("notices_once", {"id_hash": id_hash, "page": page, "sealed": sealed,
                                          "expires_at": expires_at})

    def take_notice(self, id_hash: str, page: str, now: str) -> str | None:
        """The sealed notice for `page`, deleted as it is read; None if gone or expired."""
        with self.transaction(durable=False):
            row = self.db.conn.execute(
                "DELETE FROM notices_once WHERE id_hash = ? AND page = ? RETURNING sealed, expires_at",
                (id_hash, page)).fetchone()
        return row[0] if row and row[1] > now else None
