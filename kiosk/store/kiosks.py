"""Queries about kiosk devices: pairing codes, their credentials, and their last contact.

Each change is one transaction with its audit entries (kiosk/domain/pairing.py makes them).
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.domain.errors import Unavailable


class KioskQueries:
    _KIOSK_COLUMNS = """
        k.id, k.name, k.site_id, s.name AS site, k.created_at, k.last_contact_at,
        (SELECT MAX(t.created_at) FROM tokens t
          WHERE t.role = 'kiosk' AND t.subject_id = k.id AND t.revoked_at IS NULL) AS paired_at,
        (SELECT MAX(c.expires_at) FROM kiosk_pairing_codes c
          WHERE c.kiosk_id = k.id AND c.used_at IS NULL AND c.cancelled_at IS NULL) AS code_expires_at
    """

    def kiosks_of_site(self, site_id: int) -> list[dict]:
        """Every kiosk of the site with when it was paired (None: no live credential), its last
        contact and when its newest unused pairing code expires."""
        return list(self.db.query(
            f"SELECT {self._KIOSK_COLUMNS} FROM kiosks k JOIN sites s ON s.id = k.site_id "
            "WHERE k.site_id = ? ORDER BY k.name, k.id", (site_id,)))

    def kiosk_of_site(self, site_id: int, kiosk_id: int) -> dict | None:
        return self._one(
            f"SELECT {self._KIOSK_COLUMNS} FROM kiosks k JOIN sites s ON s.id = k.site_id "
            "WHERE k.site_id = ? AND k.id = ?", (site_id, kiosk_id))

    def pairing_code(self, code_hash: str) -> dict | None:
        return self._one("SELECT * FROM kiosk_pairing_codes WHERE code_hash = ?", (code_hash,))

    def register_kiosk(self, fields: dict, code: dict, audit: Callable[[int], list[dict]]) -> int:
        """A kiosk not paired yet (no credential) with its first pairing code (`code`, without
        its kiosk id), and the audit entries `audit(kiosk_id)` gives."""
        with self.transaction():
            kiosk_id = self._insert("kiosks", fields)
            self._insert("kiosk_pairing_codes", {**code, "kiosk_id": kiosk_id})
            self._write_audit(audit(kiosk_id))
        return kiosk_id

    def issue_pairing_code(self, kiosk_id: int, code: dict, audit: list[dict]) -> None:
        """A fresh code; the kiosk's earlier unused codes stop working."""
        with self.transaction():
            self._cancel_pairing_codes(kiosk_id, code["created_at"])
            self._insert("kiosk_pairing_codes", {**code, "kiosk_id": kiosk_id})
            self._write_audit(audit)

    def pair_kiosk(self, code_id: int, kiosk_id: int, site_id: int, token_hash: str, now: str,
                   audit: Callable[[int], list[dict]]) -> int | None:
        """Spend the code and give its kiosk this token instead of its earlier ones; None if the
        code was used meanwhile, else how many credentials were replaced (`audit(replaced)`)."""
        with self.transaction():
            if self.db.conn.execute("UPDATE kiosk_pairing_codes SET used_at = ? WHERE id = ? AND used_at IS NULL "
                                    "AND cancelled_at IS NULL", (now, code_id)).rowcount != 1:
                return None
            replaced = self._revoke_kiosk_tokens(kiosk_id, now)
            self._insert_token("kiosk", kiosk_id, site_id, token_hash, now)
            self.db.conn.execute("UPDATE kiosks SET last_contact_at = ? WHERE id = ?", (now, kiosk_id))
            self._write_audit(audit(replaced))
        return replaced

    def unpair_kiosk(self, kiosk_id: int, now: str, audit: Callable[[int, int], list[dict]]) -> None:
        """Revoke every credential and unused code (`audit(revoked, cancelled)` records how many)."""
        with self.transaction():
            revoked = self._revoke_kiosk_tokens(kiosk_id, now)
            cancelled = self._cancel_pairing_codes(kiosk_id, now)
            self._write_audit(audit(revoked, cancelled))

    def _cancel_pairing_codes(self, kiosk_id: int, now: str) -> int:
        return self.db.conn.execute(
            "UPDATE kiosk_pairing_codes SET cancelled_at = ? WHERE kiosk_id = ? AND used_at IS NULL "
            "AND cancelled_at IS NULL", (now, kiosk_id)).rowcount

    def _revoke_kiosk_tokens(self, kiosk_id: int, now: str) -> int:
        self._end_sessions_of("kiosk", kiosk_id, now, "token_revoked", kind="token")
        return self.db.conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE role = 'kiosk' AND subject_id = ? AND revoked_at IS NULL",
            (now, kiosk_id)).rowcount

    def kiosk_is_paired(self, kiosk_id: int) -> bool:
        return self._one("SELECT 1 AS yes FROM tokens WHERE role = 'kiosk' AND subject_id = ? AND revoked_at IS NULL "
                         "LIMIT 1", (kiosk_id,)) is not None

    def touch_kiosk(self, kiosk_id: int, now: str) -> bool:
        """Remember the kiosk's last contact: bookkeeping, so without waiting for the disk, and
        False instead of an error when the database is busy."""
        try:
            with self.transaction(durable=False):
                self.db.conn.execute(
                    "UPDATE kiosks SET last_contact_at = ? WHERE id = ? "
                    "AND (last_contact_at IS NULL OR last_contact_at < ?)", (now, kiosk_id, now))
        except Unavailable:
            return False
        return True
