"""Queries about sites, hosts, kiosks, managers, their tokens, and customers."""

from __future__ import annotations

from collections.abc import Callable


class PeopleQueries:
    def ensure_site(self, name: str, now: str) -> dict:
        with self.transaction():
            return self._ensure_site(name, now)

    def _ensure_site(self, name: str, now: str) -> dict:
        self.db.conn.execute("INSERT OR IGNORE INTO sites (name, created_at) VALUES (?, ?)", (name, now))
        return self._one("SELECT * FROM sites WHERE name = ?", (name,))

    def site(self, site_id: int) -> dict | None:
        return self._one("SELECT * FROM sites WHERE id = ?", (site_id,))

    def add_person(self, role: str, site_name: str, fields: dict, token_hash: str | None,
                   audit: Callable[[int], list[dict]] = lambda person_id: []) -> tuple[int, dict]:
        """A host, kiosk or manager of the site named (made if new) with its API token (none for
        a kiosk that will be paired) and the audit entries `audit(person_id)` gives, in one
        transaction. Returns (person id, site row)."""
        table = {"host": "hosts", "kiosk": "kiosks", "manager": "managers"}[role]
        with self.transaction():
            site = self._ensure_site(site_name, fields["created_at"])
            subject_id = self._insert(table, {**fields, "site_id": site["id"]})
            if token_hash is not None:
                self._insert_token(role, subject_id, site["id"], token_hash, fields["created_at"])
            self._write_audit(audit(subject_id))
        return subject_id, site

    def _insert_token(self, role: str, subject_id: int, site_id: int | None, token_hash: str, now: str) -> None:
        self._insert("tokens", {"token_hash": token_hash, "role": role, "subject_id": subject_id,
                                "site_id": site_id, "created_at": now})

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

    def revoke_tokens(self, role: str, subject_id: int, now: str) -> int:
        """Revoke every live token of one host, kiosk or manager; returns how many."""
        with self.transaction():
            self._end_sessions_of(role, subject_id, now, "token_revoked", kind="token")
            return self.db.conn.execute(
                "UPDATE tokens SET revoked_at = ? WHERE role = ? AND subject_id = ? AND revoked_at IS NULL",
                (now, role, subject_id),
            ).rowcount

    def add_token(self, role: str, subject_id: int, site_id: int, token_hash: str, now: str) -> None:
        with self.transaction():
            self._insert_token(role, subject_id, site_id, token_hash, now)

    def person(self, role: str, person_id: int) -> dict | None:
        table = {"host": "hosts", "kiosk": "kiosks", "manager": "managers"}[role]
        extra = " AND p.active = 1" if role == "host" else ""
        return self._one(
            f"SELECT p.*, s.name AS site FROM {table} p JOIN sites s ON s.id = p.site_id WHERE p.id = ?{extra}",
            (person_id,),
        )

    def active_hosts(self, site_id: int | None = None) -> list[dict]:
        where, params = ("AND h.site_id = ?", (site_id,)) if site_id is not None else ("", ())
        return list(self._rows(
            f"""SELECT h.*, s.name AS site FROM hosts h JOIN sites s ON s.id = h.site_id
                WHERE h.active = 1 {where} ORDER BY s.name, h.name, h.id""",
            params,
        ))

    def site_ids(self) -> list[int]:
        return [row[0] for row in self.db.conn.execute("SELECT id FROM sites ORDER BY id")]

    def site_by_name(self, name: str) -> dict | None:
        return self._one("SELECT * FROM sites WHERE name = ?", (name,))

    def site_by_code(self, code: str) -> dict | None:
        """The site a person means by its code (its name): exactly as written, else in any case."""
        return self.site_by_name(code) or self._one(
            "SELECT * FROM sites WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1", (code,))

    def hosts_named(self, name: str, site_id: int | None = None, limit: int = 10) -> list[dict]:
        """Active hosts of this name (any case), of one site or of every site."""
        where, params = ("AND h.site_id = ?", (site_id,)) if site_id is not None else ("", ())
        return self._rows(
            f"""SELECT h.*, s.name AS site FROM hosts h JOIN sites s ON s.id = h.site_id
                WHERE h.active = 1 AND h.name = ? COLLATE NOCASE {where} ORDER BY h.id LIMIT ?""",
            (name, *params, limit))

    def first_kiosk_id(self, site_id: int) -> int | None:
        row = self._one("SELECT id FROM kiosks WHERE site_id = ? ORDER BY id LIMIT 1", (site_id,))
        return row["id"] if row else None

    def set_own_language(self, role: str, person_id: int, language: str | None) -> bool:
        """A host's or a manager's own language (None: no choice of their own); False if nobody has that id."""
        table = {"host": "hosts", "manager": "managers"}[role]
        with self.transaction():
            return self.db.conn.execute(f"UPDATE {table} SET language = ? WHERE id = ?",  # nosec B608 (fixed names)
                                        (language, person_id)).rowcount == 1

    def set_host_status(self, host_id: int, status: str) -> None:
        with self.transaction():
            self.db.conn.execute("UPDATE hosts SET status = ? WHERE id = ?", (status, host_id))

    def open_visit_counts(self, site_id: int) -> dict[int, int]:
        """How many open visits each host of the site has: their current load (kept by
        triggers, migration 0015, so reading it does not grow with the number waiting)."""
        return dict(self.db.conn.execute(
            "SELECT host_id, open_visits FROM host_open_visits WHERE site_id = ? AND open_visits > 0", (site_id,)))

    def busy_host_ids(self, site_id: int) -> set[int]:
        """Hosts serving someone right now: they greeted a visit that is not completed."""
        rows = self._rows(
            "SELECT DISTINCT greeted_by FROM visits INDEXED BY visits_greeted WHERE site_id = ? AND status = 'greeted'",
            (site_id,)
        )
        return {row["greeted_by"] for row in rows}

    def customer(self, customer_id: int) -> dict | None:
        return self._one("SELECT * FROM customers WHERE id = ?", (customer_id,))

    def customer_by_contact(self, site_id: int, phone: str | None, email: str | None) -> dict | None:
        """The customer of the site with this normalised phone or e-mail; the most recent if several."""
        return self._one(
            """SELECT * FROM customers WHERE site_id = ?
               AND ((? IS NOT NULL AND phone_normalized = ?) OR (? IS NOT NULL AND email_normalized = ?))
               ORDER BY id DESC LIMIT 1""",
            (site_id, phone, phone, email, email),
        )

    def set_customer_host(self, customer_id: int, host_id: int, changed_by_role: str, changed_by_id: int,
                          now: str) -> None:
        """Make `host_id` the customer's dedicated host, and log who changed it when."""
        with self.transaction():
            self._set_customer_host(customer_id, host_id, changed_by_role, changed_by_id, now)

    def _set_customer_host(self, customer_id: int, host_id: int, changed_by_role: str, changed_by_id: int,
                           now: str) -> None:
        row = self.db.conn.execute("SELECT host_id FROM customers WHERE id = ?", (customer_id,)).fetchone()
        self.db.conn.execute("UPDATE customers SET host_id = ? WHERE id = ?", (host_id, customer_id))
        self._insert("customer_host_changes", {
            "customer_id": customer_id, "from_host_id": row[0] if row else None, "to_host_id": host_id,
            "changed_by_role": changed_by_role, "changed_by_id": changed_by_id, "changed_at": now,
        })

    def customer_host_changes(self, customer_id: int) -> list[dict]:
        return list(self._rows(
            "SELECT * FROM customer_host_changes WHERE customer_id = ? ORDER BY id", (customer_id,)
        ))
