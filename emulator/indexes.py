"""Secondary indexes (GSI and LSI): the table's store again, keyed by the index key.

An index is a :class:`~emulator.partitions.Partitions` whose partition key is the index's
hash key value and whose sort key is a *position* tuple:

- index with a range key: ``(index range value, table hash value, table range value)``;
- index without one (GSI only): ``(table hash value, table range value)``.

Index keys are not unique (two items may share a GSI key), so the table key is the
tiebreak that makes every position unique and gives items with equal index keys a stable
order. A table without a range key puts ``None`` last; two positions never compare past an
equal table hash value, so ``None`` is never ordered against anything.

Index items hold the projected attributes only (KEYS_ONLY: table and index keys; INCLUDE:
those plus NonKeyAttributes; ALL: the table item itself, shared, since stored items are
immutable). Items without every index key attribute are absent: indexes are sparse.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Projections

Upkeep: :class:`TableIndexes` is registered as a write listener and a write check of its
table (``Table.listeners`` / ``Table.write_checks``), which every write path (PutItem,
UpdateItem, DeleteItem, batches, transactions, TTL, PartiQL) goes through. The check
refuses items whose index key attribute has the wrong type, an empty value or an oversized
value, and writes that would grow an LSI item collection past 10 GB, before anything is
stored. Costs: one O(log n) put/delete per index per write.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from . import limits
from .errors import EmptyKeyValue, ItemCollectionSizeLimitExceededException, ValidationException
from .partitions import Partitions
from .table import KEY_MISMATCH_MESSAGE, KeySchema, Table
from .types import INVALID, AttributeValue, Item, KeyValue, item_size, key_value

#: ``Table.extensions`` key of a table's :class:`TableIndexes`.
EXTENSION = "indexes"
GLOBAL = "GlobalSecondaryIndexes"
LOCAL = "LocalSecondaryIndexes"
PROJECTION_TYPES = ("ALL", "INCLUDE", "KEYS_ONLY")

#: Observed on AWS (dynalite test/batchWriteItem.js and updateItem.js, recorded from DynamoDB).
TYPE_MISMATCH = INVALID + "Type mismatch for Index Key {name} Expected: {expected} Actual: {actual} IndexName: {index}"
#: A support case quoting DynamoDB, and the conformance suite's transactWriteItems tests.
EMPTY_INDEX_KEY = (
    "One or more parameter values are not valid. A value specified for a secondary index key is not "
    "supported. The AttributeValue for a key attribute cannot contain an empty {what} value. "
    "IndexName: {index}, IndexKey: {name}"
)
#: What UpdateItem (and a transaction's Update) answers instead: no index named (moto's
#: recording of AWS; conformance tier3/error-messages/transactWriteItems, on AWS).
EMPTY_INDEX_KEY_BY_UPDATE = (
    "One or more parameter values are not valid. The update expression attempted to update a secondary "
    "index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an "
    "empty {what} value."
)


class EmptyIndexKey(EmptyKeyValue):
    """An item whose index key attribute is an empty string or binary; ``what`` is
    "string" or "binary"."""

    def __init__(self, message: str, what: str) -> None:
        super().__init__(message)
        self.what = what

    def by_update(self) -> "EmptyIndexKey":
        """The same refusal in the words DynamoDB uses when an update made the value."""
        return EmptyIndexKey(EMPTY_INDEX_KEY_BY_UPDATE.format(what=self.what), self.what)


#: architect/dynalite issue 35 and wellcomecollection/platform issue 2285 (real responses).
INDEX_KEY_TOO_LARGE = (
    INVALID + "Size limit exceeded for Index Key {name} Actual Size: {size} bytes Max Size: {limit} bytes "
    "IndexName: {index}"
)
#: AWS troubleshooting guides quote this text for the LSI 10 GB item collection limit.
#: ItemCollectionSizeLimitExceededException's message, as the developer guide's error
#: table gives it (Programming.Errors: "Message: Collection size exceeded.").
COLLECTION_TOO_LARGE = "Collection size exceeded."
BYTES_PER_GB = 1 << 30


class _Top:
    """Compares greater than every key value: closes a range at the end of an index
    sort value, whatever table key follows it in the position tuple."""

    __slots__ = ()

    def __lt__(self, other: Any) -> bool:
        return False

    def __le__(self, other: Any) -> bool:
        return other is self

    def __gt__(self, other: Any) -> bool:
        return other is not self

    def __ge__(self, other: Any) -> bool:
        return True

    def __repr__(self) -> str:
        return "TOP"


TOP = _Top()


@dataclass(frozen=True)
class Projection:
    """Which attributes an index copies from the table."""

    type: str
    non_key_attributes: tuple[str, ...] = ()

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"ProjectionType": self.type}
        if self.type == "INCLUDE":
            wire["NonKeyAttributes"] = list(self.non_key_attributes)
        return wire


class Index:
    """One GSI or LSI of a table: its definition, its items and its life-cycle state."""

    def __init__(
        self,
        name: str,
        kind: str,
        schema: KeySchema,
        table_schema: KeySchema,
        projection: Projection,
        arn: str,
    ) -> None:
        self.name = name
        #: GLOBAL or LOCAL (the TableDescription member the index is listed under).
        self.kind = kind
        self.schema = schema
        self.table_schema = table_schema
        self.projection = projection
        self.arn = arn
        self.items = Partitions()
        self.size_bytes = 0
        #: CREATING, ACTIVE (GSIs only show it; an LSI is always usable).
        self.status = "ACTIVE"
        #: True while an index added by UpdateTable is being filled from the table.
        self.backfilling = False
        #: Set for an index added by UpdateTable: DescribeTable shows Backfilling for it.
        self.online = False
        #: db-clock time at which a CREATING index becomes ACTIVE.
        self.ready_at: Optional[float] = None
        #: Provisioned-throughput settings of a GSI (the keys tables.provisioned_throughput reads).
        self.throughput: dict[str, Any] = {}
        #: Names every index item carries: the table key and the index key.
        self.key_names: tuple[str, ...] = tuple(dict.fromkeys(table_schema.names + schema.names))
        if projection.type == "ALL":
            self._projected: Optional[frozenset[str]] = None
        elif projection.type == "KEYS_ONLY":
            self._projected = frozenset(self.key_names)
        else:
            self._projected = frozenset(self.key_names + projection.non_key_attributes)
        self._key_types = tuple(
            (name, kind_)
            for name, kind_ in ((schema.hash_name, schema.hash_type), (schema.range_name, schema.range_type))
            if name is not None
        )

    # ------------------------------------------------------------ what a query needs

    @property
    def is_global(self) -> bool:
        return self.kind == GLOBAL

    @property
    def consistent_read_allowed(self) -> bool:
        """GSIs are eventually consistent only (ConsistentRead=true is refused)."""
        return not self.is_global

    @property
    def projects_all(self) -> bool:
        return self._projected is None

    def is_projected(self, attribute: str) -> bool:
        """Whether a top-level attribute is copied into the index (Select and
        ProjectionExpression on an index may only ask for projected attributes)."""
        return self._projected is None or attribute in self._projected

    @property
    def projected_attributes(self) -> Optional[frozenset[str]]:
        """The projected attribute names, or None when every attribute is (ALL)."""
        return self._projected

    def key_values(self, item: Item) -> Optional[tuple[KeyValue, tuple]]:
        """(partition key, position) of an item in this index, or None when the item is
        not in it: a missing index key attribute (sparse index) or one of another type."""
        values = []
        for name, kind in self._key_types:
            value = item.get(name)
            if value is None or kind not in value:
                return None
            values.append(key_value(value))
        table = self.table_schema
        table_hash = key_value(item[table.hash_name])
        table_range = key_value(item[table.range_name]) if table.range_name is not None else None
        if self.schema.range_name is None:
            return values[0], (table_hash, table_range)
        return values[0], (values[1], table_hash, table_range)

    def lower_bound(self, value: KeyValue) -> tuple:
        """Smallest position whose index sort value is ``value`` (for inclusive lower
        bounds; use :meth:`upper_bound` as an exclusive lower bound)."""
        return (value,)

    def upper_bound(self, value: KeyValue) -> tuple:
        """Largest position whose index sort value is ``value``."""
        return (value, TOP)

    @staticmethod
    def sort_value(position: tuple) -> KeyValue:
        """The index sort key value of a position (indexes with a range key)."""
        return position[0]

    def key_of(self, item: Item) -> Item:
        """A LastEvaluatedKey for an index item: the index key and the table key."""
        return {name: item[name] for name in self.key_names}

    def project(self, item: Item) -> Item:
        """The index item for a table item."""
        if self._projected is None:
            return item
        return {name: value for name, value in item.items() if name in self._projected}

    # ------------------------------------------------------------ upkeep

    def replace(self, old: Optional[Item], new: Optional[Item]) -> None:
        """Reflect one table change (``old`` -> ``new``, either may be None)."""
        if old is not None:
            position = self.key_values(old)
            if position is not None:
                removed = self.items.delete(*position)
                if removed is not None:
                    self.size_bytes -= item_size(removed)
        if new is not None:
            position = self.key_values(new)
            if position is not None:
                entry = self.project(new)
                self.items.put(position[0], position[1], entry)
                self.size_bytes += item_size(entry)

    def backfill(self, items: Iterator[Item]) -> None:
        """Fill a new index from the table's existing items (items whose key attribute
        has another type are left out, as DynamoDB's backfill does)."""
        for item in items:
            self.replace(None, item)

    def entry_size(self, item: Item) -> int:
        """Bytes this index holds for a table item (0 when the item is not in it)."""
        if self.key_values(item) is None:
            return 0
        return item_size(self.project(item))

    # ------------------------------------------------------------ write checks

    def check_item(self, item: Item) -> None:
        """DynamoDB's refusals of an item whose index key attribute is unusable."""
        for name, kind in self._key_types:
            value = item.get(name)
            if value is None:
                continue
            actual = next(iter(value))
            if actual != kind:
                raise ValidationException(
                    TYPE_MISMATCH.format(name=name, expected=kind, actual=actual, index=self.name)
                )
            raw = key_value(value)
            if kind != "N" and len(raw) == 0:
                what = "string" if kind == "S" else "binary"
                raise EmptyIndexKey(EMPTY_INDEX_KEY.format(what=what, index=self.name, name=name), what)
            size = len(raw.encode("utf-8")) if kind == "S" else (len(raw) if kind == "B" else 0)
            limit = limits.MAX_PARTITION_KEY_BYTES if name == self.schema.hash_name else limits.MAX_SORT_KEY_BYTES
            if size > limit:
                raise ValidationException(
                    INDEX_KEY_TOO_LARGE.format(name=name, size=size, limit=limit, index=self.name)
                )

    # ------------------------------------------------------------ invariants

    def _check(self, table: Table) -> None:
        """Assert that this index equals the projection of ``table`` computed afresh (O(n))."""
        self.items._check()
        expected: dict[tuple, Item] = {}
        for item in table.items.items():
            position = self.key_values(item)
            if position is not None:
                expected[(position[0], position[1])] = self.project(item)
        assert len(self.items) == len(expected), (self.name, len(self.items), len(expected))
        for (partition_key, position), entry in expected.items():
            assert self.items.get(partition_key, position) == entry, (self.name, partition_key, position)
        assert self.size_bytes == sum(item_size(entry) for entry in expected.values()), self.name


