"""Queries for statistics and exports: grouped figures of a window, and one row per visit for CSV."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import numpy as np

from kiosk.domain.stats import NO_HOST, Numbers, StatsData


def _numbers(joined_per_group: list[str | None]) -> Numbers:
    """The numbers of one group_concat per group, parsed at once into arrays."""
    lengths = [text.count(",") + 1 if text else 0 for text in joined_per_group]
    joined = ",".join(text for text in joined_per_group if text)
    if not joined:
        return Numbers.empty()
    values = np.fromstring(joined, dtype=np.int64, sep=",")
    if len(values) != sum(lengths):
        raise ValueError("a group_concat of numbers held something else")
    return Numbers(values, np.repeat(np.arange(len(lengths)), lengths))


def _column(rows: list[tuple], index: int, *, null: int = 0) -> np.ndarray:
    return np.array([null if row[index] is None else row[index] for row in rows], dtype=np.int64)


def _on_the_hour(moment: str) -> bool:
    return moment.endswith(":00:00.000Z")


def _midnight(day: str) -> str:
    return f"{day}T00:00:00.000Z"


def _next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def _live_ranges(start: str, end: str, summed_days: list[str]) -> list[tuple[str, str]]:
    """The parts of [start, end) outside the summed-up days (ascending, inside the window)."""
    ranges, cursor = [], start
    for day in summed_days:
        if cursor < _midnight(day):
            ranges.append((cursor, _midnight(day)))
        cursor = _midnight(_next_day(day))
    if cursor < end:
        ranges.append((cursor, end))
    return ranges


# The figures of a group of visits (see kiosk.stats.StatsData); durations, stand-ins
# and ratings as comma-joined numbers, parsed at once with NumPy.
GROUP_FIGURES = """COUNT(*), SUM(v.status = 'abandoned'), COUNT(v.escalated_at),
    group_concat(v.acknowledge_ms), group_concat(v.greet_ms),
    group_concat(CASE WHEN COALESCE(v.greeted_by, v.acknowledged_by) != v.host_id
                 THEN COALESCE(v.greeted_by, v.acknowledged_by) END),
    group_concat(v.feedback_rating), group_concat(v.complete_ms)"""


class StatsQueries:
    def stats_data(self, site_id: int, start: str, end: str, *, host_id: int | None = None,
                   reason: str | None = None) -> StatsData:
        """Everything the figures of a window need, in groups of one UTC hour and host.

        Days summed up in `stats_hours` (see sum_up_day) are read from there; the
        rest of the window (today, yesterday, a day whose visits changed, any
        filter by reason) from the `visits_for_stats` index. One read transaction,
        so both parts come from the same moment.
        """
        with self._read_transaction():
            summed_days = [] if reason is not None else self._summed_days(site_id, start, end)
            rows = []
            for range_start, range_end in _live_ranges(start, end, summed_days):
                rows += self._live_groups(site_id, range_start, range_end, host_id, reason)
            if summed_days:
                rows += self._summed_groups(site_id, summed_days[0], _next_day(summed_days[-1]), host_id)
            names = dict(self.db.conn.execute("SELECT id, name FROM hosts WHERE site_id = ?", (site_id,)).fetchall())
        return StatsData(
            utc_hours=[row[0] for row in rows], host_ids=_column(rows, 1, null=NO_HOST), visits=_column(rows, 2),
            abandoned=_column(rows, 3), escalated=_column(rows, 4),
            acknowledge_ms=_numbers([row[5] for row in rows]), greet_ms=_numbers([row[6] for row in rows]),
            stand_ins=_numbers([row[7] for row in rows]), feedback=_numbers([row[8] for row in rows]),
            complete_ms=_numbers([row[9] for row in rows]), host_names=names,
        )

    @contextlib.contextmanager
    def _read_transaction(self):
        self.db.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.db.conn.execute("COMMIT")

    def _summed_days(self, site_id: int, start: str, end: str) -> list[str]:
        """The summed-up days that lie wholly inside [start, end)."""
        first = "utc_day >= ?" if start == _midnight(start[:10]) else "utc_day > ?"
        return [row[0] for row in self.db.conn.execute(
            f"SELECT utc_day FROM stats_days WHERE site_id = ? AND {first} AND utc_day < ? ORDER BY utc_day",
            (site_id, start[:10], end[:10]),
        )]

    def _summed_groups(self, site_id: int, start_day: str, end_day: str, host_id: int | None) -> list[tuple]:
        """The summary rows of [start_day, end_day): only summed-up days have any."""
        where, params = "site_id = ? AND arrived_hour >= ? AND arrived_hour < ?", [site_id, start_day, end_day]
        if host_id is not None:
            where += " AND host_id = ?"
            params.append(host_id)
        return self.db.conn.execute(
            "SELECT arrived_hour, host_id, visits, abandoned, escalated, acknowledge_ms, greet_ms, stand_ins, "
            f"feedback, complete_ms FROM stats_hours WHERE {where}", params,
        ).fetchall()

    def _live_groups(self, site_id: int, start: str, end: str, host_id: int | None, reason: str | None) -> list[tuple]:
        """Groups of [start, end) straight from the visits. The exact arrival time is
        compared only when the range does not begin and end on the hour."""
        up_to_end = "v.arrived_hour < ?" if _on_the_hour(end) else "v.arrived_hour <= ?"
        where = ["v.site_id = ?", "v.arrived_hour >= ?", up_to_end]
        params: list = [site_id, start[:13], end[:13]]
        if not (_on_the_hour(start) and _on_the_hour(end)):
            where += ["v.arrived_at >= ?", "v.arrived_at < ?"]
            params += [start, end]
        if host_id is not None:
            where.append("v.host_id = ?")
            params.append(host_id)
        if reason is not None:
            where.append("v.assignment_reason = ?")
            params.append(reason)
        return self.db.conn.execute(
            f"SELECT v.arrived_hour, v.host_id, {GROUP_FIGURES} FROM visits v INDEXED BY visits_for_stats "
            f"WHERE {' AND '.join(where)} GROUP BY v.arrived_hour, v.host_id", params,
        ).fetchall()

    def days_to_sum_up(self, site_id: int, before_day: str, limit: int) -> list[str]:
        """Up to `limit` days before `before_day`, from the site's first visit on, not yet summed up."""
        first = self.db.conn.execute("SELECT MIN(arrived_hour) FROM visits WHERE site_id = ?", (site_id,)).fetchone()[0]
        if first is None:
            return []
        summed = {row[0] for row in self.db.conn.execute(
            "SELECT utc_day FROM stats_days WHERE site_id = ? AND utc_day >= ?", (site_id, first[:10]))}
        days, day = [], first[:10]
        while day < before_day and len(days) < limit:
            if day not in summed:
                days.append(day)
            day = _next_day(day)
        return days

    def sum_up_day(self, site_id: int, day: str) -> None:
        """Write one UTC day's summary rows and mark the day as summed up (see migration 0009)."""
        with self.transaction(durable=False):  # a summary lost in a power cut is summed up again
            self.db.conn.execute("DELETE FROM stats_hours WHERE site_id = ? AND arrived_hour >= ? AND arrived_hour < ?",
                                 (site_id, day, _next_day(day)))
            self.db.conn.execute(
                f"""INSERT INTO stats_hours (site_id, arrived_hour, host_id, visits, abandoned, escalated,
                                             acknowledge_ms, greet_ms, stand_ins, feedback, complete_ms)
                    SELECT v.site_id, v.arrived_hour, v.host_id, {GROUP_FIGURES}
                    FROM visits v INDEXED BY visits_for_stats
                    WHERE v.site_id = ? AND v.arrived_hour >= ? AND v.arrived_hour < ?
                    GROUP BY v.arrived_hour, v.host_id""",
                (site_id, day, _next_day(day)),
            )
            self.db.conn.execute("INSERT OR REPLACE INTO stats_days (site_id, utc_day) VALUES (?, ?)", (site_id, day))

    def export_rows(self, site_id: int, start: str, end: str) -> list[dict]:
        """One row per visit for the CSV export: times, durations, hosts by name; no customer data."""
        return list(self._rows(
            """SELECT v.id AS visit_id, v.arrived_at, v.status, h.name AS host, v.assignment_reason,
                       a.name AS acknowledged_by, v.acknowledged_at,
                       v.acknowledge_ms / 1000.0 AS acknowledge_seconds,
                       g.name AS greeted_by, v.greeted_at, v.greet_ms / 1000.0 AS greet_seconds,
                       v.completed_at, v.abandoned_at, v.escalated_at, v.escalation_reason,
                       v.feedback_rating AS feedback, v.complete_ms / 1000.0 AS complete_seconds
                FROM visits v LEFT JOIN hosts h ON h.id = v.host_id LEFT JOIN hosts a ON a.id = v.acknowledged_by
                LEFT JOIN hosts g ON g.id = v.greeted_by
                WHERE v.site_id = ? AND v.arrived_at >= ? AND v.arrived_at < ? ORDER BY v.arrived_at, v.id""",
            (site_id, start, end),
        ))
