"""Waiting for a condition that another process or thread brings about.

Polling a condition is fine; sleeping a fixed time and hoping is not. `wait_until` is the
one place in the suite that sleeps, between looks at the condition.
"""

from __future__ import annotations

import time

import pytest

WAIT = 10  # seconds an expected live event or stored change may take before a test fails


def wait_until(predicate, timeout: float = WAIT, message="the condition", interval: float = 0.05):
    """Call `predicate()` until it returns something truthy, and return that; fail the test
    after `timeout` seconds, saying that `message` (a text, or a callable that makes one
    then, e.g. to show a log) did not happen. A predicate may raise to give up early."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"{message() if callable(message) else message} did not happen within {timeout:g} s")
        time.sleep(interval)
