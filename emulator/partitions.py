"""The item store of one table or index: partitions of sort-key-ordered items.

``Partitions`` maps a partition-key value to a ``SortedDict`` of sort-key value -> item
(hash-only tables use the single sort key ``None``); a partition of one item is kept in a
much smaller object with the same read interface until a second item joins it. Partitions are also kept in a
``SortedList`` ordered by a stable hash token of their key, which gives Scan an order that
does not change between pages, lets ``ExclusiveStartKey`` resume in O(log n), and makes
parallel-scan segments contiguous token ranges, as in DynamoDB.

Costs: point reads and writes O(log n); a range read of k items O(log n + k).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from itertools import chain
from operator import itemgetter
from typing import Any, Iterator, Optional

from sortedcontainers import SortedDict, SortedList

from .types import Item, KeyValue, format_number

TOKEN_SPACE = 1 << 64
SortKey = Optional[Any]


def hash_token(partition_key: KeyValue) -> int:
    """A stable 64-bit token for a partition key, equal across runs and processes."""
    if isinstance(partition_key, str):
        raw = b"S" + partition_key.encode("utf-8")
    elif isinstance(partition_key, Decimal):
        # canonical text, so that equal numbers (1, 1.0, 1E+0) get one token
        raw = b"N" + format_number(partition_key).encode("ascii")
    else:
        raw = b"B" + bytes(partition_key)
    return int.from_bytes(hashlib.md5(raw).digest()[:8], "big")


class _Single:
    """A partition holding one item: the read-only part of the ``SortedDict`` interface
    (``get``, ``[]``, ``len``, iteration, ``keys``/``values``/``items``, ``irange``) at a
    fraction of its memory. A ``SortedDict`` of one item costs about 1.9 KB, more than a
    1 KB item itself, and every item of a hash-only table (and many of other tables) is
    alone in its partition (``python -m bench memory``, one item per partition: 4.6 ->
    2.7 KB per 1 KB item). A second sort key turns the partition into a ``SortedDict``.
    """

    __slots__ = ("key", "item")

    def __init__(self, key: SortKey, item: Item) -> None:
        self.key = key
        self.item = item

    def __len__(self) -> int:
        return 1

    def __iter__(self) -> Iterator[SortKey]:
        return iter((self.key,))

    def keys(self) -> tuple[SortKey]:
        return (self.key,)

    def values(self) -> tuple[Item]:
        return (self.item,)

    def items(self) -> tuple[tuple[SortKey, Item]]:
        return ((self.key, self.item),)

    def get(self, sort_key: SortKey, default: Any = None) -> Any:
        return self.item if sort_key == self.key else default

    def __getitem__(self, sort_key: SortKey) -> Item:
        if sort_key == self.key:
            return self.item
        raise KeyError(sort_key)

    def irange(self, minimum: Any = None, maximum: Any = None, inclusive: tuple[bool, bool] = (True, True),
               reverse: bool = False) -> Iterator[SortKey]:
        """As ``SortedDict.irange``: the key, if it lies within the bounds (None: unbounded)."""
        key = self.key
        if minimum is not None and (key < minimum or (not inclusive[0] and key == minimum)):
            return iter(())
        if maximum is not None and (maximum < key or (not inclusive[1] and key == maximum)):
            return iter(())
        return iter((key,))

    def _check(self) -> None:
        assert self.item is not None


def _values(partition: SortedDict | _Single) -> Iterator[Item] | tuple[Item]:
    """A partition's items in sort-key order, read in C: a ``SortedDict``'s
    ``values()`` view iterates in Python (a generator looking each key up)."""
    if type(partition) is _Single:
        return (partition.item,)
    return map(partition.__getitem__, partition)


class Partitions:
    """Items grouped by partition key, each group ordered by sort key."""

    __slots__ = ("_partitions", "_scan_order", "_count")

    def __init__(self) -> None:
        self._partitions: dict[Any, SortedDict] = {}
        self._scan_order = SortedList()
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def get(self, partition_key: Any, sort_key: SortKey = None) -> Item | None:
        partition = self._partitions.get(partition_key)
        if partition is None:
            return None
        return partition.get(sort_key)

    def put(self, partition_key: Any, sort_key: SortKey, item: Item) -> Item | None:
        """Store ``item``; return the item it replaced, if any."""
        partition = self._partitions.get(partition_key)
        if partition is None:
            self._partitions[partition_key] = _Single(sort_key, item)
            self._scan_order.add((hash_token(partition_key), partition_key))
            self._count += 1
            return None
        if type(partition) is _Single:
            if sort_key == partition.key:
                old = partition.item
                partition.item = item
                return old
            single = partition
            partition = self._partitions[partition_key] = SortedDict()
            partition[single.key] = single.item
        old = partition.get(sort_key)
        partition[sort_key] = item
        if old is None:
            self._count += 1
        return old

    def delete(self, partition_key: Any, sort_key: SortKey = None) -> Item | None:
        partition = self._partitions.get(partition_key)
        if partition is None:
            return None
        if type(partition) is _Single:
            if sort_key != partition.key:
                return None
            old = partition.item
            self._count -= 1
            del self._partitions[partition_key]
            self._scan_order.remove((hash_token(partition_key), partition_key))
            return old
        if sort_key is None:
            # A hash-only partition holds the one key None, which SortedDict.pop cannot
            # bisect (None < None is a TypeError): empty the partition instead.
            old = partition.get(None)
            if old is not None:
                partition.clear()
        else:
            old = partition.pop(sort_key, None)
        if old is not None:
            self._count -= 1
            if not partition:
                del self._partitions[partition_key]
                self._scan_order.remove((hash_token(partition_key), partition_key))
        return old

    def partition(self, partition_key: Any) -> SortedDict | _Single | None:
        """The sort-key-ordered items of one partition (do not mutate): a ``SortedDict``,
        or for a partition of one item the lighter :class:`_Single` with the same reads."""
        return self._partitions.get(partition_key)

    def partition_count(self) -> int:
        return len(self._partitions)

    def scan(
        self,
        start: tuple[Any, SortKey] | None = None,
        token_range: tuple[int, int] = (0, TOKEN_SPACE),
    ) -> Iterator[Item]:
        """Items in scan order, from just after ``start`` (partition key, sort key).

        ``token_range`` restricts the walk to partitions whose token lies in [low, high):
        one parallel-scan segment.
        """
        low, high = token_range
        order = self._scan_order
        if start is not None:
            start_pk, start_sk = start
            start_token = hash_token(start_pk)
            partition = self._partitions.get(start_pk)
            if partition is not None and start_sk is not None and low <= start_token < high:
                yield from map(partition.__getitem__, partition.irange(minimum=start_sk, inclusive=(False, True)))
            position = order.bisect_right((start_token, start_pk))
            if start_token < low:
                position = order.bisect_left((low,))
        else:
            position = order.bisect_left((low,))
        stop = order.bisect_left((high,)) if high < TOKEN_SPACE else len(order)
        # Partition by partition, in C: a hash-only table has a partition per item.
        keys = map(itemgetter(1), order.islice(position, stop))
        yield from chain.from_iterable(map(_values, map(self._partitions.__getitem__, keys)))

    def items(self) -> Iterator[Item]:
        return chain.from_iterable(map(_values, self._partitions.values()))

    def _check(self) -> None:
        """Assert the internal invariants (O(n)); used by tests after every mutation."""
        assert len(self._scan_order) == len(self._partitions)
        self._scan_order._check()
        for token, partition_key in self._scan_order:
            assert token == hash_token(partition_key)
            partition = self._partitions[partition_key]
            assert partition, "empty partitions are removed"
            partition._check()
            kinds = {type(sort_key) for sort_key in partition}
            assert len(kinds) == 1, f"one sort key type per partition: {kinds}"
        assert self._count == sum(len(p) for p in self._partitions.values())
