"""bench.timing and bench.runner.run_together: targets take turns within a phase, each
is timed on its own slices, and one target's failure leaves the others' figures intact.
No timing is asserted beyond the order of calls and the counts."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root holds bench/

from bench import runner, timing  # noqa: E402
from bench.targets import Target  # noqa: E402
from bench.workloads import Phase, Sizes, Whole  # noqa: E402


class Recorder(Target):
    """A target that answers nothing; it notes when its phases start and end."""

    def __init__(self, name: str, log: list) -> None:
        super().__init__(name)
        self.log = log

    def phase(self) -> None:
        self.log.append((self.name, "phase"))

    def end_phase(self) -> None:
        self.log.append((self.name, "end"))


def calls_of(name: str, log: list, count: int, seconds: float = 0.002) -> list:
    def call(number: int) -> None:
        time.sleep(seconds)
        log.append((name, number))
    return [lambda number=number: call(number) for number in range(count)]


def test_targets_take_turns_and_each_runs_all_its_calls(monkeypatch):
    monkeypatch.setattr(timing, "SLICE_SECONDS", 0.01)
    log: list = []
    a, b = Recorder("a", log), Recorder("b", log)
    outcomes = timing.time_phase([(a, Phase(calls_of("a", log, 30), [])), (b, Phase(calls_of("b", log, 30), []))],
                                 max_seconds=60)
    assert [outcome["n"] for outcome in outcomes] == [30, 30]
    calls = [name for name, what in log if isinstance(what, int)]
    switches = sum(1 for first, second in zip(calls, calls[1:]) if first != second)
    assert switches >= 4, calls  # not one target's phase after the other's
    # Each target's calls ran in order, and its phase bracketed all of them.
    for name in "ab":
        assert [what for who, what in log if who == name and isinstance(what, int)] == list(range(30))
        mine = [what for who, what in log if who == name]
        assert mine[0] == "phase" and mine[-1] == "end"


def test_a_target_stops_at_max_seconds_after_its_minimum_calls(monkeypatch):
    monkeypatch.setattr(timing, "SLICE_SECONDS", 0.01)
    log: list = []
    slow, quick = Recorder("slow", log), Recorder("quick", log)
    outcomes = timing.time_phase([(slow, Phase(calls_of("slow", log, 1000, seconds=0.01), [], min_calls=3)),
                                  (quick, Phase(calls_of("quick", log, 20, seconds=0), []))], max_seconds=0.05)
    assert 3 <= outcomes[0]["n"] < 1000
    assert outcomes[1]["n"] == 20
    assert outcomes[0]["ops_s"] > 0


def test_a_failing_target_leaves_the_others_figures(monkeypatch):
    monkeypatch.setattr(timing, "SLICE_SECONDS", 0.01)
    log: list = []

    def broken() -> None:
        raise ConnectionError("refused")

    bad, good = Recorder("bad", log), Recorder("good", log)
    outcomes = timing.time_phase([(bad, Phase([broken] * 5, [])), (good, Phase(calls_of("good", log, 10), []))],
                                 max_seconds=60)
    assert isinstance(outcomes[0], ConnectionError)
    assert outcomes[1]["n"] == 10
    assert ("bad", "end") in log  # a failed phase still ends


def test_whole_phases_run_one_target_after_the_other():
    order = []
    log: list = []
    outcomes = timing.time_phase([(Recorder(name, log), Whole(lambda name=name: order.append(name) or {"n": 1}))
                                  for name in "xyz"], max_seconds=1)
    assert order == ["x", "y", "z"] and outcomes == [{"n": 1}] * 3


def test_run_together_drives_each_target_through_its_phases(monkeypatch):
    """A workload's phases line up across targets; the summary each phase is sent back is
    that target's own; a failure in one target's phase closes its workload (its table
    is deleted) and reports an error, the other target finishes."""
    monkeypatch.setattr(timing, "SLICE_SECONDS", 0.01)
    closed = []

    def workload(target, sizes):
        def call() -> None:
            if target.name == "bad":
                raise RuntimeError("boom")
        try:
            first = yield Phase([call] * 4, [], min_calls=1)
            second = yield Phase([lambda: None] * (first["n"] + 1), [], min_calls=1, extra={"check": "ok"})
            return {"one": first, "two": second}
        finally:
            closed.append(target.name)

    monkeypatch.setitem(runner.WORKLOADS, "fake", workload)
    log: list = []
    results = runner.run_together("fake", [Recorder("good", log), Recorder("bad", log)], Sizes(max_seconds=60))
    assert results["good"]["one"]["n"] == 4 and results["good"]["two"]["n"] == 5
    assert results["bad"] == {"fake": {"error": "RuntimeError: boom"}}
    assert sorted(closed) == ["bad", "good"]


@pytest.mark.parametrize("interleave", [True, False])
def test_run_reports_every_target_for_every_repetition(monkeypatch, interleave):
    monkeypatch.setattr(timing, "SLICE_SECONDS", 0.01)

    def workload(target, sizes):
        return {"p": (yield Phase([lambda: None] * 3, [], min_calls=1))}

    monkeypatch.setitem(runner.WORKLOADS, "fake", workload)
    log: list = []
    raw = runner.run([Recorder("a", log), Recorder("b", log)], ["fake"], Sizes(max_seconds=60), repetitions=2,
                     interleave=interleave)
    assert {name: [summary["n"] for summary in runs] for name, runs in raw["p"].items()} == {"a": [3, 3], "b": [3, 3]}
