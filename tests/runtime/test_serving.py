"""How `gastgeber serve` sets up its process: enough open files for the connections it allows."""

import resource
import subprocess
import sys


def test_the_open_file_limit_is_raised_to_fit_max_connections_within_the_hard_limit():
    """Run in a child process started at a soft limit of 256, as many systems start services at 1024."""
    script = (
        "import resource\n"
        "from kiosk.runtime.serving import allow_open_files\n"
        "print(allow_open_files(2000), resource.getrlimit(resource.RLIMIT_NOFILE)[0])\n"
    )
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)

    def low_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))

    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, preexec_fn=low_limit,
                            check=True)
    allowed, in_force = map(int, result.stdout.split())
    expected = 2000 + 64 if hard == resource.RLIM_INFINITY else min(2000 + 64, hard)
    assert allowed == in_force == expected
