"""Time to Live, engine side: per-table TTL state and the sweeper that deletes expired items.

An item expires when its TTL attribute is a top-level Number (epoch seconds) smaller than
the current time (API reference, UpdateTimeToLive). Other types are ignored, and so are
values more than five years in the past (Developer Guide, "Formatting an item's TTL
attribute": such items are not deleted). Deletion goes through ``Table.delete``, so
indexes are updated and a REMOVE stream record is written, whose ``userIdentity`` says
the service did it (Developer Guide, "DynamoDB Streams and Time to Live").

DynamoDB deletes expired items "typically within a few days"; the emulator deletes them
at the next sweep: :func:`sweep` (what tests call after moving a ``ManualClock``) or the
background :class:`Sweeper` every ``Config.ttl_sweep_interval_seconds`` (started by the
server, :func:`start_sweeper`). Time always comes from ``db.clock``.

Each table with TTL enabled keeps a heap of (expiry, key) entries, pushed by a write
listener, so a sweep costs O(k log n) for k expired items instead of a full scan. Entries
go stale when an item changes; a popped entry is checked against the stored item.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Optional

from . import streams
from .types import Item, KeyValue

if TYPE_CHECKING:
    from .database import Database, Regions
    from .table import Table

log = logging.getLogger(__name__)

EXTENSION = "ttl"
#: "Items with a TTL value more than five years in the past are not deleted" (see above).
MAX_PAST_SECONDS = 5 * 365 * 24 * 3600


def expiry_of(item: Optional[Item], attribute: str) -> Optional[Decimal]:
    """The item's expiry time, or None when its TTL attribute is absent or not a Number."""
    if item is None:
        return None
    value = item.get(attribute)
    if not isinstance(value, dict) or "N" not in value:
        return None
    try:
        return Decimal(value["N"])
    except InvalidOperation:  # pragma: no cover - stored numbers are valid
        return None


@dataclass
class TableTtl:
    """TTL of one table (``table.extensions[EXTENSION]``), a write listener of it."""

    attribute: Optional[str] = None
    enabled: bool = False
    #: Time of the last accepted UpdateTimeToLive (for its cooldown).
    updated_at: Optional[float] = None
    _heap: list[tuple[Decimal, int, KeyValue, Any]] = field(default_factory=list)
    _counter: Any = field(default_factory=itertools.count)

    def on_write(self, table: Table, old: Optional[Item], new: Optional[Item]) -> None:
        if not self.enabled or new is None:
            return
        expiry = expiry_of(new, self.attribute)  # type: ignore[arg-type]
        if expiry is not None and expiry != expiry_of(old, self.attribute):  # type: ignore[arg-type]
            heapq.heappush(self._heap, (expiry, next(self._counter), *table.key_values(new)))

    def enable(self, table: Table, attribute: str, now: float) -> None:
        """Turn TTL on; every current item is considered (O(n))."""
        self.attribute, self.enabled, self.updated_at = attribute, True, now
        self._heap = []
        for item in table.items.items():
            expiry = expiry_of(item, attribute)
            if expiry is not None:
                self._heap.append((expiry, next(self._counter), *table.key_values(item)))
        heapq.heapify(self._heap)

    def disable(self, now: float) -> None:
        self.attribute, self.enabled, self.updated_at = None, False, now
        self._heap = []

    def expired(self, table: Table, now: float) -> list[Item]:
        """Pop the entries due at ``now``; the items that still carry them. O(k log n)."""
        due: list[Item] = []
        oldest_deleted = Decimal(int(now) - MAX_PAST_SECONDS)
        current = Decimal(now)
        while self._heap and self._heap[0][0] < current:
            expiry, _, hash_value, range_value = heapq.heappop(self._heap)
            item = table.get(hash_value, range_value)
            if item is None or expiry_of(item, self.attribute) != expiry:  # type: ignore[arg-type]
                continue  # stale: deleted or changed since the entry was pushed
            if expiry >= oldest_deleted:
                due.append(item)
        return due


def table_ttl(table: Table) -> TableTtl:
    """The table's TTL state, created and registered as a listener on first use."""
    state = table.extensions.get(EXTENSION)
    if state is None:
        state = table.extensions[EXTENSION] = TableTtl()
        table.listeners.append(state.on_write)
    return state


def sweep(db: Database) -> int:
    """Delete every item whose TTL has passed by ``db.clock``; return how many.

    Tests call this after advancing a ``ManualClock``. Takes the Database lock, so it is
    atomic with respect to every operation; each deletion updates indexes and writes a
    REMOVE stream record with the TTL service identity."""
    deleted = 0
    with db.lock:
        now = db.clock.now()
        for table in list(db.tables.values()):
            state = table.extensions.get(EXTENSION)
            if state is None or not state.enabled or table.status in ("CREATING", "DELETING"):
                continue
            with streams.acting_as(table, streams.TTL_IDENTITY):
                for item in state.expired(table, now):
                    table.delete(*table.key_values(item))
                    deleted += 1
    return deleted


class Sweeper(threading.Thread):
    """A daemon thread sweeping every database of ``regions`` every ``interval`` seconds
    (real time; the expiry test itself uses each database's clock)."""

    def __init__(self, regions: Regions, interval: float) -> None:
        super().__init__(name="dynamodb-emulator-ttl", daemon=True)
        self.regions = regions
        self.interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            for db in self.regions.all():
                try:
                    sweep(db)
                except Exception:  # a sweep must never kill the thread
                    log.exception("TTL sweep failed in %s", db.region)

    def stop(self) -> None:
        self._stop_event.set()


def start_sweeper(regions: Regions, interval: Optional[float] = None) -> Optional[Sweeper]:
    """Start the background sweeper (``Config.ttl_sweep_interval_seconds`` unless
    ``interval`` is given); None when the interval is 0 (sweeping disabled)."""
    seconds = regions.config.ttl_sweep_interval_seconds if interval is None else interval
    if seconds <= 0:
        return None
    sweeper = Sweeper(regions, seconds)
    sweeper.start()
    return sweeper
