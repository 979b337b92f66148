"""The local trigger stand-in: Lambda-shaped batches, commit order, delivery outside the
Database lock (handlers may write back), HTTP targets, failures, the background thread."""

import json

import pytest

from emulator import api, triggers


def put(call, pk, table="tbl", n=1):
    call("PutItem", {"TableName": table, "Item": {"pk": {"S": pk}, "n": {"N": str(n)}}})


def test_records_arrive_in_lambda_event_shape(db, call, stream_table):
    arn = stream_table(view_type="NEW_IMAGE")
    events = []
    triggers.subscribe(db, "tbl", events.append, background=False)
    put(call, "a")
    assert events == []  # nothing is delivered while writes happen
    assert triggers.deliver(db) == 1
    [event] = events
    [record] = event["Records"]
    assert record["eventName"] == "INSERT"
    assert record["eventSource"] == "aws:dynamodb"
    assert record["eventVersion"] == "1.1"
    assert record["awsRegion"] == "us-east-1"
    assert record["eventSourceARN"] == arn
    assert record["dynamodb"]["NewImage"] == {"pk": {"S": "a"}, "n": {"N": "1"}}
    assert record["dynamodb"]["StreamViewType"] == "NEW_IMAGE"
    json.dumps(event)  # what an HTTP target receives


def test_batches_keep_commit_order(db, call, stream_table):
    stream_table()
    events = []
    subscription = triggers.subscribe(db, "tbl", events.append, batch_size=2, background=False)
    for n in range(5):
        put(call, "a", n=n)
    assert triggers.deliver(db) == 5
    assert [len(e["Records"]) for e in events] == [2, 2, 1]
    numbers = [r["dynamodb"]["NewImage"]["n"]["N"] for e in events for r in e["Records"]]
    assert numbers == ["0", "1", "2", "3", "4"]
    assert subscription.delivered == 5
    assert triggers.deliver(db) == 0


def test_only_the_subscribed_table_is_delivered(db, call, stream_table):
    stream_table("tbl")
    stream_table("other")
    events = []
    triggers.subscribe(db, "tbl", events.append, background=False)
    put(call, "a", table="other")
    put(call, "b", table="tbl")
    triggers.deliver(db)
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for e in events for r in e["Records"]] == ["b"]


def test_table_without_stream_delivers_nothing(db, call, table_factory):
    table_factory("tbl", pk="S")
    events = []
    triggers.subscribe(db, "tbl", events.append, background=False)
    put(call, "a")
    assert triggers.deliver(db) == 0 and events == []


def test_handler_may_write_back(db, call, stream_table):
    """A handler calling the emulator does not deadlock; its own writes come in a later batch."""
    stream_table("tbl")
    stream_table("audit")
    audit = []

    def copy_to_audit(event):
        for record in event["Records"]:
            key = record["dynamodb"]["Keys"]["pk"]["S"]
            api.call(db, "PutItem", {"TableName": "audit", "Item": {"pk": {"S": "copy-" + key}}})

    triggers.subscribe(db, "tbl", copy_to_audit, background=False)
    triggers.subscribe(db, "audit", audit.append, background=False)
    put(call, "a")
    put(call, "b")
    assert triggers.deliver(db) == 4
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for e in audit for r in e["Records"]] == ["copy-a", "copy-b"]


def test_failing_handler_is_recorded_and_delivery_goes_on(db, call, stream_table):
    stream_table()
    seen = []

    def flaky(event):
        seen.append(event)
        if len(seen) == 1:
            raise RuntimeError("boom")

    subscription = triggers.subscribe(db, "tbl", flaky, batch_size=1, background=False)
    put(call, "a")
    put(call, "b")
    triggers.deliver(db)
    assert len(seen) == 2
    assert subscription.delivered == 1
    [(event, error)] = subscription.failures
    assert event["Records"][0]["dynamodb"]["Keys"]["pk"]["S"] == "a" and str(error) == "boom"


def test_unsubscribe(db, call, stream_table):
    stream_table()
    events = []
    subscription = triggers.subscribe(db, "tbl", events.append, background=False)
    triggers.Triggers.of(db).unsubscribe(subscription)
    put(call, "a")
    triggers.deliver(db)
    assert events == []


def test_http_target_receives_json_posts(db, call, stream_table, collector):
    url, received = collector
    stream_table()
    triggers.subscribe(db, "tbl", url, background=False)
    put(call, "a")
    assert triggers.deliver(db) == 1
    [(content_type, body)] = received.bodies
    assert content_type == "application/json"
    assert body["Records"][0]["dynamodb"]["Keys"] == {"pk": {"S": "a"}}


def test_background_thread_delivers_without_being_asked(db, call, stream_table, collector):
    url, received = collector
    stream_table()
    triggers.subscribe(db, "tbl", url)
    put(call, "a")
    assert received.arrived.wait(30)
    assert received.bodies[0][1]["Records"][0]["eventName"] == "INSERT"


def test_unreachable_url_is_a_recorded_failure(db, call, stream_table):
    stream_table()
    subscription = triggers.subscribe(db, "tbl", "http://127.0.0.1:9/nothing", background=False)
    put(call, "a")
    triggers.deliver(db)
    assert subscription.delivered == 0 and len(subscription.failures) == 1


def test_reset_drops_subscriptions(db, call, stream_table):
    events = []
    triggers.subscribe(db, "tbl", events.append, background=False)
    db.reset()
    stream_table()
    put(call, "a")
    assert triggers.deliver(db) == 0 and events == []


def test_batch_size_must_be_positive(db):
    with pytest.raises(ValueError):
        triggers.subscribe(db, "tbl", print, batch_size=0, background=False)
