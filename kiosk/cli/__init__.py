"""The `gastgeber` command. Bad arguments and bad config exit with code 2 and one clear
line, never a traceback.
"""

from __future__ import annotations

import sqlite3

import click

from kiosk.cli import data, people, setup
from kiosk.cli.common import database_problem
from kiosk.domain.errors import Unavailable


class Gastgeber(click.Group):
    """The command group; a database or file the command cannot use ends it with one line
    (exit code 2), never a traceback, whichever subcommand met it."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (OSError, sqlite3.Error, Unavailable) as error:
            click.echo(f"gastgeber: {_one_line(error)}", err=True)
            ctx.exit(2)


def _one_line(error: Exception) -> str:
    if isinstance(error, OSError) and error.filename:
        return database_problem(error.filename, error)
    return str(error).splitlines()[0] if str(error) else type(error).__name__


@click.group(cls=Gastgeber)
def main():
    """Gastgeber: a walk-in acknowledgment system."""


for command in (setup.init, setup.demo_credentials, setup.serve, people.host, people.kiosk, people.manager,
                people.operator, people.token,
                data.stats_command, data.demo_data_command, data.appointments, data.backup_command,
                data.restore_command, data.purge_command, data.customer):
    main.add_command(command)
