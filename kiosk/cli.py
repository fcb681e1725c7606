"""The `gastgeber` command: init, serve, and adding hosts, kiosks and managers.

Bad arguments and bad config exit with code 2 and one clear line, never a traceback.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import sys

import click

from . import config as settings_module
from .auth import hash_token, new_token
from .clock import SystemClock, to_iso
from .store import Store
from .team import InvalidTeamInput, add_demo_site, add_person


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
        fail(f"cannot open database {settings['db']}: {error}")
    return store


def show_credentials(answer: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(answer))
        return
    click.echo(f"{answer['name']} (id {answer['id']}, site {answer['site']})")
    if "pin" in answer:
        click.echo(f"  PIN:   {answer['pin']}")
    click.echo(f"  token: {answer['token']}")


@click.group()
def main():
    """Gastgeber: a walk-in acknowledgment system."""


@main.command()
@click.option("--demo", is_flag=True, help="Add a demo site: three hosts, a kiosk and a manager.")
@click.option("--json", "as_json", is_flag=True, help="Print the demo credentials as JSON.")
@with_settings
def init(settings, demo, as_json):
    """Create the database (and with --demo a demo site)."""
    store = open_store(settings)
    if not demo:
        click.echo(f"database ready: {settings['db']}")
        return
    demo_site = add_demo_site(store, SystemClock())
    if as_json:
        click.echo(json.dumps({"db": settings["db"], "demo": demo_site}))
        return
    click.echo(f"database ready: {settings['db']}")
    if demo_site is None:
        click.echo("the demo site already has hosts; their credentials were shown when it was made")
        return
    click.echo("Demo site created. These credentials are shown only once:")
    click.echo("\nHosts (sign in at /board with your PIN):")
    for host in demo_site["hosts"]:
        show_credentials(host, False)
    click.echo("\nKiosk (open /kiosk on the tablet and enter this token once):")
    show_credentials(demo_site["kiosk"], False)
    click.echo("\nManager (API token for stats):")
    show_credentials(demo_site["manager"], False)


def add_and_show(settings, role: str, name: str, site: str, as_json: bool, **host_fields) -> None:
    store = open_store(settings)
    try:
        answer = add_person(store, SystemClock(), role, name, site, **host_fields)
    except InvalidTeamInput as error:
        fail(str(error))
    show_credentials(answer, as_json)


site_option = click.option("--site", default="main", show_default=True, help="The site (created if new).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")


@main.group()
def host():
    """Manage hosts (staff who greet customers)."""


@host.command("add")
@click.argument("name")
@site_option
@click.option("--languages", default="", help="Languages the host speaks, e.g. de,en.")
@click.option("--topics", default="", help="Topics the host covers, comma-separated.")
@json_option
@with_settings
def add_host(settings, name, site, languages, topics, as_json):
    """Add a host; prints their PIN and token (shown only once)."""
    add_and_show(settings, "host", name, site, as_json, languages=languages, topics=topics)


@host.command("deactivate")
@click.argument("host_id", type=click.IntRange(1, 2**62))
@with_settings
def deactivate_host(settings, host_id):
    """Deactivate a host: history stays, their customers fall back through the policy."""
    store = open_store(settings)
    if not store.deactivate_host(host_id):
        fail(f"no active host with id {host_id}")
    click.echo(f"host {host_id} deactivated; their tokens and PIN no longer work")


@main.group()
def kiosk():
    """Manage kiosk devices (tablets at the door)."""


@kiosk.command("add")
@click.argument("name")
@site_option
@json_option
@with_settings
def add_kiosk(settings, name, site, as_json):
    """Register a kiosk device; prints its token (shown only once)."""
    add_and_show(settings, "kiosk", name, site, as_json)


@main.group()
def manager():
    """Manage manager credentials."""


@manager.command("add")
@click.argument("name")
@site_option
@json_option
@with_settings
def add_manager(settings, name, site, as_json):
    """Add a manager of one site; prints the token (shown only once)."""
    add_and_show(settings, "manager", name, site, as_json)


@main.group()
def token():
    """Revoke and issue API tokens."""


role_argument = click.argument("role", type=click.Choice(["host", "kiosk", "manager"]))
id_argument = click.argument("person_id", type=click.IntRange(1, 2**62))


@token.command("revoke")
@role_argument
@id_argument
@with_settings
def revoke_token(settings, role, person_id):
    """Revoke every token of a host, kiosk or manager (a kiosk tablet bound with it is unbound)."""
    store = open_store(settings)
    if store.person(role, person_id) is None:
        fail(f"no {role} with id {person_id}")
    count = store.revoke_tokens(role, person_id, to_iso(SystemClock().now()))
    click.echo(f"revoked {count} token(s) of {role} {person_id}")


@token.command("issue")
@role_argument
@id_argument
@json_option
@with_settings
def issue_token(settings, role, person_id, as_json):
    """Issue a new token for a host, kiosk or manager (shown only once)."""
    store = open_store(settings)
    person = store.person(role, person_id)
    if person is None:
        fail(f"no {role} with id {person_id}")
    new = new_token()
    store.add_token(role, person_id, person["site_id"], hash_token(new), to_iso(SystemClock().now()))
    show_credentials({"id": person_id, "name": person["name"], "site": person["site"], "token": new}, as_json)


@main.command("purge")
@with_settings
def purge_command(settings):
    """Anonymise customers idle for longer than retention_days (the server also does this daily)."""
    from .privacy import purge

    count = purge(open_store(settings), SystemClock(), settings["retention_days"])
    click.echo(f"anonymised {count} customer(s) with no visit in the last {settings['retention_days']} days")


@main.group()
def customer():
    """Customers' personal data."""


