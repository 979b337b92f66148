"""How the cost of one operation grows with the table: engine-level GetItem, a 100-item
Query (one whole partition) and a resumed 100-item Scan page at 1k, 10k, 100k and 1M
items; and, in a second table holding all its items in one partition, a 10-item page of
a Query resumed from ExclusiveStartKey and a 10-item sort-key range. DynamoDB's cost is
O(log n) here; target (issue 8): no more than 1.5x slower at 1M items than at 1k.

    python -m bench growth [--sizes 1000,10000,100000,1000000] [--calls 2000]

One table grows from size to size (partitions of 100 items of ~200 bytes, filled
through the table's write path to keep the 1M build short); each figure is the median
of five rounds of ``--calls`` calls with random keys.
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Callable, Sequence

from emulator import Database, ManualClock, api, expressions
from emulator.operations import item_requests
from emulator.types import normalize_item

from .data import create_table_request, item
from .stats import render_growth, seconds_per_call

TABLE = "bench-growth"
ONE_PARTITION_TABLE = "bench-growth-one-partition"
PER_PARTITION = 100


def _item(i: int) -> dict:
    return item(f"g{i // PER_PARTITION:06d}", f"s{i % PER_PARTITION:03d}", i, data_len=130)


def _one_partition_item(i: int) -> dict:
    return item("one", f"s{i:07d}", i, data_len=130)


def operations(db: Database, size: int, rng: random.Random) -> dict[str, Callable[[], object]]:
    partitions = max(1, size // PER_PARTITION)

    def get_item() -> None:
        i = rng.randrange(size)
        assert "Item" in api.call(db, "GetItem", {"TableName": TABLE, "Key": {
            "pk": {"S": f"g{i // PER_PARTITION:06d}"}, "sk": {"S": f"s{i % PER_PARTITION:03d}"}}})

    def query() -> None:
        api.call(db, "Query", {"TableName": TABLE, "KeyConditionExpression": "pk = :p",
                               "ExpressionAttributeValues": {":p": {"S": f"g{rng.randrange(partitions):06d}"}}})

    def scan_page() -> None:
        i = rng.randrange(size)
        api.call(db, "Scan", {"TableName": TABLE, "Limit": 100, "ExclusiveStartKey": {
            "pk": {"S": f"g{i // PER_PARTITION:06d}"}, "sk": {"S": f"s{i % PER_PARTITION:03d}"}}})

    return {"GetItem": get_item, "Query 100 items": query, "Scan page of 100 (resumed)": scan_page}


def one_partition_operations(db: Database, size: int, rng: random.Random) -> dict[str, Callable[[], object]]:
    def query_resumed() -> None:
        start = {"pk": {"S": "one"}, "sk": {"S": f"s{rng.randrange(size):07d}"}}
        api.call(db, "Query", {"TableName": ONE_PARTITION_TABLE, "KeyConditionExpression": "pk = :p", "Limit": 10,
                               "ExpressionAttributeValues": {":p": {"S": "one"}}, "ExclusiveStartKey": start})

    def query_range() -> None:
        low = rng.randrange(max(1, size - 10))
        api.call(db, "Query", {"TableName": ONE_PARTITION_TABLE,
                               "KeyConditionExpression": "pk = :p AND sk BETWEEN :low AND :high",
                               "ExpressionAttributeValues": {":p": {"S": "one"}, ":low": {"S": f"s{low:07d}"},
                                                             ":high": {"S": f"s{low + 9:07d}"}}})

    return {"Query page of 10, one partition (resumed)": query_resumed,
            "Query sort-key range of 10, one partition": query_range}


def measure(sizes: Sequence[int], calls: int, log: Callable[[str], None] = print) -> dict[str, dict[int, float]]:
    """Seconds per call of each operation at each size: the many-partition table first,
    then (after it is gone, so neither table's memory slows the other) the one-partition
    table.

    Bound expressions are not kept between calls here (emulator.expressions keeps them by
    placeholder values): a small table has few distinct key values, so its requests would
    repeat and skip binding while a large table's would not, and the ratio would measure
    that instead of how reads grow with the table. Request templates
    (operations.item_requests) are not kept either, for the same reason: a Query's
    template is kept by its members, placeholder values included."""
    saved = expressions._BOUND_VALUE_CHARS, item_requests.MAX_TEMPLATE_CHARS
    expressions._BOUND_VALUE_CHARS = -1  # no request's values are short enough to keep
    item_requests.MAX_TEMPLATE_CHARS = -1  # nor any request's members
    try:
        return _measure(sizes, calls, log)
    finally:
        expressions._BOUND_VALUE_CHARS, item_requests.MAX_TEMPLATE_CHARS = saved


def _measure(sizes: Sequence[int], calls: int, log: Callable[[str], None]) -> dict[str, dict[int, float]]:
    results: dict[str, dict[int, float]] = {}
    for name, make_item, make_operations in ((TABLE, _item, operations),
                                             (ONE_PARTITION_TABLE, _one_partition_item, one_partition_operations)):
        db = Database(clock=ManualClock(0))
        api.call(db, "CreateTable", create_table_request(name))
        table = db.tables[name]
        loaded = 0
        for size in sizes:
            started = time.perf_counter()
            for i in range(loaded, size):
                table.put(normalize_item(make_item(i)))
            loaded = size
            log(f"  {name}: {size:>9,} items loaded in {time.perf_counter() - started:.1f} s")
            for operation, action in make_operations(db, size, random.Random(size)).items():
                results.setdefault(operation, {})[size] = seconds_per_call(action, calls)
        del db, table
    return results


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench growth", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000", help="table sizes, ascending")
    parser.add_argument("--calls", type=int, default=2000, help="calls per round (default 2000)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = measure(sizes, args.calls)
    print(render_growth("Growth: µs per call (target: last/first <= 1.5x)", "operation", "items", results, sizes))
    return 0
