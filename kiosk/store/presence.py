"""Queries about live boards, departures and the scheduler lock, shared by every server process."""

from __future__ import annotations


class PresenceQueries:
    def add_board(self, board_id: str, host_id: int, process_id: str, now: str) -> None:
        with self.transaction(durable=False):
            self.db.conn.execute(
                "INSERT OR REPLACE INTO board_connections (board_id, host_id, process_id, connected_at, seen_at) "
                "VALUES (?, ?, ?, ?, ?)", (board_id, host_id, process_id, now, now))
            self.db.conn.execute("DELETE FROM host_departures WHERE host_id = ?", (host_id,))

    def remove_board(self, board_id: str, host_id: int, now: str) -> None:
        """Forget a board; if it was the host's last live one, remember when they left."""
        with self.transaction(durable=False):
            self.db.conn.execute("DELETE FROM board_connections WHERE board_id = ?", (board_id,))
            if not self.db.conn.execute("SELECT 1 FROM board_connections WHERE host_id = ?", (host_id,)).fetchone():
                self.db.conn.execute("INSERT OR REPLACE INTO host_departures (host_id, left_at) VALUES (?, ?)",
                                     (host_id, now))

    def touch_boards(self, process_id: str, now: str) -> None:
        """A process's heartbeat: its boards are still connected."""
        with self.transaction(durable=False):
            self.db.conn.execute("UPDATE board_connections SET seen_at = ? WHERE process_id = ?", (now, process_id))

    def boards_seen_after(self, host_id: int, cutoff: str) -> set[str]:
        rows = self.db.conn.execute(
            "SELECT board_id FROM board_connections WHERE host_id = ? AND seen_at > ?", (host_id, cutoff))
        return {row[0] for row in rows}

    def hosts_present_after(self, board_cutoff: str, departure_cutoff: str, site_id: int | None = None) -> set[int]:
        """Hosts with a board seen after `board_cutoff`, or who left after `departure_cutoff`; with
        `site_id`, only that site's active hosts (a chain's server: a site's team view and each board's
        connect read their own site's few boards, not every site's)."""
        if site_id is not None:
            rows = self.db.conn.execute(
                """SELECT h.id FROM hosts h WHERE h.site_id = ? AND h.active = 1
                   AND (EXISTS (SELECT 1 FROM board_connections b WHERE b.host_id = h.id AND b.seen_at > ?)
                        OR EXISTS (SELECT 1 FROM host_departures d WHERE d.host_id = h.id AND d.left_at > ?))""",
                (site_id, board_cutoff, departure_cutoff))
            return {row[0] for row in rows}
        rows = self.db.conn.execute(
            """SELECT host_id FROM board_connections WHERE seen_at > ?
               UNION SELECT host_id FROM host_departures WHERE left_at > ?""",
            (board_cutoff, departure_cutoff))
        return {row[0] for row in rows}

    def forget_boards_seen_before(self, cutoff: str) -> int:
        """Clear out boards of processes that died long ago."""
        with self.transaction(durable=False):
            return self.db.conn.execute("DELETE FROM board_connections WHERE seen_at < ?", (cutoff,)).rowcount

    def take_lock(self, name: str, holder: str, now: str, expires_at: str) -> bool:
        """Hold (or renew) the lock `name` until `expires_at`, unless someone else holds it unexpired."""
        with self.transaction(durable=False):
            self.db.conn.execute(
                """INSERT INTO locks (name, holder, expires_at) VALUES (?, ?, ?)
                   ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                   WHERE locks.holder = excluded.holder OR locks.expires_at < ?""",
                (name, holder, expires_at, now))
            row = self.db.conn.execute("SELECT holder FROM locks WHERE name = ?", (name,)).fetchone()
        return row is not None and row[0] == holder
