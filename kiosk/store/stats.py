"""Queries for statistics and exports: grouped figures of a window, and one row per visit for CSV."""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from kiosk.domain.export import EXPORT_COLUMNS, FORMULA_STARTS, NAME_COLUMNS
from kiosk.domain.stats import NO_HOST, Numbers, Slices, StatsData, WindowTotals

# How a summed-up group keeps its numbers (see migration 0034): read back without parsing.
SUMMARY_DTYPE = np.dtype("<i8")
SUMMARY_NUMBERS = ("acknowledge_ms", "greet_ms", "stand_ins", "feedback", "complete_ms", "alert_delivery_ms")
EMPTY = "''"  # x'' is the empty BLOB: a group without numbers reads as one of length 0
# How a summed-up day keeps the durations the head office's view shows (see migration 0035).
DAY_VALUES = ("acknowledge_ms", "greet_ms", "alert_delivery_ms")
NARROW_DTYPE = np.dtype("<i4")


def _numbers(per_group: list, live: int) -> Numbers:
    """The numbers of each group at once as arrays: the first `live` groups' as group_concat
    texts (or None), the rest as summed-up groups' BLOBs (SUMMARY_DTYPE; b"" for none)."""
    texts, blobs = per_group[:live], per_group[live:]
    text_lengths = [text.count(",") + 1 if text else 0 for text in texts]
    blob_lengths = np.fromiter(map(len, blobs), np.int64, count=len(blobs)) // SUMMARY_DTYPE.itemsize
    values = np.frombuffer(b"".join(blobs), dtype=SUMMARY_DTYPE).astype(np.int64)
    if any(text_lengths):
        parsed = np.fromstring(",".join(text for text in texts if text), dtype=np.int64, sep=",")
        if len(parsed) != sum(text_lengths):
            raise ValueError("a group_concat of numbers held something else")
        values = np.concatenate([parsed, values])
    lengths = np.concatenate([np.array(text_lengths, dtype=np.int64), blob_lengths])
    return Numbers(values, np.repeat(np.arange(len(per_group)), lengths))


def _summary_blob(joined: str | None) -> bytes | None:
    """A group_concat of numbers as the BLOB a summed-up group keeps."""
    return _parsed(joined).astype(SUMMARY_DTYPE).tobytes() if joined else None


def summary_values(blobs) -> np.ndarray:
    """The numbers of several summed-up groups' BLOBs (SUMMARY_DTYPE; None for none) as one array."""
    return np.frombuffer(b"".join(blob for blob in blobs if blob), dtype=SUMMARY_DTYPE).astype(np.int64)


def day_values_row(values: list[np.ndarray]) -> tuple:
    """A day's DAY_VALUES as stats_day_values keeps them: (wide, BLOB, BLOB, BLOB), each sorted,
    32-bit unless a value does not fit (then all three are 64-bit and `wide` is 1)."""
    wide = not all(map(_fits_narrow, values))
    dtype = SUMMARY_DTYPE if wide else NARROW_DTYPE
    return (int(wide), *(np.sort(kind).astype(dtype).tobytes() for kind in values))


def fill_day_values(conn, days: list[tuple[int, str]]) -> None:
    """stats_day_values rows for summed-up (site id, UTC day)s, made from their stats_hours rows
    (for days summed up before migration 0035, and for copied summaries)."""
    for site_id, day in days:
        hours = conn.execute(
            "SELECT visits, abandoned, acknowledge_ms, greet_ms, alert_delivery_ms FROM stats_hours "
            "WHERE site_id = ? AND arrived_hour >= ? AND arrived_hour < ?", (site_id, day, _next_day(day))).fetchall()
        columns = list(zip(*hours)) or [()] * 5
        conn.execute("INSERT OR REPLACE INTO stats_day_values VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (site_id, day, sum(columns[0]), sum(columns[1]),
                      *day_values_row([summary_values(column) for column in columns[2:]])))


def _fits_narrow(values: np.ndarray) -> bool:
    limits = np.iinfo(NARROW_DTYPE)
    return not len(values) or (values.min() >= limits.min and values.max() <= limits.max)


