"""Streams through the engine with a ManualClock: what compat cannot reach on AWS in a test
run (shard roll-over, 24-hour trimming, iterator expiry, streams ageing out) and the
exact record contents."""

import pytest

from emulator import errors, streams
from emulator.operations.streams import decode_iterator, encode_iterator

HOUR = 3600


def put(call, pk, **attrs):
    item = {"pk": {"S": pk}, **{k: {"N": str(v)} for k, v in attrs.items()}}
    call("PutItem", {"TableName": "tbl", "Item": item})


def describe(streams_call, arn, **extra):
    return streams_call("DescribeStream", {"StreamArn": arn, **extra})["StreamDescription"]


def iterator(streams_call, arn, shard_id, kind="TRIM_HORIZON", sequence=None):
    request = {"StreamArn": arn, "ShardId": shard_id, "ShardIteratorType": kind}
    if sequence is not None:
        request["SequenceNumber"] = sequence
    return streams_call("GetShardIterator", request)["ShardIterator"]


def test_records_follow_commit_order_with_increasing_sequence_numbers(call, stream_table, read_stream):
    arn = stream_table()
    put(call, "a", n=1)
    put(call, "b", n=1)
    put(call, "a", n=2)
    call("DeleteItem", {"TableName": "tbl", "Key": {"pk": {"S": "b"}}})
    records = read_stream(arn)
    assert [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in records] == [
        ("INSERT", "a"), ("INSERT", "b"), ("MODIFY", "a"), ("REMOVE", "b")]
    numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert numbers == sorted(numbers) and len(set(numbers)) == 4
    assert all(len(r["dynamodb"]["SequenceNumber"]) >= 21 for r in records)


def test_batch_and_transaction_writes_are_recorded_in_order(call, stream_table, read_stream):
    arn = stream_table()
    call("BatchWriteItem", {"RequestItems": {"tbl": [
        {"PutRequest": {"Item": {"pk": {"S": "a"}}}},
        {"PutRequest": {"Item": {"pk": {"S": "b"}}}},
        {"DeleteRequest": {"Key": {"pk": {"S": "missing"}}}},
    ]}})
    call("TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": "tbl", "Item": {"pk": {"S": "c"}}}},
        {"Update": {"TableName": "tbl", "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET n = :n",
                    "ExpressionAttributeValues": {":n": {"N": "1"}}}},
        {"Delete": {"TableName": "tbl", "Key": {"pk": {"S": "b"}}}},
    ]})
    assert [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in read_stream(arn)] == [
        ("INSERT", "a"), ("INSERT", "b"), ("INSERT", "c"), ("MODIFY", "a"), ("REMOVE", "b")]


def test_refused_transaction_records_nothing(call, stream_table, read_stream):
    arn = stream_table()
    with pytest.raises(errors.TransactionCanceledException):
        call("TransactWriteItems", {"TransactItems": [
            {"Put": {"TableName": "tbl", "Item": {"pk": {"S": "a"}}}},
            {"ConditionCheck": {"TableName": "tbl", "Key": {"pk": {"S": "b"}},
                                "ConditionExpression": "attribute_exists(pk)"}},
        ]})
    assert read_stream(arn) == []


def test_unchanged_writes_emit_nothing(call, stream_table, read_stream):
    arn = stream_table()
    put(call, "a", n=1)
    put(call, "a", n=1)
    call("DeleteItem", {"TableName": "tbl", "Key": {"pk": {"S": "missing"}}})
    call("UpdateItem", {"TableName": "tbl", "Key": {"pk": {"S": "a"}},
                        "UpdateExpression": "SET n = :n", "ExpressionAttributeValues": {":n": {"N": "1"}}})
    assert [r["eventName"] for r in read_stream(arn)] == ["INSERT"]


