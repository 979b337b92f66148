"""``python -m bench [SUBCOMMAND] [options]``: see :mod:`bench` and ``--help``.

Subcommands: (none) the boto3 workloads on targets; ``growth``, ``documents``, ``memory``, ``engine``,
``startup``, ``expressions``, ``instructions``, ``wakeup``, ``coldreads`` (each has its own ``--help``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

SUBCOMMANDS = ("growth", "documents", "memory", "engine", "startup", "expressions", "instructions", "wakeup",
               "coldreads")


def workloads_main(argv: Sequence[str]) -> int:
    from . import runner
    from .targets import parse_target
    from .workloads import WORKLOADS, Sizes

    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="boto3 workloads against one or more targets: ops/s, p50/p99, ratio to the first target. "
                    f"Other subcommands: {', '.join(SUBCOMMANDS)} (python -m bench SUBCOMMAND --help).")
    parser.add_argument("--target", action="append", default=[], metavar="SPEC",
                        help="inprocess | floor | http (the emulator's server in a subprocess) | ceiling (that "
                             "server replaying recorded answers: the most any server can get through boto3) | NAME=URL | "
                             "NAME=run:COMMAND (with {port}); repeatable, the first is the baseline "
                             "(default: inprocess, floor, http)")
    parser.add_argument("--only", default="", help=f"comma-separated workloads (of {', '.join(WORKLOADS)})")
    parser.add_argument("--skip", default="", help="comma-separated workloads to leave out")
    parser.add_argument("--repetitions", "--reps", type=int, default=3, help="runs per workload and target (default 3)")
    parser.add_argument("--calls", type=float, default=1.0, help="scale of the number of timed calls (default 1)")
    parser.add_argument("--data", type=float, default=1.0,
                        help="scale of the datasets: 10k-item partition, 20k-item scan (default 1)")
    parser.add_argument("--max-seconds", type=float, default=5.0, help="cap on one timed phase (default 5)")
    parser.add_argument("--threads", type=int, default=4, help="clients in the concurrent workload (default 4)")
    parser.add_argument("--quick", action="store_true",
                        help="one repetition, a quarter of the calls, 2 s phase cap (well under 2 minutes)")
    parser.add_argument("--sequential", action="store_true",
                        help="each target runs a workload's timed phases alone, one target after the other "
                             "(default: the targets take turns in 0.25 s slices of each phase)")
    parser.add_argument("--json", help="write the results as JSON here")
    parser.add_argument("--markdown", help="write the tables as markdown here")
    args = parser.parse_args(argv)
    if args.quick:
        args.repetitions, args.calls, args.max_seconds = 1, 0.25, 2.0
    workloads = [w for w in (args.only.split(",") if args.only else WORKLOADS) if w]
    unknown = [w for w in workloads if w not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload {unknown[0]!r} (have {', '.join(WORKLOADS)})")
    workloads = [w for w in workloads if w not in set(args.skip.split(","))]
    targets = []
    try:
        for spec in args.target or ["inprocess", "floor", "http"]:
            targets.append(parse_target(spec))
        names = [t.name for t in targets]
        if len(set(names)) != len(names):
            parser.error("target names must be unique")
        return runner.main(targets, workloads, Sizes(args.calls, args.data, args.max_seconds, args.threads),
                           args.repetitions, args.json, args.markdown, interleave=not args.sequential)
    except ValueError as error:
        parser.error(str(error))
    finally:
        for target in targets:
            target.close()
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        import importlib

        return importlib.import_module(f"bench.{argv[0]}").main(argv[1:]) or 0
    return workloads_main(argv)


if __name__ == "__main__":
    sys.exit(main())
