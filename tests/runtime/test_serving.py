"""How `gastgeber serve` sets up its process: enough open files for the connections it allows."""

import resource
import subprocess
import sys

from tests.support.live_server import LiveServer


def test_the_open_file_limit_is_raised_to_fit_max_connections_within_the_hard_limit():
    """Run in a child process started at a soft limit of 256, as many systems start services at 1024."""
    script = (
        "import resource\n"
        "from kiosk.runtime.serving import allow_open_files\n"
        "print(allow_open_files(2000), resource.getrlimit(resource.RLIMIT_NOFILE)[0])\n"
    )
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)

    def low_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))

    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, preexec_fn=low_limit,
                            check=True)
    allowed, in_force = map(int, result.stdout.split())
    expected = 2000 + 64 if hard == resource.RLIM_INFINITY else min(2000 + 64, hard)
    assert allowed == in_force == expected


def test_serve_in_threading_mode_starts_for_development(tmp_path, monkeypatch):
    """README: `GASTGEBER_ASYNC_MODE=threading` works for development (Werkzeug's server, not a traceback)."""
    monkeypatch.setenv("GASTGEBER_ASYNC_MODE", "threading")
    server = LiveServer(tmp_path)
    server.start()
    try:
        assert server.check_in("Threaded").status_code == 201
    finally:
        server.stop()
    assert "RuntimeError" not in server.log_path.read_text()  # was: "The Werkzeug web server is not designed …"


def test_serve_runs_under_the_config_files_async_mode(tmp_path, monkeypatch):
    """README: `async_mode = "gevent"` in the config file, without GASTGEBER_ASYNC_MODE, serves under gevent."""
    monkeypatch.delenv("GASTGEBER_ASYNC_MODE", raising=False)
    server = LiveServer(tmp_path, 'async_mode = "gevent"\n')
    server.start()
    try:
        assert server.check_in("Configured").status_code == 201
    finally:
        server.stop()
    assert f"(database {server.db_path}, gevent)" in server.log_path.read_text()
