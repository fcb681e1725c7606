"""The database: schema (numbered migrations) and every query. Nothing else writes SQL.

One SQLite file in WAL mode. Writes that answer a kiosk use `synchronous=FULL`, so a
check-in that got a 2xx survives a power cut. Times are ISO 8601 UTC text with
milliseconds (see clock.py).
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("gastgeber")


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    db["sites"].create({"id": int, "name": str, "created_at": str}, pk="id", not_null={"name", "created_at"})
    db["sites"].create_index(["name"], unique=True)
    db["hosts"].create(
        {"id": int, "site_id": int, "name": str, "pin_hash": str, "languages": str, "topics": str,
         "status": str, "active": int, "created_at": str},
        pk="id", not_null={"site_id", "name", "status", "active", "created_at"},
        defaults={"status": "available", "active": 1, "languages": "", "topics": ""},
        foreign_keys=[("site_id", "sites", "id")],
    )
    for table in ("kiosks", "managers"):
        db[table].create(
            {"id": int, "site_id": int, "name": str, "created_at": str},
            pk="id", not_null={"site_id", "name", "created_at"},
            foreign_keys=[("site_id", "sites", "id")],
        )
    db["tokens"].create(
        {"token_hash": str, "role": str, "subject_id": int, "site_id": int, "created_at": str, "revoked_at": str},
        pk="token_hash", not_null={"role", "subject_id", "site_id", "created_at"},
        foreign_keys=[("site_id", "sites", "id")],
    )
    db["customers"].create(
        {"id": int, "site_id": int, "name": str, "phone": str, "email": str, "language": str, "created_at": str},
        pk="id", not_null={"site_id", "name", "created_at"},
        foreign_keys=[("site_id", "sites", "id")],
    )
    db["visits"].create(
        {"id": int, "site_id": int, "kiosk_id": int, "client_id": str, "customer_id": int, "host_id": int,
         "assignment_reason": str, "status": str, "language": str, "topic": str, "party_size": int,
         "appointment_code": str, "note": str, "acknowledged_by": int, "greeted_by": int,
         "arrived_at": str, "acknowledged_at": str, "greeted_at": str, "completed_at": str, "abandoned_at": str},
        pk="id", not_null={"site_id", "kiosk_id", "client_id", "customer_id", "status", "arrived_at"},
        foreign_keys=[("site_id", "sites", "id"), ("kiosk_id", "kiosks", "id"), ("customer_id", "customers", "id"),
                      ("host_id", "hosts", "id"), ("acknowledged_by", "hosts", "id"),
                      ("greeted_by", "hosts", "id")],
    )
    db["visits"].create_index(["kiosk_id", "client_id"], unique=True)
    db["visits"].create_index(["site_id", "status"])
    db["visits"].create_index(["site_id", "arrived_at"])
    db["settings"].create({"key": str, "value": str}, pk="key")


VISIT_SELECT = """
SELECT v.*, c.name AS customer_name, h.name AS host_name, a.name AS acknowledged_by_name
FROM visits v
JOIN customers c ON c.id = v.customer_id
LEFT JOIN hosts h ON h.id = v.host_id
LEFT JOIN hosts a ON a.id = v.acknowledged_by
"""
OPEN_STATUSES = ("waiting", "acknowledged", "greeted")


class Store:
    """All reads and writes of one database file."""

    def __init__(self, path: str | Path, *, busy_timeout_seconds: float = 2.0):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(str(self.path), timeout=busy_timeout_seconds, check_same_thread=False)
        self.db = Database(connection)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")

    def close(self) -> None:
        self.db.close()

    def migrate(self) -> None:
        migrations.apply(self.db)

    @contextlib.contextmanager
    def transaction(self):
        """A write transaction that takes the write lock at once (no upgrade deadlocks)."""
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.conn.execute("ROLLBACK")
            raise
        self.db.conn.execute("COMMIT")

    def _one(self, sql: str, params=()) -> dict | None:
        rows = list(self.db.query(sql, params))
        return rows[0] if rows else None

    # settings

    def secret_key(self) -> str:
        """The key that signs session cookies, made once per database."""
        with self.transaction():
            row = self._one("SELECT value FROM settings WHERE key = 'secret_key'")
            if row:
                return row["value"]
            key = secrets.token_hex(32)
            self.db.conn.execute("INSERT INTO settings (key, value) VALUES ('secret_key', ?)", (key,))
            return key

    # sites and people

    def ensure_site(self, name: str, now: str) -> dict:
        with self.transaction():
            self.db.conn.execute("INSERT OR IGNORE INTO sites (name, created_at) VALUES (?, ?)", (name, now))
        return self._one("SELECT * FROM sites WHERE name = ?", (name,))

    def site(self, site_id: int) -> dict | None:
        return self._one("SELECT * FROM sites WHERE id = ?", (site_id,))

    def add_person(self, role: str, fields: dict, token_hash: str) -> int:
        """Insert a host, kiosk or manager together with its API token."""
        table = {"host": "hosts", "kiosk": "kiosks", "manager": "managers"}[role]
        with self.transaction():
            columns = ", ".join(fields)
            marks = ", ".join("?" for _ in fields)
            cursor = self.db.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(fields.values()))
            subject_id = cursor.lastrowid
            self.db.conn.execute(
                "INSERT INTO tokens (token_hash, role, subject_id, site_id, created_at) VALUES (?, ?, ?, ?, ?)",
                (token_hash, role, subject_id, fields["site_id"], fields["created_at"]),
            )
        return subject_id

    def principal_row(self, token_hash: str) -> dict | None:
        """Who holds this token: role, id, name and site, or None if unknown or revoked."""
        return self._one(
            """
            SELECT t.role, t.subject_id AS id, t.site_id, s.name AS site,
                   COALESCE(h.name, k.name, m.name) AS name
            FROM tokens t JOIN sites s ON s.id = t.site_id
            LEFT JOIN hosts h ON t.role = 'host' AND h.id = t.subject_id AND h.active = 1
            LEFT JOIN kiosks k ON t.role = 'kiosk' AND k.id = t.subject_id
            LEFT JOIN managers m ON t.role = 'manager' AND m.id = t.subject_id
            WHERE t.token_hash = ? AND t.revoked_at IS NULL
            """,
            (token_hash,),
        )

    def person(self, role: str, person_id: int) -> dict | None:
        table = {"host": "hosts", "kiosk": "kiosks", "manager": "managers"}[role]
        extra = " AND p.active = 1" if role == "host" else ""
        return self._one(
            f"SELECT p.*, s.name AS site FROM {table} p JOIN sites s ON s.id = p.site_id WHERE p.id = ?{extra}",
            (person_id,),
        )

    def active_hosts(self, site_id: int | None = None) -> list[dict]:
        where, params = ("AND h.site_id = ?", (site_id,)) if site_id is not None else ("", ())
        return list(self.db.query(
            f"""SELECT h.*, s.name AS site FROM hosts h JOIN sites s ON s.id = h.site_id
                WHERE h.active = 1 {where} ORDER BY s.name, h.name, h.id""",
            params,
        ))

    def set_host_status(self, host_id: int, status: str) -> None:
        with self.transaction():
            self.db.conn.execute("UPDATE hosts SET status = ? WHERE id = ?", (status, host_id))

    def open_visit_counts(self, site_id: int) -> dict[int, int]:
        """How many open visits each host of the site has: their current load."""
        rows = self.db.query(
            f"""SELECT host_id, COUNT(*) AS n FROM visits
                WHERE site_id = ? AND status IN {OPEN_STATUSES} AND host_id IS NOT NULL GROUP BY host_id""",
            (site_id,),
        )
        return {row["host_id"]: row["n"] for row in rows}

    # visits

    def visit(self, visit_id: int) -> dict | None:
        return self._one(VISIT_SELECT + " WHERE v.id = ?", (visit_id,))

    def visit_by_client_id(self, kiosk_id: int, client_id: str) -> dict | None:
        return self._one(VISIT_SELECT + " WHERE v.kiosk_id = ? AND v.client_id = ?", (kiosk_id, client_id))

    def open_visits(self, site_id: int) -> list[dict]:
        return list(self.db.query(
            VISIT_SELECT + f" WHERE v.site_id = ? AND v.status IN {OPEN_STATUSES} ORDER BY v.arrived_at, v.id",
            (site_id,),
        ))

    def insert_visit(self, customer: dict, visit: dict) -> int | None:
        """Store a new customer and their visit in one transaction.

        Returns the visit id, or None when this kiosk already sent this client_id
        (a retry): then nothing is written.
        """
        try:
            with self.transaction():
                cursor = self.db.conn.execute(
                    "INSERT INTO customers (site_id, name, phone, email, language, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (customer["site_id"], customer["name"], customer.get("phone"), customer.get("email"),
                     customer.get("language"), customer["created_at"]),
                )
                fields = dict(visit, customer_id=cursor.lastrowid)
                columns = ", ".join(fields)
                marks = ", ".join("?" for _ in fields)
                cursor = self.db.conn.execute(f"INSERT INTO visits ({columns}) VALUES ({marks})", tuple(fields.values()))
                return cursor.lastrowid
        except sqlite3.IntegrityError:
            if self.visit_by_client_id(visit["kiosk_id"], visit["client_id"]):
                return None
            raise

    def update_visit(self, visit_id: int, expected_status: str, changes: dict) -> bool:
        """Apply `changes` only if the visit is still in `expected_status`.

        The condition makes concurrent transitions safe: of two hosts acknowledging
        at once, exactly one update matches.
        """
        assignments = ", ".join(f"{column} = ?" for column in changes)
        with self.transaction():
            cursor = self.db.conn.execute(
                f"UPDATE visits SET {assignments} WHERE id = ? AND status = ?",
                (*changes.values(), visit_id, expected_status),
            )
        return cursor.rowcount == 1