@customer.command("forget")
@click.argument("customer_id", type=click.IntRange(1, 2**62))
@with_settings
def forget_customer(settings, customer_id):
    """Erase one customer's personal data on request, and say what was removed."""
    from .privacy import forget

    removed = forget(open_store(settings), SystemClock(), customer_id)
    if removed is None:
        fail(f"no customer with id {customer_id}")
    details = [kind for kind in ("name", "phone", "email") if removed[kind]]
    click.echo(f"customer {customer_id}: removed {', '.join(details) or 'no personal details (already anonymised)'}; "
               f"cleared notes of {removed['visit_notes']} visit(s) and {removed['appointment_notes']} appointment(s); "
               "visit timings kept for stats")


@main.command("stats")
@click.option("--from", "from_", help="Start of the window (ISO date or time; default 30 days ago).")
@click.option("--to", help="End of the window, exclusive (default now).")
@site_option
@json_option
@with_settings
def stats_command(settings, from_, to, site, as_json):
    """Print time to acknowledge and to greet, overall, per host and per hour."""
    from zoneinfo import ZoneInfo

    from .inputs import InvalidInput
    from .stats import compute, parse_window

    store = open_store(settings)
    site_row = store.site_by_name(site) or fail(f"no site named '{site}'")
    zone = ZoneInfo(settings["timezone"])
    try:
        window = parse_window(from_, to, SystemClock().now(), zone)
    except InvalidInput as error:
        fail(f"--{error.field}: {error.message}")
    figures = compute(store.stats_rows(site_row["id"], *window), greet_target=settings["greet_target_seconds"],
                      acknowledge_target=settings["acknowledge_target_seconds"], zone=zone, window=window)
    click.echo(json.dumps(figures) if as_json else stats_table(figures))


def stats_table(figures: dict) -> str:
    def seconds(summary):
        return " / ".join("-" if summary[key] is None else f"{summary[key]:.1f}" for key in ("p50", "p90", "max"))

    def pct(value):
        return "-" if value is None else f"{value:.1f} %"

    lines = [
        f"Visits {figures['from'][:10]} to {figures['to'][:10]}: {figures['visits']}, "
        f"abandoned {figures['abandoned']}, escalated {pct(figures['escalated_pct'])}",
        f"Time to acknowledge (s, p50 / p90 / max): {seconds(figures['acknowledge_seconds'])}"
        f"   target {figures['acknowledge_target_seconds']} s",
        f"Time to greet       (s, p50 / p90 / max): {seconds(figures['greet_seconds'])}"
        f"   target {figures['target_seconds']} s, met {pct(figures['greeted_within_target_pct'])}",
        "",
        f"{'host':<20} {'visits':>6}  {'acknowledge p50/p90/max':>26}  {'greet p50/p90/max':>26}  {'in target':>9}",
    ]
    for row in figures["per_host"]:
        lines.append(f"{row['host']['name'][:20]:<20} {row['visits']:>6}  {seconds(row['acknowledge_seconds']):>26}  "
                     f"{seconds(row['greet_seconds']):>26}  {pct(row['greeted_within_target_pct']):>9}")
    lines += ["", f"{'hour':<6} {'visits':>6}  {'greet p50/p90/max':>26}"]
    lines += [f"{row['hour']:02d}:00  {row['visits']:>6}  {seconds(row['greet_seconds']):>26}"
              for row in figures["by_hour"] if row["visits"]]
    return "\n".join(lines)


