"""Work done for every site in turn (the scheduler's jobs): one site's bad data or bad
setting never stops the step for the others — its failure is logged, naming the site."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger(__name__)
Result = TypeVar("Result")


def each_site(site_ids, step: Callable[[int], Result], *, what: str) -> dict[int, Result]:
    """`step(site_id)` for each site; returns the results of those that did not fail."""
    results = {}
    for site_id in site_ids:
        try:
            results[site_id] = step(site_id)
        except Exception:
            log.exception("%s failed for site %s; the other sites went on", what, site_id)
    return results
