"""DynamoDB Streams, engine side: streams, shards, records, sequence numbers, retention.

Every item change reaches :meth:`TableStream.on_write` through ``Table.commit`` (the one
write path), so PutItem, UpdateItem, DeleteItem, batches, transactions, TTL deletions and
PartiQL all produce records, in commit order, without knowing about streams. A write
whose new item equals the old one produces no record, as in DynamoDB (scylladb
test_streams.py do_updates_1, checked against DynamoDB: a PutItem of an identical item
"doesn't appear in the log at all").

Model (Developer Guide, "Change data capture for DynamoDB Streams"):

- A table has at most one *enabled* stream (``TableStream.current``). Disabling closes it;
  it stays readable (and listed, as DISABLED) for 24 hours. Enabling again creates a new
  stream with a new ARN/label (ack-api-quirks DDB-TABLE-362/378). DescribeTable keeps
  showing the latest stream's ARN and label after a disable (DDB-TABLE-050).
- A stream is a chain of shards. The open shard is closed and a child shard (with
  ``ParentShardId``) opened when a record arrives and the open shard is older than
  :data:`SHARD_ROTATION_SECONDS`; DynamoDB rolls shards over every few hours too.
- Sequence numbers are decimal strings, increasing across the whole Database (21
  digits; the API model allows 21 to 40).
- Records older than :data:`RETENTION_SECONDS` (24 hours) are trimmed; trimming is done
  lazily (on append and before every Streams API call) by ``db.clock``.

Per-table state lives in ``table.extensions[EXTENSION]``, the per-database registry in
``db.extensions[REGISTRY]``. Callers hold the Database lock around everything here;
observers (see :attr:`StreamRegistry.observers`) are called with it held and must only
queue work (emulator/triggers.py delivers outside the lock).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional

from .types import Item, item_size

if TYPE_CHECKING:
    from .database import Database
    from .table import Table

EXTENSION = "stream"
REGISTRY = "streams"

#: Stream records (and disabled streams) are kept for 24 hours (Developer Guide, "DynamoDB
#: Streams": "All data in DynamoDB Streams is subject to a 24-hour lifetime").
RETENTION_SECONDS = 24 * 3600
#: How long a shard stays open before a new write rolls over to a child shard.
SHARD_ROTATION_SECONDS = 4 * 3600
#: First sequence number minus one: 21-digit sequence numbers, like DynamoDB's.
SEQUENCE_BASE = 10**20

VIEW_TYPES = ("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY")
_SHOWS_NEW = ("NEW_IMAGE", "NEW_AND_OLD_IMAGES")
_SHOWS_OLD = ("OLD_IMAGE", "NEW_AND_OLD_IMAGES")

#: ``userIdentity`` of records written by TTL deletions (Developer Guide, "DynamoDB Streams
#: and Time to Live").
TTL_IDENTITY = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}


def stream_label(when: float) -> str:
    """A stream label: the enable time in ISO 8601 with milliseconds, UTC
    (e.g. ``2015-05-20T20:51:10.252``, API reference DescribeStream example)."""
    moment = datetime.datetime.fromtimestamp(when, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


@dataclass(frozen=True)
class StreamRecord:
    """One change as the stream keeps it: only the images the view type asks for."""

    sequence: int
    created_at: float
    event_id: str
    event_name: str
    keys: Item
    new_image: Optional[Item]
    old_image: Optional[Item]
    size_bytes: int
    user_identity: Optional[dict] = None

    @property
    def sequence_number(self) -> str:
        return str(self.sequence)

    def to_wire(self, region: str, view_type: str) -> dict[str, Any]:
        """The Record as GetRecords returns it (API reference, GetRecords example)."""
        change: dict[str, Any] = {
            # "rounded down to the closest second" (API reference, StreamRecord)
            "ApproximateCreationDateTime": int(self.created_at),
            "Keys": self.keys,
        }
        if self.new_image is not None:
            change["NewImage"] = self.new_image
        if self.old_image is not None:
            change["OldImage"] = self.old_image
        change["SequenceNumber"] = self.sequence_number
        change["SizeBytes"] = self.size_bytes
        change["StreamViewType"] = view_type
        record: dict[str, Any] = {
            "eventID": self.event_id,
            "eventName": self.event_name,
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": region,
            "dynamodb": change,
        }
        if self.user_identity is not None:
            record["userIdentity"] = dict(self.user_identity)
        return record


def build_record(
    sequence: int, now: float, keys: Item, old: Optional[Item], new: Optional[Item],
    view_type: str, identity: Optional[dict] = None,
) -> StreamRecord:
    """A record of the change ``old`` -> ``new`` (either may be None, not both).

    SizeBytes counts the key and the images the record carries, by the item-size rules
    (the INSERT of ``{"id": "test"}`` with its NewImage is 12 bytes in a response
    recorded from AWS: LocalStack test_dynamodb_streams.snapshot.json).
    """
    name = "INSERT" if old is None else "REMOVE" if new is None else "MODIFY"
    new_image = new if view_type in _SHOWS_NEW else None
    old_image = old if view_type in _SHOWS_OLD else None
    size = item_size(keys) + (item_size(new_image) if new_image else 0) + (item_size(old_image) if old_image else 0)
    return StreamRecord(sequence, now, uuid.uuid4().hex, name, keys, new_image, old_image, size, identity)


@dataclass
class Shard:
    """A run of records with consecutive positions in the stream.

    ``records[first:]`` are the retained records (trimmed ones are dropped from the
    front lazily); ``trimmed_through`` is the highest sequence number trimmed so far
    (``starting - 1`` when none), which is what makes an old iterator stale.
    """

    shard_id: str
    parent_id: Optional[str]
    created_at: float
    starting: int
    ending: Optional[int] = None
    closed_at: Optional[float] = None
    records: list[StreamRecord] = field(default_factory=list)
    first: int = 0
    trimmed_through: int = 0

    def __post_init__(self) -> None:
        self.trimmed_through = self.starting - 1

    @property
    def is_open(self) -> bool:
        return self.ending is None

    def retained(self) -> list[StreamRecord]:
        return self.records[self.first:]

    def trim(self, cutoff: float) -> None:
        """Drop records created before ``cutoff``. Amortized O(1) per record."""
        records = self.records
        while self.first < len(records) and records[self.first].created_at < cutoff:
            self.trimmed_through = records[self.first].sequence
            self.first += 1
        if self.first > 64 and self.first * 2 > len(records):
            del records[:self.first]
            self.first = 0

    def index_of(self, position: int) -> int:
        """Index in ``records`` of the first retained record at or after ``position``. O(log n)."""
        return bisect.bisect_left(self.records, position, lo=self.first, key=_sequence)

    def close(self, now: float, last_sequence: int) -> None:
        if self.ending is None:
            self.ending = max(last_sequence, self.starting)
            self.closed_at = now

    def describe(self) -> dict[str, Any]:
        numbers = {"StartingSequenceNumber": str(self.starting)}
        if self.ending is not None:
            numbers["EndingSequenceNumber"] = str(self.ending)
        shard: dict[str, Any] = {"ShardId": self.shard_id, "SequenceNumberRange": numbers}
        if self.parent_id is not None:
            shard["ParentShardId"] = self.parent_id
        return shard


def _sequence(record: StreamRecord) -> int:
    return record.sequence


@dataclass
class Stream:
    """One stream of one table incarnation: ENABLED until disabled or the table is deleted."""

    arn: str
    label: str
    table_name: str
    key_schema: list[dict[str, str]]
    view_type: str
    created_at: float
    status: str = "ENABLED"
    disabled_at: Optional[float] = None
    shards: list[Shard] = field(default_factory=list)

    @property
    def open_shard(self) -> Optional[Shard]:
        shard = self.shards[-1] if self.shards else None
        return shard if shard is not None and shard.is_open else None

    def shard(self, shard_id: str) -> Optional[Shard]:
        for shard in self.shards:
            if shard.shard_id == shard_id:
                return shard
        return None

    def disable(self, now: float, last_sequence: int) -> None:
        if self.status == "ENABLED":
            self.status = "DISABLED"
            self.disabled_at = now
            for shard in self.shards:
                shard.close(now, shard.records[-1].sequence if shard.records else last_sequence)

    def trim(self, now: float) -> None:
        """Trim old records; forget closed shards whose whole life is past retention."""
        cutoff = now - RETENTION_SECONDS
        for shard in self.shards:
            shard.trim(cutoff)
        self.shards = [s for s in self.shards if s.is_open or (s.closed_at or now) >= cutoff]


class StreamRegistry:
    """Every stream of one Database (by ARN), the sequence counter and the observers."""

    def __init__(self) -> None:
        self.streams: dict[str, Stream] = {}
        self.last_sequence = SEQUENCE_BASE
        self._shard_counter = 0
        #: ``fn(stream, record)`` after each record is appended, with the Database lock
        #: held: queue work only (emulator/triggers.py).
        self.observers: list[Callable[[Stream, StreamRecord], None]] = []

    @classmethod
    def of(cls, db: Database) -> "StreamRegistry":
        registry = db.extensions.get(REGISTRY)
        if registry is None:
            registry = db.extensions[REGISTRY] = cls()
        return registry

    def next_sequence(self) -> int:
        self.last_sequence += 1
        return self.last_sequence

    def new_shard(self, now: float, starting: int, parent: Optional[Shard] = None) -> Shard:
        """Shard ids are ``shardId-<creation ms, 20 digits>-<8 hex>``, as DynamoDB's
        (API reference DescribeStream example); the suffix is a counter, so ids sort in
        creation order, which DescribeStream's ExclusiveStartShardId relies on."""
        self._shard_counter += 1
        shard_id = f"shardId-{int(now * 1000):020d}-{self._shard_counter:08x}"
        parent_id = parent.shard_id if parent is not None else None
        return Shard(shard_id, parent_id, now, starting)

    def expire(self, now: float) -> None:
        """Trim every stream; forget disabled streams 24 hours after they were disabled."""
        for arn, stream in list(self.streams.items()):
            if stream.disabled_at is not None and stream.disabled_at + RETENTION_SECONDS < now:
                del self.streams[arn]
            else:
                stream.trim(now)

    def append(self, stream: Stream, record: StreamRecord, now: float) -> None:
        shard = stream.open_shard
        if shard is None:
            shard = self.new_shard(now, record.sequence)
            stream.shards.append(shard)
        elif shard.records and now - shard.created_at >= SHARD_ROTATION_SECONDS:
            shard.close(now, shard.records[-1].sequence)
            shard = self.new_shard(now, record.sequence, shard)
            stream.shards.append(shard)
        shard.trim(now - RETENTION_SECONDS)
        shard.records.append(record)
        for observer in self.observers:
            observer(stream, record)