@pytest.mark.parametrize("view_type, shows_new, shows_old", [
    ("KEYS_ONLY", False, False), ("NEW_IMAGE", True, False),
    ("OLD_IMAGE", False, True), ("NEW_AND_OLD_IMAGES", True, True),
])
def test_images_follow_the_view_type(call, stream_table, read_stream, view_type, shows_new, shows_old):
    arn = stream_table(view_type=view_type)
    put(call, "a", n=1)
    put(call, "a", n=2)
    modify = read_stream(arn)[1]["dynamodb"]
    assert modify["StreamViewType"] == view_type
    assert ("NewImage" in modify) == shows_new
    assert ("OldImage" in modify) == shows_old
    if shows_new:
        assert modify["NewImage"] == {"pk": {"S": "a"}, "n": {"N": "2"}}
    if shows_old:
        assert modify["OldImage"] == {"pk": {"S": "a"}, "n": {"N": "1"}}


def test_size_bytes_counts_keys_and_shown_images(call, stream_table, read_stream):
    # {"pk": "a"} is 3 bytes, {"pk": "a", "n": 1} 3 + 1 + 2 = 6 by the item-size rules
    arn = stream_table(view_type="NEW_AND_OLD_IMAGES")
    put(call, "a", n=1)
    put(call, "a", n=1000)
    insert, modify = read_stream(arn)
    assert insert["dynamodb"]["SizeBytes"] == 3 + 6
    assert modify["dynamodb"]["SizeBytes"] == 3 + 6 + 6


def test_record_times_come_from_the_clock(db, call, stream_table, read_stream):
    arn = stream_table()
    db.clock.advance(12.75)
    put(call, "a", n=1)
    assert read_stream(arn)[0]["dynamodb"]["ApproximateCreationDateTime"] == 1_700_000_012


def test_shard_rolls_over_after_four_hours(db, call, streams_call, stream_table, read_stream):
    arn = stream_table()
    put(call, "a", n=1)
    db.clock.advance(streams.SHARD_ROTATION_SECONDS)
    put(call, "a", n=2)
    shards = describe(streams_call, arn)["Shards"]
    assert len(shards) == 2
    parent, child = shards
    assert child["ParentShardId"] == parent["ShardId"] and "ParentShardId" not in parent
    assert parent["ShardId"] < child["ShardId"]
    ending = int(parent["SequenceNumberRange"]["EndingSequenceNumber"])
    assert int(child["SequenceNumberRange"]["StartingSequenceNumber"]) > ending
    assert "EndingSequenceNumber" not in child["SequenceNumberRange"]
    assert [r["eventName"] for r in read_stream(arn)] == ["INSERT", "MODIFY"]


def test_closed_shard_read_to_its_end_has_no_next_iterator(db, call, streams_call, stream_table):
    arn = stream_table()
    put(call, "a", n=1)
    db.clock.advance(streams.SHARD_ROTATION_SECONDS)
    put(call, "a", n=2)
    parent = describe(streams_call, arn)["Shards"][0]["ShardId"]
    page = streams_call("GetRecords", {"ShardIterator": iterator(streams_call, arn, parent)})
    assert len(page["Records"]) == 1 and "NextShardIterator" not in page
    page = streams_call("GetRecords", {"ShardIterator": iterator(streams_call, arn, parent, "LATEST")})
    assert page == {"Records": []}


def test_describe_stream_pages_shards(db, call, streams_call, stream_table):
    arn = stream_table()
    for n in range(3):
        put(call, "a", n=n)
        db.clock.advance(streams.SHARD_ROTATION_SECONDS)
    all_ids = [s["ShardId"] for s in describe(streams_call, arn)["Shards"]]
    assert len(all_ids) == 3
    first = describe(streams_call, arn, Limit=2)
    assert [s["ShardId"] for s in first["Shards"]] == all_ids[:2]
    assert first["LastEvaluatedShardId"] == all_ids[1]
    rest = describe(streams_call, arn, Limit=2, ExclusiveStartShardId=first["LastEvaluatedShardId"])
    assert [s["ShardId"] for s in rest["Shards"]] == all_ids[2:]
    assert "LastEvaluatedShardId" not in rest


