"""Creating the database and serving it."""

from __future__ import annotations

import gc
import json
import socket
import sys

import click

from kiosk.cli.common import fail, open_store, show_credentials, site_option, with_settings
from kiosk.clock import SystemClock
from kiosk.domain.people import add_demo_site, renew_demo_credentials
from kiosk.domain.push import keys as push_keys
from kiosk.domain.setup import SETUP_CODE_HOURS, issue_setup_code


@click.command()
@click.option("--demo", is_flag=True, help="Add a demo site: three hosts, a kiosk and a manager.")
@click.option("--json", "as_json", is_flag=True, help="Print the demo credentials as JSON.")
@with_settings
def init(settings, demo, as_json):
    """Create the database (and with --demo a demo site)."""
    store = open_store(settings)
    store.vapid_keys(push_keys.make_keys)  # Web Push: the server's key pair, made once; the private half stays here
    if not demo:
        click.echo(f"database ready: {settings['db']}")
        return
    demo_site = add_demo_site(store, SystemClock())
    if as_json:
        click.echo(json.dumps({"db": settings["db"], "demo": demo_site}))
        return
    click.echo(f"database ready: {settings['db']}")
    if demo_site is None:
        click.echo("the demo site already has hosts; their credentials were shown when it was made "
                   "(`gastgeber demo-credentials` gives them new ones)")
        return
    click.echo("Demo site created. These credentials are shown only once:")
    show_demo_credentials(demo_site)


def show_demo_credentials(demo_site: dict) -> None:
    click.echo("\nHosts (sign in at /board with your PIN):")
    for host in demo_site["hosts"]:
        show_credentials(host, False)
    if demo_site["kiosk"]:
        click.echo("\nKiosk (open /kiosk/setup on the tablet, \"Advanced\", and enter this token once; "
                   "or pair it from /admin/kiosks):")
        show_credentials(demo_site["kiosk"], False)
    if demo_site["manager"]:
        click.echo("\nManager (sign in at /admin/login with name and PIN; the token is for /stats/login and the API):")
        show_credentials(demo_site["manager"], False)


@click.command("demo-credentials")
@site_option
@click.option("--json", "as_json", is_flag=True, help="Print the credentials as JSON.")
@with_settings
def demo_credentials(settings, site, as_json):
    """New PINs and tokens for the demo site's people (shown once); their old PINs stop working."""
    store = open_store(settings)
    renewed = renew_demo_credentials(store, SystemClock(), site)
    if renewed is None:
        fail(f"site {site} has none of the demo's people (Anna, Ben, Clara, Entrance, Maria); "
             "`gastgeber init --demo` makes them")
    if as_json:
        click.echo(json.dumps(renewed))
        return
    click.echo("New credentials for the demo site, shown only once (the old PINs no longer work):")
    show_demo_credentials(renewed)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--message-queue", default=None, help="redis://… to share live events between processes "
              "[default: the config's message_queue].")
@with_settings
def serve(settings, host, port, message_queue):
    """Serve kiosk, board and API (eventlet, or gevent: GASTGEBER_ASYNC_MODE or async_mode)."""
    from kiosk import async_mode
    from kiosk.app import create_app
    from kiosk.runtime import scheduler, serving
    from kiosk.runtime.read_process import ReadProcess
    from kiosk.runtime.send_process import SendProcess
    from kiosk.runtime.shutdown import Shutdown
    from kiosk.store.backup import DatabaseLock

    store = open_store(settings)
    setup_code = issue_setup_code(store, SystemClock())  # only on a database without any manager
    store.close()
    serving_lock = DatabaseLock(settings["db"], shared=True)  # held for as long as this process serves
    if not serving_lock.acquire():
        fail(f"{settings['db']} is being restored; try again when that is done")
    message_queue = message_queue or settings["message_queue"] or None
    # Several processes on one database must share live events; without a queue, one serves alone.
    alone = DatabaseLock(settings["db"], shared=bool(message_queue), suffix="serving")
    if not alone.acquire():
        fail(f"another gastgeber serve runs on {settings['db']}"
             + (" without a message queue" if message_queue else "")
             + ": several processes on one database need the same --message-queue (or message_queue), "
               "else their alerts never reach each other's boards")
    try:
        mode = async_mode.choose(settings["async_mode"])
    except async_mode.AsyncModeError as refused:
        fail(str(refused))
    app = create_app({**settings, "message_queue": message_queue, "async_mode": mode})
    socketio = app.extensions["socketio"]
    app.extensions["gastgeber"].channels.own_address = own_address(host, port)  # links sent without public_url
    sending = SendProcess()  # Apprise's sends in a process of their own: the boards' alerts keep the GIL
    app.extensions["gastgeber"].channels.send_through(sending.send)
    reading = ReadProcess()  # a year of stats, a CSV chunk: their Python in a process of its own, off the GIL
    app.extensions["gastgeber"].slow_reads.elsewhere = reading.run
    if message_queue:
        app.extensions["gastgeber"].connections.listen_to_message_queue()
    scheduler.start(app)
    Shutdown(app, socketio, stopped=lambda: stopped(app, sending, reading)).install_signal_handler()
    gc.collect()
    gc.freeze()  # start-up objects never need collecting; keeps full GC pauses short
    click.echo(f"Gastgeber serving on http://{host}:{port} (database {settings['db']}, {socketio.async_mode})",
               err=True)
    if setup_code:
        click.echo(f"First run: no manager yet. Open http://{host}:{port}/setup and enter the setup code "
                   f"{setup_code} (valid for {SETUP_CODE_HOURS} hours, once; a restart prints a new one).", err=True)
    serving.allow_open_files(settings["max_connections"])
    try:
        async_mode.serve(app, socketio, host, port, max_connections=settings["max_connections"],
                         access_log=settings["access_log"])
    except OSError as error:
        click.echo(f"gastgeber: cannot listen on {host}:{port}: {error.strerror or error}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        pass
    stopped(app, sending, reading)


def own_address(host: str, port: int) -> str:
    """This server's address as a link elsewhere can use: listening on every address, its name."""
    if host in ("0.0.0.0", "::", ""):  # nosec B104  # compares the listen address, binds nothing
        host = socket.getfqdn()
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def stopped(app, *helpers) -> None:
    """The sending and the reading processes end, then the database closes."""
    for helper in helpers:
        helper.close()
    app.extensions["gastgeber"].store.close()
    click.echo("Gastgeber stopped", err=True)
