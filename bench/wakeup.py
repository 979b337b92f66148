"""What a request costs a server that has just waited for it: ``protocol.handle`` timed
back to back and right after a wait.

    python -m bench wakeup [--only limits,get,...] [--calls 1000] [--wait-ms 1.2]

Why: over HTTP the server's thread waits about a millisecond for each boto3 call (the
client's own work between calls) and then answers it on a processor whose caches and
branch predictors served something else meanwhile. Run I (bench/RESULTS.md) timed
``protocol.handle`` inside the bench's server at 168 us an UpdateItem, where the same
requests in a loop take ~50 us; the gap between the ``http`` and ``ceiling`` targets is
that time. This measures the effect without sockets or a client: each round sleeps
``--wait-ms``, times one request (after the wait), sends a second at once, and times
a third (back to back). Both kinds of time come from the same stretch of the run, so their
ratio holds while the machine's speed drifts; medians, so the odd preempted call does
not move them.

The table and requests are those of ``python -m bench instructions``; ``limits``
(DescribeLimits: no table, no item) shows the protocol's own share.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Callable, Sequence

from .instructions import OPERATIONS, loaded_sender, request_bodies
from .stats import render


def time_rounds(send: Callable[[str, bytes], None], bodies: Sequence[tuple[str, bytes]],
                wait_seconds: float) -> tuple[list[float], list[float]]:
    """Rounds of three requests: a wait of ``wait_seconds``, the first request (timed:
    after a wait), the second at once (untimed), the third at once (timed: back to back,
    its kind's code and data as warm as a loop keeps them). Returns both lists of seconds;
    bodies left over after the last whole round are not sent."""
    clock = time.perf_counter
    after_wait: list[float] = []
    back_to_back: list[float] = []
    for index in range(0, len(bodies) - 2, 3):
        (first, first_body), (second, second_body), (third, third_body) = bodies[index:index + 3]
        time.sleep(wait_seconds)
        start = clock()
        send(first, first_body)
        after_wait.append(clock() - start)
        send(second, second_body)
        start = clock()
        send(third, third_body)
        back_to_back.append(clock() - start)
    return after_wait, back_to_back


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench wakeup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help=f"comma-separated operations (of {', '.join(OPERATIONS)})")
    parser.add_argument("--calls", type=int, default=1000,
                        help="requests of each operation, a third of them timed after a wait and a third "
                             "back to back (a quarter as many for queries and batches; default 1000)")
    parser.add_argument("--wait-ms", type=float, default=1.2,
                        help="milliseconds slept before each timed pair (default 1.2: a boto3 call's own time)")
    args = parser.parse_args(argv)
    operations = [name for name in (args.only.split(",") if args.only else OPERATIONS) if name]
    unknown = [name for name in operations if name not in OPERATIONS]
    if unknown:
        parser.error(f"unknown operation {unknown[0]!r} (have {', '.join(OPERATIONS)})")
    if args.calls < 3 or args.wait_ms < 0:
        parser.error("--calls must be at least 3 and --wait-ms not negative")
    send = loaded_sender()
    rows = []
    for name in operations:
        count = max(3, round(args.calls * OPERATIONS[name][2]))
        bodies = request_bodies(name, count + 30)
        time_rounds(send, bodies[:30], 0.0)  # the first calls of a kind fill caches of their own
        after_wait, back_to_back = time_rounds(send, bodies[30:], args.wait_ms / 1000)
        waited, direct = statistics.median(after_wait) * 1e6, statistics.median(back_to_back) * 1e6
        rows.append([OPERATIONS[name][0], f"{direct:,.1f}", f"{waited:,.1f}", f"{waited / direct:.1f}x",
                     f"{waited - direct:,.1f}"])
    print(render(f"protocol.handle, median us a request: back to back, and after {args.wait_ms:g} ms asleep",
                 ["operation", "back to back", "after a wait", "ratio", "difference"], rows))
    return 0
