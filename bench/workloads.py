"""The timed boto3 workloads. Each one makes its own table, loads it untimed, asks for one
or more timed phases and deletes the table; it returns ``{phase: summary}`` (see
:func:`bench.stats.summarize`), with ``check`` set when the answers were wrong.

A workload is a generator: ``summary = yield Phase(calls, warmup)`` hands the calls to
time to its driver (:mod:`bench.runner`), which times them, alone or in slices taking
turns with the same phase of the other targets, and sends back their summary. The
concurrent clients time themselves (``yield Whole(measure)``).

Phases: ``put``, ``get``, ``update`` (SET with arithmetic and list_append under a
condition), ``query-range`` (100 items of a 10k-item partition), ``query-paged`` (the whole
partition, page by page, through a filter keeping 10%), ``scan`` (every page of a 20k-item
table), ``batch-write`` (25 puts a call), ``batch-get`` (100 keys a call), ``gsi-query``
(one index partition of ~100 items) and ``concurrent`` (4 clients on 4 threads mixing
GetItem and PutItem).
"""

from __future__ import annotations

import contextlib
import gc
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Generator, Iterator, Union

from .data import GSI_NAME, item, key, load, paged
from .stats import summarize
from .targets import Target


@dataclass
class Sizes:
    """How much work a run does: ``calls`` scales the number of timed calls, ``data`` the
    datasets (10k-item partition, 20k-item table); ``max_seconds`` caps one phase."""

    calls: float = 1.0
    data: float = 1.0
    max_seconds: float = 5.0
    threads: int = 4

    def n(self, count: int) -> int:
        return max(1, round(count * self.calls))

    def items(self, count: int, minimum: int = 200) -> int:
        return max(minimum, round(count * self.data))


@dataclass
class Phase:
    """A timed phase a workload asks for: ``warmup`` runs untimed, then ``calls`` are timed
    one by one until they run out, or the phase has run ``max_seconds`` (and at least
    ``min_calls``), so a slow target cannot take minutes while its ops/s stays comparable.
    ``extra`` goes into the summary."""

    calls: list[Callable[[], Any]]
    warmup: list[Callable[[], Any]]
    min_calls: int = 20
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Whole:
    """A phase that times itself (threads of clients): ``measure()`` returns its summary."""

    measure: Callable[[], dict]


#: What a workload is: it yields phases and is sent their summaries.
Workload = Generator[Union[Phase, Whole], dict, dict]


@contextlib.contextmanager
def _fresh_table(target: Target, name: str, gsi: bool = False) -> Iterator[tuple[Any, str]]:
    """A client and a new table of ``target`` for one workload; the table is deleted after."""
    client = target.client()
    table = target.create_table(client, name, gsi=gsi)
    try:
        yield client, table
    finally:
        target.delete_table(client, table)


def _check(condition: bool, message: str) -> str:
    return "ok" if condition else message


def put(target: Target, sizes: Sizes) -> Workload:
    with _fresh_table(target, "put") as (client, table):
        items = [item(f"p{i % 100:03d}", f"s{i:08d}", i) for i in range(sizes.n(2000))]
        warm = [item("w", f"w{i:05d}", i) for i in range(50)]
        call = client.put_item
        return {"put": (yield Phase([lambda it=it: call(TableName=table, Item=it) for it in items],
                                    [lambda it=it: call(TableName=table, Item=it) for it in warm]))}


def get(target: Target, sizes: Sizes) -> Workload:
    with _fresh_table(target, "get") as (client, table):
        items = [item(f"p{i % 100:03d}", f"s{i:08d}", i) for i in range(2000)]
        load(client, table, items)
        rng = random.Random(1)
        keys = [key(items[rng.randrange(len(items))]) for _ in range(sizes.n(3000))]
        call = client.get_item
        found = call(TableName=table, Key=keys[0]).get("Item")
        check = _check(found is not None and found["sk"] == keys[0]["sk"], "GetItem returned the wrong item")
        return {"get": (yield Phase([lambda k=k: call(TableName=table, Key=k) for k in keys],
                                    [lambda k=k: call(TableName=table, Key=k) for k in keys[:50]],
                                    extra={"check": check}))}


UPDATE = {
    "UpdateExpression": "SET #a = #a + :one, #l = list_append(#l, :x)",
    "ConditionExpression": "attribute_exists(pk)",
    "ExpressionAttributeNames": {"#a": "a", "#l": "l"},
    "ExpressionAttributeValues": {":one": {"N": "1"}, ":x": {"L": [{"S": "x"}]}},
}


