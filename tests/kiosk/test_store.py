"""The store's durability: check-ins wait for the disk; bookkeeping need not, and leaves nothing behind."""

import pytest

FULL, NORMAL = 2, 1


def synchronous(store):
    return store.db.conn.execute("PRAGMA synchronous").fetchone()[0]


def test_writes_wait_for_the_disk_by_default(store):
    assert store.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert synchronous(store) == FULL


def test_bookkeeping_commits_without_waiting_and_restores_full_even_after_an_error(store):
    with store.transaction(durable=False):
        assert synchronous(store) == NORMAL
    assert synchronous(store) == FULL
    with pytest.raises(RuntimeError):
        with store.transaction(durable=False):
            raise RuntimeError("boom")
    assert synchronous(store) == FULL and not store.db.conn.in_transaction
