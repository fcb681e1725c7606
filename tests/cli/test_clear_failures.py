"""What an operator meets when a setting or the disk is wrong: one line and a non-zero exit, no traceback."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from kiosk.cli import main
from tests.support.live_server import free_port
from tests.support.paths import ROOT
from tests.support.read_only import read_only_folder


def cli(*args):
    return CliRunner().invoke(main, [*args])


def gastgeber(*args) -> subprocess.CompletedProcess:
    """The command as an operator runs it: a process of its own, which holds no database open before."""
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


def assert_one_line(result, *words):
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    for word in words:
        assert word in result.output


def assert_one_line_from(process, word):
    assert process.returncode == 2, process.stdout + process.stderr
    assert process.stderr.count("\n") == 1 and "Traceback" not in process.stderr
    assert word in process.stderr.lower()


@pytest.mark.parametrize("value, message", [
    ("1e11", "key 'session_hours' must be an integer, got 100000000000.0"),
    ("100000000000", "key 'session_hours' must be at most 720, got 100000000000"),
])
def test_session_hours_far_past_its_maximum_stops_serve_with_one_line(tmp_path, value, message):
    config = tmp_path / "gastgeber.toml"
    config.write_text(f"session_hours = {value}\n")
    assert_one_line(cli("serve", "--config", str(config), "--db", str(tmp_path / "g.db")), message)


@pytest.fixture
def database_in_a_read_only_folder(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    db_path = folder / "gastgeber.db"
    gastgeber("init", "--demo", "--db", str(db_path)).check_returncode()
    with read_only_folder(folder):
        yield db_path


@pytest.mark.parametrize("args", [
    ["init"], ["host", "add", "Dora"], ["stats"], ["purge"], ["customer", "forget", "1"],
    ["backup", "{elsewhere}/backup.db"], ["backup", "{folder}/backup.db"], ["restore", "{elsewhere}/backup.db"],
], ids=lambda args: " ".join(args[:2]))
def test_every_command_on_a_read_only_database_folder_says_so_in_one_line(database_in_a_read_only_folder, tmp_path,
                                                                             args):
    db_path = database_in_a_read_only_folder
    if args[0] == "restore":
        (tmp_path / "backup.db").write_bytes(db_path.read_bytes())
    args = [arg.format(elsewhere=tmp_path, folder=db_path.parent) for arg in args]
    assert_one_line_from(gastgeber(*args, "--db", str(db_path)), "read-only")
    assert args[0] == "restore" or not (tmp_path / "backup.db").exists()  # no empty backup left behind


def test_serve_on_a_read_only_database_folder_exits_with_one_line(database_in_a_read_only_folder):
    served = gastgeber("serve", "--port", str(free_port()), "--db", str(database_in_a_read_only_folder))
    assert_one_line_from(served, "read-only")
