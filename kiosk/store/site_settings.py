"""Queries of a site's own settings (see kiosk/site_settings.py), managers' PINs and first-run setup."""

from __future__ import annotations

import json
from collections.abc import Callable

VERSION_KEY = "site_settings_version"


MANAGER_SELECT = """SELECT m.id, m.name, m.created_at, m.pin_hash IS NOT NULL AS has_pin,
    EXISTS (SELECT 1 FROM tokens t
            WHERE t.role = 'manager' AND t.subject_id = m.id AND t.revoked_at IS NULL) AS has_token
    FROM managers m"""


class SiteSettingsQueries:
    def site_settings_version(self) -> int:
        """Counts every change of any site's settings: one cheap read tells a process its cache is stale."""
        row = self.db.conn.execute("SELECT value FROM settings WHERE key = ?", (VERSION_KEY,)).fetchone()
        return int(row[0]) if row else 0

    def site_setting_rows(self, site_id: int) -> dict[str, dict]:
        """The site's own values by key: value (decoded), updated_at, updated_by, updated_by_name."""
        rows = self.db.conn.execute(
            "SELECT key, value, updated_at, updated_by, updated_by_name FROM site_settings WHERE site_id = ?",
            (site_id,))
        return {key: {"value": json.loads(value), "updated_at": at, "updated_by": by, "updated_by_name": name}
                for key, value, at, by, name in rows}

    def change_site_settings(self, site_id: int, values: dict, now: str, by_id: int | None, by_name: str | None,
                             audit: list[dict]) -> None:
        """Store several values of one site (None removes one, back to the config file's), with
        their audit entries, in one transaction."""
        with self.transaction():
            for key, value in values.items():
                self._put_site_setting(site_id, key, value, now, by_id, by_name)
            self._write_audit(audit)

    def _put_site_setting(self, site_id: int, key: str, value, now: str, by_id: int | None, by_name: str | None):
        """Store (or with value None, remove) one value, and bump the version every process watches."""
        if value is None:
            self.db.conn.execute("DELETE FROM site_settings WHERE site_id = ? AND key = ?", (site_id, key))
        else:
            self.db.conn.execute(
                "INSERT OR REPLACE INTO site_settings (site_id, key, value, updated_at, updated_by, updated_by_name) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (site_id, key, json.dumps(value, ensure_ascii=False), now, by_id, by_name))
        self.db.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1", (VERSION_KEY,))

    # managers and first-run setup

    def manager_count(self) -> int:
        return self.db.conn.execute("SELECT COUNT(*) FROM managers").fetchone()[0]

    def managers_named(self, name: str) -> list[dict]:
        """Managers with this name (any case) who have a PIN, with their site's name."""
        return list(self._rows(
            "SELECT m.*, s.name AS site FROM managers m JOIN sites s ON s.id = m.site_id "
            "WHERE m.name = ? COLLATE NOCASE AND m.pin_hash IS NOT NULL ORDER BY m.id", (name.strip(),)))

    def managers_of_site(self, site_id: int) -> list[dict]:
        """The site's managers by name, with whether they still have a PIN and a live token."""
        return self._rows(MANAGER_SELECT + " WHERE m.site_id = ? ORDER BY m.name COLLATE NOCASE, m.id", (site_id,))

    def manager_of_site(self, site_id: int, manager_id: int) -> dict | None:
        return self._one(MANAGER_SELECT + " WHERE m.site_id = ? AND m.id = ?", (site_id, manager_id))

    def set_manager_pin(self, manager_id: int, pin_hash: str, now: str, audit: list[dict]) -> None:
        with self.transaction():
            self.db.conn.execute("UPDATE managers SET pin_hash = ? WHERE id = ?", (pin_hash, manager_id))
            self._end_sessions_of("manager", manager_id, now, "pin_changed", kind="pin")
            self._write_audit(audit)

    def end_manager_access(self, manager_id: int, now: str, audit: list[dict]) -> None:
        """Revoke the manager's tokens and remove their PIN, so no browser they used stays signed in."""
        with self.transaction():
            self.db.conn.execute("UPDATE tokens SET revoked_at = ? WHERE role = 'manager' AND subject_id = ? "
                                 "AND revoked_at IS NULL", (now, manager_id))
            self.db.conn.execute("UPDATE managers SET pin_hash = NULL WHERE id = ?", (manager_id,))
            self._end_sessions_of("manager", manager_id, now, "access_ended")
            self._write_audit(audit)

    def complete_setup(
        self, code_record: str, site_name: str, rename_site_id: int | None, manager: dict,
        token_hash: str, settings: dict, audit: Callable[[dict, int], list[dict]],
    ) -> tuple[dict, int] | None:
        """The first run's one transaction: spend the setup code (None back if it was spent or a
        manager appeared meanwhile), name the site (renaming `rename_site_id`, else made if new),
        store its settings, add the first manager with their PIN and token, and audit it all
        (`audit(site, manager_id)`). Returns (site row, manager id)."""
        with self.transaction():
            spent = self.db.conn.execute("SELECT value FROM settings WHERE key = 'setup_code'").fetchone()
            if self.manager_count() or spent is None or spent[0] != code_record:
                return None
            self.db.conn.execute("DELETE FROM settings WHERE key = 'setup_code'")
            if rename_site_id is not None:
                self.db.conn.execute("UPDATE sites SET name = ? WHERE id = ?", (site_name, rename_site_id))
            site = self._ensure_site(site_name, manager["created_at"])
            for key, value in settings.items():
                self._put_site_setting(site["id"], key, value, manager["created_at"], None, manager["name"])
            manager_id = self._insert("managers", {**manager, "site_id": site["id"]})
            self._insert_token("manager", manager_id, site["id"], token_hash, manager["created_at"])
            self._write_audit(audit(site, manager_id))
        return site, manager_id
