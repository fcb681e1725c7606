"""Queries about kiosk devices: pairing codes, their credentials, and their last contact.

Methods that say "inside the caller's transaction" write without opening one, so
kiosk/pairing.py can make one unit of work (code, token, audit entry) of several.
"""

from __future__ import annotations


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

    def insert_pairing_code(self, fields: dict) -> int:
        """Inside the caller's transaction."""
        return self._insert("kiosk_pairing_codes", fields)

    def cancel_pairing_codes(self, kiosk_id: int, now: str) -> int:
        """Every unused code of the kiosk stops working. Inside the caller's transaction."""
        return self.db.conn.execute(
            "UPDATE kiosk_pairing_codes SET cancelled_at = ? WHERE kiosk_id = ? AND used_at IS NULL "
            "AND cancelled_at IS NULL", (now, kiosk_id)).rowcount

    def use_pairing_code(self, code_id: int, now: str) -> bool:
        """Mark the code used; False if someone used it first. Inside the caller's transaction."""
        return self.db.conn.execute(
            "UPDATE kiosk_pairing_codes SET used_at = ? WHERE id = ? AND used_at IS NULL AND cancelled_at IS NULL",
            (now, code_id)).rowcount == 1

    def revoke_kiosk_tokens(self, kiosk_id: int, now: str) -> int:
        """Inside the caller's transaction."""
        return self.db.conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE role = 'kiosk' AND subject_id = ? AND revoked_at IS NULL",
            (now, kiosk_id)).rowcount

    def insert_kiosk_token(self, kiosk_id: int, site_id: int, token_hash: str, now: str) -> None:
        """Inside the caller's transaction."""
        self._insert("tokens", {"token_hash": token_hash, "role": "kiosk", "subject_id": kiosk_id,
                                "site_id": site_id, "created_at": now})

    def kiosk_is_paired(self, kiosk_id: int) -> bool:
        return self._one("SELECT 1 AS yes FROM tokens WHERE role = 'kiosk' AND subject_id = ? AND revoked_at IS NULL "
                         "LIMIT 1", (kiosk_id,)) is not None

    def touch_kiosk(self, kiosk_id: int, now: str) -> None:
        """Remember the kiosk's last contact: bookkeeping, so without waiting for the disk."""
        with self.transaction(durable=False):
            self.db.conn.execute(
                "UPDATE kiosks SET last_contact_at = ? WHERE id = ? AND (last_contact_at IS NULL OR last_contact_at < ?)",
                (now, kiosk_id, now))
