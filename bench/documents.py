"""How an UpdateItem's cost grows with the attribute it writes: appending to a list,
a counter in a map, a member added to or taken from a set of numbers, a list element
replaced, each on an attribute of 10, 1,000 and 10,000 elements. DynamoDB's latency
does not depend on it; the emulator's should not either, beyond one copy (in C) of the
container written into.

    python -m bench documents [--sizes 10,1000,10000] [--calls 200]

Engine level (``api.call``); each figure is the median of five rounds of ``--calls``
updates of one item. The item is put again before each update kind, so every kind
starts from an attribute of the stated size (appends grow it by at most one element a
call, ``--calls`` x 6 in all, which is small beside the larger sizes).
"""

from __future__ import annotations

import argparse
from typing import Any, Callable, Sequence

from emulator import Database, ManualClock, api

from .stats import render_growth, seconds_per_call

TABLE = "bench-documents"
KEY = {"pk": {"S": "document"}}


def document(size: int) -> dict:
    """An item holding a list, a map of maps and a number set, each of ``size`` elements
    (the list's strings are short, so that 10,000 of them fit in 400 KB beside the rest)."""
    return {
        **KEY,
        "events": {"L": [{"S": f"e{i}"} for i in range(size)]},
        "counters": {"M": {f"c{i}": {"M": {"n": {"N": str(i)}}} for i in range(size)}},
        "seen": {"NS": [str(i * 7) for i in range(size)]},
    }


#: (name, UpdateExpression, ExpressionAttributeValues)
UPDATES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("SET list_append (append to the list)", "SET events = list_append(events, :e)", {":e": {"L": [{"S": "new"}]}}),
    ("SET a counter in the map", "SET counters.c5.n = counters.c5.n + :one", {":one": {"N": "1"}}),
    ("ADD a counter in the map", "ADD counters.c7.n :one", {":one": {"N": "1"}}),
    ("SET a list element", "SET events[3] = :e", {":e": {"S": "replaced"}}),
    ("ADD a member to the number set", "ADD seen :n", {":n": {"NS": ["-1"]}}),
    ("DELETE a member of the number set", "DELETE seen :n", {":n": {"NS": ["7"]}}),
)


def measure(sizes: Sequence[int], calls: int) -> dict[str, dict[int, float]]:
    """Seconds per UpdateItem of each kind at each attribute size."""
    db = Database(clock=ManualClock(0))
    api.call(db, "CreateTable", {
        "TableName": TABLE, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"})
    results: dict[str, dict[int, float]] = {}
    for size in sizes:
        item = document(size)
        for name, text, values in UPDATES:
            api.call(db, "PutItem", {"TableName": TABLE, "Item": item})
            request = {"TableName": TABLE, "Key": KEY, "UpdateExpression": text, "ExpressionAttributeValues": values}
            results.setdefault(name, {})[size] = seconds_per_call(_caller(db, request), calls)
    return results


def _caller(db: Database, request: dict) -> Callable[[], object]:
    return lambda: api.call(db, "UpdateItem", request)


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench documents", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,1000,10000", help="elements in each attribute, ascending")
    parser.add_argument("--calls", type=int, default=200, help="updates per round (default 200)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = measure(sizes, args.calls)
    print(render_growth("UpdateItem: µs per call by the size of the attribute written", "UpdateItem", "elements",
                        results, sizes))
    return 0
