"""kiosk/async_mode.py: which async mode `gastgeber serve` runs in, and its one thread pool per mode.

The servers themselves run under both production modes in the modules marked
`both_async_modes` (tests/realtime/, tests/runtime/, tests/browser/test_visit_loop.py).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kiosk import async_mode
from tests.support.paths import ROOT


@pytest.mark.parametrize("environment, configured, chosen", [
    ({}, None, "eventlet"),
    ({}, "gevent", "gevent"),
    ({"GASTGEBER_ASYNC_MODE": "gevent"}, "eventlet", "gevent"),
    ({"GASTGEBER_ASYNC_MODE": "eventlet"}, "gevent", "eventlet"),
    ({"GASTGEBER_ASYNC_MODE": ""}, "gevent", "gevent"),
    ({"GASTGEBER_ASYNC_MODE": "threading"}, None, "threading"),
])
def test_the_environment_overrides_the_config_file_and_eventlet_is_the_default(environment, configured, chosen):
    assert async_mode.choose(configured, environment) == chosen


@pytest.mark.parametrize("mode", ["asyncio", "Gevent", "gevent_uwsgi", " eventlet"])
def test_any_other_mode_is_refused_in_one_line_naming_the_variable_and_the_choices(mode):
    with pytest.raises(async_mode.AsyncModeError) as refused:
        async_mode.choose(None, {"GASTGEBER_ASYNC_MODE": mode})
    assert str(refused.value) == ("GASTGEBER_ASYNC_MODE must be eventlet or gevent (or threading, for "
                                  f"development only), got {mode!r}")


def test_the_config_files_mode_is_read_from_the_arguments_or_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no config/gastgeber.toml here: the defaults
    gevent, eventlet = tmp_path / "gevent.toml", tmp_path / "eventlet.toml"
    gevent.write_text('async_mode = "gevent"\n')
    eventlet.write_text('async_mode = "eventlet"\n')
    assert async_mode.configured(["--port", "5001"], {}) == "eventlet"
    assert async_mode.configured(["--config", str(gevent)], {}) == "gevent"
    assert async_mode.configured([f"--config={gevent}"], {}) == "gevent"
    assert async_mode.configured([], {"GASTGEBER_CONFIG": str(gevent)}) == "gevent"
    assert async_mode.configured(["--config", str(eventlet)], {"GASTGEBER_CONFIG": str(gevent)}) == "eventlet"


@pytest.mark.parametrize("text", ['async_mode = "asyncio"', "async_mode = 1", "timezone = "])
def test_a_config_file_that_cannot_be_used_names_no_mode_so_the_command_refuses_it(tmp_path, text):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert async_mode.configured(["--config", str(path)], {}) is None
    assert async_mode.configured(["--config", str(tmp_path / "missing.toml")], {}) is None


PATCHED_AND_OFF_THE_LOOP = """
import sys, threading
from kiosk import async_mode
mode = sys.argv[1]
async_mode.patch(mode)
import socket
cooperative = socket.socket.__module__.split(".")[0] in ("eventlet", "gevent")
elsewhere = async_mode.run_off_loop(mode, threading.get_native_id) != threading.get_native_id()
print(cooperative, elsewhere)
"""


@pytest.mark.parametrize("mode, expected", [("eventlet", "True True"), ("gevent", "True True"),
                                            ("threading", "False False")])
def test_patching_makes_sockets_cooperative_and_work_off_the_loop_runs_on_another_os_thread(mode, expected):
    """In a process of its own, as `gastgeber serve` patches before anything else is imported."""
    ran = subprocess.run([sys.executable, "-c", PATCHED_AND_OFF_THE_LOOP, mode], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True)
    assert ran.stdout.split() == expected.split(), ran.stderr


@pytest.mark.parametrize("environment, config, message", [
    ({"GASTGEBER_ASYNC_MODE": "twisted"}, "",
     "gastgeber: GASTGEBER_ASYNC_MODE must be eventlet or gevent (or threading, for development only), got 'twisted'"),
    ({}, 'async_mode = "asyncio"\n', "key 'async_mode' must be one of eventlet, gevent, threading, got 'asyncio'"),
])
def test_serve_with_an_unknown_mode_exits_2_with_one_line(tmp_path, environment, config, message):
    path = tmp_path / "gastgeber.toml"
    path.write_text(config)
    command = [sys.executable, "-m", "kiosk", "serve", "--db", str(tmp_path / "g.db"), "--config", str(path)]
    environ = {key: value for key, value in os.environ.items() if key != "GASTGEBER_ASYNC_MODE"}
    refused = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60,
                             env=environ | environment)
    assert refused.returncode == 2
    assert message in refused.stderr and len(refused.stderr.strip().splitlines()) == 1, refused.stderr
