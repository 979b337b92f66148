"""The emulator's benchmark suite (run by hand; numbers depend on the machine).

``python -m bench`` runs the boto3 workloads against one or more targets and prints
ops/s, p50/p99 and the ratio of every target to the first; ``python -m bench growth``,
``documents``, ``memory``, ``engine``, ``startup``, ``expressions``, ``instructions`` and
``wakeup`` measure the engine and the server directly. ``python -m bench --help`` lists them; bench/RESULTS.md
records a run.

Modules, one job each: :mod:`bench.stats` (timing and tables), :mod:`bench.data` (items
and table layouts), :mod:`bench.targets` (who answers the boto3 clients),
:mod:`bench.workloads` (the timed phases), :mod:`bench.timing` (a phase timed on all
targets at once, in turns), :mod:`bench.runner` (repetitions, ratios),
:mod:`bench.ceiling` (the server behind the ``ceiling`` target), and one module per
subcommand.
"""
