"""The `gastgeber` command as an operator uses it: output, --json, exit codes, no tracebacks."""

import json
import re

import pytest
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.clock import SystemClock
from kiosk.domain.auth import hash_token, pin_matches
from kiosk.domain.lockout import SignInGuard
from kiosk.store import Store


@pytest.fixture
def run(db_path, tmp_path):
    runner = CliRunner()

    def invoke(*args, env=None):
        return runner.invoke(main, [*args], env={"GASTGEBER_DB": str(db_path), **(env or {})})

    return invoke


def test_init_creates_the_database(run, db_path):
    result = run("init")
    assert result.exit_code == 0, result.output
    assert db_path.exists()
    assert "visits" in Store(db_path).db.table_names()


def test_init_makes_the_web_push_key_pair_once_and_never_prints_its_private_half(run, db_path):
    first = run("init", "--demo")
    store = Store(db_path)
    private, public = store.setting("vapid_private_key"), store.setting("vapid_public_key")
    assert private.startswith("-----BEGIN PRIVATE KEY-----") and len(public) == 87  # a P-256 point, base64url
    assert run("init").exit_code == 0
    assert (store.setting("vapid_private_key"), store.setting("vapid_public_key")) == (private, public)
    assert private.splitlines()[1] not in first.output and "PRIVATE" not in first.output


def test_init_demo_prints_credentials_once(run):
    first = run("init", "--demo")
    assert first.exit_code == 0
    assert "Anna" in first.output and "PIN:" in first.output and "token:" in first.output
    again = run("init", "--demo")
    assert again.exit_code == 0 and "PIN:" not in again.output


def test_host_add_json_has_the_contract_keys_and_stores_only_hashes(run, db_path):
    result = run("host", "add", "Dora", "--site", "branch", "--languages", "de,tr", "--json")
    assert result.exit_code == 0, result.output
    host = json.loads(result.output)
    assert set(host) == {"id", "name", "site", "token", "pin"}
    assert host["name"] == "Dora" and host["site"] == "branch"
    store = Store(db_path)
    row = store.person("host", host["id"])
    assert row["languages"] == "de,tr"
    assert host["pin"] not in row["pin_hash"] and pin_matches(row["pin_hash"], host["pin"])
    assert store.principal_row(hash_token(host["token"]))["name"] == "Dora"
    dump = "\n".join(store.db.iterdump())
    assert host["token"] not in dump and f"'{host['pin']}'" not in dump


@pytest.mark.parametrize("role", ["kiosk", "manager"])
def test_kiosk_and_manager_add_json(run, role):
    result = run(role, "add", "Front", "--json")
    assert result.exit_code == 0
    shown = {"id", "name", "site", "token"} | ({"pin"} if role == "manager" else set())  # a manager signs in with a PIN
    assert set(json.loads(result.output)) == shown


@pytest.mark.parametrize("args, message", [
    (["host", "add", ""], "name must be 1 to 80"),
    (["host", "add", "x" * 81], "name must be 1 to 80"),
    (["host", "add", "Eve", "--languages", "german"], "not a valid entry for languages"),
    (["kiosk", "add", "Door", "--site", "<b>"], "site must be"),
    (["serve", "--port", "99999"], "99999"),
    (["host", "remove", "Anna"], "No such command"),
])
def test_bad_arguments_exit_2_with_a_clear_message(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_bad_config_file_stops_with_one_line_naming_file_and_key(run, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("escalate_after_seconds = 'soon'\n")
    result = run("serve", "--config", str(config))
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"gastgeber: {config}: key 'escalate_after_seconds' must be an integer, got 'soon'"
    )


def test_a_named_config_file_that_does_not_exist_is_an_error(run, tmp_path):
    result = run("init", env={"GASTGEBER_CONFIG": str(tmp_path / "missing.toml")})
    assert result.exit_code == 2 and "config file not found" in result.output


def test_a_database_path_that_cannot_be_opened_is_a_clear_error(run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("init", "--db", str(blocker / "sub" / "x.db"))
    assert result.exit_code == 2 and "cannot open database" in result.output


def test_a_revoked_token_stops_working_and_a_new_one_can_be_issued(run, db_path):
    kiosk = json.loads(run("kiosk", "add", "Door", "--json").output)
    store = Store(db_path)
    assert store.principal_row(hash_token(kiosk["token"])) is not None
    revoked = run("token", "revoke", "kiosk", str(kiosk["id"]))
    assert revoked.exit_code == 0 and "revoked 1 token(s)" in revoked.output
    assert store.principal_row(hash_token(kiosk["token"])) is None
    issued = json.loads(run("token", "issue", "kiosk", str(kiosk["id"]), "--json").output)
    assert issued["token"] != kiosk["token"]
    assert store.principal_row(hash_token(issued["token"]))["name"] == "Door"
    assert run("token", "revoke", "host", "77").exit_code == 2


def test_host_unlock_lifts_the_lock_of_many_wrong_pins_from_anywhere(run, db_path):
    host = json.loads(run("host", "add", "Tess", "--json").output)
    guard = SignInGuard(Store(db_path), SystemClock())
    for guess in range(50):
        guard.failed(("host", host["id"]), f"203.0.113.{guess}")
    assert guard.locked_everywhere(("host", host["id"]))
    unlocked = run("host", "unlock", str(host["id"]))
    assert unlocked.exit_code == 0 and "may sign in again" in unlocked.output
    assert not guard.locked_everywhere(("host", host["id"]))
    assert run("host", "unlock", "77").exit_code == 2


def test_the_demo_manager_gets_a_pin_and_demo_credentials_gives_everyone_new_ones(run, db_path):
    first = run("init", "--demo", "--json")
    demo = json.loads(first.output)["demo"]
    store = Store(db_path)
    pin_hash = store._one("SELECT pin_hash FROM managers WHERE name = 'Maria'")["pin_hash"]
    assert pin_matches(pin_hash, demo["manager"]["pin"])  # /admin/login asks for name and PIN
    printed = run("init", "--demo").output
    assert "gastgeber demo-credentials" in printed  # the second run says where new ones come from
    renewed = run("demo-credentials")
    assert renewed.exit_code == 0, renewed.output
    pins = re.findall(r"PIN:\s+(\d{6})", renewed.output)
    tokens = re.findall(r"token:\s+(\S+)", renewed.output)
    assert len(pins) == 4 and len(tokens) == 5  # three hosts and Maria; and the kiosk's token
    pin_hash = store._one("SELECT pin_hash FROM managers WHERE name = 'Maria'")["pin_hash"]
    assert pin_matches(pin_hash, pins[-1]) and not pin_matches(pin_hash, demo["manager"]["pin"])
    assert store.principal_row(hash_token(tokens[3]))["name"] == "Entrance"
    assert pins[0] not in "\n".join(store.db.iterdump())
    assert run("demo-credentials", "--site", "north").exit_code == 2
