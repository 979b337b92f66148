"""What the server spends answering reads of items not in the processor's caches, with
stored items' JSON texts kept (``server.stored_json``) and without.

    python -m bench coldreads [--items 20000] [--rounds 3]

Why: over HTTP the server answers each read after the client's own work has run through
the caches, so the items it reads are rarely in them; a loop of the same requests shows
the opposite case. Here every timed read comes right after 64 MB were written, which
pushes the table out of the caches. A full Scan (every page) and 100-item Queries are
timed through :func:`server.protocol.handle`, the texts kept and not in alternate
rounds (each round starts with its own untimed pass, which keeps the texts it will use),
so a drift of the machine falls on both alike. Medians of the rounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Callable, Sequence

from .data import create_table_request, item
from .instructions import _HEADERS
from .stats import render

TABLE = "bench-coldreads"
PARTITIONS = 200
#: Bytes written between timed reads: more than the caches of the machines measured.
FLUSH_BYTES = 64 * 1024 * 1024


def _flush_caches() -> None:
    buffer = bytearray(FLUSH_BYTES)
    buffer[::64] = b"\x01" * (FLUSH_BYTES // 64)


def loaded_reader(items: int) -> Callable[[str, dict], tuple[float, dict]]:
    """A fresh engine with :data:`TABLE` holding ``items`` 1 KB items in
    :data:`PARTITIONS` partitions, and a function sending it one request: (seconds in
    ``protocol.handle``, decoded answer)."""
    from emulator.database import Regions
    from server import protocol

    regions = Regions()

    def send(operation: str, request: dict) -> tuple[float, dict]:
        body = json.dumps(request).encode()
        start = time.perf_counter()
        status, _, answer = protocol.handle(regions, f"DynamoDB_20120810.{operation}", body, _HEADERS)
        seconds = time.perf_counter() - start
        if status != 200:
            raise SystemExit(f"{operation} answered {status}: {answer[:300]!r}")
        return seconds, json.loads(answer)

    send("CreateTable", create_table_request(TABLE))
    for start in range(0, items, 25):
        send("BatchWriteItem", {"RequestItems": {TABLE: [
            {"PutRequest": {"Item": item(f"p{i % PARTITIONS:03d}", f"s{i:07d}", i)}}
            for i in range(start, min(start + 25, items))]}})
    return send


def full_scan(send: Callable[[str, dict], tuple[float, dict]]) -> tuple[float, int]:
    """Server seconds for every page of a Scan, and the items it returned."""
    seconds, count, start_key = 0.0, 0, None
    while True:
        request: dict = {"TableName": TABLE}
        if start_key is not None:
            request["ExclusiveStartKey"] = start_key
        spent, answer = send("Scan", request)
        seconds += spent
        count += answer["Count"]
        start_key = answer.get("LastEvaluatedKey")
        if start_key is None:
            return seconds, count


def queries(send: Callable[[str, dict], tuple[float, dict]], count: int) -> list[float]:
    """Server seconds of ``count`` Queries of (up to) 100 items, each in its own partition,
    each after the caches were flushed."""
    spent = []
    for index in range(count):
        _flush_caches()
        seconds, _ = send("Query", {"TableName": TABLE, "Limit": 100,
                                    "KeyConditionExpression": "pk = :p",
                                    "ExpressionAttributeValues": {":p": {"S": f"p{index % PARTITIONS:03d}"}}})
        spent.append(seconds)
    return spent


def main(argv: Sequence[str]) -> int:
    from server import stored_json, wire_json

    parser = argparse.ArgumentParser(prog="python -m bench coldreads", description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=20_000, help="items in the table (default 20000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each kind (default 3)")
    parser.add_argument("--queries", type=int, default=20, help="Queries timed per round (default 20)")
    args = parser.parse_args(argv)
    if args.items < 1 or args.rounds < 1 or args.queries < 1:
        parser.error("--items, --rounds and --queries must be at least 1")
    if not wire_json.ACCELERATED:
        print("python -m bench coldreads compares kept texts, which need orjson", flush=True)
        return 1
    answers = stored_json.ANSWERS
    budget = answers.budget or stored_json.DEFAULT_BUDGET_BYTES
    send = loaded_reader(args.items)
    scans: dict[str, list[float]] = {"kept": [], "whole": []}
    query_medians: dict[str, list[float]] = {"kept": [], "whole": []}
    try:
        for _ in range(args.rounds):
            for kind in scans:
                answers.set_budget(0)  # drops every text kept
                answers.set_budget(budget if kind == "kept" else 0)
                _, found = full_scan(send)  # untimed: keeps the texts the round reads
                if found != args.items:
                    raise SystemExit(f"the Scan found {found} of {args.items} items")
                _flush_caches()
                scans[kind].append(full_scan(send)[0])
                query_medians[kind].append(statistics.median(queries(send, args.queries)))
    finally:
        answers.set_budget(budget)
    rows = [[f"Scan, every page of {args.items:,} items (ms)",
             *(f"{statistics.median(scans[kind]) * 1e3:,.1f}" for kind in scans)],
            ["Query of 100 items (us)", *(f"{statistics.median(query_medians[kind]) * 1e6:,.0f}" for kind in scans)]]
    print(render("protocol.handle with cold caches, median of the rounds",
                 ["read", "texts kept", "written whole"], rows))
    return 0
