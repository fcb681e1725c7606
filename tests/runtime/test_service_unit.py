"""config/gastgeber.service: the systemd unit the README documents (Restart=on-failure, a user of
its own, the venv's `gastgeber serve`, hardening), and systemd's own check of it where it exists."""

import configparser
import shutil
import subprocess

import pytest

from tests.support.paths import ROOT

UNIT = ROOT / "config" / "gastgeber.service"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


def test_the_unit_restarts_on_failure_as_its_own_user_from_the_venv():
    service = unit()["Service"]
    assert service["Restart"] == "on-failure"
    assert service["User"] == "gastgeber" and service["Group"] == "gastgeber"
    assert service["WorkingDirectory"] == "/opt/gastgeber"
    assert service["ExecStart"].startswith("/opt/gastgeber/.venv/bin/gastgeber serve")
    assert service["KillSignal"] == "SIGTERM"  # what the server drains on (tests/runtime/test_shutdown.py)
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


def test_the_unit_may_write_only_its_data_directory():
    service = unit()["Service"]
    assert service["NoNewPrivileges"] == "true" and service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == "/var/lib/gastgeber"
    assert "GASTGEBER_DB=/var/lib/gastgeber/gastgeber.db" in UNIT.read_text()  # the database lives there
    for option in ("PrivateTmp", "ProtectHome", "PrivateDevices", "ProtectKernelTunables", "ProtectControlGroups",
                   "RestrictSUIDSGID", "LockPersonality"):
        assert service[option] == "true", option
    assert service["CapabilityBoundingSet"] == ""


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_systemd_accepts_the_unit(tmp_path):
    """systemd-analyze verify checks that ExecStart exists: the unit, pointed at this checkout."""
    checkout = tmp_path / "gastgeber.service"
    checkout.write_text(UNIT.read_text(encoding="utf-8").replace("/opt/gastgeber", str(ROOT)), encoding="utf-8")
    verified = subprocess.run(["systemd-analyze", "verify", str(checkout)], capture_output=True, text=True,
                              timeout=60)
    assert verified.returncode == 0 and "gastgeber.service" not in verified.stderr, verified.stderr
