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
    with pytest.raises(RuntimeError), store.transaction(durable=False):
        raise RuntimeError("boom")
    assert synchronous(store) == FULL and not store.db.conn.in_transaction


def test_what_a_transaction_leaves_for_after_its_commit_runs_after_it_and_never_after_a_rollback(store):
    ran = []
    with store.transaction():
        store.after_commit(lambda: ran.append(store.db.conn.in_transaction))
        assert ran == []
    assert ran == [False]
    with pytest.raises(RuntimeError), store.transaction():
        store.after_commit(lambda: ran.append("rolled back"))
        raise RuntimeError("boom")
    with store.transaction(durable=False):
        pass
    assert ran == [False]


def test_each_hosts_open_visit_count_follows_every_change(domain):
    """The load that least-loaded assignment reads (kept by triggers) equals a count of the visits."""
    store = domain.store

    def counted():
        return dict(store.db.conn.execute(
            "SELECT host_id, COUNT(*) FROM visits WHERE status IN ('waiting', 'acknowledged', 'greeted') "
            "AND host_id IS NOT NULL GROUP BY host_id").fetchall())

    for host in ("Anna", "Ben", "Clara"):
        domain.presence.board_connected(domain.host(host).id, f"board-{host}")
    visits = [domain.check_in(f"Guest {n}") for n in range(9)]
    assert store.open_visit_counts(1) == counted() and sum(counted().values()) == 9
    anna = domain.host("Anna")
    domain.desk.act(anna, visits[0]["id"], "acknowledge")
    domain.desk.act(anna, visits[1]["id"], "greet")
    domain.desk.act(anna, visits[1]["id"], "complete", "done")
    domain.desk.act(anna, visits[2]["id"], "abandon")
    with store.transaction():  # a visit moved to another host, as deactivation does
        store.db.conn.execute("UPDATE visits SET host_id = ? WHERE id = ?", (domain.host("Ben").id, visits[3]["id"]))
    with store.transaction():  # and one deleted outright
        store.db.conn.execute("DELETE FROM visits WHERE id = ?", (visits[4]["id"],))
    assert store.open_visit_counts(1) == counted() and sum(counted().values()) == 6


def test_a_durable_write_returns_only_after_the_wal_was_fsynced_and_bookkeeping_does_not_wait(store, monkeypatch):
    import os

    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")), real_fsync(fd)))
    store.set_setting("probe", "1")  # a durable transaction
    assert synced == [f"{store.path}-wal"]
    with store.transaction(durable=False):
        store.db.conn.execute("UPDATE settings SET value = '2' WHERE key = 'probe'")
    assert len(synced) == 1


def test_commits_made_while_an_fsync_runs_share_the_next_one():
    import threading

    from kiosk.store.durability import GroupCommit

    group = GroupCommit("unused")
    started, release, fsyncs = threading.Event(), threading.Event(), []

    def slow_fsync():
        fsyncs.append(group._committed)
        started.set()
        release.wait(5)

    group._fsync_wal = slow_fsync
    first = threading.Thread(target=group.wait_until_on_disk, args=(group.committed(),))
    first.start()
    started.wait(5)  # the first fsync is under way; two more commits arrive meanwhile
    later = [threading.Thread(target=group.wait_until_on_disk, args=(group.committed(),)) for _ in range(2)]
    for thread in later:
        thread.start()
    release.set()
    for thread in (first, *later):
        thread.join(5)
    assert fsyncs == [1, 3]  # one fsync for the first commit, one more covering both later ones


def test_the_serving_process_checkpoints_the_wal_off_the_loop_instead_of_inside_a_commit(store):
    from kiosk.store.durability import Checkpointer

    checkpointer = Checkpointer(store.path, "threading")
    checkpointer.take_over(store.db.conn)
    for n in range(1200):  # over 1,000 WAL pages would have made a COMMIT checkpoint by itself
        store.set_setting(f"filler-{n}", "x" * 3000)
    busy, pages, copied = checkpointer.checkpoint()
    assert busy == 0 and copied == pages > 1000  # no COMMIT had copied the WAL back meanwhile