def _day_values(rows: list[tuple], live: list[np.ndarray]) -> np.ndarray:
    """One kind of durations: rows of (wide, BLOB) of stats_day_values and the live part's arrays,
    as one new array (its owner may reorder it): 32-bit when everything fits (the usual case: the
    BLOBs joined, not converted)."""
    if not any(row[0] for row in rows) and all(map(_fits_narrow, live)):
        narrow = [row[1] for row in rows] + [part.astype(NARROW_DTYPE).tobytes() for part in live]
        return np.frombuffer(bytearray().join(narrow), dtype=NARROW_DTYPE)  # writable: partitioned in place
    return np.concatenate([np.zeros(0, np.int64)] + live + [
        np.frombuffer(row[1], dtype=SUMMARY_DTYPE if row[0] else NARROW_DTYPE).astype(np.int64) for row in rows])


def _parsed(joined: str | None) -> np.ndarray:
    """A group_concat of numbers (None for none) as an array."""
    if not joined:
        return np.zeros(0, np.int64)
    values = np.fromstring(joined, dtype=np.int64, sep=",")
    if len(values) != joined.count(",") + 1:
        raise ValueError("a group_concat of numbers held something else")
    return values


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
    ordinals = [date.fromisoformat(day).toordinal() for day in summed_days]
    for index, day in enumerate(summed_days):
        if index and ordinals[index] == ordinals[index - 1] + 1:
            continue  # the day after a summed-up one: no gap before it
        if index:
            cursor = _midnight(_next_day(summed_days[index - 1]))
        if cursor < _midnight(day):
            ranges.append((cursor, _midnight(day)))
    if summed_days:
        cursor = _midnight(_next_day(summed_days[-1]))
    if cursor < end:
        ranges.append((cursor, end))
    return ranges


def _live_where(site_id: int, start: str, end: str, host_id: int | None, reason: str | None) -> tuple[str, list]:
    """The visits of [start, end) by the stats index. The exact arrival time is compared only
    when the range does not begin and end on the hour."""
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
    return " AND ".join(where), params


def _slices(live_rows: list[tuple], summed_rows: list[tuple], kind: str) -> Slices:
    """Rows of (host, slice, key, visits, abandoned, values) of one kind of slice merged by key:
    the live rows' values as group_concat text, the summed-up rows' as BLOBs (see _numbers)."""
    live = [row for row in live_rows if row[1] == kind]
    rows = live + [row for row in summed_rows if row[1] == kind]
    keys = sorted({row[2] for row in rows}, key=lambda key: (key is None, key or ""))
    position = {key: index for index, key in enumerate(keys)}
    of_key = np.array([position[row[2]] for row in rows], dtype=np.int64)
    numbers = _numbers([row[5] for row in rows], len(live))
    return Slices(keys=keys, visits=np.bincount(of_key, weights=_column(rows, 3), minlength=len(keys)).astype(np.int64),
                  abandoned=np.bincount(of_key, weights=_column(rows, 4), minlength=len(keys)).astype(np.int64),
                  values_ms=Numbers(numbers.values, of_key[numbers.groups]))


@dataclass(frozen=True)
class _Groups:
    """Groups of visits (UTC hour and host) as StatsData holds them; numbers in GROUP_FIGURES order."""

    utc_hours: list[str]
    host_ids: np.ndarray
    visits: np.ndarray
    abandoned: np.ndarray
    escalated: np.ndarray
    numbers: tuple[Numbers, ...]

    def followed_by(self, other: _Groups) -> _Groups:
        offset = len(self.utc_hours)
        return _Groups(
            self.utc_hours + other.utc_hours,
            *(np.concatenate([mine, theirs]) for mine, theirs in
              ((self.host_ids, other.host_ids), (self.visits, other.visits), (self.abandoned, other.abandoned),
               (self.escalated, other.escalated))),
            tuple(mine.merged_with(theirs, offset) for mine, theirs in zip(self.numbers, other.numbers)))

    def sorted(self) -> _Groups:
        """The same groups with every kind of numbers sorted by value (see Numbers.ascending)."""
        return _Groups(self.utc_hours, self.host_ids, self.visits, self.abandoned, self.escalated,
                       tuple(numbers.ascending() for numbers in self.numbers))


def _groups(rows: list[tuple], *, live: int) -> _Groups:
    """Rows of (UTC hour, host, visits, abandoned, escalated, six kinds of numbers); see _numbers for `live`."""
    columns = list(zip(*rows)) or [()] * 11
    return _Groups(list(columns[0]), _column(rows, 1, null=NO_HOST), _column(rows, 2), _column(rows, 3),
                   _column(rows, 4), tuple(_numbers(column, live) for column in columns[5:]))


