"""Runs the workloads on every target and reports medians and ratios.

Every repetition of a workload runs it on all targets: their untimed set-up one after
the other, then each timed phase on all of them at once, the targets taking turns in
short slices (:mod:`bench.timing`), so a drift of the machine's speed falls on all of
them alike. With ``interleave=False`` each target runs the whole workload alone instead,
the order rotated per repetition so no target always goes first. A target's figure for a
phase is the median over repetitions; ratios are ops/s of a target divided by ops/s of
the first target.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
import traceback
from typing import Any, Callable, Optional, Sequence

from .stats import format_ms, format_rate, render
from .targets import Target
from .timing import time_phase
from .workloads import WORKLOADS, Sizes, Workload


def run(targets: Sequence[Target], workloads: Sequence[str], sizes: Sizes, repetitions: int,
        log: Any = None, interleave: bool = True) -> dict[str, dict[str, list[dict]]]:
    """``{phase: {target name: [summary per repetition]}}``; a failed run is ``{"error": ...}``."""
    raw: dict[str, dict[str, list[dict]]] = {}
    for workload in workloads:
        for repetition in range(repetitions):
            shift = repetition % len(targets)
            order = list(targets[shift:]) + list(targets[:shift])
            for group in ([order] if interleave else [[target] for target in order]):
                started = time.perf_counter()
                outcomes = run_together(workload, group, sizes, log)
                for target in group:
                    phases = outcomes[target.name]
                    for phase, summary in phases.items():
                        raw.setdefault(phase, {}).setdefault(target.name, []).append(summary)
                    if log:
                        figures = "  ".join(f"{p}={format_rate(s['ops_s'])}/s" if "ops_s" in s else f"{p}: {s['error']}"
                                            for p, s in phases.items())
                        log(f"  [{workload} {repetition + 1}/{repetitions}] {target.name:<14} "
                            f"{time.perf_counter() - started:5.1f}s  {figures}")
    return raw


def run_together(workload: str, targets: Sequence[Target], sizes: Sizes,
                 log: Optional[Callable[[str], None]] = None) -> dict[str, dict[str, dict]]:
    """One workload on each target, its phases timed together: ``{target: {phase:
    summary}}``. A target that fails leaves the others running (its workload is closed,
    which deletes its table) and reports ``{workload: {"error": ...}}``."""
    results: dict[str, dict[str, dict]] = {}
    waiting: dict[str, tuple[Target, Workload, Any]] = {}

    def fail(target: Target, error: BaseException) -> None:
        results[target.name] = {workload: {"error": f"{type(error).__name__}: {error}"}}
        if log:
            log("".join(traceback.format_exception(type(error), error, error.__traceback__)))

    def advance(target: Target, generator: Workload, outcome: Any) -> None:
        """Send the workload its last phase's outcome (None to start it); keep the phase
        it asks for next, or its result."""
        try:
            if isinstance(outcome, BaseException):
                generator.throw(outcome)
                generator.close()  # it caught the error and went on: still a failed run
                raise outcome
            waiting[target.name] = (target, generator, generator.send(outcome))
        except StopIteration as finished:
            results[target.name] = finished.value
        except Exception as error:  # noqa: BLE001 - one failing target must not end the run
            fail(target, error)

    for target in targets:
        try:
            generator = WORKLOADS[workload](target, sizes)
        except Exception as error:  # noqa: BLE001
            fail(target, error)
            continue
        advance(target, generator, None)
    while waiting:
        asked = list(waiting.values())
        waiting.clear()
        outcomes = time_phase([(target, phase) for target, _, phase in asked], sizes.max_seconds)
        for (target, generator, _), outcome in zip(asked, outcomes):
            advance(target, generator, outcome)
    return results


def aggregate(raw: dict[str, dict[str, list[dict]]], names: Sequence[str]) -> dict[str, dict[str, dict]]:
    """Medians over repetitions, plus ``ratio`` (ops/s over the first target's)."""
    result: dict[str, dict[str, dict]] = {}
    for phase, per_target in raw.items():
        result[phase] = {}
        for name in names:
            runs = [r for r in per_target.get(name, []) if "ops_s" in r]
            if not runs:
                errors = [r["error"] for r in per_target.get(name, []) if "error" in r]
                result[phase][name] = {"error": errors[0] if errors else "not run"}
                continue
            summary = {k: statistics.median(r[k] for r in runs) for k in ("ops_s", "p50_ms", "p99_ms", "cpu_ms_per_op")}
            summary["repetitions"] = len(runs)
            checks = sorted({r.get("check", "ok") for r in runs} - {"ok"})
            if checks:
                summary["check"] = "; ".join(checks)
            result[phase][name] = summary
        base = result[phase].get(names[0], {}).get("ops_s")
        for name in names:
            if "ops_s" in result[phase][name] and base:
                result[phase][name]["ratio"] = result[phase][name]["ops_s"] / base
    return result


def report(results: dict[str, dict[str, dict]], names: Sequence[str], markdown: bool = False) -> str:
    first = names[0]
    rows = []
    for phase, per in results.items():
        row = [phase]
        for name in names:
            s = per.get(name, {})
            row.append(format_rate(s["ops_s"]) + ("!" if s.get("check") else "") if "ops_s" in s else "ERR")
        row += [f"{per[n]['ratio']:.2f}x" if "ratio" in per.get(n, {}) else "-" for n in names[1:]]
        rows.append(row)
    header = ["phase"] + [f"{n} ops/s" for n in names] + [f"{n}/{first}" for n in names[1:]]
    text = render(f"Throughput (ops/s, median; ratio = ops/s over {first}'s; ! = wrong answers)", header, rows, markdown)
    rows = [[phase] + [f"{format_ms(per[n]['p50_ms'])} / {format_ms(per[n]['p99_ms'])}" if "p50_ms" in per.get(n, {})
                       else "ERR" for n in names] for phase, per in results.items()]
    text += "\n" + render("Latency per call (p50 / p99, ms)", ["phase"] + names, rows, markdown)
    problems = [f"{phase} / {n}: {per[n].get('error') or per[n].get('check')}"
                for phase, per in results.items() for n in names if per.get(n, {}).get("error") or per.get(n, {}).get("check")]
    if problems:
        text += "\nProblems:\n" + "\n".join(f"- {p}" for p in problems) + "\n"
    return text


def json_codec() -> str:
    """Which JSON codec the emulator's wire protocol uses here (server.wire_json)."""
    from server import wire_json

    return "orjson" if wire_json.ACCELERATED else "stdlib"


def main(targets: Sequence[Target], workloads: Sequence[str], sizes: Sizes, repetitions: int,
         json_path: str | None = None, markdown_path: str | None = None, interleave: bool = True) -> int:
    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    names = [t.name for t in targets]
    for target in targets:
        log(f"target {target.name:<14} {target.describe()}")
    started = time.time()
    raw = run(targets, workloads, sizes, repetitions, log, interleave)
    results = aggregate(raw, names)
    settings = (f"workloads={','.join(workloads)} repetitions={repetitions} calls={sizes.calls} data={sizes.data} "
                f"max-seconds={sizes.max_seconds} threads={sizes.threads} json={json_codec()} "
                f"{'interleaved' if interleave else 'sequential'}; {time.time() - started:.0f} s")
    print(f"\n{settings}\n")
    print(report(results, names))
    if json_path:
        with open(json_path, "w") as out:
            json.dump({"settings": settings, "platform": platform.platform(),
                       "targets": {t.name: t.describe() for t in targets}, "results": results, "raw": raw}, out, indent=1)
    if markdown_path:
        with open(markdown_path, "w") as out:
            out.write(f"{settings}\n\n" + "\n".join(f"- `{t.name}`: {t.describe()}" for t in targets) + "\n\n")
            out.write(report(results, names, markdown=True))
    return 0
