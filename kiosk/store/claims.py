"""Leases on outbox rows: of several server processes, exactly one sends each due notice.

The channels' and the Web Push outboxes share this. Their rows have `status`, `next_attempt_at`,
`claimed_by` and `claimed_until`; `table` and `select` are constants of the store, never input.
"""

from __future__ import annotations


def claim_due(store, table: str, select: str, now: str, lease_until: str, claimer: str, limit: int) -> list[dict]:
    """Take up to `limit` due rows of `table` for `claimer` until `lease_until`, answered as `select`
    (aliased `n`) reads them. Looking costs one read of a partial index; the write lock is taken
    only when something is due."""
    due = [row[0] for row in store.db.conn.execute(
        f"SELECT id FROM {table} WHERE status = 'pending' AND next_attempt_at <= ? "
        "AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY next_attempt_at, id LIMIT ?",
        (now, now, limit))]
    if not due:
        return []
    claimed = []
    with store.transaction(durable=False):
        for row_id in due:
            if store.db.conn.execute(
                    f"UPDATE {table} SET claimed_by = ?, claimed_until = ? WHERE id = ? "
                    "AND status = 'pending' AND (claimed_until IS NULL OR claimed_until <= ?)",
                    (claimer, lease_until, row_id, now)).rowcount == 1:
                claimed.append(row_id)
    if not claimed:
        return []
    marks = ", ".join("?" for _ in claimed)
    return list(store._rows(select + f" WHERE n.id IN ({marks}) ORDER BY n.id", claimed))
