"""Memory per stored item: a table of ``--items`` 1 KB items (by DynamoDB's size rules)
written with PutItem from JSON-decoded requests, as the server stores them. Target
(issue 8): no more than 3 KB per 1 KB item.

    python -m bench memory [--items 100000]

Two measures, each in a fresh subprocess: ``tracemalloc`` (bytes the Python allocator
handed out, net, while the items were written) and the RSS growth of the process.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
from typing import Sequence

from .data import create_table_request, item
from .stats import render

TABLE = "bench-memory"


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        import os

        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


LAYOUTS = {"one item per partition": 1, "100 items per partition": 100}


def measure(count: int, method: str, per_partition: int = 1) -> dict:
    """Bytes per item by ``method`` ("tracemalloc" or "rss"), measured in this process,
    with ``per_partition`` items sharing each partition key."""
    from emulator import Database, api
    from emulator.types import item_size

    db = Database()
    api.call(db, "CreateTable", create_table_request(TABLE))
    encoded = [json.dumps({"TableName": TABLE, "Item": item(f"p{i // 100:06d}", f"s{i % 100:03d}", i)})
               for i in range(min(count, 1000))]  # templates; keys differ per item below
    sample = json.loads(encoded[0])["Item"]
    gc.collect()
    if method == "tracemalloc":
        import tracemalloc

        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
    else:
        before = _rss_bytes()
    for i in range(count):
        request = json.loads(encoded[i % len(encoded)])
        request["Item"]["pk"] = {"S": f"q{i // per_partition:08d}"}  # a new item each time
        request["Item"]["sk"] = {"S": f"s{i % per_partition:08d}"}
        api.call(db, "PutItem", request)
    del request
    gc.collect()
    after = tracemalloc.get_traced_memory()[0] if method == "tracemalloc" else _rss_bytes()
    assert len(db.tables[TABLE].items) == count
    return {"method": method, "items": count, "item_size": item_size(sample), "bytes_per_item": (after - before) / count}


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench memory", description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--method", choices=("tracemalloc", "rss"), help=argparse.SUPPRESS)
    parser.add_argument("--per-partition", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.method:  # the child process
        print(json.dumps(measure(args.items, args.method, args.per_partition)))
        return 0
    rows = []
    for layout, per_partition in LAYOUTS.items():
        for method in ("tracemalloc", "rss"):
            output = subprocess.run([sys.executable, "-m", "bench", "memory", "--items", str(args.items),
                                     "--method", method, "--per-partition", str(per_partition)],
                                    capture_output=True, text=True, check=True).stdout
            result = json.loads(output.strip().splitlines()[-1])
            per_item = result["bytes_per_item"]
            rows.append([layout, method, f"{result['items']:,}", str(result["item_size"]), f"{per_item:,.0f}",
                         f"{per_item / result['item_size']:.2f}x", "met" if per_item <= 3 * 1024 else "MISSED"])
    print(render("Memory per stored item (target <= 3 KB per 1 KB item)",
                 ["layout", "method", "items", "item size (B)", "bytes per item", "per item byte", ""], rows))
    return 0
