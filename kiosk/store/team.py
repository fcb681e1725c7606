"""Queries of the team page and the operator: every host of a site (active or not),
changes to a host, their customers and open visits, operators and sites."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.domain.visits import OPEN_STATUSES
from kiosk.store.names import name_key, unique_name, with_name_key
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

    def update_host(self, host_id: int, changes: dict, audit: list[dict]) -> None:
        changes = with_name_key("hosts", {column: changes[column] for column in changes if column in HOST_COLUMNS})
        with self.transaction():
            if changes:
                with unique_name("hosts", changes.get("name")):
                    self.db.conn.execute(f"UPDATE hosts SET {', '.join(f'{c} = ?' for c in changes)} WHERE id = ?",
                                         (*changes.values(), host_id))
            self._write_audit(audit)

    def set_host_pin(self, host_id: int, pin_hash: str, now: str, audit: list[dict]) -> None:
        """A new PIN: the boards signed in with the old one are signed out, their devices' Web Push
        subscriptions removed (a signed-out phone is pushed no more), and the wrong PINs counted
        against the old one are forgotten (they guessed at a PIN that is gone)."""
        with self.transaction():
            self.db.conn.execute("UPDATE hosts SET pin_hash = ? WHERE id = ?", (pin_hash, host_id))
            self._end_sessions_of("host", host_id, now, "pin_changed")
            self.db.conn.execute("DELETE FROM push_notices WHERE subscription_id IN "
                                 "(SELECT id FROM push_subscriptions WHERE host_id = ?)", (host_id,))
            self.db.conn.execute("DELETE FROM push_subscriptions WHERE host_id = ?", (host_id,))
            self.db.conn.execute("DELETE FROM sign_in_failures WHERE person = ?", (f"host:{host_id}",))
            self._write_audit(audit)

    def activate_host(self, host_id: int, pin_hash: str, now: str, audit: list[dict]) -> bool:
        """A host comes back with a new PIN; the tokens they had before stay revoked."""
        with self.transaction():
            name = self._one("SELECT name FROM hosts WHERE id = ?", (host_id,))["name"]
            with unique_name("hosts", name):  # an active colleague may have taken the name meanwhile
                changed = self.db.conn.execute(
                    "UPDATE hosts SET active = 1, pin_hash = ?, status = 'available', name_key = ? "
                    "WHERE id = ? AND active = 0", (pin_hash, name_key(name), host_id),
                ).rowcount == 1
            self.db.conn.execute(
                "UPDATE tokens SET revoked_at = ? WHERE role = 'host' AND subject_id = ? AND revoked_at IS NULL",
                (now, host_id),
            )
            if changed:
                self._write_audit(audit)
        return changed

    def deactivate_host(self, host_id: int, now: str, moves: list[tuple[int, int | None, str]] = (),
                        audit: Callable[[list[dict]], list[dict]] = lambda moved: [],
                        owed: Callable[[dict], list[dict]] = lambda row: []) -> list[dict] | None:
        """The host leaves, in one transaction: inactive (their sign-ins stop working), each
        of `moves` (visit id, new host id, reason) applied while the visit is still theirs
        and open, with the deliveries it owes, and the audit entries of what was moved.
        Returns the moved visits, or None if the host was not active."""
        with self.transaction():
            if self.db.conn.execute("UPDATE hosts SET active = 0 WHERE id = ? AND active = 1",
                                    (host_id,)).rowcount != 1:
                return None
            self._end_sessions_of("host", host_id, now, "deactivated")
            moved = []
            for visit_id, to_host_id, reason in moves:
                if self._move_visit_to_host(visit_id, host_id, to_host_id, reason):
                    moved.append(self.visit(visit_id))
                    self._enqueue_deliveries(owed(moved[-1]))
            self._write_audit(audit(moved))
        return moved

    def move_customers(self, from_host_id: int, to_host_id: int, by_role: str, by_id: int, now: str,
                       audit: Callable[[list[int]], list[dict]]) -> list[int]:
        """Make `to_host_id` the own host of every customer of `from_host_id`, each change logged;
        returns the customers' ids."""
        with self.transaction():
            customer_ids = self.customer_ids_of_host(from_host_id)
            for customer_id in customer_ids:
                self._set_customer_host(customer_id, to_host_id, by_role, by_id, now)
            self._write_audit(audit(customer_ids))
        return customer_ids

    def customer_ids_of_host(self, host_id: int) -> list[int]:
        return [row[0] for row in self.db.conn.execute(
            "SELECT id FROM customers WHERE host_id = ? ORDER BY id", (host_id,))]

    def open_visits_of_host(self, host_id: int) -> list[dict]:
        return list(self._rows(
            VISIT_SELECT + f" WHERE v.host_id = ? AND v.status IN {OPEN_STATUSES} ORDER BY v.arrived_at, v.id",
            (host_id,),
        ))

    def move_visit_to_host(self, visit_id: int, from_host_id: int, host_id: int | None, reason: str) -> bool:
        """Give an open visit of a host to another host (only if it is still theirs and open)."""
        with self.transaction():
            return self._move_visit_to_host(visit_id, from_host_id, host_id, reason)

    def _move_visit_to_host(self, visit_id: int, from_host_id: int, host_id: int | None, reason: str) -> bool:
        return self.db.conn.execute(
            f"""UPDATE visits SET host_id = ?, assignment_reason = ?
                WHERE id = ? AND host_id = ? AND status IN {OPEN_STATUSES}""",
            (host_id, reason, visit_id, from_host_id),
        ).rowcount == 1

    # operators and sites

    def add_operator(self, name: str, token_hash: str, now: str, audit: Callable[[int], list[dict]]) -> int:
        with self.transaction():
            operator_id = self._insert("operators", {"name": name, "created_at": now})
            self._insert_token("operator", operator_id, None, token_hash, now)
            self._write_audit(audit(operator_id))
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

    def create_site(self, name: str, now: str, settings: dict, settings_by: str | None, manager: dict,
                    token_hash: str, audit: Callable[[int, int], list[dict]]) -> tuple[int, int] | None:
        """A new site with its own `settings`, its first manager (with token) and the audit
        entries `audit(site_id, manager_id)` gives, in one transaction. Returns (site id,
        manager id), or None if a site of that name exists."""
        with self.transaction():
            cursor = self.db.conn.execute("INSERT OR IGNORE INTO sites (name, created_at) VALUES (?, ?)", (name, now))
            if cursor.rowcount != 1:
                return None
            site_id = cursor.lastrowid
            for key, value in settings.items():
                self._put_site_setting(site_id, key, value, now, None, settings_by)
            manager_id = self._insert("managers", {**manager, "site_id": site_id})
            self._insert_token("manager", manager_id, site_id, token_hash, now)
            self._write_audit(audit(site_id, manager_id))
        return site_id, manager_id
