"""What Query and Scan read, and how one page of it is read.

A :class:`ReadTarget` is the table or one of its secondary indexes, seen the way a read
needs it: a key schema, a :class:`~emulator.partitions.Partitions` store, the attribute
names a LastEvaluatedKey carries, whether ConsistentRead is allowed, which attributes
are projected, and how to reach the full table item from an index entry. Query and Scan
are written once against it; an index is "a different Partitions plus its schema".

Storage coordinates: a table stores ``partition value -> SortedDict[sort value -> item]``
(``None`` as the sort value of a hash-only table); an index stores ``index partition
value -> SortedDict[position -> entry]`` where a position starts with the index sort
value and ends with the table key (see indexes.py). Every range of a key condition is
turned into ``SortedDict.irange`` bounds in that space, so a Query touching k items costs
O(log n + k) and resuming from ExclusiveStartKey costs O(log n).

Pages (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html):
a page stops when ``Limit`` items have been read, or when reading the next item would
take the items read past 1 MB ("A single Query only returns a result set that fits within
the 1 MB size limit"). The limit counts items *read*, before any filter, and the size is
DynamoDB's item size. A page stopped by either returns the last item read as
LastEvaluatedKey, even when nothing follows it (DynamoDB does not look ahead: "the only
way to know when you have reached the end of the result set is when LastEvaluatedKey is
empty").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter
from typing import Any, Callable, Iterator, Optional

from .. import capacity, limits
from ..expressions.key_conditions import KeyCondition, SortCondition
from ..indexes import GLOBAL, Index, find_index, table_item
from ..partitions import TOKEN_SPACE, Partitions
from ..table import KeySchema, Table
from ..types import Item, KeyValue, item_size, key_value

class ReadTarget:
    """The table or one index, as Query and Scan read it."""

    def __init__(self, table: Table, index: Optional[Index] = None) -> None:
        self.table = table
        self.index = index
        self.schema: KeySchema = index.schema if index is not None else table.schema
        self.partitions: Partitions = index.items if index is not None else table.items
        #: Attributes of a LastEvaluatedKey / ExclusiveStartKey: for an index, its key and
        #: the table key (DynamoDB needs both to resume among equal index keys).
        self.key_names: tuple[str, ...] = index.key_names if index is not None else table.schema.names

    @classmethod
    def of(cls, table: Table, index_name: Optional[str]) -> "ReadTarget":
        """The table, or the index a request names ("The table does not have the
        specified index: X" when there is none)."""
        if index_name is None:
            return cls(table)
        return cls(table, find_index(table, index_name))

    # ------------------------------------------------------------ properties

    @property
    def is_index(self) -> bool:
        return self.index is not None

    @property
    def is_global(self) -> bool:
        return self.index is not None and self.index.kind == GLOBAL

    @property
    def consistent_read_allowed(self) -> bool:
        return self.index is None or self.index.consistent_read_allowed

    @property
    def projects_all(self) -> bool:
        return self.index is None or self.index.projects_all

    def is_projected(self, attribute: str) -> bool:
        return self.index is None or self.index.is_projected(attribute)

    # ------------------------------------------------------------ keys

    def last_evaluated_key(self, item: Item) -> Item:
        return {name: item[name] for name in self.key_names if name in item}

    def start_position(self, key: Item) -> tuple[KeyValue, Any]:
        """Storage coordinates (partition value, sort value or position) of a validated
        ExclusiveStartKey."""
        if self.index is None:
            return self.table.key_values(key)
        position = self.index.key_values(key)
        assert position is not None, "ExclusiveStartKey was validated against the index"
        return position

    def sort_value(self, key: Item) -> Optional[KeyValue]:
        """The target's sort key value of a validated key (None without a sort key)."""
        name = self.schema.range_name
        return key_value(key[name]) if name is not None else None

    def _position_bounds(self, sort: Optional[SortCondition]) -> tuple[Any, Any, bool, bool]:
        if sort is None:
            return None, None, True, True
        low, high, low_in, high_in = sort.bounds()
        if self.index is None:
            return low, high, low_in, high_in
        # Index positions are (sort value, table key...): widen each bound so that it
        # covers or excludes every position sharing that sort value.
        index = self.index
        if low is not None:
            low = index.lower_bound(low) if low_in else index.upper_bound(low)
        if high is not None:
            high = index.upper_bound(high) if high_in else index.lower_bound(high)
        return low, high, low_in, high_in

    # ------------------------------------------------------------ iteration

    def query_items(
        self, condition: KeyCondition, forward: bool, start: Optional[tuple[KeyValue, Any]]
    ) -> Iterator[Item]:
        """Items of one partition within the sort range, in key order (reversed when not
        ``forward``), strictly after ``start`` in that order. O(log n) to the first."""
        partition = self.partitions.partition(condition.hash_value)
        if partition is None:
            return iter(())
        low, high, low_in, high_in = self._position_bounds(condition.sort)
        if start is not None:
            if forward:
                low, low_in = start[1], False
            else:
                high, high_in = start[1], False
        keys = partition.irange(low, high, inclusive=(low_in, high_in), reverse=not forward)
        return map(partition.__getitem__, keys)

    def scan_items(self, start: Optional[tuple[KeyValue, Any]], segment: tuple[int, int]) -> Iterator[Item]:
        """Items in the stable scan order (hash token, then key), after ``start``."""
        return self.partitions.scan(start, segment)

    def table_item(self, entry: Item) -> Item:
        """The table item an index entry stands for (LSI reads of non-projected
        attributes fetch it from the table)."""
        return table_item(self.table, entry)


def segment_range(segment: int, total_segments: int) -> tuple[int, int]:
    """Segment ``segment`` of a parallel scan: a contiguous slice of the token space, so
    that every item falls in exactly one segment."""
    return (segment * TOKEN_SPACE // total_segments, (segment + 1) * TOKEN_SPACE // total_segments)


# ---------------------------------------------------------------- pages


@dataclass
class Page:
    """What one Query or Scan call read, before filtering and projection."""

    items: list[Item] = field(default_factory=list)
    #: The last item read when the page stopped early (Limit or 1 MB), else None.
    last: Optional[Item] = None
    bytes_read: int = 0


#: Items read at a time by read_page (whole chunks that fit are taken without a look
#: at each item).
_PAGE_CHUNK = 128
#: A stored item's size, read in C (``SizedItem.size``).
_STORED_SIZE = attrgetter("size")


def read_page(source: Iterator[Item], limit: Optional[int]) -> Page:
    """Read items until ``limit`` items were read, or until the next item would take the
    page past 1 MB (items are at most 400 KB, so a page always makes progress)."""
    page = Page()
    items = page.items
    total = 0
    while True:
        wanted = _PAGE_CHUNK if limit is None else min(_PAGE_CHUNK, limit - len(items))
        chunk = list(islice(source, wanted))
        try:
            sizes = list(map(_STORED_SIZE, chunk))  # stored items carry their size
        except AttributeError:  # one that does not (an item made for this read)
            sizes = list(map(item_size, chunk))
        chunk_bytes = sum(sizes)
        if total + chunk_bytes <= limits.MAX_PAGE_BYTES:
            items += chunk
            total += chunk_bytes
        else:  # the page fills up inside this chunk: item by item
            for item, size in zip(chunk, sizes):
                if items and total + size > limits.MAX_PAGE_BYTES:
                    page.last = items[-1]
                    page.bytes_read = total
                    return page
                items.append(item)
                total += size
        if limit is not None and len(items) >= limit:
            page.last = items[-1]
            break
        if len(chunk) < wanted:  # the source ran out
            break
    page.bytes_read = total
    return page


# ---------------------------------------------------------------- results


#: Whether an item passes (truthy or falsy: a compiled filter need not answer a bool).
ItemFilter = Callable[[Item], Any]
Projector = Callable[[Item], Item]


def finish(
    target: ReadTarget,
    page: Page,
    *,
    select: str,
    item_filter: Optional[ItemFilter],
    projector: Optional[Projector],
    fetch_table_items: bool,
    consistent: bool,
    capacity_mode: Any,
) -> dict[str, Any]:
    """The Query/Scan response for a page: filter (after Limit, as DynamoDB does),
    project, count, LastEvaluatedKey and ConsumedCapacity."""
    read = page.items
    table_units = 0.0
    if fetch_table_items:
        read = [target.table_item(entry) for entry in read]
        if capacity_mode in ("TOTAL", "INDEXES"):
            # Each item fetched from the table is a read of its own, rounded up to 4 KB
            # (conformance tier2 partiql indexQualifier, on AWS: a reach-back of one
            # small item costs less than one of three).
            table_units = sum(capacity.read_units(item_size(item), consistent) for item in read)
    matched = read if item_filter is None else [item for item in read if item_filter(item)]
    response: dict[str, Any] = {}
    if select != "COUNT":
        response["Items"] = [projector(item) for item in matched] if projector is not None else matched
    response["Count"] = len(matched)
    response["ScannedCount"] = len(page.items)
    if page.last is not None:
        response["LastEvaluatedKey"] = target.last_evaluated_key(page.last)
    consumed = read_capacity(target, capacity_mode, page.bytes_read, table_units, consistent)
    if consumed is not None:
        response["ConsumedCapacity"] = consumed
    return response


def read_capacity(
    target: ReadTarget, mode: Any, bytes_read: int, table_units: float, consistent: bool
) -> Optional[dict[str, Any]]:
    """ConsumedCapacity of a Query or Scan: the bytes read rounded up to 4 KB units once
    for the whole page (not per item), halved for eventually consistent reads; an index
    read charges the index, and fetching table items for an LSI charges the table too
    (``table_units``, worked out per item fetched).
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html#read-operation-consumption
    """
    if mode not in ("TOTAL", "INDEXES"):
        return None
    if target.index is None:
        return capacity.consumed(mode, target.table.name, capacity.read_units(bytes_read, consistent))
    index_units = capacity.read_units(bytes_read, consistent)
    return capacity.consumed(
        mode, target.table.name, table_units, {target.index.name: (target.index.kind, index_units)}
    )
