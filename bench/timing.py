"""Timing one phase on several targets in turns, so that every target meets the same machine.

On a shared or virtual machine the speed of the same code drifts by tens of percent within
a minute (bench/RESULTS.md has runs where the boto3 floor's put rate moved 1.6x within an
hour). When each target runs its whole phase in turn, a ratio between two targets also
measures the drift between their two stretches of time. Here the targets take turns in
slices of :data:`SLICE_SECONDS`: each slice runs calls of one target, and the next slice
another's, round after round (the order rotated each round), until each target has run
all its calls or ``max_seconds`` of slices. A slow spell of the machine then lands on
every target alike. A target's ops/s is its calls over the sum of its own slices.

:func:`time_phase` with a single target is the old way: that target's phase alone.
"""

from __future__ import annotations

import gc
import time
from typing import Any, Iterator, Sequence, Union

from .stats import summarize
from .targets import Target
from .workloads import Phase, Whole

#: How long one target runs before the next takes its turn. Long enough that switching
#: costs nothing measurable (a handful of calls even for a 100-item Query), short enough
#: that a phase of a few seconds is split into many turns.
SLICE_SECONDS = 0.25

#: A target's summary of a phase, or the error that ended it.
Outcome = Union[dict, BaseException]


class _Turns:
    """One target's calls of a phase and what timing them found so far."""

    def __init__(self, target: Target, phase: Phase) -> None:
        self.target = target
        self.phase = phase
        self.calls: Iterator[Any] = iter(phase.calls)
        self.latencies: list[float] = []
        self.wall = 0.0
        self.cpu = 0.0
        self.done = False
        self.error: BaseException | None = None

    def warm(self) -> None:
        try:
            for call in self.phase.warmup:
                call()
        except Exception as error:  # noqa: BLE001 - the target's outcome, not the run's
            self.fail(error)

    def fail(self, error: BaseException) -> None:
        self.error = error
        self.done = True

    def run_slice(self, seconds: float, max_seconds: float) -> None:
        """Time calls for about ``seconds``; done when they run out or the phase has run
        ``max_seconds`` of slices with at least ``min_calls`` calls."""
        clock, record, minimum = time.perf_counter, self.latencies.append, self.phase.min_calls
        cpu = time.process_time()
        start = clock()
        try:
            for call in self.calls:
                before = clock()
                call()
                after = clock()
                record(after - before)
                if len(self.latencies) >= minimum and self.wall + (after - start) > max_seconds:
                    self.done = True
                    break
                if after - start >= seconds:
                    break
            else:
                self.done = True
        except Exception as error:  # noqa: BLE001
            self.fail(error)
        self.wall += clock() - start
        self.cpu += time.process_time() - cpu

    def outcome(self) -> Outcome:
        if self.error is not None:
            return self.error
        return summarize(self.latencies, self.wall, self.cpu, **self.phase.extra)


def time_phase(asked: Sequence[tuple[Target, Union[Phase, Whole]]], max_seconds: float) -> list[Outcome]:
    """The outcome of each target's phase (the same phase of one workload on each), timed
    in turns. A phase that times itself (:class:`Whole`) runs on each target in order."""
    if any(isinstance(phase, Whole) for _, phase in asked):
        return [_measure_whole(phase) for _, phase in asked]
    turns = [_Turns(target, phase) for target, phase in asked]  # type: ignore[arg-type]
    started: list[_Turns] = []
    try:
        for turn in turns:
            try:
                turn.target.phase()
            except Exception as error:  # noqa: BLE001
                turn.fail(error)
                continue
            started.append(turn)
            turn.warm()
        gc.collect()
        active = [turn for turn in turns if not turn.done]
        rounds = 0
        while active:
            shift = rounds % len(active)
            for turn in active[shift:] + active[:shift]:
                turn.run_slice(SLICE_SECONDS, max_seconds)
            rounds += 1
            active = [turn for turn in active if not turn.done]
    finally:
        for turn in started:
            turn.target.end_phase()
    return [turn.outcome() for turn in turns]


def _measure_whole(phase: Union[Phase, Whole]) -> Outcome:
    if not isinstance(phase, Whole):
        return RuntimeError("targets asked for different kinds of phase")
    try:
        return phase.measure()
    except Exception as error:  # noqa: BLE001
        return error
