"""Hosts, kiosks, managers and their tokens."""

from __future__ import annotations

import json

import click

from kiosk.cli.common import fail, json_option, open_services, open_store, show_credentials, site_option, with_settings
from kiosk.clock import SystemClock, to_iso
from kiosk.domain.auth import hash_token, new_token
from kiosk.domain.domain_events import SignInEnded
from kiosk.domain.errors import Conflict, Invalid
from kiosk.domain.operators import add_operator
from kiosk.domain.people import add_person


def add_and_show(settings, role: str, name: str, site: str, as_json: bool, **host_fields) -> None:
    store = open_store(settings)
    try:
        answer = add_person(store, SystemClock(), role, name, site, **host_fields)
    except (Invalid, Conflict) as error:
        fail(error.message)
    show_credentials(answer, as_json)


@click.group()
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
    host_row = store.person("host", host_id)
    if host_row is None:
        fail(f"no active host with id {host_id}")
    _host, moved = open_services(settings).team.deactivate(None, host_id, site_id=host_row["site_id"])
    click.echo(f"host {host_id} deactivated; their tokens and PIN no longer work"
               + (f"; {len(moved)} open visit(s) went to a colleague" if moved else ""))


@host.command("unlock")
@click.argument("host_id", type=click.IntRange(1, 2**62))
@with_settings
def unlock_host(settings, host_id):
    """Lift the lock that many wrong PINs (from anywhere) put on a host's sign-in."""
    services = open_services(settings)
    host_row = services.store.person("host", host_id)
    if host_row is None:
        fail(f"no active host with id {host_id}")
    services.team.unlock_sign_in(None, host_id, site_id=host_row["site_id"])
    click.echo(f"host {host_id} may sign in again; the wrong PINs counted for them are forgotten")


@click.group()
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


@click.group()
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


@click.group()
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
    services = open_services(settings)
    if services.store.person(role, person_id) is None:
        fail(f"no {role} with id {person_id}")
    count = services.store.revoke_tokens(role, person_id, to_iso(services.clock.now()))
    services.publish(SignInEnded(role, person_id))
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


@click.group()
def operator():
    """Manage operators (they create sites and each site's first manager)."""


@operator.command("add")
@click.argument("name")
@json_option
@with_settings
def add_operator_command(settings, name, as_json):
    """Add an operator; prints their token (shown only once). Operators sign in at /operator."""
    store = open_store(settings)
    try:
        answer = add_operator(store, SystemClock(), name)
    except Invalid as error:
        fail(error.message)
    if as_json:
        click.echo(json.dumps(answer))
        return
    click.echo(f"{answer['name']} (operator id {answer['id']})")
    click.echo(f"  token: {answer['token']}")
