"""The start-up bench's added time: sessions with and without the plugin run in turns,
and what the plugin adds is the median of each round's difference, so a slow spell of
the machine that falls on one round moves neither side alone."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root holds bench/

from bench.startup import _median_difference  # noqa: E402


def test_rounds_are_compared_pairwise():
    with_plugin = [1.0, 3.0, 2.0]
    without = [0.9, 2.9, 0.1]  # the third round's "without" ran in a fast moment
    assert _median_difference(with_plugin, without) == pytest.approx(0.1)


def test_a_plugin_that_costs_nothing_adds_nothing_through_drift():
    drift = [0.7, 0.9, 0.8, 1.1, 0.75]
    assert _median_difference(drift, drift) == 0


def test_small_test_timing_runs_both_kinds_of_session():
    from bench.startup import small_test_seconds

    times = small_test_seconds(rounds=2)
    assert set(times) == {"small test in process, clients sharing event names",
                          "small test in process, each client on its own"}
    assert all(seconds > 0 for seconds in times.values())