class TableIndexes:
    """The secondary indexes of one table (``table.extensions[EXTENSION]``), kept up to
    date by :meth:`on_write` and guarded by :meth:`check_item`."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.globals: dict[str, Index] = {}
        self.locals: dict[str, Index] = {}
        #: LSI item collection sizes (table items plus LSI entries) by table hash value.
        self.collection_bytes: dict[KeyValue, int] = {}

    @classmethod
    def of(cls, table: Table) -> "TableIndexes":
        """The table's index state, created and registered on first use."""
        state = table.extensions.get(EXTENSION)
        if state is None:
            state = table.extensions[EXTENSION] = cls(table)
            table.listeners.append(state.on_write)
            table.write_checks.append(state.check_item)
        return state

    def all(self) -> list[Index]:
        return [*self.globals.values(), *self.locals.values()]

    def get(self, name: str) -> Optional[Index]:
        return self.globals.get(name) or self.locals.get(name)

    def add(self, index: Index) -> None:
        """Add an index and fill it from the table's current items."""
        (self.globals if index.is_global else self.locals)[index.name] = index
        index.backfill(self.table.items.items())
        if not index.is_global:
            self._recount_collections()

    def remove(self, name: str) -> Optional[Index]:
        return self.globals.pop(name, None)

    # ------------------------------------------------------------ upkeep

    def on_write(self, table: Table, old: Optional[Item], new: Optional[Item]) -> None:
        for index in self.globals.values():
            index.replace(old, new)
        if self.locals:
            for index in self.locals.values():
                index.replace(old, new)
            self._account_collection(old, -1)
            self._account_collection(new, +1)

    def check_item(self, table: Table, item: Item) -> None:
        for index in self.globals.values():
            index.check_item(item)
        for index in self.locals.values():
            index.check_item(item)
        if self.locals:
            self._check_collection_size(item)

    # ------------------------------------------------------------ LSI item collections

    def collection_size(self, item: Item) -> int:
        """Bytes one table item contributes to its item collection: the item itself plus
        its entries in every LSI."""
        return item_size(item) + sum(index.entry_size(item) for index in self.locals.values())

    def _account_collection(self, item: Optional[Item], sign: int) -> None:
        if item is None:
            return
        hash_value = key_value(item[self.table.schema.hash_name])
        total = self.collection_bytes.get(hash_value, 0) + sign * self.collection_size(item)
        if total:
            self.collection_bytes[hash_value] = total
        else:
            self.collection_bytes.pop(hash_value, None)

    def _recount_collections(self) -> None:
        self.collection_bytes.clear()
        for item in self.table.items.items():
            self._account_collection(item, +1)

    def _check_collection_size(self, item: Item) -> None:
        """An LSI item collection may not grow past 10 GB; shrinking one is always allowed.
        https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.ItemCollections.SizeLimit"""
        old = self.table.get(*self.table.key_values(item))
        if collections_overflowing([(self.table, old, item)])[0]:
            raise ItemCollectionSizeLimitExceededException(COLLECTION_TOO_LARGE)

    def _check(self) -> None:
        for index in self.all():
            index._check(self.table)
        if self.locals:
            expected: dict[KeyValue, int] = {}
            for item in self.table.items.items():
                hash_value = key_value(item[self.table.schema.hash_name])
                expected[hash_value] = expected.get(hash_value, 0) + self.collection_size(item)
            assert expected == self.collection_bytes, (expected, self.collection_bytes)


