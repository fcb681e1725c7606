"""Personal data is kept only as long as configured (`retention_days`), and erased on request.

`purge` anonymises every customer with no visit or appointment within the
retention time; `forget` erases one customer now. Timings of visits are kept for
stats. The serving process purges once a day (`DailyPurge`, timed by monotonic time);
`gastgeber purge` does it at once.

Which customers are idle is a matter of the wall clock, and a wall clock set far ahead
makes every customer look idle. So a purge that would anonymise more than
`purge_max_share_percent` of a site's customers at once is held back for that site,
with a warning, until an operator confirms (`gastgeber purge --confirm`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from kiosk.clock import SteadyAges, to_iso
from kiosk.domain.sites import each_site

log = logging.getLogger(__name__)
PURGE_EVERY_MS = 86_400_000  # a day, by monotonic time
PURGE_ALWAYS_ALLOWED = 10  # anonymising this many customers of a site at once is never held back


@dataclass(frozen=True)
class HeldBack:
    """A site whose purge would anonymise an unusual share of its customers at once."""

    site_id: int
    site: str
    would_anonymise: int
    customers: int

    def __str__(self) -> str:
        share = 100 * self.would_anonymise / self.customers
        return f"site {self.site}: {self.would_anonymise} of its {self.customers} customers ({share:.0f} %)"


class Purged(NamedTuple):
    anonymised: int
    held_back: tuple[HeldBack, ...] = ()


def purge(store, clock, retention_days, *, max_share_percent: int | None = None) -> Purged:
    """Anonymise customers idle for longer than the retention time.

    `retention_days` is a number of days for every site, or a function of a site's id
    giving that site's own (site_settings.py). With `max_share_percent`, a site where the
    purge would anonymise more than that share of its customers (and more than
    PURGE_ALWAYS_ALLOWED) keeps them all and is named in `held_back`."""
    now = clock.now()
    retention = retention_days if callable(retention_days) else (lambda site_id: retention_days)
    idle = each_site(store.site_ids(), lambda site_id: store.customers_idle_since(
        to_iso(now - timedelta(days=retention(site_id))), site_id), what="the retention purge")
    held_back = tuple(held for site_id, ids in idle.items()
                      if (held := _held_back(store, site_id, len(ids), max_share_percent)) is not None)
    held_sites = {held.site_id for held in held_back}
    customer_ids = [customer_id for site_id, ids in idle.items() if site_id not in held_sites for customer_id in ids]
    store.anonymise_customers(customer_ids, to_iso(now))
    return Purged(len(customer_ids), held_back)


def _held_back(store, site_id: int, count: int, max_share_percent: int | None) -> HeldBack | None:
    if max_share_percent is None or count <= PURGE_ALWAYS_ALLOWED:
        return None
    customers = store.customers_kept(site_id)
    if count * 100 <= max_share_percent * customers:
        return None
    return HeldBack(site_id, store.site(site_id)["name"], count, customers)


class DailyPurge:
    """The scheduler's purge: once a day, timed by monotonic time from the last purge stored.

    The last purge's age is taken from the wall clock when this process first reads it (a
    time in the future counts as just now) and grows by monotonic time after that: a clock
    set back or ahead neither skips the daily purge for months nor runs it early."""

    def __init__(self, store, clock, retention_days, max_share_percent: int):
        self.store = store
        self.clock = clock
        self.retention_days = retention_days
        self.max_share_percent = max_share_percent
        self.since_last = SteadyAges(clock)

    def run_if_due(self) -> Purged | None:
        last = self.store.setting("last_purge_at")
        if last is not None:
            self.since_last.keep_only([last])
            if self.since_last.age_ms(last, last) < PURGE_EVERY_MS:
                return None
        purged = purge(self.store, self.clock, self.retention_days, max_share_percent=self.max_share_percent)
        done = self.store.setting("last_purge_at")
        self.since_last.keep_only([])
        self.since_last.age_ms(done, done)  # timed from now on, by monotonic time
        if purged.held_back:
            log.warning("retention purge held back for %s: more than purge_max_share_percent = %d %% at once; "
                        "check the server's clock (now %s), then run `gastgeber purge --confirm` to anonymise them",
                        "; ".join(map(str, purged.held_back)), self.max_share_percent, to_iso(self.clock.now()))
        return purged


def forget(store, clock, customer_id: int) -> dict | None:
    """Erase one customer's personal data; None if there is no such customer."""
    if store.customer(customer_id) is None:
        return None
    return store.erase_customer(customer_id, to_iso(clock.now()))
