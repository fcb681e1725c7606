"""Web Push to board devices (an installed board on a phone, a closed laptop's browser).

keys.py           the server's VAPID key pair and the signed header of each push
subscriptions.py  a browser's subscription, checked (https, a public push service)
outbox.py         `WebPush`: subscriptions, the notices alerts owe, the notification, "I've seen it"
sender.py         `PushSender`: claiming, pushing, recording and retrying notices
sending.py        one encrypted, signed push through the pinned transport
"""

from kiosk.domain.push.outbox import ACK_HOURS, WebPush, ack_hash
from kiosk.domain.push.sender import PushSender

__all__ = ["ACK_HOURS", "PushSender", "WebPush", "ack_hash"]
