"""The `gastgeber` command. Bad arguments and bad config exit with code 2 and one clear
line, never a traceback.
"""

from __future__ import annotations

import click

from kiosk.cli import data, people, setup


@click.group()
def main():
    """Gastgeber: a walk-in acknowledgment system."""


for command in (setup.init, setup.serve, people.host, people.kiosk, people.manager, people.operator, people.token,
                data.stats_command, data.demo_data_command, data.appointments, data.backup_command,
                data.restore_command, data.purge_command, data.customer):
    main.add_command(command)