def update(target: Target, sizes: Sizes) -> Workload:
    with _fresh_table(target, "update") as (client, table):
        items = [item(f"p{i % 50:03d}", f"s{i:08d}", i) for i in range(1000)]
        load(client, table, items)
        rng = random.Random(2)
        chosen = [rng.randrange(len(items)) for _ in range(sizes.n(2000))]
        call = client.update_item
        summary = yield Phase([lambda k=key(items[j]): call(TableName=table, Key=k, **UPDATE) for j in chosen],
                              [lambda k=key(items[j]): call(TableName=table, Key=k, **UPDATE) for j in range(50)])
        check = "ok"
        if not target.replays:
            first = chosen[0]
            expected = chosen[:summary["n"]].count(first) + (first < 50)
            stored = client.get_item(TableName=table, Key=key(items[first]), ConsistentRead=True)["Item"]
            check = _check(int(stored["a"]["N"]) == expected and len(stored["l"]["L"]) == expected,
                           f"update applied {stored['a']['N']} times, expected {expected}")
        summary["check"] = check
        return {"update": summary}


def query(target: Target, sizes: Sizes) -> Workload:
    with _fresh_table(target, "query") as (client, table):
        count = sizes.items(10_000)
        items = [item("P", f"s{i:06d}", i) for i in range(count)]
        load(client, table, items)
        call = client.query
        rng = random.Random(3)
        starts = [rng.randrange(count - 100) for _ in range(sizes.n(300))]

        def range_query(start: int) -> Callable[[], dict]:
            return lambda: call(TableName=table, KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
                                ExpressionAttributeValues={":p": {"S": "P"}, ":a": {"S": f"s{start:06d}"},
                                                           ":b": {"S": f"s{start + 99:06d}"}})

        got = range_query(starts[0])()["Count"]
        phases = {"query-range": (yield Phase(
            [range_query(s) for s in starts], [range_query(s) for s in starts[:20]],
            extra={"items_per_call": 100, "check": _check(got == 100, f"range Query returned {got} items, not 100")}))}
        arguments = {"TableName": table, "KeyConditionExpression": "pk = :p", "FilterExpression": "f = :z",
                     "ExpressionAttributeValues": {":p": {"S": "P"}, ":z": {"N": "3"}}}
        results: list[tuple[int, int, int]] = []

        def full_query() -> None:
            results.append(paged(call, arguments))

        summary = yield Phase([full_query] * sizes.n(5), [full_query] if target.replays else [], min_calls=2)
        pages, matched, scanned = results[-1]
        summary.update(pages=pages, items_per_call=scanned, check=_check(
            matched == count // 10 and scanned == count, f"paged Query found {matched}/{scanned}"))
        phases["query-paged"] = summary
        return phases


def scan(target: Target, sizes: Sizes) -> Workload:
    with _fresh_table(target, "scan") as (client, table):
        count = sizes.items(20_000)
        load(client, table, [item(f"p{i % 500:04d}", f"s{i:08d}", i) for i in range(count)])
        results: list[tuple[int, int, int]] = []

        def full_scan() -> None:
            results.append(paged(client.scan, {"TableName": table}))

        summary = yield Phase([full_scan] * sizes.n(3), [full_scan] if target.replays else [], min_calls=1)
        pages, found, _ = results[-1]
        summary.update(pages=pages, items_per_call=found,
                       check=_check(found == count, f"Scan returned {found} items, not {count}"))
        return {"scan": summary}


def batch(target: Target, sizes: Sizes) -> Workload:
    with _fresh_table(target, "batch") as (client, table):
        calls = sizes.n(300)
        items = [item(f"p{i % 200:03d}", f"s{i:08d}", i) for i in range(calls * 25 + 250)]
        write = client.batch_write_item

        def write_call(chunk: list[dict]) -> Callable[[], None]:
            def run() -> None:
                left = write(RequestItems={table: [{"PutRequest": {"Item": it}} for it in chunk]}).get("UnprocessedItems")
                if left:
                    load(client, table, [request["PutRequest"]["Item"] for request in left[table]])
            return run

        writes = [write_call(items[i:i + 25]) for i in range(250, len(items), 25)]
        phases = {"batch-write": (yield Phase(writes, [write_call(items[i:i + 25]) for i in range(0, 250, 25)],
                                              extra={"items_per_call": 25}))}
        # What a capped phase left out; a replaying target only pretended to write: all of it.
        load(client, table, items if target.replays else items[250 + 25 * phases["batch-write"]["n"]:])
        rng = random.Random(4)
        fetched = [0]

        def get_call(indexes: list[int]) -> Callable[[], None]:
            keys = [key(items[j]) for j in indexes]

            def run() -> None:
                request: dict = {table: {"Keys": keys}}
                while request:
                    response = client.batch_get_item(RequestItems=request)
                    fetched[0] += len(response["Responses"].get(table, ()))
                    request = response.get("UnprocessedKeys") or {}
            return run

        gets = [get_call(rng.sample(range(len(items)), 100)) for _ in range(sizes.n(200))]
        gets[0]()
        check = _check(fetched[0] == 100, f"BatchGetItem returned {fetched[0]} items, not 100")
        phases["batch-get"] = yield Phase(gets, gets[:5], extra={"items_per_call": 100, "check": check})
        return phases


def gsi(target: Target, sizes: Sizes) -> Workload:
    with _fresh_table(target, "gsi", gsi=True) as (client, table):
        count = sizes.items(1500)
        groups = max(1, count // 100)
        items = [item(f"p{i % 100:03d}", f"s{i:08d}", i, gpk=f"g{i % groups:03d}", gsk=f"{i:08d}")
                 for i in range(count)]
        load(client, table, items)
        call = client.query
        rng = random.Random(5)

        def index_query(group: int) -> Callable[[], dict]:
            return lambda: call(TableName=table, IndexName=GSI_NAME, KeyConditionExpression="gpk = :g",
                                ExpressionAttributeValues={":g": {"S": f"g{group:03d}"}})

        expected = sum(1 for it in items if it["gpk"]["S"] == "g000")
        got = index_query(0)()["Count"]
        chosen = [rng.randrange(groups) for _ in range(sizes.n(300))]
        return {"gsi-query": (yield Phase(
            [index_query(g) for g in chosen], [index_query(g) for g in chosen[:20]],
            extra={"items_per_call": expected,
                   "check": _check(got == expected, f"GSI Query returned {got} items, not {expected}")}))}


def concurrent(target: Target, sizes: Sizes) -> Workload:
    """``threads`` clients, each on its own thread, half GetItem, half PutItem; ops/s is
    the total over the wall time from the common start to the last thread's end."""
    with _fresh_table(target, "concurrent") as (client, table):
        items = [item(f"p{i % 100:03d}", f"s{i:08d}", i) for i in range(2000)]
        load(client, table, items)
        threads = sizes.threads
        clients = [target.client() for _ in range(threads)]
        plans = []
        for number in range(threads):
            rng = random.Random(100 + number)
            plans.append([("get", key(items[rng.randrange(len(items))])) if rng.random() < 0.5
                          else ("put", item(f"t{number}", f"s{k:08d}", k)) for k in range(sizes.n(750) + 20)])
        latencies: list[list[float]] = [[] for _ in range(threads)]
        spans = [(0.0, 0.0)] * threads
        errors: list[str] = []
        barrier = threading.Barrier(threads + 1)

        def run(number: int) -> None:
            try:
                get_item, put_item = clients[number].get_item, clients[number].put_item

                def one(kind: str, argument: dict) -> None:
                    if kind == "get":
                        get_item(TableName=table, Key=argument)
                    else:
                        put_item(TableName=table, Item=argument)

                for kind, argument in plans[number][:20]:
                    one(kind, argument)
                barrier.wait()
                clock, mine = time.perf_counter, latencies[number]
                start = clock()
                for kind, argument in plans[number][20:]:
                    before = clock()
                    one(kind, argument)
                    after = clock()
                    mine.append(after - before)
                    if len(mine) >= 20 and after - start > sizes.max_seconds:
                        break
                spans[number] = (start, clock())
            except Exception as error:  # noqa: BLE001 - reported after the join
                errors.append(repr(error))
                barrier.abort()

        def measure() -> dict:
            workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
            for worker in workers:
                worker.start()
            gc.collect()
            target.phase()
            try:
                cpu = time.process_time()
                try:
                    barrier.wait()
                except threading.BrokenBarrierError:
                    pass
                for worker in workers:
                    worker.join()
                cpu = time.process_time() - cpu
            finally:
                target.end_phase()
            if errors:
                raise RuntimeError(f"a concurrent client failed: {errors[0]}")
            wall = max(end for _, end in spans) - min(start for start, _ in spans)
            return summarize([x for mine in latencies for x in mine], wall, cpu, threads=threads)

        return {"concurrent": (yield Whole(measure))}


WORKLOADS: dict[str, Callable[[Target, Sizes], Workload]] = {
    "put": put, "get": get, "update": update, "query": query, "scan": scan,
    "batch": batch, "gsi": gsi, "concurrent": concurrent,
}