class SummaryCache:
    """The last few parsed reads of the summaries, by database, summary version and range: days
    already summed up do not change, and any write to the summaries gives a new version (see
    migration 0034), so a cached read is never stale. Shared by the process's read connections."""

    def __init__(self, size: int = 4):
        self.size, self._entries, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key: tuple, read: Callable[[], tuple]) -> tuple:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = read()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value


SUMMARIES = SummaryCache()


# The figures of a group of visits (see kiosk.stats.StatsData); durations, stand-ins
# and ratings as comma-joined numbers, parsed at once with NumPy.
GROUP_FIGURES = """COUNT(*), SUM(v.status = 'abandoned'), COUNT(v.escalated_at),
    group_concat(v.acknowledge_ms), group_concat(v.greet_ms),
    group_concat(CASE WHEN COALESCE(v.greeted_by, v.acknowledged_by) != v.host_id
                 THEN COALESCE(v.greeted_by, v.acknowledged_by) END),
    group_concat(v.feedback_rating), group_concat(v.complete_ms), group_concat(v.alert_delivery_ms)"""
# A window's figures by device kind and by topic, per host (see kiosk.stats.Slices): for each
# visit and kind of device, check-in → that kind's first receipt; for each topic, the greet times.
DEVICE_SLICES = """SELECT host_id, 'device', kind, COUNT(*), 0, group_concat(ms) FROM (
    SELECT v.host_id, d.kind,
           CAST(ROUND((julianday(MIN(d.delivered_at)) - julianday(v.arrived_at)) * 86400000.0) AS INTEGER) AS ms
    FROM visits v INDEXED BY visits_for_stats JOIN alert_deliveries d INDEXED BY alert_deliveries_for_stats
         ON d.visit_id = v.id
    WHERE {where} GROUP BY v.id, d.kind) GROUP BY host_id, kind"""
# A window's totals straight from the visits (see WindowTotals), one row.
TOTALS = """SELECT COUNT(*), coalesce(SUM(v.status = 'abandoned'), 0), group_concat(v.acknowledge_ms),
    group_concat(v.greet_ms), group_concat(v.alert_delivery_ms)
    FROM visits v INDEXED BY visits_for_stats WHERE {where}"""
TOPIC_SLICES = """SELECT v.host_id, 'topic', v.topic, COUNT(*), SUM(v.status = 'abandoned'), group_concat(v.greet_ms)
    FROM visits v INDEXED BY visits_for_stats WHERE {where} GROUP BY v.host_id, v.topic"""


# Each export column (kiosk/domain/export.py) as SQL over visits v and its hosts h, a, g.
EXPORT_SQL = {
    "visit_id": "v.id", "arrived_at": "v.arrived_at", "status": "v.status", "host": "h.name",
    "assignment_reason": "v.assignment_reason", "acknowledged_by": "a.name", "acknowledged_at": "v.acknowledged_at",
    "acknowledge_seconds": "v.acknowledge_ms / 1000.0", "greeted_by": "g.name", "greeted_at": "v.greeted_at",
    "greet_seconds": "v.greet_ms / 1000.0", "completed_at": "v.completed_at", "abandoned_at": "v.abandoned_at",
    "escalated_at": "v.escalated_at", "escalation_reason": "v.escalation_reason", "feedback": "v.feedback_rating",
    "complete_seconds": "v.complete_ms / 1000.0", "alert_delivered_at": "v.alert_delivered_at",
    "alert_delivery_ms": "v.alert_delivery_ms",
}
# Text columns the app does not write itself (names, reasons): quoted as the csv module quotes.
# The times are the app's own ISO text and the numbers SQLite's: neither ever needs quotes.
QUOTED_COLUMNS = ("status", "host", "assignment_reason", "acknowledged_by", "greeted_by", "escalation_reason")


def _sql_text(text: str) -> str:
    """A Python string as an SQL text expression (control characters by char())."""
    return " || ".join(f"char({ord(c)})" if c < " " else "'" + c.replace("'", "''") + "'" for c in text)


def _spreadsheet_safe_sql(expression: str) -> str:
    """Text a spreadsheet would run as a formula (see kiosk.domain.export) gets a leading apostrophe."""
    starts = ", ".join(_sql_text(start) for start in FORMULA_STARTS)
    return f"CASE WHEN substr({expression}, 1, 1) IN ({starts}) THEN '''' || {expression} ELSE {expression} END"