@main.command("demo-data")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 3660), help="How many days of history.")
@click.option("--per-day", default=40, show_default=True, type=click.IntRange(1, 5000), help="Visits on a weekday.")
@click.option("--seed", default=1, show_default=True, type=int, help="The same seed gives the same history.")
@site_option
@with_settings
def demo_data_command(settings, days, per_day, seed, site):
    """Fill the database with a realistic synthetic history of visits (for trying and benchmarking stats)."""
    from zoneinfo import ZoneInfo

    from .demo_data import generate

    store = open_store(settings)
    clock = SystemClock()
    add_demo_site(store, clock, site)
    site_row = store.site_by_name(site)
    kiosk_id = store.first_kiosk_id(site_row["id"])
    if kiosk_id is None:
        kiosk_id = add_person(store, clock, "kiosk", "Entrance", site)["id"]
    zone = ZoneInfo(settings["timezone"])
    count = generate(store, site_id=site_row["id"], kiosk_id=kiosk_id,
                     host_ids=[host["id"] for host in store.active_hosts(site_row["id"])], days=days,
                     end=clock.now().astimezone(zone).date(), zone=zone, visits_per_day=per_day, seed=seed)
    click.echo(f"added {count} visits over {days} days to site {site} (seed {seed})")


@main.command("backup")
@click.argument("target", type=click.Path(dir_okay=False))
@with_settings
def backup_command(settings, target):
    """Copy the database to TARGET, consistently, even while the server runs."""
    from .backup import BackupError, backup

    try:
        size = backup(settings["db"], target)
    except BackupError as error:
        fail(str(error))
    click.echo(f"backed up {settings['db']} to {target} ({size} bytes)")


@main.command("restore")
@click.argument("source", type=click.Path(dir_okay=False))
@with_settings
def restore_command(settings, source):
    """Replace the database with the backup SOURCE (stop the server first)."""
    from .backup import BackupError, restore

    try:
        restore(source, settings["db"])
    except BackupError as error:
        fail(str(error))
    click.echo(f"restored {settings['db']} from {source}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--message-queue", default=None, help="redis://… to share live events between processes.")
@with_settings
def serve(settings, host, port, message_queue):
    """Serve kiosk, board and API (eventlet)."""
    from .app import create_app, start_scheduler
    from .backup import DatabaseLock
    from .shutdown import Shutdown

    open_store(settings).close()
    serving_lock = DatabaseLock(settings["db"], shared=True)  # held for as long as this process serves
    if not serving_lock.acquire():
        fail(f"{settings['db']} is being restored; try again when that is done")
    async_mode = os.environ.get("GASTGEBER_ASYNC_MODE", "eventlet")
    app = create_app({**settings, "message_queue": message_queue, "async_mode": async_mode})
    socketio = app.extensions["socketio"]
    start_scheduler(app)
    Shutdown(app, socketio).install_signal_handler()
    gc.collect()
    gc.freeze()  # start-up objects never need collecting; keeps full GC pauses short
    click.echo(f"Gastgeber serving on http://{host}:{port} (database {settings['db']})", err=True)
    run_options = {"max_size": settings["max_connections"]} if socketio.async_mode == "eventlet" else {}
    try:
        socketio.run(app, host=host, port=port, log_output=settings["access_log"], **run_options)
    except OSError as error:
        click.echo(f"gastgeber: cannot listen on {host}:{port}: {error.strerror or error}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        pass
    click.echo("Gastgeber stopped", err=True)


@main.group()
def appointments():
    """Manage appointments."""


@appointments.command("import")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
@site_option
@json_option
@with_settings
def import_appointments(settings, csv_file, site, as_json):
    """Import appointments from CSV (columns: customer_name, phone, email, host, starts_at, reason, notes).

    Every row is checked first; if any is bad, nothing is imported. starts_at
    without a time zone is the site's local time (config `timezone`).
    """
    from .appointments import AppointmentBook, ImportRefused, public_appointment
    from .auth import Principal

    store = open_store(settings)
    site_row = store.site_by_name(site)
    if site_row is None:
        fail(f"no site named '{site}'")
    operator = Principal(role="operator", id=0, name="gastgeber appointments import", site_id=site_row["id"], site=site)
    try:
        text = csv_file.read()
    except UnicodeDecodeError:
        fail(f"{csv_file.name}: not UTF-8 text; save the file as CSV (UTF-8)")
    try:
        rows = AppointmentBook(store, SystemClock(), settings).import_csv(site_row["id"], text, operator)
    except ImportRefused as refused:
        for problem in refused.problems:
            click.echo(f"gastgeber: {csv_file.name}: {problem}", err=True)
        click.echo("gastgeber: nothing was imported", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps([public_appointment(row) for row in rows]))
        return
    for row in rows:
        click.echo(f"{row['code']}  {row['starts_at']}  {row['customer_name']}  {row['host_name'] or '-'}")
    click.echo(f"{len(rows)} appointment(s) imported")
