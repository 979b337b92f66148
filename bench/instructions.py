"""Instructions per request through the wire protocol, counted by valgrind (callgrind).

    python -m bench instructions [--only put,get,...] [--calls 200]

Timings on a shared or virtual machine swing by tens of percent from one minute to the
next (bench/RESULTS.md has runs where the boto3 floor's own speed varied 1.6x within an
hour), so a change of 5% cannot be seen in them. The number of instructions a request
executes does not depend on the machine's load: this counts them for each operation,
through :func:`server.protocol.handle` (JSON in, signature check, the engine, JSON and
CRC out), which makes it the measure to compare two versions of the code by.

Each operation runs in a child Python under ``valgrind --tool=callgrind`` twice, with
``--calls`` requests and with five times as many; the difference divided by the extra
requests is what one request costs, without the start-up and the table's loading, which
both runs share. Needs valgrind (``apt install valgrind``); about five minutes in all.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from typing import Callable, Sequence

from .data import create_table_request, item
from .stats import render
from .targets import REPO
from .workloads import UPDATE

_HEADERS = {
    "Content-Type": "application/x-amz-json-1.0",
    "X-Amz-Date": "20260101T000000Z",
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                     "Signature=2c3b5e2f0a4e7d9b1c8f6a5d4e3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a291",
}
TABLE = "bench-instructions"
#: Items loaded into the table's one partition before the counted requests.
LOADED = 2000


def _limits(n: int) -> list[tuple[str, dict]]:
    return [("DescribeLimits", {})] * n


def _put(n: int) -> list[tuple[str, dict]]:
    return [("PutItem", {"TableName": TABLE, "Item": item(f"p{i % 100:03d}", f"new{i:08d}", i)}) for i in range(n)]


def _get(n: int) -> list[tuple[str, dict]]:
    return [("GetItem", {"TableName": TABLE, "Key": {"pk": {"S": "P"}, "sk": {"S": f"s{(i * 7) % LOADED:06d}"}}})
            for i in range(n)]


def _update(n: int) -> list[tuple[str, dict]]:
    return [("UpdateItem", {"TableName": TABLE, "Key": {"pk": {"S": "P"}, "sk": {"S": f"s{(i * 7) % LOADED:06d}"}},
                            **UPDATE}) for i in range(n)]


def _update_values(n: int) -> list[tuple[str, dict]]:
    """An update as programs mostly send one: new values in each request (a status and a
    timestamp), which no kept product of an earlier request can serve."""
    return [("UpdateItem", {
        "TableName": TABLE, "Key": {"pk": {"S": "P"}, "sk": {"S": f"s{(i * 7) % LOADED:06d}"}},
        "UpdateExpression": "SET #s = :s, updated = :t", "ConditionExpression": "attribute_exists(pk) AND n < :max",
        "ExpressionAttributeNames": {"#s": "status"},
        "ExpressionAttributeValues": {":s": {"S": f"state-{i}"}, ":t": {"N": str(1764000000 + i)},
                                      ":max": {"N": "100000"}}}) for i in range(n)]


def _query(n: int) -> list[tuple[str, dict]]:
    requests = []
    for i in range(n):
        start = (i * 37) % (LOADED - 100)
        requests.append(("Query", {
            "TableName": TABLE, "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
            "ExpressionAttributeValues": {":p": {"S": "P"}, ":a": {"S": f"s{start:06d}"},
                                          ":b": {"S": f"s{start + 99:06d}"}}}))
    return requests


def _batch_write(n: int) -> list[tuple[str, dict]]:
    return [("BatchWriteItem", {"RequestItems": {TABLE: [
        {"PutRequest": {"Item": item(f"b{b % 100:03d}", f"s{b:06d}{i:02d}", i)}} for i in range(25)]}})
        for b in range(n)]


def _transact_write(n: int) -> list[tuple[str, dict]]:
    """Ten puts in a transaction, with the ClientRequestToken boto3 gives every one."""
    return [("TransactWriteItems", {"ClientRequestToken": f"token-{b:08d}", "TransactItems": [
        {"Put": {"TableName": TABLE, "Item": item(f"t{b % 100:03d}", f"s{b:06d}{i:02d}", i)}} for i in range(10)]})
        for b in range(n)]


#: name -> (description, the requests of n calls, how many calls --calls means for it).
OPERATIONS: dict[str, tuple[str, Callable[[int], list[tuple[str, dict]]], float]] = {
    "limits": ("DescribeLimits (no table: the protocol's own cost)", _limits, 1.0),
    "put": ("PutItem 1 KB", _put, 1.0),
    "get": ("GetItem 1 KB", _get, 1.0),
    "update": ("UpdateItem (SET arithmetic + list_append, condition)", _update, 1.0),
    "update-values": ("UpdateItem (SET, condition), new values each time", _update_values, 1.0),
    "query": ("Query 100 items of 1 KB", _query, 0.25),
    "batch-write": ("BatchWriteItem 25 items of 1 KB", _batch_write, 0.25),
    "transact-write": ("TransactWriteItems 10 puts of 1 KB, with a token", _transact_write, 0.25),
}


def loaded_sender() -> Callable[[str, bytes], None]:
    """An engine with :data:`TABLE` created and :data:`LOADED` items in it, and a function
    sending it one request (operation name, JSON body) through :func:`server.protocol.handle`;
    an answer other than 200 ends the process."""
    from emulator.database import Regions
    from server import protocol

    regions = Regions()
    handle = protocol.handle

    def send(name: str, body: bytes) -> None:
        status, _, answer = handle(regions, f"DynamoDB_20120810.{name}", body, _HEADERS)
        if status != 200:
            raise SystemExit(f"{name} answered {status}: {answer[:300]!r}")

    send("CreateTable", json.dumps(create_table_request(TABLE)).encode())
    for start in range(0, LOADED, 25):
        send("BatchWriteItem", json.dumps({"RequestItems": {TABLE: [
            {"PutRequest": {"Item": item("P", f"s{i:06d}", i)}} for i in range(start, start + 25)]}}).encode())
    return send


def request_bodies(operation: str, count: int) -> list[tuple[str, bytes]]:
    """``count`` requests of ``operation`` (a key of :data:`OPERATIONS`) as (name, JSON body)."""
    return [(name, json.dumps(request).encode()) for name, request in OPERATIONS[operation][1](count)]


def child(operation: str, calls: int, prepared: int) -> int:
    """The counted process: load the table, make ``prepared`` request bodies (as many in
    both runs), then send the first ``calls`` of them."""
    send = loaded_sender()
    for name, body in request_bodies(operation, prepared)[:calls]:
        send(name, body)
    return 0


def _count(operation: str, calls: int, prepared: int) -> int:
    """Instructions callgrind counted for a child sending ``calls`` of ``prepared`` requests."""
    completed = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-m", "bench", "instructions", "--child", operation, str(calls), str(prepared)],
        # A fixed hash seed: string hashes decide dict and set probing, which moved a
        # GetItem's count by ~8% from one run to the next.
        cwd=REPO, capture_output=True, text=True, check=False, env={**os.environ, "PYTHONHASHSEED": "0"})
    found = re.search(r"Collected\s*:\s*(\d+)", completed.stderr)
    if completed.returncode != 0 or found is None:
        raise RuntimeError(f"valgrind run of {operation} failed: {completed.stderr[-600:]}")
    return int(found.group(1))


def per_call(operation: str, calls: int) -> float:
    few = max(1, round(calls * OPERATIONS[operation][2]))
    return (_count(operation, few * 5, few * 5) - _count(operation, few, few * 5)) / (few * 4)


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench instructions", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help=f"comma-separated operations (of {', '.join(OPERATIONS)})")
    parser.add_argument("--calls", type=int, default=200, help="requests in the smaller run (default 200)")
    parser.add_argument("--child", nargs=3, metavar=("OPERATION", "CALLS", "PREPARED"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child[0], int(args.child[1]), int(args.child[2]))
    operations = [name for name in (args.only.split(",") if args.only else OPERATIONS) if name]
    unknown = [name for name in operations if name not in OPERATIONS]
    if unknown:
        parser.error(f"unknown operation {unknown[0]!r} (have {', '.join(OPERATIONS)})")
    if shutil.which("valgrind") is None:
        print("python -m bench instructions needs valgrind (apt install valgrind)", file=sys.stderr)
        return 1
    rows = [[OPERATIONS[name][0], f"{per_call(name, args.calls) / 1000:,.0f}k"] for name in operations]
    print(render("Instructions per request through protocol.handle (callgrind)", ["operation", "instructions"], rows))
    return 0
