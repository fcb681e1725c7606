"""The one object graph: every service of the domain, wired once.

`build_services` is used by the app (kiosk/app.py), the command line (kiosk/cli/) and
the tests alike, so what is tested is what runs. Realtime is the caller's choice:
`publisher_for(presence)` makes what every domain event is published through (its
`publish(event)`): the serving process's Socket.IO publisher, the command line's
message queue, a list in a test — or, without it, nobody.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.domain import channels, push, webhooks
from kiosk.domain.appointments import AppointmentBook
from kiosk.domain.brand import Brand
from kiosk.domain.digest_outbox import Digests, DigestSender
from kiosk.domain.drills import Drills
from kiosk.domain.escalation import Escalator
from kiosk.domain.estimates import WaitEstimates
from kiosk.domain.frontdesk import FrontDesk
from kiosk.domain.lockout import SignInGuard
from kiosk.domain.managers import Managers
from kiosk.domain.notices import OneTimeNotices
from kiosk.domain.pairing import ContactRecorder, KioskPairing
from kiosk.domain.presence import Presence
from kiosk.domain.ratelimit import RateLimiter
from kiosk.domain.sessions import BrowserSessions
from kiosk.domain.site_settings import SiteSettings
from kiosk.domain.status_link import StatusLinks
from kiosk.domain.team import Team
from kiosk.store import SlowReads, Store
from kiosk.web import i18n


class AlertReach:
    """Whom an alert reaches beyond the boards: the notices owed to hosts' channels and to
    their board devices' Web Push, written together in the alert's own transaction."""

    def __init__(self, *outboxes):
        self.outboxes = outboxes

    def notices_for(self, events) -> list[dict]:
        return [row for outbox in self.outboxes for row in outbox.notices_for(events)]


class NobodyListens:
    """The publisher where no live client can hear (a command without a message queue)."""

    def publish(self, _event) -> None:
        pass


@dataclass
class Services:
    """What views, event handlers, commands and tests reach (the app: `current_app.extensions["gastgeber"]`)."""

    settings: dict  # the config file's settings; each site's in force: site_settings.for_site(site_id)
    store: Store
    clock: Any
    site_settings: SiteSettings
    presence: Presence
    publisher: Any  # realtime/publisher.py in the server; its publish(event) hears every domain event
    publish: Callable[[object], None]  # the publisher's
    escalator: Escalator
    appointments: AppointmentBook
    desk: FrontDesk
    team: Team
    managers: Managers
    pairing: KioskPairing
    webhooks: webhooks.Webhooks  # the sites' endpoints and the outbox of their events
    signin_guard: SignInGuard  # wrong sign-ins, counted in the database
    sessions: BrowserSessions  # browser sign-ins, kept in the database
    notices: OneTimeNotices  # what a form's answer shows once after its redirect
    channels: channels.Channels  # hosts' channels (e-mail, ntfy, chat …) and the notices alerts owe them
    channel_sender: channels.ChannelSender  # sends the notices (the serving process runs it: runtime/)
    push: push.WebPush  # board devices' Web Push subscriptions, and the push notices alerts owe them
    push_sender: push.PushSender  # sends the push notices (beside the channels' sender)
    kiosk_contact: ContactRecorder
    drills: Drills  # "Test my alert": every board and channel of a host, and who can be reached
    status_links: StatusLinks  # the customer's own view of their visit (/v/<token>, /status/<token>)
    status_limiter: RateLimiter  # status pages and reads per address
    branch_limiter: RateLimiter  # a branch's summary pushes, per branch
    brand: Brand  # each site's logo and accent colour
    digests: Digests  # the managers' weekly digest: their choice, channels, preview, the weekly job
    digest_sender: DigestSender  # sends the queued digests (beside the channels' sender)
    slow_reads: SlowReads | None = None  # long reads off the event loop (the serving process)
    # the serving process's live side (kiosk/app.py):
    connections: Any = None  # realtime/connections.py
    team_updates: Any = None  # staffboard/snapshot.py


def build_services(settings: dict, store: Store, clock, *,
                   publisher_for: Callable[[Presence], Any] | None = None,
                   slow_reads: SlowReads | None = None) -> Services:
    site_settings = SiteSettings(store, clock, settings)

    def site(site_id):
        return site_settings.for_site(site_id)

    presence = Presence(store, clock, settings["presence_grace_seconds"],
                        grace_for=lambda site_id: site(site_id)["presence_grace_seconds"])
    outbox = webhooks.Webhooks(store, clock, settings)
    reach = channels.Channels(store, clock, presence, settings, site_settings=site, texts_for=texts_for,
                              languages=i18n.available_languages())
    web_push = push.WebPush(store, clock, presence, settings, site_settings=site, texts_for=texts_for,
                            languages=i18n.available_languages())
    alerts = AlertReach(reach, web_push)
    publisher = publisher_for(presence) if publisher_for else NobodyListens()
    publish = publisher.publish
    escalator = Escalator(store, clock, presence, settings, publish=publish, outbox=outbox, site_settings=site,
                          channels=alerts)
    appointments = AppointmentBook(store, clock, settings, zone_of=lambda site_id: ZoneInfo(site(site_id)["timezone"]))
    desk = FrontDesk(store, clock, presence, publish=publish, escalator=escalator, appointments=appointments,
                     outbox=outbox, checkin_limiter=RateLimiter(clock, settings["kiosk_checkins_per_minute"]),
                     settings=settings, channels=alerts)
    guard = SignInGuard(store, clock)
    zone_of = functools.lru_cache(maxsize=64)(ZoneInfo)
    status_links = StatusLinks(
        store, clock, WaitEstimates(store, clock, zone_of=lambda site_id: zone_of(site(site_id)["timezone"])),
        publish, hours_for=lambda site_id: site(site_id)["status_link_hours"], feedback=desk.record_feedback)
    digests = Digests(store, clock, reach, site_settings=site, texts_for=texts_for,
                      languages=i18n.available_languages())
    return Services(
        settings=settings, store=store, clock=clock, site_settings=site_settings, presence=presence,
        publisher=publisher, publish=publish, escalator=escalator, appointments=appointments, desk=desk,
        team=Team(store, clock, presence, outbox, publish, settings, guard), managers=Managers(store, clock, publish),
        pairing=KioskPairing(store, clock, publish), webhooks=outbox,
        signin_guard=guard, sessions=BrowserSessions(store, clock, settings["session_hours"]),
        notices=OneTimeNotices(store, clock),
        kiosk_contact=ContactRecorder(store, clock), slow_reads=slow_reads, channels=reach,
        drills=Drills(store, clock, reach, ring_boards=getattr(publisher, "ring_boards", None)),
        status_links=status_links, brand=Brand(store, clock),
        status_limiter=RateLimiter(clock, settings["status_requests_per_minute"]),
        branch_limiter=RateLimiter(clock, settings["branch_summaries_per_minute"]),
        channel_sender=channels.ChannelSender(reach, claimer=presence.process_id, publish=publish,
                                              log_days=min(channels.LOG_DAYS, settings["retention_days"])),
        digests=digests, digest_sender=DigestSender(digests, claimer=presence.process_id),
        push=web_push, push_sender=push.PushSender(web_push, claimer=presence.process_id,
                                                   log_days=min(channels.LOG_DAYS, settings["retention_days"])),
    )


@functools.cache
def texts_for(language: str) -> dict[str, str]:
    """A language's catalogue (translations/), English filling what it lacks: the texts channels send."""
    english = i18n.catalogue("en")
    return english | i18n.catalogue(language) if language in i18n.available_languages() else english
