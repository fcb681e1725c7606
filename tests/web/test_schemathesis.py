"""Schemathesis fuzzes a live `gastgeber serve` with each kind of credential: docs/openapi.json
must say what the server does, for whoever asks.

Each test starts its own server on a fresh demo database (a manager's fuzzing deactivates hosts
and resets PINs, so runs do not share one) and runs schemathesis's command line with all its
phases (examples, coverage, fuzzing, stateful) and all its checks (`--checks all`, none excluded).
A fixed seed and MAX_EXAMPLES per operation keep a run repeatable and short (about 25 s each on two
cores). The only tuning is tests/support/schemathesis.toml: operations whose well-formed request may
meet a 400 that depends on stored data (an inactive host, a name taken), each with its reason.

`/healthz`, the status link's `/v/…` and `/status/…` and the kiosk's `/kiosk/qr/…` are served
without the `/api/v1` prefix (their paths' own `servers` entry, which schemathesis does not follow
once given a base URL): the run without credentials fuzzes them at the server's root as well.

A failure fails the test with schemathesis's report: each failing case with a `curl` line to replay it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.support.live_server import LiveServer
from tests.support.paths import DOCS, ROOT

MAX_EXAMPLES = 5
SEED = 1
CONFIG = ROOT / "tests" / "support" / "schemathesis.toml"
CREDENTIALS = ("none", "kiosk", "host", "manager", "operator")
# Served at the server's root, not under /api/v1: /healthz, the status link (/v/, /status/) and the kiosk's QR code.
AT_ROOT = r"^/(healthz|v/|status/|kiosk/)"


@pytest.fixture
def live(tmp_path):
    server = LiveServer(tmp_path)
    server.start()
    yield server
    server.stop()


def token_of(live: LiveServer, credential: str) -> str | None:
    if credential == "none":
        return None
    if credential == "operator":
        return json.loads(live.gastgeber("operator", "add", "Olga", "--json").stdout)["token"]
    return {"kiosk": live.kiosk, "host": live.hosts[0], "manager": live.manager}[credential]["token"]


def schemathesis(workdir, base_url: str, token: str | None, *options: str) -> subprocess.CompletedProcess:
    """The command line in `workdir`, where it keeps its cache (.schemathesis/)."""
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG),
               "run", str(DOCS / "openapi.json"), "--url", base_url, "--checks", "all",
               "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--generation-database", "none",
               "--workers", "1", *options]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=workdir,
                          env={**os.environ, "NO_COLOR": "1"})


def assert_no_failures(run: subprocess.CompletedProcess, what: str) -> None:
    summary = re.search(r"^\s*(\d+ generated.*)$", run.stdout, re.MULTILINE)
    print(f"schemathesis, {what}: {summary.group(1) if summary else 'no summary'}")
    assert run.returncode == 0, f"schemathesis found failures ({what}):\n{run.stdout[-20000:]}\n{run.stderr[-2000:]}"
    assert summary and " passed" in summary.group(1), run.stdout[-5000:]


@pytest.mark.parametrize("credential", CREDENTIALS)
def test_the_document_says_what_the_server_does(live, credential, tmp_path):
    run = schemathesis(tmp_path, f"{live.url}/api/v1", token_of(live, credential), "--exclude-path-regex", AT_ROOT)
    assert_no_failures(run, f"/api/v1 as {credential}")
    if credential == "none":
        assert_no_failures(schemathesis(tmp_path, live.url, None, "--include-path-regex", AT_ROOT), "the root's paths")
