"""Timing loops, summaries and text/markdown tables shared by every benchmark."""

from __future__ import annotations

import gc
import statistics
import time
from typing import Callable, Sequence


def percentile(ordered: Sequence[float], p: float) -> float:
    """Linear-interpolated percentile of already sorted values (nan if none)."""
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * p / 100.0
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(latencies: Sequence[float], wall: float, cpu: float, **extra: object) -> dict:
    """ops/s over the wall time, p50/p99 of the per-call latencies, CPU per call."""
    ordered = sorted(latencies)
    count = len(ordered)
    summary = {
        "n": count,
        "ops_s": count / wall if wall > 0 else float("nan"),
        "p50_ms": percentile(ordered, 50) * 1e3,
        "p99_ms": percentile(ordered, 99) * 1e3,
        "cpu_ms_per_op": cpu / count * 1e3 if count else float("nan"),
    }
    summary.update(extra)
    return summary


def seconds_per_call(action: Callable[[], object], calls: int, rounds: int = 5,
                     clock: Callable[[], float] = time.perf_counter) -> float:
    """Median over ``rounds`` of the mean time of ``calls`` calls (after one warm-up round)."""
    for _ in range(max(1, calls // 10)):
        action()
    samples = []
    for _ in range(rounds):
        gc.collect()
        start = clock()
        for _ in range(calls):
            action()
        samples.append((clock() - start) / calls)
    return statistics.median(samples)


def format_rate(value: float) -> str:
    if value != value:  # nan
        return "-"
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def format_ms(value: float) -> str:
    if value != value:
        return "-"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def render(title: str, header: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool = False) -> str:
    """A table as aligned text (first column left, the rest right) or as markdown."""
    if markdown:
        lines = [f"#### {title}", "", "| " + " | ".join(header) + " |",
                 "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(cells, widths)))

    return "\n".join([title, line(header), "  ".join("-" * w for w in widths)] + [line(row) for row in rows]) + "\n"


def render_growth(title: str, label: str, unit: str, results: dict[str, dict[int, float]],
                  sizes: Sequence[int]) -> str:
    """Seconds per call at each size (``results[name][size]``) as a table of µs, with the
    last size's time over the first's: how a cost grows (``growth``, ``documents``)."""
    rows = [[name] + [f"{per_size[size] * 1e6:,.1f}" for size in sizes]
            + [f"{per_size[sizes[-1]] / per_size[sizes[0]]:.2f}x"] for name, per_size in results.items()]
    header = [label] + [f"{size:,} {unit} (µs)" for size in sizes] + [f"{sizes[-1]:,} vs {sizes[0]:,}"]
    return render(title, header, rows)
