"""Every benchmark workload runs once, tiny, through the in-process target, so the suite
cannot rot unnoticed. No timing is asserted: only that each phase ran and that the
answers the workloads check (counts, update results) were right."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root holds bench/

from bench import engine, growth  # noqa: E402
from bench.runner import aggregate, report, run  # noqa: E402
from bench.targets import FloorTarget, InProcessTarget  # noqa: E402
from bench.workloads import WORKLOADS, Sizes  # noqa: E402

TINY = Sizes(calls=0.005, data=0.01, max_seconds=1.0, threads=2)


@pytest.fixture(scope="module")
def results():
    targets = [InProcessTarget()]
    try:
        return aggregate(run(targets, list(WORKLOADS), TINY, repetitions=1), [t.name for t in targets])
    finally:
        for target in targets:
            target.close()


PHASES = ["put", "get", "update", "query-range", "query-paged", "scan", "batch-write", "batch-get",
          "gsi-query", "concurrent"]


@pytest.mark.parametrize("phase", PHASES)
def test_bench_phase_runs_with_right_answers(results, phase):
    summary = results[phase]["inprocess"]
    assert "error" not in summary and "check" not in summary, summary
    assert summary["ops_s"] > 0 and summary["ratio"] == 1.0


def test_bench_floor_replays_recorded_answers():
    # The floor answers timed calls from recordings; its untimed loads must still land
    # (batch-get checks that every batch-written item is there).
    targets = [InProcessTarget(), FloorTarget()]
    try:
        results = aggregate(run(targets, ["get", "batch"], TINY, repetitions=1), ["inprocess", "floor"])
    finally:
        for target in targets:
            target.close()
    for phase in ("get", "batch-write", "batch-get"):
        assert "check" not in results[phase]["floor"] and "error" not in results[phase]["floor"], results[phase]
    assert all(phase in report(results, ["inprocess", "floor"]) for phase in ("get", "batch-get"))


def test_bench_engine_and_growth_run_tiny():
    assert set(engine.measure(calls=200)) >= set(engine.TARGETS)
    assert set(growth.measure([200, 400], calls=5, log=lambda line: None)) == {
        "GetItem", "Query 100 items", "Scan page of 100 (resumed)", "Query page of 10, one partition (resumed)",
        "Query sort-key range of 10, one partition"}
