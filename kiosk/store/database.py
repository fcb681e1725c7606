"""The database: one SQLite file, its schema (schema.py) and every query (this package).

Nothing else in Gastgeber writes SQL. The file runs in WAL mode with
`synchronous=FULL`, so a check-in that got a 2xx survives a power cut. Times are
ISO 8601 UTC text with milliseconds (see clock.py).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import secrets
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from kiosk.domain.errors import Unavailable
from kiosk.store.appointments import AppointmentQueries
from kiosk.store.audit import AuditQueries
from kiosk.store.branches import BranchQueries, SummaryOutboxQueries
from kiosk.store.brand import BrandQueries
from kiosk.store.channels import ChannelQueries
from kiosk.store.digests import DigestQueries
from kiosk.store.drills import DrillQueries
from kiosk.store.durability import GroupCommit
from kiosk.store.kiosks import KioskQueries
from kiosk.store.names import unique_name, with_name_key
from kiosk.store.notices import NoticeQueries
from kiosk.store.people import PeopleQueries
from kiosk.store.presence import PresenceQueries
from kiosk.store.privacy import PrivacyQueries
from kiosk.store.push import PushQueries
from kiosk.store.schema import migrations
from kiosk.store.sign_ins import SignInQueries
from kiosk.store.site_settings import SiteSettingsQueries
from kiosk.store.stats import StatsQueries
from kiosk.store.status import StatusQueries
from kiosk.store.team import TeamQueries
from kiosk.store.visits import VisitQueries
from kiosk.store.webhooks import WebhookQueries

__all__ = ["Store"]


log = logging.getLogger(__name__)
READER_MMAP_BYTES = 1 << 30  # address space, not memory: pages come from the OS cache


class Store(PeopleQueries, VisitQueries, AppointmentQueries, PrivacyQueries, StatsQueries, PresenceQueries,
            AuditQueries, SiteSettingsQueries, WebhookQueries, TeamQueries,
            KioskQueries, SignInQueries, ChannelQueries, DrillQueries, StatusQueries, NoticeQueries, PushQueries,
            BrandQueries, SummaryOutboxQueries, BranchQueries,
            DigestQueries):
    """All reads and writes of one database file."""

    IntegrityError = sqlite3.IntegrityError

    def __init__(self, path: str | Path, *, busy_timeout_seconds: float = 2.0, read_only: bool = False):
        """`read_only` opens a connection for long reads (see kiosk/async_mode.py's run_off_loop): it cannot
        write, and it maps the file into memory, so a fresh connection reads a large
        index at full speed without first filling a page cache of its own."""
        self.path = Path(path)
        self._after_commit: list = []  # callbacks of the transaction under way (see after_commit)
        self._notice_listeners: dict[str, list] = {}  # outbox → who to wake (see when_notices_queued)
        self.group_commit = GroupCommit(self.path)  # the serving process sets its async mode (app.py)
        if read_only:
            connection = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True,
                                         timeout=busy_timeout_seconds, check_same_thread=False)
            connection.execute(f"PRAGMA mmap_size={READER_MMAP_BYTES}")
            self.db = Database(connection)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(str(self.path), timeout=busy_timeout_seconds, check_same_thread=False)
        self.db = Database(connection)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")

    def close(self) -> None:
        self.group_commit.close()
        self.db.close()

    def migrate(self) -> None:
        migrations.apply(self.db)

    @contextlib.contextmanager
    def transaction(self, *, durable: bool = True):
        """A write transaction that takes the write lock at once (no upgrade deadlocks).

        It commits without waiting for the disk (WAL with synchronous=NORMAL), which
        keeps the event loop free. A durable one (the default) then waits until the
        WAL is on disk (durability.GroupCommit), so a check-in that got its answer
        survives a power cut. `durable=False` is for bookkeeping that may be lost in
        a power cut but not in a crash (heartbeats, delivery receipts, the scheduler
        lock, stats summaries). What the transaction registered with `after_commit`
        runs once it committed (and, durable, is on disk); a rollback drops it.
        """
        try:
            self.db.conn.execute("PRAGMA synchronous=NORMAL")
            try:
                self.db.conn.execute("BEGIN IMMEDIATE")
                self._after_commit = []
                try:
                    yield
                except BaseException:
                    self._after_commit = []
                    if self.db.conn.in_transaction:  # SQLite may have rolled back already (a full disk)
                        self.db.conn.execute("ROLLBACK")
                    raise
                self.db.conn.execute("COMMIT")
                committed, self._after_commit = self._after_commit, []  # before waiting: others may begin
            finally:
                self.db.conn.execute("PRAGMA synchronous=FULL")  # anything written outside a transaction
            if durable:
                self.group_commit.wait_until_on_disk(self.group_commit.committed())
        except (sqlite3.OperationalError, OSError) as error:
            if not _cannot_write_now(error):
                raise
            log.error("cannot write to %s: %s", self.path, error)  # one line; the caller answers 503
            raise Unavailable("the server cannot store this right now; please try again shortly") from None
        _run_each(committed)

    def after_commit(self, callback) -> None:
        """Inside a transaction: call `callback()` once it has committed."""
        self._after_commit.append(callback)

    def when_notices_queued(self, outbox: str, wake) -> None:
        """Call `wake()` after each commit that queued notices in `outbox` ("channel_notices",
        "push_notices" or "digest_notices"): the serving process's sender then sends them at once instead of at its
        next look (runtime/channel_worker.py)."""
        self._notice_listeners.setdefault(outbox, []).append(wake)

    def _notices_queued(self, outbox: str) -> None:
        for wake in self._notice_listeners.get(outbox, ()):
            self.after_commit(wake)

    def _rows(self, sql: str, params=()) -> list[dict]:
        """Rows as dicts, straight from the connection (sqlite-utils' `query` wraps each
        read in a savepoint: two more statements on every read of every check-in)."""
        cursor = self.db.conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def _one(self, sql: str, params=()) -> dict | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _insert(self, table: str, fields: dict) -> int:
        fields = with_name_key(table, fields)  # a host's, kiosk's or manager's name is unique per site
        columns = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        with unique_name(table, fields.get("name")):
            cursor = self.db.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(fields.values()))
        return cursor.lastrowid

    # settings

    def setting(self, key: str) -> str | None:
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        return row["value"] if row else None

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))

    def secret_key(self) -> str:
        """The key that signs session cookies, made once per database."""
        with self.transaction():
            row = self._one("SELECT value FROM settings WHERE key = 'secret_key'")
            if row:
                return row["value"]
            key = secrets.token_hex(32)
            self.db.conn.execute("INSERT INTO settings (key, value) VALUES ('secret_key', ?)", (key,))
            return key


def _cannot_write_now(error: Exception) -> bool:
    """A full disk, a database another writer holds too long, a read-only file: nothing the
    request did wrong, and a retry may well work (the kiosk's queue retries on a 503)."""
    if isinstance(error, OSError) and not isinstance(error, sqlite3.Error):
        return error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO)
    text = str(error).lower()
    return any(words in text for words in ("full", "locked", "busy", "readonly", "read-only", "disk i/o"))


def _run_each(callbacks) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:  # the transaction is done; a listener's fault is only logged
            log.exception("after-commit callback %r failed", callback)
