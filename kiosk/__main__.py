"""Entry point of the `gastgeber` command.

Serving uses eventlet, whose monkey patching must happen before anything else is
imported; every other subcommand (and the tests) stays unpatched.
"""

import os
import sys


def main() -> None:
    serving = len(sys.argv) > 1 and sys.argv[1] == "serve"
    if serving and os.environ.get("GASTGEBER_ASYNC_MODE", "eventlet") == "eventlet":
        import warnings

        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")  # we know; see README
        import eventlet

        eventlet.monkey_patch()
    from kiosk.cli import main as cli

    cli(prog_name="gastgeber")


if __name__ == "__main__":
    main()
