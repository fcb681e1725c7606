"""The per-kiosk check-in limit: a sliding window of one minute."""

import pytest

from kiosk.domain.ratelimit import RateLimited, RateLimiter


def test_the_limit_per_window_and_the_wait_it_announces(clock):
    limiter = RateLimiter(clock, limit=3, window_seconds=60)
    for _ in range(3):
        limiter.hit("kiosk-1")
        clock.advance(10)
    with pytest.raises(RateLimited) as limited:
        limiter.hit("kiosk-1")
    assert limited.value.retry_after_seconds == 30
    limiter.hit("kiosk-2")  # other kiosks are not affected
    clock.advance(30)
    limiter.hit("kiosk-1")  # the first hit has left the window