# ---------------------------------------------------------------- module-level helpers


def table_indexes(table: Table) -> Optional[TableIndexes]:
    """The index state of a table, or None when it has never had an index."""
    return table.extensions.get(EXTENSION)


def find_index(table: Table, name: str) -> Index:
    """The index a Query or Scan names in IndexName, readable now, or DynamoDB's error.

    "The table does not have the specified index: <name>" (dynalite validations, recorded
    from DynamoDB); an index still being built answers "Cannot read from backfilling
    global secondary index: <name>" (real responses quoted in many user reports)."""
    state = table_indexes(table)
    index = state.get(name) if state is not None else None
    if index is None:
        raise ValidationException(f"The table does not have the specified index: {name}")
    if index.status == "CREATING" and index.online:
        raise ValidationException(f"Cannot read from backfilling global secondary index: {name}")
    return index


def index_key_attributes(table: Table) -> list[str]:
    """Names of the attributes some index uses as a key and the table does not, in index
    order: UpdateItem refuses a nested path into them ("Key attributes must be scalars;
    list random access '[]' and map lookup '.' are not allowed: IndexKey: <name>",
    dynalite db/index.js validateKeyPaths, recorded from DynamoDB)."""
    state = table_indexes(table)
    if state is None:
        return []
    names: dict[str, None] = {}
    for index in state.all():
        for name in index.schema.names:
            if name not in table.schema.names:
                names.setdefault(name, None)
    return list(names)


