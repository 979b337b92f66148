"""How the cost of one operation grows with the table: engine-level GetItem, a 100-item
Query (one whole partition) and a resumed 100-item Scan page at 1k, 10k, 100k and 1M
items. DynamoDB's cost is O(log n) here; target (issue 8): no more than 1.5x slower at
1M items than at 1k.

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

from emulator import Database, ManualClock, api
from emulator.types import normalize_item

from .data import create_table_request, item
from .stats import render, seconds_per_call

TABLE = "bench-growth"
PER_PARTITION = 100


def _item(i: int) -> dict:
    return item(f"g{i // PER_PARTITION:06d}", f"s{i % PER_PARTITION:03d}", i, data_len=130)


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


def measure(sizes: Sequence[int], calls: int, log: Callable[[str], None] = print) -> dict[str, dict[int, float]]:
    """Seconds per call of each operation at each size."""
    db = Database(clock=ManualClock(0))
    api.call(db, "CreateTable", create_table_request(TABLE))
    table = db.tables[TABLE]
    results: dict[str, dict[int, float]] = {}
    loaded = 0
    for size in sizes:
        started = time.perf_counter()
        for i in range(loaded, size):
            table.put(normalize_item(_item(i)))
        loaded = size
        log(f"  {size:>9,} items loaded in {time.perf_counter() - started:.1f} s")
        for name, action in operations(db, size, random.Random(size)).items():
            results.setdefault(name, {})[size] = seconds_per_call(action, calls)
    return results


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench growth", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000", help="table sizes, ascending")
    parser.add_argument("--calls", type=int, default=2000, help="calls per round (default 2000)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = measure(sizes, args.calls)
    rows = []
    for name, per_size in results.items():
        base = per_size[sizes[0]]
        rows.append([name] + [f"{per_size[s] * 1e6:.1f}" for s in sizes] + [f"{per_size[sizes[-1]] / base:.2f}x"])
    header = ["operation"] + [f"{s:,} items (µs)" for s in sizes] + [f"{sizes[-1]:,} vs {sizes[0]:,}"]
    print(render("Growth: µs per call (target: last/first <= 1.5x)", header, rows))
    return 0
