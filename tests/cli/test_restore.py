"""`gastgeber restore` proves a backup before it replaces anything, and keeps what it replaced.

Each refused file leaves the database byte for byte as it was, still opening with its data,
and the command exits non-zero with one line.
"""

import hashlib
import sqlite3

import pytest
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.store import Store
from kiosk.store.backup import DatabaseLock


def cli(*args):
    return CliRunner().invoke(main, [*args])


def fingerprint(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def site_names(db_path):
    store = Store(db_path)
    try:
        store.migrate()  # as the server does when it starts
        return [row["name"] for row in store.db["sites"].rows]
    finally:
        store.close()


@pytest.fixture
def current(tmp_path):
    """The database in use: a site named 'current'."""
    path = tmp_path / "gastgeber.db"
    assert cli("host", "add", "Anna", "--site", "current", "--db", str(path)).exit_code == 0
    return path


@pytest.fixture
def real_backup(tmp_path):
    """A backup of another Gastgeber database (site 'from-backup') with some history."""
    other = tmp_path / "other.db"
    assert cli("init", "--demo", "--db", str(other)).exit_code == 0
    history = cli("demo-data", "--days", "3", "--per-day", "30", "--site", "from-backup", "--db", str(other))
    assert history.exit_code == 0
    target = tmp_path / "backup.db"
    assert cli("backup", str(target), "--db", str(other)).exit_code == 0
    return target


def foreign_sqlite(path):
    with sqlite3.connect(path) as db:
        for table in ("visits", "customers", "hosts"):
            db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
    return path


def damaged(backup):
    data = bytearray(backup.read_bytes())
    page = 4096
    for offset in range(3 * page, len(data) - page, page):  # scribble over every page after the first three
        data[offset + 8:offset + 200] = b"\xff" * 192
    backup.write_bytes(bytes(data))
    return backup


def newer(backup):
    with sqlite3.connect(backup) as db:
        db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                   "VALUES ('gastgeber', '9999_from_a_newer_version', '2030-01-01')")
    return backup


def half_migrated(backup):
    """Records say the last migration never ran, but its columns are there: it cannot apply."""
    with sqlite3.connect(backup) as db:
        db.execute("DELETE FROM _sqlite_migrations WHERE name LIKE '0017_%'")
    return backup


@pytest.mark.parametrize("make, reason", [
    (lambda tmp, backup: foreign_sqlite(tmp / "foreign.db"), "is not a Gastgeber database"),
    (lambda tmp, backup: damaged(backup), "damaged"),
    (lambda tmp, backup: (tmp / "notes.db").write_text("not a database at all") and tmp / "notes.db",
     "is not a SQLite database"),
    (lambda tmp, backup: newer(backup), "was made by a newer Gastgeber"),
    (lambda tmp, backup: half_migrated(backup), "the migrations do not apply"),
], ids=["foreign-sqlite", "corrupt", "not-sqlite", "newer-schema", "migrations-fail"])
def test_a_file_that_is_not_a_sound_gastgeber_database_is_refused_and_the_database_stays(
        tmp_path, current, real_backup, make, reason):
    before = fingerprint(current)
    source = make(tmp_path, real_backup)
    result = cli("restore", str(source), "--db", str(current))
    assert result.exit_code == 2
    assert reason in result.output and f"{current} is unchanged" in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert fingerprint(current) == before
    assert not list(tmp_path.glob("gastgeber.db.*restor*"))  # no copy left behind, nothing "kept"
    assert site_names(current) == ["current"]


def test_a_real_backup_is_restored_and_the_database_it_replaced_is_kept_and_named(current, real_backup):
    result = cli("restore", str(real_backup), "--db", str(current))
    assert result.exit_code == 0, result.output
    kept = [path for path in current.parent.glob("gastgeber.db.before-restore-*")
            if not path.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1 and f"kept as {kept[0]}" in result.output
    assert site_names(kept[0]) == ["current"]  # the database it replaced, with everything in it
    assert "from-backup" in site_names(current)
    assert not list(current.parent.glob("gastgeber.db.restoring*"))


def test_a_restore_is_refused_while_a_server_serves_the_database(current, real_backup):
    serving = DatabaseLock(current, shared=True, suffix="serving")  # what `gastgeber serve` holds while it runs
    assert serving.acquire()
    try:
        result = cli("restore", str(real_backup), "--db", str(current))
    finally:
        serving.release()
    assert result.exit_code == 2 and "a server is running" in result.output
    assert site_names(current) == ["current"]