def check_consistent_read(index: Index, consistent: Any) -> None:
    """ConsistentRead=true on a GSI (dynalite query.js/scan.js; conformance
    tier3/error-messages/query "ConsistentRead on GSI")."""
    if consistent and not index.consistent_read_allowed:
        raise ValidationException("Consistent reads are not supported on global secondary indexes")


def check_select(index: Index, select: Any) -> None:
    """Select=ALL_ATTRIBUTES needs a GSI that projects ALL; an LSI fetches the missing
    attributes from the table instead (dynalite query.js/scan.js, recorded from DynamoDB).
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.Projections"""
    if select == "ALL_ATTRIBUTES" and not index.projects_all and index.is_global:
        raise ValidationException(
            INVALID + f"Select type ALL_ATTRIBUTES is not supported for global secondary index {index.name} "
            "because its projection type is not ALL"
        )


def fetches_from_table(index: Index, select: Any) -> bool:
    """Whether the items of this read come from the table: ALL_ATTRIBUTES on an LSI that
    does not project everything (DynamoDB fetches them, at extra read cost)."""
    return select == "ALL_ATTRIBUTES" and not index.projects_all and not index.is_global


def table_item(table: Table, entry: Item) -> Item:
    """The table item behind an index entry (for :func:`fetches_from_table`)."""
    item = table.get(*table.key_values(entry))
    assert item is not None, "an index entry always has its table item"
    return item


STARTING_KEY_INVALID = "The provided starting key is invalid"


