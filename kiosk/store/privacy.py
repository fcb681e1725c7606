"""Queries that remove personal data: retention purges and a customer's right to be forgotten.

Visit timings stay (they are what stats are made of); names, contact details and
free text about the customer go.
"""

from __future__ import annotations

ANONYMOUS = "(anonymised)"


class PrivacyQueries:
    def customers_idle_since(self, cutoff: str, site_id: int | None = None) -> list[int]:
        """Customers (of one site, if given) not yet anonymised with no visit and no appointment
        at or after `cutoff`."""
        rows = self.db.conn.execute(
            """SELECT c.id FROM customers c
               WHERE c.anonymised_at IS NULL AND c.created_at < ? AND (? IS NULL OR c.site_id = ?)
               AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.customer_id = c.id AND v.arrived_at >= ?)
               AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.customer_id = c.id AND a.starts_at >= ?)""",
            (cutoff, site_id, site_id, cutoff, cutoff),
        ).fetchall()
        return [row[0] for row in rows]

    def customers_kept(self, site_id: int) -> int:
        """How many customers of a site still have their personal data."""
        return self.db.conn.execute(
            "SELECT COUNT(*) FROM customers WHERE site_id = ? AND anonymised_at IS NULL", (site_id,)).fetchone()[0]

    def anonymise_customers(self, customer_ids: list[int], now: str) -> None:
        """The daily purge, in one transaction: these customers' personal data goes, and the
        purge's time is noted."""
        with self.transaction():
            for customer_id in customer_ids:
                self._erase_customer(customer_id, now)
            self.db.conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('last_purge_at', ?)", (now,))

    def erase_customer(self, customer_id: int, now: str) -> dict:
        """Remove one customer's personal data; returns what was removed, by kind."""
        with self.transaction():
            return self._erase_customer(customer_id, now)

    def _erase_customer(self, customer_id: int, now: str) -> dict:
        execute = self.db.conn.execute
        row = execute("SELECT name, phone, email FROM customers WHERE id = ?", (customer_id,)).fetchone()
        removed = {"name": row is not None and row[0] != ANONYMOUS,
                   "phone": bool(row and row[1]), "email": bool(row and row[2])}
        execute(
            """UPDATE customers SET name = ?, phone = NULL, email = NULL, phone_normalized = NULL,
               email_normalized = NULL, anonymised_at = COALESCE(anonymised_at, ?) WHERE id = ?""",
            (ANONYMOUS, now, customer_id),
        )
        removed["visit_notes"] = execute(
            "UPDATE visits SET note = NULL, topic = NULL, appointment_code = NULL, name_given = NULL, sms_to = NULL "
            "WHERE customer_id = ? AND (note IS NOT NULL OR topic IS NOT NULL OR appointment_code IS NOT NULL "
            "OR name_given IS NOT NULL OR sms_to IS NOT NULL)",
            (customer_id,),
        ).rowcount
        removed["appointment_notes"] = execute(
            "UPDATE appointments SET reason = NULL, notes = NULL "
            "WHERE customer_id = ? AND (reason IS NOT NULL OR notes IS NOT NULL)",
            (customer_id,),
        ).rowcount
        return removed
