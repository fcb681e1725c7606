"""A chain whose branches each run their own server: each branch sends its sites' anonymised
daily summaries to the head office's Gastgeber, which shows them beside its own sites.

histograms.py  durations as whole-unit histograms: exact percentiles over many days at that unit
summary.py     the branch's side: one site's local day as the figures a head office compares
pusher.py      the branch's side: the outbox of days owed, sent and retried with backoff
received.py    the head office's side: branches and their tokens, a summary checked and kept,
               the branches' rows over a window

No personal data crosses: counts and durations only, never a customer's or host's name, a
topic or a note (summary.py builds the body from numbers alone).
"""
