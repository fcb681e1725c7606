"""The demo site, made fast; and the plain-Python core wired by hand (fixture `domain`)."""

from __future__ import annotations

import functools
import itertools
import os
from dataclasses import dataclass

from kiosk import config
from kiosk.clock import FixedClock
from kiosk.domain import auth, people
from kiosk.domain.appointments import AppointmentBook
from kiosk.domain.auth import Principal
from kiosk.domain.escalation import Escalator
from kiosk.domain.frontdesk import FrontDesk
from kiosk.domain.presence import Presence
from kiosk.domain.ratelimit import RateLimiter
from kiosk.store import Store


@functools.lru_cache(maxsize=None)
def _hash_pin_once(pin):
    return auth.hash_pin(pin)


def demo_site(store, clock, monkeypatch) -> dict:
    """The demo site (hosts Anna, Ben, Clara, kiosk 'Entrance', manager 'Maria') with credentials.

    PINs are fixed per host position and their (deliberately slow) hashes are computed
    once per test run, so hundreds of tests need not pay for scrypt."""
    pins = itertools.cycle(["111111", "222222", "333333"])
    monkeypatch.setattr(people, "new_pin", lambda: next(pins))
    monkeypatch.setattr(people, "hash_pin", _hash_pin_once)
    return people.add_demo_site(store, clock)


@dataclass
class Domain:
    """The plain-Python core wired by hand, as a test sees it: no Flask, no sockets."""

    store: Store
    clock: FixedClock
    settings: dict
    presence: Presence
    escalator: Escalator
    appointments: AppointmentBook
    desk: FrontDesk
    events: list
    site: dict

    def principal(self, role, person):
        return Principal(role, person["id"], person["name"], 1, self.site["site"])

    def host(self, name):
        return self.principal("host", next(h for h in self.site["hosts"] if h["name"] == name))

    @property
    def kiosk(self):
        return self.principal("kiosk", self.site["kiosk"])

    def check_in(self, name="Zoë", **fields):
        checkin = {"name": name, "client_id": f"d-{os.urandom(6).hex()}", **fields}
        return self.desk.check_in(self.kiosk, checkin)[0]

    def wait(self, seconds):
        """Let time pass while the serving process keeps its boards' heartbeat going."""
        self.clock.advance(seconds)
        self.presence.heartbeat()

    def named(self, event_name):
        return [event for event in self.events if event.name == event_name]


def wire_domain(store, clock, monkeypatch) -> Domain:
    """FrontDesk, Escalator and AppointmentBook on `store` with the demo site."""
    settings = config.defaults()
    events = []
    presence = Presence(store, clock, settings["presence_grace_seconds"])
    escalator = Escalator(store, clock, presence, settings, events.append)
    appointments = AppointmentBook(store, clock, settings)
    desk = FrontDesk(store, clock, presence, events.append, checkin_limiter=RateLimiter(clock, 1000),
                     escalator=escalator, appointments=appointments, settings=settings)
    site = demo_site(store, clock, monkeypatch)
    return Domain(store, clock, settings, presence, escalator, appointments, desk, events, site)
