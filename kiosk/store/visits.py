"""Queries about visits: the loop itself, escalation, alert receipts and feedback."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from kiosk.domain.device_kinds import BOARD
from kiosk.domain.visits import OPEN_STATUSES

VISIT_SELECT = """
SELECT v.*, c.name AS customer_name, c.host_id AS customer_host_id, ch.name AS customer_host_name,
       h.name AS host_name, a.name AS acknowledged_by_name,
       ap.starts_at AS appointment_starts_at, ap.reason AS appointment_reason, ap.notes AS appointment_notes
FROM visits v
JOIN customers c ON c.id = v.customer_id
LEFT JOIN hosts ch ON ch.id = c.host_id
LEFT JOIN hosts h ON h.id = v.host_id
LEFT JOIN hosts a ON a.id = v.acknowledged_by
LEFT JOIN appointments ap ON ap.id = v.appointment_id
"""

# Open visits through the partial index of open ones (schema 0007), never through history.
OPEN_VISIT_SELECT = VISIT_SELECT.replace("FROM visits v", "FROM visits v INDEXED BY visits_open")


class VisitQueries:
    def visit(self, visit_id: int) -> dict | None:
        return self._one(VISIT_SELECT + " WHERE v.id = ?", (visit_id,))

    def visit_by_client_id(self, kiosk_id: int, client_id: str) -> dict | None:
        return self._one(VISIT_SELECT + " WHERE v.kiosk_id = ? AND v.client_id = ?", (kiosk_id, client_id))

    def open_visits(self, site_id: int) -> list[dict]:
        return list(self._rows(
            OPEN_VISIT_SELECT + f" WHERE v.site_id = ? AND v.status IN {OPEN_STATUSES} ORDER BY v.arrived_at, v.id",
            (site_id,),
        ))

    def record_check_in(self, visit: dict, new_customer: dict | None, appointment_id: int | None,
                        owed: Callable[[dict], list[dict]] = lambda row: [],
                        notices: Callable[[dict], list[dict]] = lambda row: []) -> dict | None:
        """A check-in in one durable transaction: its new customer (if any), the visit, its
        appointment marked checked in, and the deliveries it owes (`owed(row)`, outbox rows;
        `notices(row)`, the channels' outbox rows).

        Returns the stored visit, or None when this kiosk already sent this client_id (a
        retry): then nothing is written.
        """
        try:
            with self.transaction():
                visit_id = self._insert_visit(visit, new_customer)
                if appointment_id is not None:
                    self.db.conn.execute("UPDATE appointments SET status = 'checked_in' WHERE id = ?",
                                         (appointment_id,))
                row = self.visit(visit_id)
                self._enqueue_deliveries(owed(row))
                self._enqueue_notices(notices(row))
        except sqlite3.IntegrityError:
            if self.visit_by_client_id(visit["kiosk_id"], visit["client_id"]):
                return None
            raise
        return row

    def insert_visit(self, visit: dict, new_customer: dict | None = None) -> int:
        """A visit written as it is given (history and tests), with its new customer."""
        with self.transaction():
            return self._insert_visit(visit, new_customer)

    def insert_history(self, customers: list[dict], visits: list[dict]) -> None:
        """A made-up history in one transaction (demo data): each visit names its customer by
        position in `customers`, its feedback rating is kept as feedback too, and its `receipts`
        ((kind, at) each) as the alert's deliveries to its host."""
        with self.transaction():
            customer_ids = [self._insert("customers", customer) for customer in customers]
            for visit in visits:
                visit = dict(visit)
                visit["customer_id"] = customer_ids[visit.pop("customer")]
                receipts = visit.pop("receipts", [])
                visit_id = self._insert("visits", visit)
                self.db.conn.executemany(
                    "INSERT INTO alert_deliveries (visit_id, host_id, board_id, delivered_at, kind) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [(visit_id, visit["host_id"], f"demo:{kind}", at, kind) for kind, at in receipts])
                if visit["feedback_rating"] is not None:
                    self._insert("feedback", {"visit_id": visit_id, "rating": visit["feedback_rating"],
                                              "created_at": visit["completed_at"]})

    def _insert_visit(self, visit: dict, new_customer: dict | None) -> int:
        if new_customer is not None:
            visit = dict(visit, customer_id=self._insert("customers", new_customer))
        return self._insert("visits", visit)

    def open_visit_of_customer(self, customer_id: int) -> dict | None:
        return self._one(
            VISIT_SELECT + f" WHERE v.customer_id = ? AND v.status IN {OPEN_STATUSES} ORDER BY v.id LIMIT 1",
            (customer_id,),
        )

    def previous_visits(self, customer_id: int, before_visit_id: int, limit: int = 3) -> list[dict]:
        """The customer's last closed visits, newest first, with their notes and feedback."""
        return list(self._rows(
            VISIT_SELECT + " WHERE v.customer_id = ? AND v.id < ? AND v.status IN ('completed', 'abandoned')"
            + " ORDER BY v.arrived_at DESC, v.id DESC LIMIT ?",
            (customer_id, before_visit_id, limit),
        ))

    def move_visit_to_kiosk(self, visit_id: int, kiosk_id: int) -> bool:
        try:
            with self.transaction():
                self.db.conn.execute("UPDATE visits SET kiosk_id = ? WHERE id = ?", (kiosk_id, visit_id))
        except sqlite3.IntegrityError:  # that kiosk used the same client_id: leave the visit where it is
            return False
        return True

    def apply_transition(self, visit_id: int, expected_status: str, changes: dict, *,
                         owner: tuple[int, int, str] | None = None,
                         owed: Callable[[dict], list[dict]] = lambda row: [],
                         notices: Callable[[dict], list[dict]] = lambda row: [],
                         audit: Callable[[dict], list[dict]] = lambda row: []) -> dict | None:
        """One step of the state machine in one transaction: `changes` only if the visit is
        still in `expected_status` (of two hosts acknowledging at once, exactly one update
        matches), the customer's first own host (`owner`: customer id, host id, time; only if
        they have none yet), the deliveries and channel notices (a text message to the
        customer) the step owes, and its audit entries (an undone completion). Returns the
        visit, or None if its status had moved on.
        """
        assignments = ", ".join(f"{column} = ?" for column in changes)
        with self.transaction():
            cursor = self.db.conn.execute(
                f"UPDATE visits SET {assignments} WHERE id = ? AND status = ?",
                (*changes.values(), visit_id, expected_status),
            )
            if cursor.rowcount != 1:
                return None
            if owner is not None:
                self._claim_customer(*owner)
            row = self.visit(visit_id)
            self._enqueue_deliveries(owed(row))
            self._enqueue_notices(notices(row))
            self._write_audit(audit(row))
        return row

    def completed_visits(self, site_id: int, since: str, host_id: int, limit: int) -> list[dict]:
        """The site's visits completed at or after `since` that `host_id` looked after (their
        assigned host, or the one who saw to them first), newest first, at most `limit`."""
        return list(self._rows(
            VISIT_SELECT.replace("FROM visits v", "FROM visits v INDEXED BY visits_completed")
            + """ WHERE v.site_id = ? AND v.status = 'completed' AND v.completed_at >= ?
               AND (v.host_id = ? OR v.acknowledged_by = ?) ORDER BY v.completed_at DESC, v.id DESC LIMIT ?""",
            (site_id, since, host_id, host_id, limit),
        ))

    def _claim_customer(self, customer_id: int, host_id: int, now: str) -> None:
        """Make `host_id` the own host of a customer who has none yet (their first greeting)."""
        claimed = self.db.conn.execute(
            "UPDATE customers SET host_id = ? WHERE id = ? AND host_id IS NULL", (host_id, customer_id)
        ).rowcount == 1
        if claimed:
            self._insert("customer_host_changes", {
                "customer_id": customer_id, "from_host_id": None, "to_host_id": host_id,
                "changed_by_role": "host", "changed_by_id": host_id, "changed_at": now,
            })

    # escalation and alert receipts

    LADDER_COLUMNS = ("v.id, v.site_id, v.arrived_at, v.away_until, v.escalated_at, v.escalated_to_managers_at, "
                      "v.alert_delivered_at")
    ON_THE_LADDER = "v.status = 'waiting' AND (v.escalated_at IS NULL OR v.escalated_to_managers_at IS NULL)"

    def visits_on_the_ladder(self, after_id: int = 0) -> list[dict]:
        """Waiting visits with a step of the escalation ladder still ahead (the domain times them),
        by id; only the columns that time a step (a step reads the whole visit). With `after_id`,
        only the visits stored after that one (the ladder's look for new check-ins, by rowid)."""
        if after_id:
            return list(self._rows(f"SELECT {self.LADDER_COLUMNS} FROM visits v WHERE v.id > ? AND "
                                   f"{self.ON_THE_LADDER} ORDER BY v.id", (after_id,)))
        return list(self._rows(
            f"SELECT {self.LADDER_COLUMNS} FROM visits v INDEXED BY visits_open "
            f"WHERE v.status IN {OPEN_STATUSES} AND {self.ON_THE_LADDER} ORDER BY v.id"))

    def ladder_rows(self, visit_ids: list[int]) -> list[dict]:
        """Those of `visit_ids` still on the escalation ladder, as `visits_on_the_ladder` reads them."""
        return list(self._rows(
            f"SELECT {self.LADDER_COLUMNS} FROM visits v WHERE v.id IN (SELECT value FROM json_each(?)) "
            f"AND {self.ON_THE_LADDER} ORDER BY v.id", (json.dumps(visit_ids),))) if visit_ids else []

    def mark_escalated(self, visit_id: int, level: str, reason: str, now: str,
                       owed: Callable[[dict], list[dict]] = lambda row: [],
                       notices: Callable[[dict], list[dict]] = lambda row: []) -> dict | None:
        """Record one step of the ladder once, with the deliveries and channel notices it owes;
        None if the visit moved on or took that step already."""
        column = {"team": "escalated_at", "managers": "escalated_to_managers_at"}[level]
        with self.transaction():
            cursor = self.db.conn.execute(
                f"UPDATE visits SET {column} = ?, escalation_reason = COALESCE(escalation_reason, ?) "
                f"WHERE id = ? AND status = 'waiting' AND {column} IS NULL",
                (now, reason, visit_id),
            )
            if cursor.rowcount != 1:
                return None
            row = self.visit(visit_id)
            self._enqueue_deliveries(owed(row))
            self._enqueue_notices(notices(row))
        return row

    def record_delivery(self, visit_id: int, host_id: int, board_id: str, now: str) -> bool:
        """A board's receipt of an alert; True if it is the visit's first (its kiosk may say so now)."""
        with self.transaction(durable=False):
            self._insert("alert_deliveries",
                         {"visit_id": visit_id, "host_id": host_id, "board_id": board_id, "delivered_at": now,
                          "kind": BOARD})
            return self.db.conn.execute(
                "UPDATE visits SET alert_delivered_at = ? WHERE id = ? AND alert_delivered_at IS NULL", (now, visit_id)
            ).rowcount == 1

    def deliveries(self, visit_id: int) -> list[dict]:
        return list(self._rows("SELECT * FROM alert_deliveries WHERE visit_id = ? ORDER BY id", (visit_id,)))

    # feedback

    def insert_feedback(self, visit_id: int, rating: int, now: str) -> bool:
        """Store a visit's one feedback; False if it already has one."""
        try:
            with self.transaction():
                self._insert("feedback", {"visit_id": visit_id, "rating": rating, "created_at": now})
                self.db.conn.execute("UPDATE visits SET feedback_rating = ? WHERE id = ?", (rating, visit_id))
        except sqlite3.IntegrityError:
            return False
        return True

