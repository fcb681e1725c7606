"""The config file: defaults, validation, and the documented example (and README table) that must list every key."""

import re
import tomllib
from pathlib import Path

import pytest

from kiosk.domain import config

ROOT = Path(__file__).resolve().parents[1]


def test_the_contracts_keys_have_the_contracts_defaults():
    defaults = config.defaults()
    assert {key: defaults[key] for key in (
        "timezone", "escalate_after_seconds", "acknowledge_target_seconds", "greet_target_seconds",
        "presence_grace_seconds", "kiosk_checkins_per_minute", "retention_days",
    )} == {
        "timezone": "Europe/Berlin", "escalate_after_seconds": 30, "acknowledge_target_seconds": 30,
        "greet_target_seconds": 120, "presence_grace_seconds": 60, "kiosk_checkins_per_minute": 60,
        "retention_days": 90,
    }


def test_the_shipped_config_documents_every_setting_with_its_default():
    text = (ROOT / "config" / "gastgeber.toml").read_text()
    assert tomllib.loads(text) == config.defaults()
    for setting in config.SETTINGS:
        assert setting.help in text, f"config/gastgeber.toml lacks the help text of {setting.name}"


def readme_table_names(readme: str) -> set[str]:
    """The keys the README's configuration table names; `welcome_text_de` / `_en` names both."""
    section = readme[readme.index("## Configuration"):readme.index("## The `gastgeber` command")]
    named = set()
    for row in (line for line in section.splitlines() if line.startswith("| `")):
        stem = None
        for name in re.findall(r"`([a-z_]+)`", row.split("|")[1]):
            if name.startswith("_") and stem:
                named.add(stem + name)
            else:
                named.add(name)
                stem = name.rsplit("_", 1)[0]
    return named


def test_the_readme_table_lists_every_setting():
    made_up = "## Configuration\n| `a_de` / `_en` | x |\n| `b` | y |\n## The `gastgeber` command"
    assert readme_table_names(made_up) == {"a_de", "a_en", "b"}
    missing = set(config.SETTINGS_BY_NAME) - readme_table_names((ROOT / "README.md").read_text(encoding="utf-8"))
    assert not missing, f"README.md's configuration table lacks {sorted(missing)}"


def test_a_missing_default_file_means_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert config.load() == config.defaults()


@pytest.mark.parametrize("text, message", [
    ("colour = 'blue'", "unknown key 'colour'"),
    ("escalate_after_seconds = true", "key 'escalate_after_seconds' must be an integer"),
    ("escalate_after_seconds = 0", "must be at least 1"),
    ("access_log = 1", "key 'access_log' must be true or false"),
    ("timezone = 'Mars/Olympus'", "key 'timezone' must be an IANA time zone"),
    ("default_language = 'fr'", "key 'default_language' must be one of de, en"),
    ("timezone = ", "not valid TOML"),
])
def test_bad_files_are_refused_with_file_key_and_expectation(tmp_path, text, message):
    path = tmp_path / "gastgeber.toml"
    path.write_text(text)
    with pytest.raises(config.ConfigError) as refused:
        config.load(path)
    assert str(refused.value).startswith(f"{path}: ") and message in str(refused.value)
    assert "\n" not in str(refused.value)



TOKEN = "gbr_" + "s3cr3t" * 8


@pytest.mark.parametrize("text, message", [
    ("head_office_url = 'http://hq.example.org'", "key 'head_office_url' must match"),
    ("head_office_url = 'https://user:pw@hq.example.org'", "key 'head_office_url' must match"),
    ("head_office_url = 'https://hq.example.org'", "'head_office_url' and 'head_office_token' go together"),
    (f"head_office_token = '{TOKEN}'", "'head_office_url' and 'head_office_token' go together"),
    (f"head_office_url = 'https://hq.example.org'\nhead_office_token = '{TOKEN}'\n"
     "head_office_ca_file = '/nowhere/ca.pem'", "key 'head_office_ca_file' must name a readable PEM file"),
])
def test_a_head_office_needs_an_https_url_and_its_token(tmp_path, text, message):
    path = tmp_path / "gastgeber.toml"
    path.write_text(text)
    with pytest.raises(config.ConfigError, match=message):
        config.load(path)


@pytest.mark.parametrize("value", [f"'{TOKEN} with blanks'", "12345"])
def test_a_bad_head_office_token_is_never_repeated(tmp_path, value):
    path = tmp_path / "gastgeber.toml"
    path.write_text(f"head_office_url = 'https://hq.example.org'\nhead_office_token = {value}")
    with pytest.raises(config.ConfigError, match="head_office_token") as refused:
        config.load(path)
    assert "s3cr3t" not in str(refused.value) and "12345" not in str(refused.value)


def test_a_branch_may_send_to_https_or_to_this_machine(tmp_path):
    path = tmp_path / "gastgeber.toml"
    for url in ("https://hq.example.org", "https://10.0.0.5:8443/gastgeber", "http://127.0.0.1:5000"):
        path.write_text(f"head_office_url = '{url}'\nhead_office_token = '{TOKEN}'")
        assert config.load(path)["head_office_url"] == url
