"""TTL expiry with a ManualClock: emulator.ttl.sweep deletes what has expired by the
database's clock; the operations' state rules (cooldown, CREATING tables) that compat
cannot wait for on AWS."""

import threading

import pytest

from emulator import Config, Database, ManualClock, Regions, api, errors, ttl
from emulator.operations.ttl import TTL_UPDATE_COOLDOWN_SECONDS

NOW = 1_700_000_000
FIVE_YEARS = 5 * 365 * 24 * 3600


def enable_ttl(call, table="tbl", attribute="expires"):
    call("UpdateTimeToLive", {"TableName": table,
                              "TimeToLiveSpecification": {"Enabled": True, "AttributeName": attribute}})


def put(call, pk, table="tbl", **attrs):
    call("PutItem", {"TableName": table, "Item": {"pk": {"S": pk}, **attrs}})


PLAIN_TABLE = {"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}


@pytest.fixture
def ttl_table(call, table_factory):
    """Table "tbl" (hash key pk) with TTL on attribute "expires"."""
    table_factory("tbl", pk="S")
    enable_ttl(call)


def keys(call, table="tbl"):
    return sorted(item["pk"]["S"] for item in call("Scan", {"TableName": table})["Items"])


def test_sweep_deletes_items_whose_time_has_passed(db, call, ttl_table):
    put(call, "soon", expires={"N": str(NOW + 10)})
    put(call, "later", expires={"N": str(NOW + 1000)})
    put(call, "never")
    assert ttl.sweep(db) == 0
    db.clock.advance(10)
    assert ttl.sweep(db) == 0  # expires when the time is *less* than now, not equal
    db.clock.advance(1)
    assert ttl.sweep(db) == 1
    assert keys(call) == ["later", "never"]
    db.clock.advance(1000)
    assert ttl.sweep(db) == 1
    assert keys(call) == ["never"]


def test_items_written_before_ttl_was_enabled_expire_too(db, call, table_factory):
    table_factory("tbl", pk="S")
    put(call, "old", expires={"N": str(NOW - 5)})
    assert ttl.sweep(db) == 0  # TTL not enabled yet
    enable_ttl(call)
    assert ttl.sweep(db) == 1
    assert keys(call) == []


@pytest.mark.parametrize("value", [
    {"S": str(NOW - 100)}, {"NS": [str(NOW - 100)]}, {"L": [{"N": str(NOW - 100)}]},
    {"M": {"expires": {"N": str(NOW - 100)}}}, {"BOOL": True}, {"NULL": True},
])
def test_non_numbers_are_ignored(db, call, ttl_table, value):
    put(call, "a", expires=value)
    db.clock.advance(3600)
    assert ttl.sweep(db) == 0
    assert keys(call) == ["a"]


def test_values_more_than_five_years_old_are_not_deleted(db, call, ttl_table):
    put(call, "ancient", expires={"N": str(NOW - FIVE_YEARS - 10)})
    put(call, "old", expires={"N": str(NOW - FIVE_YEARS + 10)})
    put(call, "ms", expires={"N": str(NOW * 1000)})  # milliseconds by mistake: far future
    assert ttl.sweep(db) == 1
    assert keys(call) == ["ancient", "ms"]


def test_changed_or_removed_expiry_is_respected(db, call, ttl_table):
    put(call, "pushed", expires={"N": str(NOW + 10)})
    put(call, "removed", expires={"N": str(NOW + 10)})
    put(call, "pushed", expires={"N": str(NOW + 100)})
    call("UpdateItem", {"TableName": "tbl", "Key": {"pk": {"S": "removed"}}, "UpdateExpression": "REMOVE expires"})
    db.clock.advance(50)
    assert ttl.sweep(db) == 0
    db.clock.advance(100)
    assert ttl.sweep(db) == 1
    assert keys(call) == ["removed"]


def test_disabled_ttl_deletes_nothing(db, call, ttl_table):
    put(call, "a", expires={"N": str(NOW + 10)})
    db.clock.advance(TTL_UPDATE_COOLDOWN_SECONDS)
    call("UpdateTimeToLive", {"TableName": "tbl",
                              "TimeToLiveSpecification": {"Enabled": False, "AttributeName": "expires"}})
    assert ttl.sweep(db) == 0
    assert keys(call) == ["a"]


def test_expired_items_leave_indexes(db, call):
    call("CreateTable", {
        "TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "g", "AttributeType": "S"}],
        "GlobalSecondaryIndexes": [{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "ALL"}}],
    })
    enable_ttl(call)
    put(call, "a", g={"S": "x"}, expires={"N": str(NOW - 1)})
    put(call, "b", g={"S": "x"})
    assert ttl.sweep(db) == 1
    found = call("Query", {"TableName": "tbl", "IndexName": "by_g", "KeyConditionExpression": "g = :g",
                           "ExpressionAttributeValues": {":g": {"S": "x"}}})["Items"]
    assert [item["pk"]["S"] for item in found] == ["b"]
    assert call("DescribeTable", {"TableName": "tbl"})["Table"]["ItemCount"] == 1


