"""Engine-level PutItem/GetItem/DeleteItem throughput for a ~1 KB item (no HTTP, no boto3).

    python bench/item_ops.py [N]

Prints the best of five runs of N operations each, in operations per second of CPU time
(process time, so that other load on the machine does not count).
"""

from __future__ import annotations

import sys
import time

from emulator import Database, api


def item(i: int) -> dict:
    """About 1 KB by DynamoDB's rules: strings, numbers (one not canonical), a set, a map, a list."""
    return {
        "pk": {"S": f"user#{i:08d}"},
        "name": {"S": "x" * 600},
        "count": {"N": str(i)},
        "price": {"N": "12.50"},
        "active": {"BOOL": True},
        "tags": {"SS": ["alpha", "beta", "gamma"]},
        "address": {"M": {"street": {"S": "y" * 200}, "zip": {"N": "12345"}}},
        "history": {"L": [{"S": "z" * 100}, {"N": "1"}, {"N": "2"}]},
    }


def best_rate(operation: str, requests: list[dict], db: Database, runs: int = 5) -> float:
    best = 0.0
    for _ in range(runs):
        start = time.process_time()
        for request in requests:
            api.call(db, operation, request)
        best = max(best, len(requests) / (time.process_time() - start))
    return best


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    db = Database()
    api.call(db, "CreateTable", {
        "TableName": "bench", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    })
    puts = [{"TableName": "bench", "Item": item(i % 5000)} for i in range(count)]
    gets = [{"TableName": "bench", "Key": {"pk": {"S": f"user#{i % 5000:08d}"}}} for i in range(count)]
    from emulator.types import item_size
    print(f"item size {item_size(puts[0]['Item'])} bytes")
    print(f"PutItem {best_rate('PutItem', puts, db):>10,.0f} ops/s")
    print(f"GetItem {best_rate('GetItem', gets, db):>10,.0f} ops/s")


if __name__ == "__main__":
    main()
