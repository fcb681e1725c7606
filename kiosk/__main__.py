"""Entry point of the `gastgeber` command.

`gastgeber serve` runs on eventlet or gevent (kiosk/async_mode.py), whose monkey patching
must happen before anything else is imported; every other subcommand (and the tests)
stays unpatched.
"""

import os
import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        from kiosk import async_mode

        try:
            mode = async_mode.choose(async_mode.configured(sys.argv[2:], os.environ), os.environ)
        except async_mode.AsyncModeError as refused:
            print(f"gastgeber: {refused}", file=sys.stderr)
            sys.exit(2)
        async_mode.patch(mode)
    from kiosk.cli import main as cli

    cli(prog_name="gastgeber")


if __name__ == "__main__":
    main()