class TableStream:
    """A table's stream state: the enabled stream (if any) and the latest ARN/label.

    Registered as a write listener of the table (``Table.listeners``)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.current: Optional[Stream] = None
        self.latest: Optional[Stream] = None
        #: ``userIdentity`` for the records of the write in progress (TTL deletions).
        self.identity: Optional[dict] = None

    def on_write(self, table: Table, old: Optional[Item], new: Optional[Item]) -> None:
        stream = self.current
        if stream is None or old == new:
            return
        now = self.db.clock.now()
        registry = StreamRegistry.of(self.db)
        keys = table.key_of(new if new is not None else old)  # type: ignore[arg-type]
        record = build_record(registry.next_sequence(), now, keys, old, new, stream.view_type, self.identity)
        registry.append(stream, record, now)

    def description(self) -> Optional[dict[str, str]]:
        """LatestStreamLabel/LatestStreamArn for DescribeTable (kept after a disable)."""
        if self.latest is None:
            return None
        return {"LatestStreamLabel": self.latest.label, "LatestStreamArn": self.latest.arn}


def table_stream(db: Database, table: Table) -> TableStream:
    """The table's stream state, created and registered as a listener on first use."""
    state = table.extensions.get(EXTENSION)
    if state is None:
        state = table.extensions[EXTENSION] = TableStream(db)
        table.listeners.append(state.on_write)
    return state


