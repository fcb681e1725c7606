"""Queries for statistics and exports: one row per visit of a window, durations computed in SQL."""

from __future__ import annotations

from ..stats import StatsRow

_SECONDS = "ROUND((julianday({end}) - julianday(v.arrived_at)) * 86400.0, 3)"
STATS_COLUMNS = f"""
    v.id, v.host_id, h.name, v.arrived_at,
    {_SECONDS.format(end="v.acknowledged_at")}, {_SECONDS.format(end="v.greeted_at")},
    v.status, v.escalated_at IS NOT NULL, v.acknowledged_by, v.greeted_by, f.rating, v.assignment_reason
"""


class StatsQueries:
    def stats_rows(self, site_id: int, start: str, end: str, *, host_id: int | None = None,
                   reason: str | None = None) -> list[StatsRow]:
        """Visits of the site that arrived in [start, end), optionally of one host or assignment reason."""
        where, params = ["v.site_id = ?", "v.arrived_at >= ?", "v.arrived_at < ?"], [site_id, start, end]
        if host_id is not None:
            where.append("v.host_id = ?")
            params.append(host_id)
        if reason is not None:
            where.append("v.assignment_reason = ?")
            params.append(reason)
        cursor = self.db.conn.execute(
            f"""SELECT {STATS_COLUMNS} FROM visits v
                LEFT JOIN hosts h ON h.id = v.host_id LEFT JOIN feedback f ON f.visit_id = v.id
                WHERE {' AND '.join(where)} ORDER BY v.arrived_at, v.id""",
            params,
        )
        return [StatsRow(*row[:7], bool(row[7]), *row[8:]) for row in cursor]

    def export_rows(self, site_id: int, start: str, end: str) -> list[dict]:
        """One row per visit for the CSV export: times, durations, hosts by name; no customer data."""
        return list(self.db.query(
            f"""SELECT v.id AS visit_id, v.arrived_at, v.status, h.name AS host, v.assignment_reason,
                       a.name AS acknowledged_by, v.acknowledged_at,
                       {_SECONDS.format(end="v.acknowledged_at")} AS acknowledge_seconds,
                       g.name AS greeted_by, v.greeted_at, {_SECONDS.format(end="v.greeted_at")} AS greet_seconds,
                       v.completed_at, v.abandoned_at, v.escalated_at, v.escalation_reason, f.rating AS feedback
                FROM visits v LEFT JOIN hosts h ON h.id = v.host_id LEFT JOIN hosts a ON a.id = v.acknowledged_by
                LEFT JOIN hosts g ON g.id = v.greeted_by LEFT JOIN feedback f ON f.visit_id = v.id
                WHERE v.site_id = ? AND v.arrived_at >= ? AND v.arrived_at < ? ORDER BY v.arrived_at, v.id""",
            (site_id, start, end),
        ))
