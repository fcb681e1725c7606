"""Backups of the one database file: consistent while the server runs; restore only when it does not.

Every serving process holds a shared lock on `<db>.lock` for as long as it runs
(several may serve one database); restore needs the lock exclusively, so it
refuses while any server runs. The OS releases the lock even after kill -9.

A restore proves the backup on a copy beside the database before anything changes,
swaps it in with one rename and keeps the database it replaced.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sqlite3
from pathlib import Path

from kiosk.store.database import Store
from kiosk.store.schema import known_migrations, migrations


class BackupError(Exception):
    """Why a backup or restore cannot be done, in one line for the operator."""


def lock_path(db_path: str | Path, suffix: str = "lock") -> Path:
    return Path(f"{db_path}.{suffix}")


class DatabaseLock:
    """A lock file beside the database, held by an open file (the OS drops it even after kill -9).

    `<db>.lock`: shared by each serving process, exclusive for restore. `<db>.serving`:
    shared by processes that share a message queue, exclusive for one serving alone."""

    def __init__(self, db_path: str | Path, *, shared: bool, suffix: str = "lock"):
        self.path = lock_path(db_path, suffix)
        self.mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        self.file = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.path, "a")  # noqa: SIM115 -- kept open while the lock is held; release() closes it
        try:
            fcntl.flock(self.file, self.mode | fcntl.LOCK_NB)
        except BlockingIOError:
            self.release()
            return False
        return True

    def release(self) -> None:
        if self.file is not None:
            self.file.close()  # closing the file releases the lock
            self.file = None


def backup(db_path: str | Path, target: str | Path) -> int:
    """Copy the database to `target` with SQLite's backup API; returns the target's size."""
    db_path, target = Path(db_path), Path(target)
    if not db_path.exists():
        raise BackupError(f"no database at {db_path}")
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name")
    if not target.parent.is_dir():
        raise BackupError(f"folder {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK):
        raise BackupError(f"cannot write to the folder {target.parent} (read-only for this user)")
    try:
        _copy(str(db_path), target)
    except (sqlite3.Error, OSError) as error:
        target.unlink(missing_ok=True)
        if not os.access(db_path.absolute().parent, os.W_OK):
            raise BackupError(f"cannot read {db_path}: its folder is read-only for this user (the database "
                              "needs its folder writable, for its -wal and -shm files beside it)") from None
        raise BackupError(f"cannot copy {db_path} to {target}: {error}") from None
    return target.stat().st_size


def _copy(source_uri: str, target: Path) -> None:
    """Copy a whole database page by page with SQLite's backup API (safe while others write)."""
    source = sqlite3.connect(source_uri, uri=True)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)
    finally:
        copy.close()
        source.close()


GASTGEBER_TABLES = {"sites", "hosts", "customers", "visits", "settings", "tokens"}


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound Gastgeber database this version can run: SQLite's
    integrity check passes, it holds Gastgeber's tables and migration records, and no
    migration it records is unknown here (a newer Gastgeber made it)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (integrity check failed)")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            recorded = _recorded_migrations(db) if migrations.migrations_table in tables else []
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database or is damaged ({error})") from None
    if not recorded or not tables >= GASTGEBER_TABLES:
        raise BackupError(f"{path} is not a Gastgeber database (no Gastgeber tables and migration records)")
    unknown = [name for name in recorded if name not in known_migrations()]
    if unknown:
        raise BackupError(f"{path} was made by a newer Gastgeber (unknown migration {unknown[0]}); "
                          "restore it with that version")


def _recorded_migrations(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(f"SELECT name FROM {migrations.migrations_table} WHERE migration_set = ?", (migrations.name,))
    return [row[0] for row in rows]


def restore(backup_path: str | Path, db_path: str | Path, stamp: str) -> Path | None:
    """Replace the database with a proven copy of a backup; returns where the database that was
    there before is kept (`<db>.before-restore-<stamp>`), or None if there was none.

    The backup is copied beside the database and proven there (integrity, Gastgeber's schema,
    its migrations apply) before it is swapped in with one rename; a refused file leaves the
    database untouched. Refused while a server runs on the database."""
    backup_path, db_path = Path(backup_path), Path(db_path)
    if not backup_path.is_file():
        raise BackupError(f"no backup file at {backup_path}")
    with _no_server(db_path):
        candidate = Path(f"{db_path}.restoring")
        _remove_database_files(candidate)  # left by a restore that was interrupted
        try:
            _prove_copy(backup_path, candidate)
            return _swap_in(candidate, db_path, stamp)
        finally:
            _remove_database_files(candidate)


@contextlib.contextmanager
def _no_server(db_path: Path):
    """Hold both lock files exclusively: no server runs on the database, and none starts meanwhile."""
    locks = [DatabaseLock(db_path, shared=False), DatabaseLock(db_path, shared=False, suffix="serving")]
    try:
        for lock in locks:
            try:
                held = lock.acquire()
            except OSError as error:
                raise BackupError(f"cannot lock {lock.path}: {error.strerror or error}") from None
            if not held:
                raise BackupError(f"a server is running on {db_path}; stop it before restoring")
        yield
    finally:
        for lock in locks:
            lock.release()


def _prove_copy(backup_path: Path, candidate: Path) -> None:
    check_backup(backup_path)
    try:
        _copy(f"file:{backup_path}?mode=ro", candidate)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{backup_path} cannot be copied ({error})") from None
    except OSError as error:
        raise BackupError(f"cannot write {candidate}: {error.strerror or error}") from None
    check_backup(candidate)
    try:
        store = Store(candidate)  # the store's own opening (WAL mode), then every migration
        try:
            store.migrate()
            store.db.execute("PRAGMA journal_mode=DELETE")  # all in the one file before it is renamed
        finally:
            store.close()
    except Exception as error:  # whatever stops the migrations, the file is refused
        raise BackupError(f"{backup_path}: the migrations do not apply to it ({error})") from None


def _swap_in(candidate: Path, db_path: Path, stamp: str) -> Path | None:
    """Keep the database under a new name (a hard link, so `db_path` never goes missing) and
    rename the proven copy over it. A write-ahead log the database still has goes with it."""
    kept = None
    if db_path.exists():
        _checkpoint(db_path)
        kept = Path(f"{db_path}.before-restore-{stamp}")
        try:
            os.link(db_path, kept)
        except OSError:  # a file system without hard links
            shutil.copy2(db_path, kept)
        for suffix in ("-wal", "-shm"):
            if Path(f"{db_path}{suffix}").exists():
                os.replace(f"{db_path}{suffix}", f"{kept}{suffix}")
    os.replace(candidate, db_path)
    return kept


def _checkpoint(db_path: Path) -> None:
    """Fold the write-ahead log into the database file, if it is a database at all."""
    with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(db_path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _remove_database_files(path: Path) -> None:
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        name.unlink(missing_ok=True)
