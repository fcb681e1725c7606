"""Queries of drills: a host's "Test my alert" and what each board and channel did (kiosk/domain/drills.py)."""

from __future__ import annotations

import json

KEEP_PER_HOST = 20  # a host's older drills are forgotten: the newest says whether they can be reached


def _drill(row: dict | None) -> dict | None:
    if row is None:
        return None
    return {**row, "boards": json.loads(row["boards"]), "channels": json.loads(row["channels"])}


class DrillQueries:
    def record_drill(self, drill: dict) -> int:
        """A finished drill; the host's drills beyond the newest KEEP_PER_HOST are dropped."""
        with self.transaction(durable=False):
            drill_id = self._insert("drills", {**drill, "boards": json.dumps(drill["boards"]),
                                               "channels": json.dumps(drill["channels"])})
            self.db.conn.execute(
                "DELETE FROM drills WHERE host_id = ? AND id NOT IN "
                "(SELECT id FROM drills WHERE host_id = ? ORDER BY id DESC LIMIT ?)",
                (drill["host_id"], drill["host_id"], KEEP_PER_HOST))
        return drill_id

    def drill(self, drill_id: int) -> dict | None:
        return _drill(self._one(
            "SELECT d.*, h.name AS host_name FROM drills d JOIN hosts h ON h.id = d.host_id WHERE d.id = ?",
            (drill_id,)))

    def latest_drills(self, site_id: int) -> dict[int, dict]:
        """Each host's newest drill, by host id."""
        rows = self._rows(
            "SELECT d.*, h.name AS host_name FROM drills d JOIN hosts h ON h.id = d.host_id WHERE d.id IN "
            "(SELECT max(id) FROM drills WHERE site_id = ? GROUP BY host_id)", (site_id,))
        return {row["host_id"]: _drill(row) for row in rows}
