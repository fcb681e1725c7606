"""Queries of the team page and the operator: every host of a site (active or not),
changes to a host, their customers and open visits, operators and sites."""

from __future__ import annotations

from kiosk.domain.visits import OPEN_STATUSES
from kiosk.store.visits import VISIT_SELECT

HOST_COLUMNS = ("name", "languages", "topics", "colour")


class TeamQueries:
    def hosts_of_site(self, site_id: int) -> list[dict]:
        """Every host of the site, active first, by name."""
        return list(self._rows(
            """SELECT h.*, s.name AS site,
                      (SELECT COUNT(*) FROM customers c WHERE c.host_id = h.id) AS customers
               FROM hosts h JOIN sites s ON s.id = h.site_id
               WHERE h.site_id = ? ORDER BY h.active DESC, h.name, h.id""",
            (site_id,),
        ))

    def host_of_site(self, site_id: int, host_id: int) -> dict | None:
        """One host of the site, active or not; None for another site's host."""
        if not 0 < host_id < 2**62:
            return None
        return self._one(
            """SELECT h.*, s.name AS site,
                      (SELECT COUNT(*) FROM customers c WHERE c.host_id = h.id) AS customers
               FROM hosts h JOIN sites s ON s.id = h.site_id WHERE h.id = ? AND h.site_id = ?""",
            (host_id, site_id),
        )

    def update_host(self, host_id: int, changes: dict) -> None:
        columns = [column for column in changes if column in HOST_COLUMNS]
        if not columns:
            return
        with self.transaction():
            self.db.conn.execute(
                f"UPDATE hosts SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                (*(changes[c] for c in columns), host_id),
            )

    def set_host_pin(self, host_id: int, pin_hash: str) -> None:
        with self.transaction():
            self.db.conn.execute("UPDATE hosts SET pin_hash = ? WHERE id = ?", (pin_hash, host_id))

    def activate_host(self, host_id: int, pin_hash: str, now: str) -> bool:
        """A host comes back with a new PIN; the tokens they had before stay revoked."""
        with self.transaction():
            changed = self.db.conn.execute(
                "UPDATE hosts SET active = 1, pin_hash = ?, status = 'available' WHERE id = ? AND active = 0",
                (pin_hash, host_id),
            ).rowcount == 1
            self.db.conn.execute(
                "UPDATE tokens SET revoked_at = ? WHERE role = 'host' AND subject_id = ? AND revoked_at IS NULL",
                (now, host_id),
            )
        return changed

    def customer_ids_of_host(self, host_id: int) -> list[int]:
        return [row[0] for row in self.db.conn.execute(
            "SELECT id FROM customers WHERE host_id = ? ORDER BY id", (host_id,))]

    def open_visits_of_host(self, host_id: int) -> list[dict]:
        return list(self._rows(
            VISIT_SELECT + f" WHERE v.host_id = ? AND v.status IN {OPEN_STATUSES} ORDER BY v.arrived_at, v.id",
            (host_id,),
        ))

    def move_visit_to_host(self, visit_id: int, from_host_id: int, host_id: int | None, reason: str) -> bool:
        """Give an open visit of a host who left to another host (only if it is still theirs and open)."""
        with self.transaction():
            return self.db.conn.execute(
                f"""UPDATE visits SET host_id = ?, assignment_reason = ?
                    WHERE id = ? AND host_id = ? AND status IN {OPEN_STATUSES}""",
                (host_id, reason, visit_id, from_host_id),
            ).rowcount == 1

    # operators and sites

    def add_operator(self, name: str, token_hash: str, now: str) -> int:
        with self.transaction():
            operator_id = self._insert("operators", {"name": name, "created_at": now})
            self.db.conn.execute(
                "INSERT INTO tokens (token_hash, role, subject_id, site_id, created_at) VALUES (?, 'operator', ?, NULL, ?)",
                (token_hash, operator_id, now),
            )
        return operator_id

    def operator_row(self, token_hash: str) -> dict | None:
        """The operator holding this live token, or None."""
        return self._one(
            """SELECT o.id, o.name FROM tokens t JOIN operators o ON o.id = t.subject_id
               WHERE t.token_hash = ? AND t.role = 'operator' AND t.site_id IS NULL AND t.revoked_at IS NULL""",
            (token_hash,),
        )

    def sites_overview(self) -> list[dict]:
        return list(self._rows(
            """SELECT s.id, s.name, s.created_at,
                      (SELECT COUNT(*) FROM hosts h WHERE h.site_id = s.id AND h.active = 1) AS hosts,
                      (SELECT COUNT(*) FROM managers m WHERE m.site_id = s.id) AS managers,
                      (SELECT COUNT(*) FROM kiosks k WHERE k.site_id = s.id) AS kiosks
               FROM sites s ORDER BY s.name, s.id"""
        ))

    def create_site(self, name: str, now: str) -> dict | None:
        """A new site; None if one of that name exists."""
        with self.transaction():
            cursor = self.db.conn.execute("INSERT OR IGNORE INTO sites (name, created_at) VALUES (?, ?)", (name, now))
            if cursor.rowcount != 1:
                return None
        return self._one("SELECT * FROM sites WHERE name = ?", (name,))
