"""Backups while the server runs; restore refused while it runs, and what it brings back."""

import sqlite3

from click.testing import CliRunner

from kiosk.cli import main
from tests.support.live_server import LiveServer


def cli(*args):
    return CliRunner().invoke(main, [*args])


def visit_names(db_path):
    with sqlite3.connect(db_path) as db:
        return [row[0] for row in db.execute(
            "SELECT c.name FROM visits v JOIN customers c ON c.id = v.customer_id ORDER BY v.id")]


def test_backup_while_serving_and_restore_after_stopping(tmp_path):
    server = LiveServer(tmp_path)
    server.start()
    try:
        assert server.check_in("Before Backup").status_code == 201
        backup_file = tmp_path / "backup.db"
        made = cli("backup", str(backup_file), "--db", str(server.db_path))
        assert made.exit_code == 0, made.output
        assert server.check_in("After Backup").status_code == 201

        refused = cli("restore", str(backup_file), "--db", str(server.db_path))
        assert refused.exit_code == 2 and "a server is running" in refused.output
        assert visit_names(server.db_path) == ["Before Backup", "After Backup"]
    finally:
        server.stop()

    restored = cli("restore", str(backup_file), "--db", str(server.db_path))
    assert restored.exit_code == 0, restored.output
    assert visit_names(server.db_path) == ["Before Backup"]
    server.start()  # and the server runs on the restored file
    try:
        assert server.check_in("After Restore").status_code == 201
    finally:
        server.stop()


def test_backup_refuses_to_overwrite_and_restore_refuses_junk(tmp_path, db_path):
    assert cli("init", "--db", str(db_path)).exit_code == 0
    existing = tmp_path / "existing.db"
    existing.write_text("keep me")
    overwrite = cli("backup", str(existing), "--db", str(db_path))
    assert overwrite.exit_code == 2 and "already exists" in overwrite.output
    assert existing.read_text() == "keep me"
    junk = cli("restore", str(existing), "--db", str(db_path))
    assert junk.exit_code == 2 and "not a SQLite database" in junk.output
    missing = cli("restore", str(tmp_path / "nope.db"), "--db", str(db_path))
    assert missing.exit_code == 2 and "no backup file" in missing.output