def _csv_field_sql(expression: str) -> str:
    """A text field as the csv module writes it (QUOTE_MINIMAL): in quotes, with its quotes
    doubled, when it holds a comma, a quote or a line break; NULL as nothing."""
    return (f"CASE WHEN instr({expression}, ',') OR instr({expression}, '\"') OR instr({expression}, char(10)) "
            f"OR instr({expression}, char(13)) THEN '\"' || replace({expression}, '\"', '\"\"') || '\"' "
            f"ELSE coalesce({expression}, '') END")


def _export_field_sql(column: str) -> str:
    """A column's CSV field: names from EXPORT_NAMES_SQL, other texts quoted where needed;
    numbers and times as they are (printf writes NULL as nothing)."""
    if column in NAME_COLUMNS:
        return EXPORT_SQL[column].replace(".name", ".field")
    return _csv_field_sql(EXPORT_SQL[column]) if column in QUOTED_COLUMNS else EXPORT_SQL[column]


# The site's host names as CSV fields, made once per export chunk rather than once per row.
EXPORT_NAMES_SQL = f"""WITH names AS MATERIALIZED (
    SELECT id, {_csv_field_sql(_spreadsheet_safe_sql("name"))} AS field FROM hosts WHERE site_id = ?)"""
EXPORT_FROM_SQL = """FROM visits v LEFT JOIN hosts h ON h.id = v.host_id LEFT JOIN hosts a ON a.id = v.acknowledged_by
    LEFT JOIN hosts g ON g.id = v.greeted_by"""
# One export row as its CSV line, written by SQLite's printf: the rows never become Python
# values. printf writes NULL as nothing and a number as SQLite turns it into text, which for
# whole milliseconds / 1000.0 is Python's repr (as the csv module writes it) too.
EXPORT_LINE_FORMAT = ",".join(["%s"] * len(EXPORT_COLUMNS)) + "\r\n"
EXPORT_LINE_SQL = f"""printf(?, {", ".join(_export_field_sql(column) for column in EXPORT_COLUMNS)}) AS line
    FROM visits v LEFT JOIN names h ON h.id = v.host_id LEFT JOIN names a ON a.id = v.acknowledged_by
    LEFT JOIN names g ON g.id = v.greeted_by"""


