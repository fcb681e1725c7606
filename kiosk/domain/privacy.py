"""Personal data is kept only as long as configured (`retention_days`), and erased on request.

`purge` anonymises every customer with no visit or appointment within the
retention time; `forget` erases one customer now. Timings of visits are kept for
stats. The serving process purges once a day; `gastgeber purge` does it at once.
"""

from __future__ import annotations

from datetime import timedelta

from kiosk.clock import from_iso, to_iso
from kiosk.domain.sites import each_site

PURGE_EVERY = timedelta(days=1)


def purge(store, clock, retention_days) -> int:
    """Anonymise customers idle for longer than the retention time; returns how many.

    `retention_days` is a number of days for every site, or a function of a site's id
    giving that site's own (site_settings.py)."""
    now = clock.now()
    if callable(retention_days):
        idle = each_site(store.site_ids(), lambda site_id: store.customers_idle_since(
            to_iso(now - timedelta(days=retention_days(site_id))), site_id), what="the retention purge")
        customer_ids = [customer_id for ids in idle.values() for customer_id in ids]
    else:
        customer_ids = store.customers_idle_since(to_iso(now - timedelta(days=retention_days)))
    store.anonymise_customers(customer_ids, to_iso(now))
    return len(customer_ids)


def purge_if_due(store, clock, retention_days) -> int | None:
    """For the scheduler: purge if the last purge is a day old (or never happened)."""
    last = store.setting("last_purge_at")
    if last is not None and clock.now() - from_iso(last) < PURGE_EVERY:
        return None
    return purge(store, clock, retention_days)


def forget(store, clock, customer_id: int) -> dict | None:
    """Erase one customer's personal data; None if there is no such customer."""
    if store.customer(customer_id) is None:
        return None
    return store.erase_customer(customer_id, to_iso(clock.now()))
