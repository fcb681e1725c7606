"""A folder this process cannot write to, as a read-only disk or a folder of another user is."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only_folder(folder: Path):
    """Make `folder` read-only for the time of the block: file modes for a normal user, a
    read-only bind mount for root (whom file modes do not stop)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    if subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root without the right to mount: cannot make a folder read-only for root")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder), str(folder)], capture_output=True, check=True)
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], capture_output=True, check=True)  # even while a file is open
