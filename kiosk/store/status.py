"""Queries of the customer's own view: the status link's secret, the queue ahead, wait estimates."""

from __future__ import annotations

import secrets

from kiosk.domain.visits import OPEN_STATUSES
from kiosk.store.visits import VISIT_SELECT

STATUS_SECRET_KEY = "status_link_secret"  # nosec B105  # the name of a settings row, not a secret


class StatusQueries:
    def status_link_secret(self) -> bytes:
        """The key status links are an HMAC under, made once per database and never shown."""
        value = self.setting(STATUS_SECRET_KEY)
        if value is None:
            with self.transaction():
                self.db.conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
                                     (STATUS_SECRET_KEY, secrets.token_hex(32)))
            value = self.setting(STATUS_SECRET_KEY)
        return bytes.fromhex(value)

    def visits_ahead(self, visit: dict) -> int:
        """Visits of the same host that arrived earlier and still wait to be greeted."""
        row = self.db.conn.execute(
            "SELECT COUNT(*) FROM visits INDEXED BY visits_open WHERE site_id = ? AND host_id = ? "
            f"AND status IN {OPEN_STATUSES} AND status != 'greeted' "
            "AND (arrived_at < ? OR (arrived_at = ? AND id < ?))",
            (visit["site_id"], visit["host_id"], visit["arrived_at"], visit["arrived_at"], visit["id"]),
        ).fetchone()
        return row[0]

    def waiting_visit_ids_of_host(self, site_id: int, host_id: int) -> list[int]:
        """The ids of the host's visits still waiting to be greeted, oldest first (their queue moves
        together): ids only, so a long queue costs little."""
        return [row[0] for row in self.db.conn.execute(
            "SELECT id FROM visits INDEXED BY visits_open WHERE site_id = ? AND host_id = ? "
            f"AND status IN {OPEN_STATUSES} AND status != 'greeted' ORDER BY arrived_at, id", (site_id, host_id))]

    def open_visits_by_id(self, visit_ids: list[int]) -> list[dict]:
        """These visits, oldest first."""
        marks = ", ".join("?" for _ in visit_ids)
        return list(self._rows(VISIT_SELECT + f" WHERE v.id IN ({marks}) ORDER BY v.arrived_at, v.id",
                               tuple(visit_ids)))

    def set_away_until(self, visit_id: int, until: str) -> dict | None:
        """The customer stepped out until `until`; None if the visit is no longer waiting to be greeted."""
        with self.transaction():
            changed = self.db.conn.execute(
                "UPDATE visits SET away_until = ? WHERE id = ? AND status IN ('waiting', 'acknowledged')",
                (until, visit_id)).rowcount
        return self.visit(visit_id) if changed else None

    def greet_times(self, site_id: int, ranges: list[tuple[str, str]]) -> list[tuple[int | None, int]]:
        """(host id, greet ms) of the site's greeted visits that arrived in any of the UTC ranges."""
        rows = []
        for start, end in ranges:
            rows += self.db.conn.execute(
                "SELECT host_id, greet_ms FROM visits WHERE site_id = ? "
                "AND arrived_hour >= substr(?, 1, 13) AND arrived_hour <= substr(?, 1, 13) "
                "AND arrived_at >= ? AND arrived_at < ? AND greet_ms IS NOT NULL",
                (site_id, start, end, start, end)).fetchall()
        return rows

    def last_wait_estimate(self, visit_id: int) -> dict | None:
        return self._one("SELECT * FROM wait_estimates WHERE visit_id = ? ORDER BY id DESC LIMIT 1", (visit_id,))

    def log_wait_estimate(self, estimate: dict) -> None:
        with self.transaction(durable=False):
            self._insert("wait_estimates", estimate)

    def estimate_outcomes(self, site_id: int, start: str, end: str) -> list[dict]:
        """Each visit's first estimate given in [start, end), with when the visit was greeted."""
        return self._rows(
            "SELECT e.given_at, e.high_seconds, v.greeted_at FROM wait_estimates e JOIN visits v ON v.id = e.visit_id "
            "WHERE e.site_id = ? AND e.given_at >= ? AND e.given_at < ? AND e.id = "
            "(SELECT MIN(id) FROM wait_estimates WHERE visit_id = e.visit_id) ORDER BY e.given_at",
            (site_id, start, end))

    def left_by_customer(self, site_id: int, start: str, end: str) -> int:
        """Visits in the window the customer abandoned themselves (on their status page)."""
        return self.db.conn.execute(
            "SELECT COUNT(*) FROM visits WHERE site_id = ? AND arrived_at >= ? AND arrived_at < ? "
            "AND status = 'abandoned' AND abandon_reason = 'left_by_customer'", (site_id, start, end)).fetchone()[0]
