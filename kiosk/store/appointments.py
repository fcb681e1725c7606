"""Queries about appointments."""

from __future__ import annotations


class AppointmentQueries:
    def insert_appointment(self, appointment: dict, new_customer: dict | None = None) -> int:
        with self.transaction():
            if new_customer is not None:
                appointment = dict(appointment, customer_id=self._insert("customers", new_customer))
            return self._insert("appointments", appointment)

    def insert_appointments(self, appointments: list[tuple[dict, dict | None]]) -> list[int]:
        """Several appointments in one transaction: all or none."""
        with self.transaction():
            ids = []
            for appointment, new_customer in appointments:
                if new_customer is not None:
                    appointment = dict(appointment, customer_id=self._insert("customers", new_customer))
                ids.append(self._insert("appointments", appointment))
            return ids

    APPOINTMENT_SELECT = """
    SELECT ap.*, c.name AS customer_name, h.name AS host_name FROM appointments ap
    JOIN customers c ON c.id = ap.customer_id LEFT JOIN hosts h ON h.id = ap.host_id
    """

    def appointment(self, appointment_id: int) -> dict | None:
        return self._one(self.APPOINTMENT_SELECT + " WHERE ap.id = ?", (appointment_id,))

    def appointment_by_code(self, site_id: int, code: str) -> dict | None:
        return self._one(self.APPOINTMENT_SELECT + " WHERE ap.site_id = ? AND ap.code = ?", (site_id, code))

    def appointments_between(self, site_id: int, start: str, end: str, host_id: int | None = None) -> list[dict]:
        where = " AND ap.host_id = ?" if host_id is not None else ""
        params = (site_id, start, end) + ((host_id,) if host_id is not None else ())
        return list(self._rows(
            self.APPOINTMENT_SELECT + " WHERE ap.site_id = ? AND ap.starts_at >= ? AND ap.starts_at < ?"
            + where + " ORDER BY ap.starts_at, ap.id",
            params,
        ))

    def appointment_outcomes(self, site_id: int, start: str, end: str) -> list[tuple[str, str]]:
        """(starts_at, status) of each appointment starting in [start, end) that was not cancelled."""
        return self.db.conn.execute(
            "SELECT starts_at, status FROM appointments WHERE site_id = ? AND starts_at >= ? AND starts_at < ? "
            "AND status != 'cancelled'", (site_id, start, end)).fetchall()

    def set_appointment_status(self, appointment_id: int, status: str) -> None:
        with self.transaction():
            self.db.conn.execute("UPDATE appointments SET status = ? WHERE id = ?", (status, appointment_id))