def enable(db: Database, table: Table, view_type: str) -> Stream:
    """Create a new stream for ``table`` (CreateTable or UpdateTable with a stream)."""
    state = table_stream(db, table)
    registry = StreamRegistry.of(db)
    now = db.clock.now()
    when = now
    arn = f"{table.arn}/stream/{stream_label(when)}"
    while arn in registry.streams:  # a second enable within the same millisecond
        when += 0.001
        arn = f"{table.arn}/stream/{stream_label(when)}"
    stream = Stream(arn, stream_label(when), table.name, table.schema.to_wire(), view_type, now)
    stream.shards.append(registry.new_shard(now, registry.last_sequence + 1))
    registry.streams[arn] = stream
    state.current = state.latest = stream
    return stream


def disable(db: Database, table: Table) -> None:
    """Close the table's enabled stream (UpdateTable disable, DeleteTable)."""
    state = table.extensions.get(EXTENSION)
    if state is None or state.current is None:
        return
    state.current.disable(db.clock.now(), StreamRegistry.of(db).last_sequence)
    state.current = None


@contextlib.contextmanager
def acting_as(table: Table, identity: dict) -> Iterator[None]:
    """Records of writes made inside the block carry ``userIdentity`` (TTL deletions)."""
    state = table.extensions.get(EXTENSION)
    if state is None:
        yield
        return
    previous, state.identity = state.identity, identity
    try:
        yield
    finally:
        state.identity = previous
