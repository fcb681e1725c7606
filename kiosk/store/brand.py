"""Queries of a site's own face: its logo (a PNG the server drew) and accent colour (kiosk/domain/brand.py)."""

from __future__ import annotations


class BrandQueries:
    def site_brand(self, site_id: int) -> dict | None:
        return self._one("SELECT logo_hash, logo_width, logo_height, accent FROM site_brands WHERE site_id = ?",
                         (site_id,))

    def site_logo(self, site_id: int, logo_hash: str) -> bytes | None:
        row = self._one("SELECT logo FROM site_brands WHERE site_id = ? AND logo_hash = ?", (site_id, logo_hash))
        return row["logo"] if row else None

    def put_site_logo(self, site_id: int, png: bytes | None, logo_hash: str | None, width: int | None,
                      height: int | None, now: str, audit: list[dict]) -> None:
        """A new logo, or none (all None)."""
        with self.transaction():
            self._brand_row(site_id, now)
            self.db.conn.execute(
                "UPDATE site_brands SET logo = ?, logo_hash = ?, logo_width = ?, logo_height = ?, updated_at = ? "
                "WHERE site_id = ?", (png, logo_hash, width, height, now, site_id))
            self._write_audit(audit)

    def put_site_accent(self, site_id: int, accent: str | None, now: str, audit: list[dict]) -> None:
        with self.transaction():
            self._brand_row(site_id, now)
            self.db.conn.execute("UPDATE site_brands SET accent = ?, updated_at = ? WHERE site_id = ?",
                                 (accent, now, site_id))
            self._write_audit(audit)

    def _brand_row(self, site_id: int, now: str) -> None:
        self.db.conn.execute("INSERT OR IGNORE INTO site_brands (site_id, updated_at) VALUES (?, ?)", (site_id, now))
