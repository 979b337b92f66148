"""How Query and Scan costs grow with table size (run by hand; not a test).

    python bench/query_growth.py [--sizes 1000,10000,100000,1000000] [--repeat 2000]

For each table size n it builds a table p(S)+c(N) of n items (1,000 partitions, or fewer
for small tables), then times, through the public operation functions:

- query10:   a Query returning k = 10 items of a random partition (a BETWEEN range);
- resume:    the same Query resumed from an ExclusiveStartKey in the middle of the range;
- scan_page: a Scan page of Limit=10 resumed from a random ExclusiveStartKey.

Each is the median of --repeat calls after a warm-up. The expected growth is O(log n + k)
for the queries and O(log n + k) for a resumed Scan page, so the ratio to the smallest
table should stay near 1 (a logarithmic factor at most), not grow like n.
The table is filled through Table.put (the write path PutItem ends in) to keep the 1M
build to a minute or so.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from emulator import Database, ManualClock, api
from emulator.types import normalize_item

TABLE = "bench"


def build(size: int) -> Database:
    db = Database(clock=ManualClock(0))
    api.call(db, "CreateTable", {
        "TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"},
                                 {"AttributeName": "c", "AttributeType": "N"}],
    })
    table = db.tables[TABLE]
    partitions = min(1000, max(1, size // 20))
    per_partition = size // partitions
    for p in range(partitions):
        for c in range(per_partition):
            table.put(normalize_item({"p": {"S": f"p{p}"}, "c": {"N": str(c)}, "v": {"S": "x" * 20}}))
    db.extensions["bench_shape"] = (partitions, per_partition)
    return db


def median_seconds(action, repeat: int) -> float:
    for _ in range(min(50, repeat)):
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def operations(db: Database, rng: random.Random):
    partitions, per_partition = db.extensions["bench_shape"]

    def query10() -> None:
        p = f"p{rng.randrange(partitions)}"
        low = rng.randrange(max(1, per_partition - 10))
        response = api.call(db, "Query", {"TableName": TABLE, "KeyConditions": {
            "p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": p}]},
            "c": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": str(low)}, {"N": str(low + 9)}]},
        }})
        assert response["Count"] == min(10, per_partition - low)

    def resume() -> None:
        p = f"p{rng.randrange(partitions)}"
        middle = rng.randrange(per_partition)
        api.call(db, "Query", {"TableName": TABLE, "Limit": 10,
                               "KeyConditions": {"p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": p}]}},
                               "ExclusiveStartKey": {"p": {"S": p}, "c": {"N": str(middle)}}})

    def scan_page() -> None:
        p = f"p{rng.randrange(partitions)}"
        api.call(db, "Scan", {"TableName": TABLE, "Limit": 10,
                              "ExclusiveStartKey": {"p": {"S": p}, "c": {"N": str(rng.randrange(per_partition))}}})

    return {"query10": query10, "resume": resume, "scan_page": scan_page}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    baseline: dict[str, float] = {}
    print(f"{'items':>10} {'operation':>10} {'per op (us)':>12} {'ratio':>7}")
    for size in sizes:
        started = time.perf_counter()
        db = build(size)
        built = time.perf_counter() - started
        rng = random.Random(size)
        for name, action in operations(db, rng).items():
            seconds = median_seconds(action, args.repeat)
            baseline.setdefault(name, seconds)
            print(f"{size:>10} {name:>10} {seconds * 1e6:>12.1f} {seconds / baseline[name]:>7.2f}")
        print(f"{size:>10} {'(build)':>10} {built:>11.1f}s")


if __name__ == "__main__":
    main()