def _export_where(site_id: int, start: str, end: str, after: tuple[str, int] | None,
                  upto: tuple[str, int] | None = None) -> tuple[str, list]:
    """The export's rows of [start, end) after the (arrived_at, id) `after` up to and with `upto`.
    The index on (site_id, arrived_at) is searched between one lower and one upper arrival
    (SQLite takes only one of each): the tighter of the window's and the part's."""
    lower = max(start, after[0]) if after is not None else start
    where, params = "v.site_id = ? AND v.arrived_at >= ?", [site_id, lower]
    if upto is not None and upto[0] < end:
        where += " AND v.arrived_at <= ? AND (v.arrived_at, v.id) <= (?, ?)"
        params += [upto[0], *upto]
    else:
        where += " AND v.arrived_at < ?"
        params.append(end)
    if after is not None:
        where += " AND (v.arrived_at, v.id) > (?, ?)"
        params += list(after)
    return where, params


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
            rows, slices = [], []
            for range_start, range_end in _live_ranges(start, end, summed_days):
                rows += self._live_groups(site_id, range_start, range_end, host_id, reason)
                slices += self._live_slices(site_id, range_start, range_end, host_id, reason)
            groups = _groups(rows, live=len(rows))
            if summed_days:
                summed_groups, summed_slices = self._summed(site_id, summed_days[0], _next_day(summed_days[-1]),
                                                            host_id)
                groups = groups.followed_by(summed_groups)
            else:
                summed_slices = []
            names = dict(self.db.conn.execute("SELECT id, name FROM hosts WHERE site_id = ?", (site_id,)).fetchall())
        numbers = groups.numbers
        return StatsData(
            utc_hours=groups.utc_hours, host_ids=groups.host_ids, visits=groups.visits,
            abandoned=groups.abandoned, escalated=groups.escalated, acknowledge_ms=numbers[0], greet_ms=numbers[1],
            stand_ins=numbers[2], feedback=numbers[3], complete_ms=numbers[4], host_names=names,
            alert_delivery_ms=numbers[5], devices=_slices(slices, summed_slices, "device"),
            topics=_slices(slices, summed_slices, "topic"),
        )

    def window_totals(self, site_id: int, start: str, end: str) -> WindowTotals:
        """What the head office's view shows of a window (see WindowTotals): the summed-up days
        from stats_day_values (three sorted BLOBs a day), the rest from the visits, as stats_data
        splits them. One read transaction."""
        with self._read_transaction():
            first = "s.utc_day >= ?" if start == _midnight(start[:10]) else "s.utc_day > ?"
            summed = self.db.conn.execute(
                "SELECT s.utc_day, d.visits, d.abandoned, d.wide, coalesce(d.acknowledge_ms, x''), "
                "coalesce(d.greet_ms, x''), coalesce(d.alert_delivery_ms, x'') FROM stats_days s "
                f"JOIN stats_day_values d USING (site_id, utc_day) WHERE s.site_id = ? AND {first} AND s.utc_day < ? "
                "ORDER BY s.utc_day", (site_id, start[:10], end[:10])).fetchall()
            live = [self.db.conn.execute(TOTALS.format(where=where), params).fetchone()
                    for where, params in (_live_where(site_id, *part, None, None)
                                          for part in _live_ranges(start, end, [row[0] for row in summed]))]
        return WindowTotals(
            visits=sum(row[1] for row in summed) + sum(row[0] for row in live),
            abandoned=sum(row[2] for row in summed) + sum(row[1] for row in live),
            **{name: _day_values([(row[3], row[4 + index]) for row in summed],
                                 [_parsed(row[2 + index]) for row in live])
               for index, name in enumerate(DAY_VALUES)})

    def _summed(self, site_id: int, start_day: str, end_day: str, host_id: int | None) -> tuple[_Groups, list]:
        """The summed-up groups and slice rows of [start_day, end_day), parsed once for each
        version of the summaries (see SummaryCache)."""
        version = self.db.conn.execute("SELECT version FROM stats_summary_version").fetchone()[0]
        key = (str(self.path.resolve()), version, site_id, start_day, end_day, host_id)
        return SUMMARIES.get(key, lambda: (
            _groups(self._summed_groups(site_id, start_day, end_day, host_id), live=0).sorted(),
            self._summed_slices(site_id, start_day, end_day, host_id)))

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
            "SELECT arrived_hour, host_id, visits, abandoned, escalated, "
            f"{', '.join(f'coalesce({column}, x{EMPTY})' for column in SUMMARY_NUMBERS)} "
            f"FROM stats_hours WHERE {where}", params,
        ).fetchall()

    def _summed_slices(self, site_id: int, start_day: str, end_day: str, host_id: int | None) -> list[tuple]:
        where, params = "site_id = ? AND utc_day >= ? AND utc_day < ?", [site_id, start_day, end_day]
        if host_id is not None:
            where += " AND host_id = ?"
            params.append(host_id)
        return self.db.conn.execute(
            f"SELECT host_id, slice, key, visits, abandoned, coalesce(values_ms, x{EMPTY}) FROM stats_slices "
            f"WHERE {where}", params,
        ).fetchall()

    def _live_groups(self, site_id: int, start: str, end: str, host_id: int | None, reason: str | None) -> list[tuple]:
        """Groups of [start, end) straight from the visits."""
        where, params = _live_where(site_id, start, end, host_id, reason)
        return self.db.conn.execute(
            f"SELECT v.arrived_hour, v.host_id, {GROUP_FIGURES} FROM visits v INDEXED BY visits_for_stats "
            f"WHERE {where} GROUP BY v.arrived_hour, v.host_id", params,
        ).fetchall()

    def _live_slices(self, site_id: int, start: str, end: str, host_id: int | None, reason: str | None) -> list[tuple]:
        """Figures by device kind and by topic of [start, end), straight from the visits."""
        where, params = _live_where(site_id, start, end, host_id, reason)
        return [row for sql in (DEVICE_SLICES, TOPIC_SLICES)
                for row in self.db.conn.execute(sql.format(where=where), params).fetchall()]

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
            hours = self.db.conn.execute(
                f"""SELECT v.site_id, v.arrived_hour, v.host_id, {GROUP_FIGURES}
                    FROM visits v INDEXED BY visits_for_stats
                    WHERE v.site_id = ? AND v.arrived_hour >= ? AND v.arrived_hour < ?
                    GROUP BY v.arrived_hour, v.host_id""",
                (site_id, day, _next_day(day)),
            ).fetchall()
            self.db.conn.executemany(
                """INSERT INTO stats_hours (site_id, arrived_hour, host_id, visits, abandoned, escalated,
                                            acknowledge_ms, greet_ms, stand_ins, feedback, complete_ms,
                                            alert_delivery_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [(*row[:6], *map(_summary_blob, row[6:])) for row in hours])
            self.db.conn.execute("DELETE FROM stats_slices WHERE site_id = ? AND utc_day = ?", (site_id, day))
            where, params = _live_where(site_id, _midnight(day), _midnight(_next_day(day)), None, None)
            slices = [row for sql in (DEVICE_SLICES, TOPIC_SLICES)
                      for row in self.db.conn.execute(sql.format(where=where), params).fetchall()]
            self.db.conn.executemany(
                "INSERT INTO stats_slices (host_id, slice, key, visits, abandoned, values_ms, site_id, utc_day) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(*row[:5], _summary_blob(row[5]), site_id, day) for row in slices])
            self.db.conn.execute("INSERT OR REPLACE INTO stats_days (site_id, utc_day) VALUES (?, ?)", (site_id, day))
            self.db.conn.execute(
                "INSERT OR REPLACE INTO stats_day_values VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (site_id, day, sum(row[3] for row in hours), sum(row[4] for row in hours),
                 *day_values_row([np.concatenate([np.zeros(0, np.int64)] + [_parsed(row[index]) for row in hours])
                                  for index in (6, 7, 11)])))

    def export_chunk(self, site_id: int, start: str, end: str, *, after: tuple[str, int] | None,
                     limit: int) -> list[tuple]:
        """Up to `limit` export rows (columns in EXPORT_COLUMNS order) of [start, end) after the
        (arrived_at, id) `after`, in that order: the index on (site_id, arrived_at) gives it."""
        where, params = _export_where(site_id, start, end, after)
        return self.db.conn.execute(
            f"""SELECT {", ".join(EXPORT_SQL[column] for column in EXPORT_COLUMNS)} {EXPORT_FROM_SQL}
                WHERE {where} ORDER BY v.arrived_at, v.id LIMIT ?""", [*params, limit]).fetchall()

    def export_bounds(self, site_id: int, start: str, end: str, every: int) -> list[tuple[str, int]]:
        """The (arrived_at, id) of every `every`-th export row of [start, end): where the export's
        parts end. Each step skips `every` entries of the (site_id, arrived_at) index, so the
        whole window costs one pass over its index, no row is read."""
        bounds: list[tuple[str, int]] = []
        while True:
            where, params = _export_where(site_id, start, end, bounds[-1] if bounds else None)
            bound = self.db.conn.execute(
                f"SELECT v.arrived_at, v.id FROM visits v WHERE {where} ORDER BY v.arrived_at, v.id LIMIT 1 OFFSET ?",
                [*params, every - 1]).fetchone()
            if bound is None:
                return bounds
            bounds.append(tuple(bound))

    def export_text(self, site_id: int, start: str, end: str, *, after: tuple[str, int] | None,
                    upto: tuple[str, int] | None) -> bytes:
        """The export rows of [start, end) after `after` up to and with `upto` (None: no bound) as
        CSV text in UTF-8, joined by SQLite too: one value, so the whole part runs without Python
        (and without the GIL: two parts are written at once on two threads), handed over as the
        bytes SQLite holds (no decoding here, no encoding when sent). group_concat joins the lines
        in the order the ordered subquery gives them (SQLite before 3.44 has no ORDER BY inside the
        aggregate; the byte-for-byte tests against the csv module hold it to that order)."""
        where, params = _export_where(site_id, start, end, after, upto)
        return self.db.conn.execute(
            f"{EXPORT_NAMES_SQL} SELECT CAST(group_concat(line, '') AS BLOB) FROM (SELECT {EXPORT_LINE_SQL} "
            f"WHERE {where} ORDER BY v.arrived_at, v.id)", [site_id, EXPORT_LINE_FORMAT, *params]).fetchone()[0] or b""

    def host_names(self, site_id: int) -> list[str]:
        return [row[0] for row in self.db.conn.execute("SELECT name FROM hosts WHERE site_id = ?", (site_id,))]

    def export_rows(self, site_id: int, start: str, end: str) -> list[dict]:
        """The whole window's export rows as dicts (for tests and small windows)."""
        return [dict(zip(EXPORT_COLUMNS, row)) for row in self.export_chunk(site_id, start, end, after=None, limit=-1)]
