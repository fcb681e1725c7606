"""Queries for statistics and exports: grouped figures of a window, and one row per visit for CSV."""

from __future__ import annotations

from ..stats import StatsData, StatsGroup

def _ints(joined: str | None) -> list[int]:
    """The numbers of a group_concat (milliseconds, host ids)."""
    return list(map(int, joined.split(","))) if joined else []


class StatsQueries:
    def stats_data(self, site_id: int, start: str, end: str, *, host_id: int | None = None,
                   reason: str | None = None) -> StatsData:
        """Everything the figures of a window need, grouped by UTC hour and host.

        Durations come as comma-joined milliseconds per group, read from the
        `visits_for_stats` index alone: a year of a busy site is one index scan.
        """
        where = ["v.site_id = ?", "v.arrived_hour >= ?", "v.arrived_hour <= ?", "v.arrived_at >= ?", "v.arrived_at < ?"]
        params = [site_id, start[:13], end[:13], start, end]
        if host_id is not None:
            where.append("v.host_id = ?")
            params.append(host_id)
        if reason is not None:
            where.append("v.assignment_reason = ?")
            params.append(reason)
        where_sql = " AND ".join(where)
        groups = self.db.conn.execute(
            f"""SELECT v.arrived_hour, v.host_id, COUNT(*),
                       group_concat(v.acknowledge_ms), group_concat(v.greet_ms),
                       SUM(v.status = 'abandoned'), SUM(v.escalated_at IS NOT NULL),
                       group_concat(CASE WHEN COALESCE(v.greeted_by, v.acknowledged_by) != v.host_id
                                    THEN COALESCE(v.greeted_by, v.acknowledged_by) END),
                       SUM(v.feedback_rating), COUNT(v.feedback_rating)
                FROM visits v INDEXED BY visits_for_stats WHERE {where_sql}
                GROUP BY 1, 2""",
            params,
        ).fetchall()
        names = dict(self.db.conn.execute("SELECT id, name FROM hosts WHERE site_id = ?", (site_id,)).fetchall())
        return StatsData(
            groups=[StatsGroup(*row[:3], _ints(row[3]), _ints(row[4]), row[5], row[6], _ints(row[7]),
                               row[8] or 0, row[9]) for row in groups],
            host_names=names,
        )

    def export_rows(self, site_id: int, start: str, end: str) -> list[dict]:
        """One row per visit for the CSV export: times, durations, hosts by name; no customer data."""
        return list(self.db.query(
            """SELECT v.id AS visit_id, v.arrived_at, v.status, h.name AS host, v.assignment_reason,
                       a.name AS acknowledged_by, v.acknowledged_at,
                       v.acknowledge_ms / 1000.0 AS acknowledge_seconds,
                       g.name AS greeted_by, v.greeted_at, v.greet_ms / 1000.0 AS greet_seconds,
                       v.completed_at, v.abandoned_at, v.escalated_at, v.escalation_reason, v.feedback_rating AS feedback
                FROM visits v LEFT JOIN hosts h ON h.id = v.host_id LEFT JOIN hosts a ON a.id = v.acknowledged_by
                LEFT JOIN hosts g ON g.id = v.greeted_by
                WHERE v.site_id = ? AND v.arrived_at >= ? AND v.arrived_at < ? ORDER BY v.arrived_at, v.id""",
            (site_id, start, end),
        ))
