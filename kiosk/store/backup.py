"""Backups of the one database file: consistent while the server runs; restore only when it does not.

Every serving process holds a shared lock on `<db>.lock` for as long as it runs
(several may serve one database); restore needs the lock exclusively, so it
refuses while any server runs. The OS releases the lock even after kill -9.
"""

from __future__ import annotations

import fcntl
import sqlite3
from pathlib import Path


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
    _copy(str(db_path), target)
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


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound Gastgeber database."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (integrity check failed)")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database ({error})") from None
    if not {"visits", "customers", "hosts"} <= tables:
        raise BackupError(f"{path} is not a Gastgeber database")


def restore(backup_path: str | Path, db_path: str | Path) -> None:
    """Replace the database with a backup; refused while the server runs on it."""
    backup_path = Path(backup_path)
    if not backup_path.is_file():
        raise BackupError(f"no backup file at {backup_path}")
    check_backup(backup_path)
    lock = DatabaseLock(db_path, shared=False)
    if not lock.acquire():
        raise BackupError(f"a server is running on {db_path}; stop it before restoring")
    try:
        _copy(f"file:{backup_path}?mode=ro", Path(db_path))
    finally:
        lock.release()
