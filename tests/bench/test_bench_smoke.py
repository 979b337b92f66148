"""Every benchmark workload runs once, tiny, through the in-process target, so the suite
cannot rot unnoticed. No timing is asserted: only that each phase ran and that the
answers the workloads check (counts, update results) were right."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root holds bench/

from bench import coldreads, documents, engine, growth, instructions, wakeup  # noqa: E402
from bench.runner import aggregate, report, run  # noqa: E402
from bench.targets import CeilingTarget, FloorTarget, InProcessTarget, Recordings  # noqa: E402
from bench.workloads import WORKLOADS, Sizes  # noqa: E402
from server import stored_json, wire_json  # noqa: E402

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


def test_bench_documents_runs_tiny_and_every_update_applies():
    """api.call raises on an error answer, so every kind of update ran; the document
    stays within the 400 KB limit at the largest default size."""
    assert set(documents.measure([10, 50], calls=3)) == {name for name, _, _ in documents.UPDATES}
    from emulator.types import normalize_item

    assert normalize_item(documents.document(10_000)).size < 400 * 1024


def test_bench_growth_keeps_no_request_templates():
    """A small table's requests repeat and would be answered from templates, a large
    table's would not: growth measures neither table with them."""
    from emulator.operations import item_requests, query

    limit = item_requests.MAX_TEMPLATE_CHARS
    query._TEMPLATES.clear()
    growth.measure([200], calls=5, log=lambda line: None)
    assert query._TEMPLATES == {}
    assert item_requests.MAX_TEMPLATE_CHARS == limit


def test_bench_ceiling_replays_over_http():
    # The ceiling is the emulator's server answering timed calls from recordings: its
    # loads are real (batch-get finds every item), its timed writes are not stored.
    targets = [CeilingTarget()]
    try:
        results = aggregate(run(targets, ["get", "update", "batch"], TINY, repetitions=1), ["ceiling"])
        client = targets[0].client()
        table = targets[0].create_table(client, "probe")
        targets[0].phase()
        client.put_item(TableName=table, Item={"pk": {"S": "a"}, "sk": {"S": "1"}})
        client.put_item(TableName=table, Item={"pk": {"S": "b"}, "sk": {"S": "2"}})  # replayed
        targets[0].end_phase()
        stored = client.scan(TableName=table)["Items"]
    finally:
        for target in targets:
            target.close()
    for phase in ("get", "update", "batch-write", "batch-get"):
        summary = results[phase]["ceiling"]
        assert "check" not in summary and "error" not in summary and summary["ops_s"] > 0, (phase, summary)
    assert [item["pk"]["S"] for item in stored] == ["a"]


def test_recordings_tell_query_pages_apart_and_forget_after_a_phase():
    recordings = Recordings()
    answers = iter(range(100))

    def live():
        return next(answers)

    assert recordings.answer("Query", b"{}", live) == 0  # not replaying: always live
    recordings.start()
    first = recordings.answer("Query", b'{"TableName":"t"}', live)
    assert recordings.answer("Query", b'{"TableName":"t"}', live) == first
    page = recordings.answer("Query", b'{"ExclusiveStartKey":{"pk":{"S":"x"}}}', live)
    assert page != first
    assert recordings.answer("Query", b'{"ExclusiveStartKey":{"pk":{"S":"x"}}}', live) == page
    assert recordings.answer("GetItem", b'{"Key":1}', live) == recordings.answer("GetItem", b'{"Key":2}', live)
    recordings.stop()
    recordings.start()
    assert recordings.answer("Query", b'{"TableName":"t"}', live) not in (first, page)


@pytest.mark.parametrize("operation", list(instructions.OPERATIONS))
def test_instruction_count_child_makes_its_requests(operation):
    """The process counted under valgrind (the counting itself needs valgrind, which CI
    does not have): it loads the table and every request is answered 200."""
    assert instructions.child(operation, calls=2, prepared=3) == 0


def test_wakeup_rounds_time_the_first_and_third_request_of_each_round():
    """``python -m bench wakeup``: each round of three sends all three, in order, and
    times the first (after the wait) and the third (back to back); a partial round at the
    end is not sent."""
    sent = []
    after_wait, back_to_back = wakeup.time_rounds(lambda name, body: sent.append(body),
                                                   [("Op", bytes([i])) for i in range(8)], 0.0)
    assert sent == [bytes([i]) for i in range(6)]
    assert len(after_wait) == len(back_to_back) == 2
    assert all(seconds >= 0 for seconds in after_wait + back_to_back)


def test_wakeup_prints_a_row_per_operation(capsys):
    assert wakeup.main(["--only", "limits,get", "--calls", "3", "--wait-ms", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("protocol.handle")
    assert [line.split("  ")[0] for line in lines[3:] if line] == [instructions.OPERATIONS["limits"][0],
                                                          instructions.OPERATIONS["get"][0]]


@pytest.mark.skipif(not wire_json.ACCELERATED, reason="kept texts need orjson")
def test_coldreads_prints_both_kinds_and_restores_the_budget(capsys, monkeypatch):
    """``python -m bench coldreads``: a row per read, a column per kind; the process's
    budget is the same afterwards."""
    monkeypatch.setattr(coldreads, "FLUSH_BYTES", 1 << 16)  # a small flush: the test checks the shape
    before = stored_json.ANSWERS.budget
    assert coldreads.main(["--items", "60", "--rounds", "1", "--queries", "2"]) == 0
    assert stored_json.ANSWERS.budget == before
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["read", "texts", "kept", "written", "whole"]
    assert lines[3].startswith("Scan, every page of 60 items (ms)") and lines[4].startswith("Query of 100 items")
    send = coldreads.loaded_reader(30)
    assert coldreads.full_scan(send)[1] == 30
