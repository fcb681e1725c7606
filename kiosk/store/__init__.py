"""The database: one SQLite file, its schema and every query and transaction.

Nothing else in Gastgeber writes SQL. `Store` (database.py) is the one connection a
process writes through; `SlowReads` runs long reads on a worker thread with a
read-only connection of its own; `backup.py` copies and restores the file.
"""

from kiosk.store.database import Store
from kiosk.store.slow_reads import SlowReads

__all__ = ["SlowReads", "Store"]
