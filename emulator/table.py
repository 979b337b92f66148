"""A table: its schema and metadata, its items, and the one write path everything uses.

Every mutation of items goes through :meth:`Table.commit`, which keeps item count and size
current and tells the table's write listeners (indexes, streams) what changed. Batch,
transaction, TTL and PartiQL writes use the same path, so none of them can forget a
secondary index or a stream record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .errors import EmptyKeyValue, ValidationException
from .partitions import Partitions
from .types import (
    INVALID, AttributeValue, Item, KeyValue, SizedItem, check_item_size, item_size, key_size, key_value,
    normalize_value,
)
from . import limits

KEY_MISMATCH_MESSAGE = "The provided key element does not match the schema"

#: Called as ``listener(table, old_item, new_item)`` after every change of one item.
WriteListener = Callable[["Table", Optional[Item], Optional[Item]], None]


@dataclass(frozen=True)
class KeySchema:
    """Names and declared types (S, N or B) of a table's or index's key attributes."""

    hash_name: str
    hash_type: str
    range_name: str | None = None
    range_type: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        if self.range_name is None:
            return (self.hash_name,)
        return (self.hash_name, self.range_name)

    def to_wire(self) -> list[dict[str, str]]:
        schema = [{"AttributeName": self.hash_name, "KeyType": "HASH"}]
        if self.range_name is not None:
            schema.append({"AttributeName": self.range_name, "KeyType": "RANGE"})
        return schema


def empty_key_message(name: str, kind: str) -> str:
    """The same words for a Key (GetItem, DeleteItem) as for an Item (PutItem): observed on
    AWS for GetItem (getmoto/moto#5345, 2022) and Query (getmoto/moto#7062, 2023); dynoxide
    captured both forms alike. (dynalite's older recording had "were invalid:" for Key.)"""
    what = "string" if kind == "S" else "binary"
    return (
        "One or more parameter values are not valid. The AttributeValue for a key attribute "
        f"cannot contain an empty {what} value. Key: {name}"
    )


def _item_key_value(schema: KeySchema, item: Item, name: str, kind: str) -> KeyValue:
    """One key attribute of an item to be written, checked (present, of the declared
    type, then as any key value), as its key value."""
    value = item.get(name)
    if value is None:
        raise ValidationException(INVALID + f"Missing the key {name} in the item")
    inner = value.get(kind)
    if inner is None:  # a normalized value has one type: another one
        actual = next(iter(value))
        raise ValidationException(INVALID + f"Type mismatch for key {name} expected: {kind} actual: {actual}")
    return _checked_key_value(schema, name, kind, value)


def _checked_key_value(schema: KeySchema, name: str, kind: str, value: AttributeValue) -> KeyValue:
    """A key attribute's value of the declared type ``kind``: not empty and within the
    size limits, as its key value. An ASCII string within both limits, the common case,
    is its own key value, with no further look."""
    inner = value[kind]  # type: ignore[literal-required]
    if kind == "S" and inner and inner.isascii() and len(inner) <= limits.MAX_SORT_KEY_BYTES:
        return inner  # type: ignore[no-any-return]
    if inner == "":
        raise EmptyKeyValue(empty_key_message(name, kind))
    if kind != "N":  # a number is at most 21 bytes
        size = key_size(value)
        if name == schema.hash_name and size > limits.MAX_PARTITION_KEY_BYTES:
            raise ValidationException(
                INVALID + "Size of hashkey has exceeded the maximum size limit of"
                f"{limits.MAX_PARTITION_KEY_BYTES} bytes"
            )
        if name == schema.range_name and size > limits.MAX_SORT_KEY_BYTES:
            raise ValidationException(
                INVALID + "Aggregated size of all range keys has exceeded the size limit of "
                f"{limits.MAX_SORT_KEY_BYTES} bytes"
            )
    return key_value(value)


@dataclass
class Table:
    """One DynamoDB table. Callers hold the Database lock around every method."""

    name: str
    schema: KeySchema
    arn: str
    table_id: str
    created_at: float
    #: The table's settings as DescribeTable shows them (billing, throughput, streams, ...);
    #: owned by operations/tables.py.
    settings: dict[str, Any] = field(default_factory=dict)
    status: str = "ACTIVE"
    items: Partitions = field(default_factory=Partitions)
    size_bytes: int = 0
    listeners: list[WriteListener] = field(default_factory=list)
    #: Checks run on every new item before it is stored (e.g. index key types); each
    #: raises a DynamoDBError to refuse the write, so nothing is changed.
    write_checks: list[Callable[["Table", Item], None]] = field(default_factory=list)
    #: Extensions keep their per-table state here (indexes, stream, ttl), by name.
    extensions: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------ keys

    def key_values(self, item: Item) -> tuple[KeyValue, Any]:
        """Partition and sort key-order values of a complete, validated item."""
        schema = self.schema
        hash_value = key_value(item[schema.hash_name])
        if schema.range_name is None:
            return hash_value, None
        return hash_value, key_value(item[schema.range_name])

    def check_key(self, key: Any) -> tuple[KeyValue, Any]:
        """Validate a request's ``Key``: exactly the key attributes, each of the type its
        AttributeDefinition names, else "The provided key element does not match the
        schema" (missing, extra or mistyped alike: dynalite test/getItem.js); then not
        empty and within the key size limits, hash key first. Values not yet normalized
        are normalized here (a raw Key may be passed); a :class:`SizedItem` was made by
        parsing, so its values are normalized already."""
        schema = self.schema
        if not isinstance(key, dict) or len(key) != len(schema.names):
            raise ValidationException(KEY_MISMATCH_MESSAGE)
        normalized = type(key) is SizedItem
        hash_value = self._key_element(key, schema.hash_name, schema.hash_type, normalized)  # type: ignore[arg-type]
        if schema.range_name is None:
            return hash_value, None
        return hash_value, self._key_element(
            key, schema.range_name, schema.range_type, normalized)  # type: ignore[arg-type]

    def _key_element(self, key: Item, name: str, kind: str, normalized: bool) -> KeyValue:
        value = key.get(name)
        if not isinstance(value, dict) or kind not in value:
            raise ValidationException(KEY_MISMATCH_MESSAGE)
        if not normalized:
            value = normalize_value(value)
            if kind not in value:
                raise ValidationException(KEY_MISMATCH_MESSAGE)
        return _checked_key_value(self.schema, name, kind, value)

    def check_item_key(self, item: Item) -> tuple[KeyValue, Any]:
        """Validate the key attributes of an item about to be written (present, of the
        declared type, not empty, within the size limits; hash key first) and return
        their key values."""
        schema = self.schema
        hash_value = _item_key_value(schema, item, schema.hash_name, schema.hash_type)  # type: ignore[arg-type]
        if schema.range_name is None:
            return hash_value, None
        return hash_value, _item_key_value(schema, item, schema.range_name, schema.range_type)  # type: ignore[arg-type]

    def check_new_item(self, item: Item, size: int | None = None,
                       keys: tuple[KeyValue, Any] | None = None) -> tuple[KeyValue, Any]:
        """Every check a normalized item must pass before any write path stores it:
        key attributes (skipped when the caller already validated them and passes their
        ``keys``), the 400 KB size limit (skipped when the caller already checked and
        passes ``size``), then the write checks of extensions."""
        if keys is None:
            keys = self.check_item_key(item)
        if size is None:
            check_item_size(item)
        for check in self.write_checks:
            check(self, item)
        return keys

    def key_of(self, item: Item) -> Item:
        """The primary-key attributes of an item, as a ``Key`` dict."""
        return {name: item[name] for name in self.schema.names}

    # ------------------------------------------------------------ reads and writes

    def get(self, hash_value: KeyValue, range_value: Any = None) -> Item | None:
        return self.items.get(hash_value, range_value)

    def put(self, item: Item, keys: tuple[KeyValue, Any] | None = None) -> Item | None:
        """Store a validated, normalized item; return the one it replaced. ``keys``: its
        key values, when the caller has them from checking the item."""
        hash_value, range_value = keys if keys is not None else self.key_values(item)
        old = self.items.put(hash_value, range_value, item)
        self.commit(old, item)
        return old

    def delete(self, hash_value: KeyValue, range_value: Any = None) -> Item | None:
        old = self.items.delete(hash_value, range_value)
        if old is not None:
            self.commit(old, None)
        return old

    def commit(self, old: Item | None, new: Item | None) -> None:
        """Account for one item change and notify listeners (indexes, streams)."""
        if old is not None:
            self.size_bytes -= item_size(old)
        if new is not None:
            self.size_bytes += item_size(new)
        for listener in self.listeners:
            listener(self, old, new)

    @property
    def item_count(self) -> int:
        return len(self.items)

    def _check(self) -> None:
        """Assert invariants (O(n)): structure, keys, and the running size total."""
        self.items._check()
        total = 0
        for item in self.items.items():
            assert self.items.get(*self.key_values(item)) is item
            total += item_size(item)
        assert total == self.size_bytes, (total, self.size_bytes)