def start_position(table: Table, index: Index, start_key: Any) -> tuple[KeyValue, tuple]:
    """(partition key, position) just after which a Query or Scan of ``index`` resumes.

    ExclusiveStartKey must hold exactly the table key and the index key (a
    LastEvaluatedKey): "The provided starting key is invalid" for another set of names,
    the key-element text for an index key of the wrong type, and "The provided starting
    key is invalid: <reason>" for a bad table key (dynalite query.js/scan.js)."""
    if not isinstance(start_key, dict) or len(start_key) != len(index.key_names):
        raise ValidationException(STARTING_KEY_INVALID)
    schema = index.schema
    for name, kind in ((schema.hash_name, schema.hash_type), (schema.range_name, schema.range_type)):
        if name is None:
            continue
        value = start_key.get(name)
        if value is None:
            raise ValidationException(STARTING_KEY_INVALID)
        if not isinstance(value, dict) or kind not in value or len(value) != 1:
            raise ValidationException(KEY_MISMATCH_MESSAGE)
    try:
        table.check_key({name: start_key.get(name) for name in table.schema.names})
    except ValidationException as error:
        raise ValidationException(f"{STARTING_KEY_INVALID}: {error.message}") from None
    position = index.key_values(start_key)
    assert position is not None
    return position


def collections_overflowing(writes: list[tuple[Table, Optional[Item], Optional[Item]]]) -> list[bool]:
    """For writes applied together (a transaction), whether each one grows an LSI item
    collection past its limit once the writes before it are counted, as each write alone
    was checked against the table as it is. ``writes`` are (table, old, new) images."""
    totals: dict[tuple[int, KeyValue], int] = {}
    overflowing = []
    for table, old, new in writes:
        state = table_indexes(table)
        image = new if new is not None else old
        if state is None or not state.locals or image is None:
            overflowing.append(False)
            continue
        hash_value = key_value(image[table.schema.hash_name])
        key = (id(table), hash_value)
        before = totals.get(key, state.collection_bytes.get(hash_value, 0))
        after = before - (state.collection_size(old) if old is not None else 0) + (
            state.collection_size(new) if new is not None else 0)
        totals[key] = after
        overflowing.append(after > before and after > limits.MAX_LSI_ITEM_COLLECTION_BYTES)
    return overflowing


def item_collection_metrics(table: Table, item_key: Item) -> Optional[dict[str, Any]]:
    """``ItemCollectionMetrics`` for a write to ``item_key`` when the request asked for
    ReturnItemCollectionMetrics=SIZE, or None when the table has no LSI (DynamoDB only
    reports item collections of tables with local secondary indexes).

    SizeEstimateRangeGB is a [lower, upper] estimate in GB; for a collection below 1 GB
    DynamoDB answers [0.0, 1.0].
    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ItemCollectionMetrics.html
    """
    state = table_indexes(table)
    if state is None or not state.locals:
        return None
    hash_name = table.schema.hash_name
    value: AttributeValue = item_key[hash_name]
    size_gb = state.collection_bytes.get(key_value(value), 0) / BYTES_PER_GB
    lower = float(math.floor(size_gb))
    return {"ItemCollectionKey": {hash_name: value}, "SizeEstimateRangeGB": [lower, lower + 1.0]}


def collection_metrics_response(request: dict, table: Table, item_key: Item) -> dict[str, Any]:
    """The response member PutItem, UpdateItem and DeleteItem add for
    ReturnItemCollectionMetrics=SIZE: ``{"ItemCollectionMetrics": ...}``, or ``{}``."""
    if request.get("ReturnItemCollectionMetrics") != "SIZE":
        return {}
    metrics = item_collection_metrics(table, item_key)
    return {"ItemCollectionMetrics": metrics} if metrics is not None else {}


def write_units(table: Table, old: Optional[Item], new: Optional[Item]) -> dict[str, tuple[str, float]]:
    """Write capacity each index spends on one table change, for ConsumedCapacity
    (``capacity.consumed``'s ``index_units``: name -> (GLOBAL or LOCAL, units)).

    An index entry put, changed or deleted costs one write of its size (1 KB units); an
    index key change is a delete plus a put; an item in the index neither before nor
    after, or whose entry did not change, costs nothing.
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
    """
    state = table_indexes(table)
    if state is None:
        return {}
    units: dict[str, tuple[str, float]] = {}
    for index in state.all():
        before = index.key_values(old) if old is not None else None
        after = index.key_values(new) if new is not None else None
        old_entry = index.project(old) if before is not None else None  # type: ignore[arg-type]
        new_entry = index.project(new) if after is not None else None  # type: ignore[arg-type]
        if before is not None and after is not None and before == after:
            spent = 0.0 if old_entry == new_entry else _write_cost(max(item_size(old_entry), item_size(new_entry)))
        else:
            spent = (_write_cost(item_size(old_entry)) if old_entry is not None else 0.0) + (
                _write_cost(item_size(new_entry)) if new_entry is not None else 0.0)
        if spent:
            units[index.name] = (index.kind, spent)
    return units


def _write_cost(size_bytes: int) -> float:
    return float(max(1, -(-size_bytes // limits.WRITE_UNIT_BYTES)))
