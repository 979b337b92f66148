"""The tables of one region, behind one lock, with one clock and one configuration.

A single re-entrant lock per Database makes every operation atomic and serializable
against every other, transactions included: operations are short and in memory, so
finer locking would buy little and cost correctness. ``api.call`` takes the lock.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from .clock import Clock, SystemClock
from .config import Config
from .errors import ResourceNotFoundException, table_not_found
from .table import Table


class Database:
    """One region's DynamoDB: tables by name."""

    def __init__(
        self,
        config: Config | None = None,
        clock: Clock | None = None,
        region: str | None = None,
    ) -> None:
        self.config = config or Config()
        self.clock: Clock = clock or SystemClock()
        self.region = region or self.config.region
        self.account_id = self.config.account_id
        self.lock = threading.RLock()
        self.tables: dict[str, Table] = {}
        #: Per-database state of features (streams registry, idempotency tokens, ...).
        self.extensions: dict[str, Any] = {}
        #: Hooks run with the lock held before each operation (e.g. finishing delayed
        #: table creation); each takes the Database.
        self.before_operation: list[Callable[[Database], None]] = []

    def arn(self, resource: str) -> str:
        return f"arn:aws:dynamodb:{self.region}:{self.account_id}:{resource}"

    def table_arn(self, table_name: str) -> str:
        return self.arn(f"table/{table_name}")

    def get_table(self, name: Any, *, named: bool = False) -> Table:
        """The table called ``name``, or DynamoDB's ResourceNotFoundException.

        ``named`` chooses the message form that names the table, which control-plane
        operations use; item operations say only "Requested resource not found", and
        cannot see a table that is still CREATING or already DELETING (dynalite
        test/putItem.js "if table is being created", recorded from DynamoDB).
        """
        table = self.tables.get(name) if isinstance(name, str) else None
        if table is None or (not named and table.status in ("CREATING", "DELETING")):
            raise table_not_found(name if named else None)
        return table

    def reset(self) -> None:
        """Drop every table and all feature state (for test isolation)."""
        with self.lock:
            self.tables.clear()
            self.extensions.clear()


class Regions:
    """A server's databases, one per region, created on first use."""

    def __init__(self, config: Config | None = None, clock: Clock | None = None) -> None:
        self.config = config or Config()
        self.clock: Clock = clock or SystemClock()
        self._databases: dict[str, Database] = {}
        self._lock = threading.Lock()

    def get(self, region: str | None = None) -> Database:
        region = region or self.config.region
        database = self._databases.get(region)
        if database is None:
            with self._lock:
                database = self._databases.setdefault(
                    region, Database(self.config, self.clock, region)
                )
        return database

    def all(self) -> list[Database]:
        return list(self._databases.values())

    def reset(self) -> None:
        for database in self.all():
            database.reset()


__all__ = ["Database", "Regions", "ResourceNotFoundException"]
