"""Table snapshots: on-demand backups and point-in-time recovery history.

Two stores, both engine state (the operations live in operations/backups.py,
operations/point_in_time.py and operations/restores.py):

- :class:`BackupStore`, one per Database (``db.extensions``): every on-demand backup of
  the region by ARN, kept in creation order for ListBackups. A backup holds a
  :class:`TableImage`: the source table's description at CreateBackup time and the list
  of its items. Items are immutable wire dicts, so the image shares them with the table;
  taking it is one O(n) walk and later writes to the table cannot reach it.
- :class:`PointInTimeRecovery`, one per table (``table.extensions``) once PITR was ever
  enabled: while enabled, an undo log of every item change (time, key, item before).
  The state at an earlier time T is the current items with the changes made after T
  undone, newest first, so a restore to any moment of the recovery window is exact and
  costs O(n + changes since T). Entries older than the window are dropped as new ones
  arrive (O(1) amortized per write); memory is the items changed within the window.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from sortedcontainers import SortedList

from .clock import Clock
from .table import Table
from .types import Item

STORE_EXTENSION = "backups"
PITR_EXTENSION = "point_in_time_recovery"
SECONDS_PER_DAY = 86400
#: RecoveryPeriodInDays when none is given (API reference, PointInTimeRecoverySpecification).
DEFAULT_RECOVERY_PERIOD_DAYS = 35


@dataclass(frozen=True)
class TableImage:
    """What a restore needs of a table at one moment: its TableDescription (schema,
    indexes, billing, encryption, as DescribeTable showed them) and its items."""

    description: dict[str, Any]
    items: list[Item]
    #: DescribeTimeToLive's TimeToLiveDescription at that moment (SourceTableFeatureDetails).
    ttl: Optional[dict[str, Any]] = None


@dataclass
class Backup:
    """One on-demand backup. ``restoring`` names the tables being restored from it that
    are still CREATING: while any is, DeleteBackup is BackupInUseException."""

    arn: str
    name: str
    created_at: float
    image: TableImage
    backup_type: str = "USER"
    restoring: set[str] = field(default_factory=set)
    #: When DynamoDB drops it on its own (SYSTEM backups: 35 days after creation).
    expires_at: Optional[float] = None

    @property
    def size_bytes(self) -> int:
        return self.image.description["TableSizeBytes"]

    @property
    def source_name(self) -> str:
        return self.image.description["TableName"]

    @property
    def source_arn(self) -> str:
        return self.image.description["TableArn"]


def backup_created_at(arn: str) -> Optional[float]:
    """The creation time encoded in a backup ARN (``.../backup/<14-digit ms>-<8 hex>``),
    or None when ``arn`` does not end that way."""
    suffix = arn.rpartition("/backup/")[2]
    millis = suffix.partition("-")[0]
    if not suffix or "/backup/" not in arn or not millis.isdigit():
        return None
    return int(millis) / 1000


class BackupStore:
    """The backups of one region, by ARN and in creation order (ties by ARN)."""

    def __init__(self) -> None:
        self._by_arn: dict[str, Backup] = {}
        self._order = SortedList()  # (created_at, arn)
        self._expiring: list[Backup] = []  # the few that expire (SYSTEM backups)

    def __len__(self) -> int:
        return len(self._by_arn)

    def add(self, backup: Backup) -> None:
        self._by_arn[backup.arn] = backup
        self._order.add((backup.created_at, backup.arn))
        if backup.expires_at is not None:
            self._expiring.append(backup)

    def get(self, arn: str) -> Optional[Backup]:
        return self._by_arn.get(arn)

    def expire(self, now: float) -> None:
        """Forget the backups whose expiry time has come."""
        if self._expiring:
            for backup in [b for b in self._expiring if b.expires_at is not None and b.expires_at <= now]:
                self.remove(backup)

    def remove(self, backup: Backup) -> None:
        del self._by_arn[backup.arn]
        self._order.remove((backup.created_at, backup.arn))
        if backup.expires_at is not None:
            self._expiring.remove(backup)

    def after(self, start_arn: Optional[str]) -> Iterator[Backup]:
        """Backups in creation order, from just after ``start_arn`` (which need not exist
        any more: its position comes from the time in the ARN). O(log n) to start, O(1) a step."""
        position = 0
        if start_arn is not None:
            backup = self._by_arn.get(start_arn)
            created = backup.created_at if backup is not None else backup_created_at(start_arn)
            if created is not None:
                position = self._order.bisect_right((created, start_arn))
        for _, arn in self._order.islice(position):
            yield self._by_arn[arn]


def backup_store(db: Any) -> BackupStore:
    """The Database's backup store (created on first use), without the backups that
    expired by now."""
    store = db.extensions.get(STORE_EXTENSION)
    if store is None:
        store = db.extensions[STORE_EXTENSION] = BackupStore()
    store.expire(db.clock.now())
    return store


# ---------------------------------------------------------------- point in time


KeyValues = tuple[Any, Any]


@dataclass
class PointInTimeRecovery:
    """A table's PITR setting and, while enabled, its undo log (see module docstring).

    ``on_write`` is registered in ``table.listeners`` while enabled, so every write path
    (item operations, batches, transactions, TTL, PartiQL) is recorded.
    """

    clock: Clock
    enabled: bool = False
    period_days: int = DEFAULT_RECOVERY_PERIOD_DAYS
    enabled_at: Optional[float] = None
    _log: collections.deque = field(default_factory=collections.deque)

    def on_write(self, table: Table, old: Optional[Item], new: Optional[Item]) -> None:
        now = self.clock.now()
        self._log.append((now, table.key_values(new if new is not None else old), old))  # type: ignore[arg-type]
        oldest = now - self.period_days * SECONDS_PER_DAY
        log = self._log
        while log and log[0][0] < oldest:
            log.popleft()

    def enable(self, table: Table, period_days: Optional[int], now: float) -> None:
        """Turn PITR on (history starts now), or change the period of an enabled one."""
        if period_days is not None:
            self.period_days = period_days
        elif not self.enabled:
            self.period_days = DEFAULT_RECOVERY_PERIOD_DAYS
        if not self.enabled:
            self.enabled, self.enabled_at = True, now
            self._log.clear()
            table.listeners.append(self.on_write)

    def disable(self, table: Table) -> None:
        """Turn PITR off; its history is gone (a later enable starts afresh)."""
        if self.enabled:
            table.listeners.remove(self.on_write)
        self.enabled, self.enabled_at = False, None
        self._log.clear()

    def earliest(self, now: float) -> float:
        return max(self.enabled_at or now, now - self.period_days * SECONDS_PER_DAY)

    def items_at(self, table: Table, when: float) -> list[Item]:
        """The table's items as they were at ``when`` (writes at ``when`` included)."""
        current: dict[KeyValues, Item] = {table.key_values(item): item for item in table.items.items()}
        for changed_at, key, old in reversed(self._log):
            if changed_at <= when:
                break
            if old is None:
                current.pop(key, None)
            else:
                current[key] = old
        return list(current.values())


def point_in_time(db: Any, table: Table) -> PointInTimeRecovery:
    """The table's PITR state (created, disabled, on first use)."""
    state = table.extensions.get(PITR_EXTENSION)
    if state is None:
        state = table.extensions[PITR_EXTENSION] = PointInTimeRecovery(db.clock)
    return state


__all__ = [
    "Backup",
    "BackupStore",
    "PointInTimeRecovery",
    "TableImage",
    "backup_created_at",
    "backup_store",
    "point_in_time",
]
