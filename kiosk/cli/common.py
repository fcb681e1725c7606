"""What every `gastgeber` subcommand shares: settings from flags, the store, clear failures."""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click

from kiosk.clock import SystemClock
from kiosk.domain import config as settings_module
from kiosk.store import Store
from kiosk.wiring import Services, build_services


def fail(message: str) -> None:
    click.echo(f"gastgeber: {message}", err=True)
    sys.exit(2)


def with_settings(command):
    """Give a subcommand `--db` and `--config` (or GASTGEBER_DB / GASTGEBER_CONFIG) and pass the settings."""

    @click.option("--config", "config_path", envvar="GASTGEBER_CONFIG", type=click.Path(dir_okay=False),
                  help="TOML config file [default: config/gastgeber.toml].")
    @click.option("--db", "db_path", envvar="GASTGEBER_DB", type=click.Path(dir_okay=False),
                  help="SQLite database file [default: from config, else data/gastgeber.db].")
    @functools.wraps(command)
    def wrapper(config_path, db_path, **kwargs):
        try:
            settings = settings_module.load(config_path, required=config_path is not None)
        except settings_module.ConfigError as error:
            fail(str(error))
        if db_path:
            settings["db"] = db_path
        return command(settings, **kwargs)

    return wrapper


def open_store(settings: dict) -> Store:
    try:
        store = Store(settings["db"])
        store.migrate()
    except Exception as error:  # sqlite3 and OS errors alike: say which file and why
        fail(database_problem(settings["db"], error))
    return store


def database_problem(db_path: str | Path, error: Exception) -> str:
    """One line on why the database cannot be used; names a folder that is read-only, since
    SQLite's own words for that ("unable to open database file") do not."""
    folder = Path(db_path).absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK):
        return (f"cannot use database {db_path}: the folder {folder} is read-only for this user (the database "
                "needs its folder writable, for its -wal and -shm files beside it)")
    return f"cannot open database {db_path}: {getattr(error, 'strerror', None) or error}"


def open_services(settings: dict) -> Services:
    """The same services the server runs, for a command. Its changes reach a running server's
    boards through the message queue when `message_queue` is set; without one, boards see
    them at their next resync (within a minute) or when they reconnect."""
    store = open_store(settings)
    publisher_for = None
    if settings["message_queue"]:
        from flask_socketio import SocketIO

        from kiosk.realtime.publisher import Publisher

        queue = SocketIO(message_queue=settings["message_queue"])  # write-only: no app, no clients of its own

        def publisher_for(presence):
            return Publisher(queue, store, clock, presence)

    clock = SystemClock()
    return build_services(settings, store, clock, publisher_for=publisher_for)


def show_credentials(answer: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(answer))
        return
    click.echo(f"{answer['name']} (id {answer['id']}, site {answer['site']})")
    if "pin" in answer:
        click.echo(f"  PIN:   {answer['pin']}")
    click.echo(f"  token: {answer['token']}")


site_option = click.option("--site", default="main", show_default=True, help="The site (created if new).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
