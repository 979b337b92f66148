"""Micro-benchmark of the expression engine: ``python -m bench expressions``.

Prints microseconds per operation for parsing (cold and cached), binding a request's
placeholders (the same values again, and new values each time, as most programs send
them), evaluating conditions on an item, projecting and applying an update.
Not a test: numbers depend on the machine; compare runs on the same one.
"""

from __future__ import annotations

import statistics
import time
from typing import Callable, Sequence

from emulator.expressions import RequestExpressions, evaluate, parser

ITEM = {
    "pk": {"S": "user#1"}, "n": {"N": "42"}, "s": {"S": "hello world"},
    "tags": {"SS": ["a", "b", "c"]}, "m": {"M": {"x": {"N": "1"}, "l": {"L": [{"S": "q"}, {"N": "2"}]}}},
}
VALUES = {":v": {"N": "40"}, ":p": {"S": "hel"}, ":t": {"S": "b"}, ":one": {"N": "1"}}


def per_call(label: str, fn: Callable[[], object], number: int = 20000, repeat: int = 5) -> None:
    for _ in range(min(number, 1000)):  # warm-up
        fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - start) / number * 1e6)
    print(f"{label:<48} {statistics.median(runs):8.2f} µs")


def main(argv: Sequence[str] = ()) -> int:
    simple = RequestExpressions(None, {":v": VALUES[":v"]}).condition("n > :v")
    complex_ = RequestExpressions(None, {k: VALUES[k] for k in (":v", ":p", ":t")}).condition(
        "n > :v AND begins_with(s, :p) AND (contains(tags, :t) OR attribute_not_exists(m.x))")
    projection = RequestExpressions(None, None).projection("pk, m.l[1], s")
    update = RequestExpressions(None, {":one": VALUES[":one"]}).update("SET n = n + :one, m.x = :one REMOVE s")

    counter = iter(range(10**9))
    per_call("parse, cold (new text each time)",
             lambda: parser.parse("ConditionExpression", f"a{next(counter)} = :v"), number=2000)
    per_call("parse, cached", lambda: parser.parse("ConditionExpression", "n > :v"))
    per_call("bind a request (RequestExpressions + condition)",
             lambda: RequestExpressions(None, {":v": VALUES[":v"]}).condition("n > :v"))
    fresh = iter(range(10**9))
    per_call("bind a condition, new values each time",
             lambda: RequestExpressions(None, {":v": {"N": str(next(fresh))}}).condition("n > :v"))
    per_call("bind a key condition, new values each time",
             lambda: RequestExpressions(None, {":p": {"S": f"user#{next(fresh)}"}, ":a": {"S": "a"}, ":b": {"S": "b"}})
             .key_condition("pk = :p AND sk BETWEEN :a AND :b"))
    per_call("bind an update, new values each time",
             lambda: RequestExpressions({"#n": "name"}, {":n": {"S": f"n{next(fresh)}"}, ":t": {"N": "7"}})
             .update("SET #n = :n, updated = :t"))
    per_call("evaluate simple comparison", lambda: simple.matches(ITEM), number=100000)
    per_call("evaluate via evaluate.matches (node)", lambda: evaluate.matches(simple.node, ITEM), number=100000)
    per_call("evaluate AND/OR with functions", lambda: complex_.matches(ITEM), number=50000)
    per_call("project three paths", lambda: projection.apply(ITEM), number=50000)
    per_call("apply SET/REMOVE update", lambda: update.apply(ITEM), number=50000)
    return 0


if __name__ == "__main__":
    main()
