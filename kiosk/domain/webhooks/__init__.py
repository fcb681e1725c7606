"""Webhooks: a site's HTTPS endpoints hear of its visits' events, signed, in the background.

signing.py    the secret and the X-Gastgeber-Signature (docs/webhooks.md: the receiver's side)
addresses.py  which receivers may be reached (https://, public addresses unless allowed)
outbox.py     the endpoints (`Webhooks`) and the deliveries each visit change owes
sender.py     claiming (the sites in turn), sending, recording and retrying deliveries
transport.py  one POST to exactly the address checked, its failure in coarse words

The names below are the package's public face.
"""

from kiosk.domain.webhooks.addresses import AddressRefused, check_address, check_url, checked_address
from kiosk.domain.webhooks.outbox import EVENTS, TEST_EVENT, Webhooks, public_delivery, public_webhook, webhook_events
from kiosk.domain.webhooks.sender import (
    CLAIM_LIMIT,
    CLAIM_PER_SITE,
    CLAIM_SECONDS,
    FORGET_EVERY_SECONDS,
    LOG_DAYS,
    RETRY_AFTER_SECONDS,
    TIMEOUT_SECONDS,
    Sender,
    next_step,
    poster,
)
from kiosk.domain.webhooks.signing import SIGNATURE_HEADER, new_secret, sign, verify
from kiosk.domain.webhooks.transport import DeliveryFailed, http_post

__all__ = [
    "CLAIM_LIMIT",
    "CLAIM_PER_SITE",
    "CLAIM_SECONDS",
    "EVENTS",
    "FORGET_EVERY_SECONDS",
    "LOG_DAYS",
    "RETRY_AFTER_SECONDS",
    "SIGNATURE_HEADER",
    "TEST_EVENT",
    "TIMEOUT_SECONDS",
    "AddressRefused",
    "DeliveryFailed",
    "Sender",
    "Webhooks",
    "check_address",
    "check_url",
    "checked_address",
    "http_post",
    "new_secret",
    "next_step",
    "poster",
    "public_delivery",
    "public_webhook",
    "sign",
    "verify",
    "webhook_events",
]