def test_records_older_than_a_day_are_trimmed(db, call, streams_call, stream_table, read_stream):
    arn = stream_table()
    put(call, "old", n=1)
    shard = describe(streams_call, arn)["Shards"][0]["ShardId"]
    stale = iterator(streams_call, arn, shard)
    old_number = read_stream(arn)[0]["dynamodb"]["SequenceNumber"]
    db.clock.advance(streams.RETENTION_SECONDS - 60)
    put(call, "new", n=1)
    db.clock.advance(120)
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_stream(arn)] == ["new"]
    # an iterator issued before the trim now points at trimmed data; it is also stale by age
    _, shard_id, position, _ = decode_iterator(stale)
    fresh_but_behind = encode_iterator(arn, shard_id, position, db.clock.now())
    with pytest.raises(errors.TrimmedDataAccessException, match="has been trimmed"):
        streams_call("GetRecords", {"ShardIterator": fresh_but_behind})
    with pytest.raises(errors.TrimmedDataAccessException):
        iterator(streams_call, arn, shard, "AT_SEQUENCE_NUMBER", old_number)


def test_iterators_expire_after_fifteen_minutes(db, call, streams_call, stream_table):
    arn = stream_table()
    shard = describe(streams_call, arn)["Shards"][0]["ShardId"]
    it = iterator(streams_call, arn, shard)
    db.clock.advance(15 * 60)
    streams_call("GetRecords", {"ShardIterator": it})
    db.clock.advance(1)
    with pytest.raises(errors.ExpiredIteratorException, match="maximum age"):
        streams_call("GetRecords", {"ShardIterator": it})


def test_next_iterator_is_fresh(db, call, streams_call, stream_table):
    arn = stream_table()
    shard = describe(streams_call, arn)["Shards"][0]["ShardId"]
    it = iterator(streams_call, arn, shard)
    db.clock.advance(14 * 60)
    it = streams_call("GetRecords", {"ShardIterator": it})["NextShardIterator"]
    db.clock.advance(14 * 60)
    put(call, "a", n=1)
    assert len(streams_call("GetRecords", {"ShardIterator": it})["Records"]) == 1


def test_disabled_stream_ages_out_after_a_day(db, call, streams_call, stream_table):
    arn = stream_table()
    put(call, "a", n=1)
    call("UpdateTable", {"TableName": "tbl", "StreamSpecification": {"StreamEnabled": False}})
    put(call, "a", n=2)  # no stream: not recorded anywhere
    stream = describe(streams_call, arn)
    assert stream["StreamStatus"] == "DISABLED"
    db.clock.advance(streams.RETENTION_SECONDS)
    assert describe(streams_call, arn)["StreamStatus"] == "DISABLED"
    db.clock.advance(1)
    with pytest.raises(errors.ResourceNotFoundException, match="Stream: .* not found"):
        describe(streams_call, arn)
    assert streams_call("ListStreams", {"TableName": "tbl"})["Streams"] == []
    described = call("DescribeTable", {"TableName": "tbl"})["Table"]
    assert described["LatestStreamArn"] == arn and "StreamSpecification" not in described


def test_reenable_at_the_same_instant_gets_a_new_arn(call, streams_call, stream_table):
    first = stream_table()
    call("UpdateTable", {"TableName": "tbl", "StreamSpecification": {"StreamEnabled": False}})
    response = call("UpdateTable", {"TableName": "tbl",
                                    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}})
    second = response["TableDescription"]["LatestStreamArn"]
    assert second != first
    assert response["TableDescription"]["LatestStreamLabel"] == second.rsplit("/", 1)[1]
    listed = streams_call("ListStreams", {"TableName": "tbl"})["Streams"]
    assert [s["StreamArn"] for s in listed] == [first, second]
    assert describe(streams_call, second)["StreamViewType"] == "KEYS_ONLY"


def test_deleted_table_keeps_a_disabled_stream(call, streams_call, stream_table, read_stream):
    arn = stream_table()
    put(call, "a", n=1)
    call("DeleteTable", {"TableName": "tbl"})
    stream = describe(streams_call, arn)
    assert stream["StreamStatus"] == "DISABLED" and stream["TableName"] == "tbl"
    assert all("EndingSequenceNumber" in s["SequenceNumberRange"] for s in stream["Shards"])
    assert [r["eventName"] for r in read_stream(arn)] == ["INSERT"]
    assert [s["StreamArn"] for s in streams_call("ListStreams", {"TableName": "tbl"})["Streams"]] == [arn]


def test_list_streams_of_missing_table(streams_call):
    with pytest.raises(errors.ResourceNotFoundException, match="Table: nothing not found"):
        streams_call("ListStreams", {"TableName": "nothing"})