def test_expiry_writes_a_service_remove_record(db, call, streams_call, stream_table, read_stream):
    arn = stream_table(view_type="NEW_AND_OLD_IMAGES")
    enable_ttl(call)
    put(call, "a", expires={"N": str(NOW - 1)})
    call("DeleteItem", {"TableName": "tbl", "Key": {"pk": {"S": "gone"}}})
    put(call, "b")
    call("DeleteItem", {"TableName": "tbl", "Key": {"pk": {"S": "b"}}})
    ttl.sweep(db)
    records = read_stream(arn)
    assert [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in records] == [
        ("INSERT", "a"), ("INSERT", "b"), ("REMOVE", "b"), ("REMOVE", "a")]
    user_delete, expiry = records[2], records[3]
    assert "userIdentity" not in user_delete
    assert expiry["userIdentity"] == {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    assert expiry["dynamodb"]["OldImage"] == {"pk": {"S": "a"}, "expires": {"N": str(NOW - 1)}}


def test_cooldown_lifts_after_its_interval(db, call, ttl_table):
    request = {"TableName": "tbl", "TimeToLiveSpecification": {"Enabled": False, "AttributeName": "expires"}}
    db.clock.advance(TTL_UPDATE_COOLDOWN_SECONDS - 1)
    with pytest.raises(errors.ValidationException, match="multiple times within a fixed interval"):
        call("UpdateTimeToLive", request)
    db.clock.advance(1)
    call("UpdateTimeToLive", request)
    described = call("DescribeTimeToLive", {"TableName": "tbl"})
    assert described == {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}
    db.clock.advance(TTL_UPDATE_COOLDOWN_SECONDS)
    enable_ttl(call, attribute="other")
    assert call("DescribeTimeToLive", {"TableName": "tbl"})["TimeToLiveDescription"]["AttributeName"] == "other"


def test_creating_table_refuses_ttl_operations():
    clock = ManualClock(NOW)
    db = Database(Config(table_creation_delay_seconds=5), clock)
    api.call(db, "CreateTable", PLAIN_TABLE)
    with pytest.raises(errors.ValidationException) as info:
        api.call(db, "DescribeTimeToLive", {"TableName": "tbl"})
    assert info.value.message == (
        "Cannot describe time to live while table is in CREATING state: Current table state is CREATING")
    with pytest.raises(errors.ResourceInUseException) as info:
        api.call(db, "UpdateTimeToLive", {"TableName": "tbl", "TimeToLiveSpecification": {
            "Enabled": True, "AttributeName": "ttl"}})
    assert info.value.message == "Attempt to change a resource which is still in use: Table tbl is being created"
    clock.advance(5)
    api.call(db, "DescribeTimeToLive", {"TableName": "tbl"})


def test_deleting_table_still_takes_ttl_updates():
    clock = ManualClock(NOW)
    db = Database(Config(table_deletion_delay_seconds=5), clock)
    api.call(db, "CreateTable", PLAIN_TABLE)
    api.call(db, "DeleteTable", {"TableName": "tbl"})
    api.call(db, "UpdateTimeToLive", {"TableName": "tbl", "TimeToLiveSpecification": {
        "Enabled": True, "AttributeName": "ttl"}})
    with pytest.raises(errors.ValidationException, match="in DELETING state"):
        api.call(db, "DescribeTimeToLive", {"TableName": "tbl"})


def test_table_name_errors_come_first(call):
    with pytest.raises(errors.ValidationException, match="The parameter 'TableName' is required"):
        call("UpdateTimeToLive", {})
    with pytest.raises(errors.SerializationException):
        call("UpdateTimeToLive", {"TableName": "tbl", "TimeToLiveSpecification": []})


def test_sweeper_thread_sweeps_every_region():
    clock = ManualClock(NOW)
    regions = Regions(Config(ttl_sweep_interval_seconds=0.01), clock)
    for region in ("us-east-1", "eu-west-1"):
        db = regions.get(region)
        api.call(db, "CreateTable", PLAIN_TABLE)
        api.call(db, "UpdateTimeToLive", {"TableName": "tbl", "TimeToLiveSpecification": {
            "Enabled": True, "AttributeName": "ttl"}})
        api.call(db, "PutItem", {"TableName": "tbl", "Item": {"pk": {"S": "a"}, "ttl": {"N": str(NOW - 1)}}})

    def empty() -> bool:
        return all(not api.call(db, "Scan", {"TableName": "tbl"})["Items"] for db in regions.all())

    sweeper = ttl.start_sweeper(regions)
    pause = threading.Event()  # never set: a bounded wait between looks, not a timed assertion
    try:
        for _ in range(3000):
            if empty():
                break
            pause.wait(0.01)
        assert empty()
    finally:
        sweeper.stop()
        sweeper.join(5)
    assert not sweeper.is_alive()


def test_sweeper_disabled_by_zero_interval():
    assert ttl.start_sweeper(Regions(Config(ttl_sweep_interval_seconds=0))) is None