def test_list_streams_pages_in_arn_order(call, streams_call, stream_table):
    arns = [stream_table(name) for name in ("tbl_c", "tbl_a", "tbl_b")]
    first = streams_call("ListStreams", {"Limit": 2})
    assert [s["StreamArn"] for s in first["Streams"]] == sorted(arns)[:2]
    rest = streams_call("ListStreams", {"ExclusiveStartStreamArn": first["LastEvaluatedStreamArn"]})
    assert [s["StreamArn"] for s in rest["Streams"]] == sorted(arns)[2:]
    assert "LastEvaluatedStreamArn" not in rest


def test_get_records_limit_and_one_megabyte_cap(call, streams_call, stream_table):
    arn = stream_table(view_type="NEW_IMAGE")
    blob = "x" * 300_000
    for n in range(5):
        call("PutItem", {"TableName": "tbl", "Item": {"pk": {"S": f"k{n}"}, "blob": {"S": blob}}})
    shard = describe(streams_call, arn)["Shards"][0]["ShardId"]
    page = streams_call("GetRecords", {"ShardIterator": iterator(streams_call, arn, shard)})
    assert len(page["Records"]) == 3  # a fourth would pass 1 MB
    page = streams_call("GetRecords", {"ShardIterator": page["NextShardIterator"], "Limit": 1})
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in page["Records"]] == ["k3"]


def test_sequence_number_rules(call, streams_call, stream_table):
    arn = stream_table()
    put(call, "a", n=1)
    shard = describe(streams_call, arn)["Shards"][0]
    with pytest.raises(errors.ValidationException, match="required"):
        iterator(streams_call, arn, shard["ShardId"], "AFTER_SEQUENCE_NUMBER")
    with pytest.raises(errors.ValidationException, match="must not be given"):
        iterator(streams_call, arn, shard["ShardId"], "TRIM_HORIZON", "100000000000000000001")
    with pytest.raises(errors.ValidationException, match="Invalid SequenceNumber"):
        iterator(streams_call, arn, shard["ShardId"], "AT_SEQUENCE_NUMBER", "12ab")
    with pytest.raises(errors.ValidationException, match="not in the range"):
        iterator(streams_call, arn, shard["ShardId"], "AT_SEQUENCE_NUMBER", "1")


@pytest.mark.parametrize("garbage", [
    "plain", "arn:aws:dynamodb:us-east-1:123456789012:table/tbl/stream/2023-11-14T22:13:20.000|1|!!!",
    "arn:aws:dynamodb:us-east-1:123456789012:table/tbl/stream/2023-11-14T22:13:20.000|1|WyJhIl0=",
    "arn:aws:dynamodb:us-east-1:123456789012:table/tbl/stream/2023-11-14T22:13:20.000|2|WyJhIiwxLDFd",
])
def test_garbage_iterators_are_invalid(streams_call, garbage):
    with pytest.raises(errors.ValidationException, match="^Invalid ShardIterator$"):
        streams_call("GetRecords", {"ShardIterator": garbage})


def test_iterator_of_unknown_shard(db, streams_call, stream_table):
    arn = stream_table()
    forged = encode_iterator(arn, "shardId-00000000000000000000-ffffffff", 1, db.clock.now())
    with pytest.raises(errors.ResourceNotFoundException, match="Invalid ShardId in ShardIterator"):
        streams_call("GetRecords", {"ShardIterator": forged})


def test_request_shape_errors(streams_call):
    with pytest.raises(errors.ValidationException, match="at 'streamArn' failed to satisfy constraint: Member must not be null"):
        streams_call("DescribeStream", {})
    with pytest.raises(errors.ValidationException, match="^3 validation errors detected"):
        streams_call("GetShardIterator", {})
    with pytest.raises(errors.ValidationException, match="at 'shardIterator'"):
        streams_call("GetRecords", {})
    with pytest.raises(errors.SerializationException):
        streams_call("GetRecords", {"ShardIterator": 5})
    with pytest.raises(errors.ValidationException, match="Invalid StreamArn"):
        streams_call("ListStreams", {"ExclusiveStartStreamArn": "nope"})
