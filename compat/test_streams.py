# DynamoDB Streams through boto3 (issue 7): StreamSpecification on CreateTable and
# UpdateTable, LatestStreamArn/Label, and the Streams API (ListStreams, DescribeStream,
# GetShardIterator, GetRecords) with its records and errors.
#
# Real DynamoDB makes records readable a moment after the write, and a new stream may be
# ENABLING for a few seconds; read_records below retries until the records it waits for
# are there (against the emulator the first read has them), and wait_enabled polls the
# stream status. Stream tables cost a table each, so tests share two module tables and
# keep apart by random keys.
#
# Sources named below:
#   api-ref     - DynamoDB Streams API reference (DescribeStream, GetShardIterator,
#                 GetRecords, StreamRecord) and its examples.
#   devguide    - Developer Guide, "Change data capture for DynamoDB Streams".
#   ack-quirks  - ack-api-quirks DynamoDB findings (DDB-TABLE-nnn), probed on AWS 2026-10.
#   scylla      - scylladb test/alternator/test_streams.py, run against DynamoDB.
#   sdk-js      - aws-sdk-js integration test run against AWS (DynamoDBStreams errors).
#   ddb-local   - messages of DynamoDB Local, quoted in LocalStack/serverless issues.

import time

import pytest
from boto3.dynamodb.types import TypeDeserializer

from util import assert_error, full_scan, new_table, random_string

KEYS_PC = [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}]
DEFS_PC = [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "c", "AttributeType": "S"}]
KEYS_P = [{"AttributeName": "p", "KeyType": "HASH"}]
DEFS_P = [{"AttributeName": "p", "AttributeType": "S"}]


def stream_spec(view_type):
    return {"StreamEnabled": True, "StreamViewType": view_type}


def wait_enabled(streams_client, arn, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        status = streams_client.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"]
        if status == "ENABLED" or time.monotonic() > deadline:
            return status
        time.sleep(1)


def wait_status(streams_client, arn, wanted, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        description = streams_client.describe_stream(StreamArn=arn)["StreamDescription"]
        if description["StreamStatus"] == wanted or time.monotonic() > deadline:
            return description
        time.sleep(1)


def all_shards(streams_client, arn):
    response = streams_client.describe_stream(StreamArn=arn)["StreamDescription"]
    shards = list(response["Shards"])
    while "LastEvaluatedShardId" in response:
        response = streams_client.describe_stream(
            StreamArn=arn, ExclusiveStartShardId=response["LastEvaluatedShardId"])["StreamDescription"]
        shards.extend(response["Shards"])
    return shards


def read_shard(streams_client, iterator):
    """Records from ``iterator`` until a page comes back empty or the shard ends."""
    records = []
    while iterator:
        response = streams_client.get_records(ShardIterator=iterator)
        records.extend(response["Records"])
        if not response["Records"]:
            break
        iterator = response.get("NextShardIterator")
    return records


def read_records(streams_client, arn, done=lambda records: bool(records), timeout=30):
    """Every record of the stream from TRIM_HORIZON, parents before children, retried
    until ``done(records)``."""
    deadline = time.monotonic() + timeout
    while True:
        records = []
        for shard in all_shards(streams_client, arn):
            iterator = streams_client.get_shard_iterator(
                StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            records.extend(read_shard(streams_client, iterator))
        if done(records) or time.monotonic() > deadline:
            return records
        time.sleep(1)


def records_of(records, p):
    return [r for r in records if r["dynamodb"]["Keys"]["p"]["S"] == p]


def awaiting(p, count):
    return lambda records: len(records_of(records, p)) >= count


@pytest.fixture(scope="module")
def stream_table(dynamodb, streams_client):
    """A hash+range table with a NEW_AND_OLD_IMAGES stream: (table, create response, arn)."""
    name = f"compat_streams_{random_string(8)}"
    created = dynamodb.meta.client.create_table(
        TableName=name, KeySchema=KEYS_PC, AttributeDefinitions=DEFS_PC, BillingMode="PAY_PER_REQUEST",
        StreamSpecification=stream_spec("NEW_AND_OLD_IMAGES"))
    table = dynamodb.Table(name)
    table.wait_until_exists()
    arn = created["TableDescription"]["LatestStreamArn"]
    wait_enabled(streams_client, arn)
    yield table, created, arn
    table.delete()


@pytest.fixture(scope="module")
def keys_only_table(dynamodb, streams_client):
    with new_table(dynamodb, KeySchema=KEYS_P, AttributeDefinitions=DEFS_P,
                   StreamSpecification=stream_spec("KEYS_ONLY")) as table:
        arn = table.meta.client.describe_table(TableName=table.name)["Table"]["LatestStreamArn"]
        wait_enabled(streams_client, arn)
        yield table, arn


# ---------------------------------------------------------------- streams on tables


# CreateTable with a stream answers with StreamSpecification, LatestStreamLabel and
# LatestStreamArn (the table ARN + "/stream/" + label), and DescribeTable shows the same.
# Sources: scylla test_latest_stream_arn, test_latest_stream_label, test_stream_specification;
# conformance tier2/streams "table with StreamSpecification has LatestStreamArn";
# api-ref DescribeStream example (label "2015-05-20T20:51:10.252").
def test_create_table_with_stream_describes_latest_stream(client, stream_table):
    table, created, arn = stream_table
    description = created["TableDescription"]
    assert description["StreamSpecification"] == stream_spec("NEW_AND_OLD_IMAGES")
    assert arn == f"{description['TableArn']}/stream/{description['LatestStreamLabel']}"
    described = client.describe_table(TableName=table.name)["Table"]
    assert described["LatestStreamArn"] == arn
    assert described["LatestStreamLabel"] == description["LatestStreamLabel"]
    assert described["StreamSpecification"] == stream_spec("NEW_AND_OLD_IMAGES")


# A table never given a stream has no StreamSpecification and no LatestStreamArn
# (ack-quirks DDB-TABLE-029).
def test_table_without_stream_has_no_stream_members(client, table_s):
    described = client.describe_table(TableName=table_s.name)["Table"]
    assert "StreamSpecification" not in described
    assert "LatestStreamArn" not in described and "LatestStreamLabel" not in described


# ListStreams with TableName lists that table's streams with their labels; a table with
# no stream lists none. Sources: conformance tier2/streams ListStreams; scylla
# test_list_streams_empty.
def test_list_streams_by_table(streams_client, stream_table, table_s):
    table, created, arn = stream_table
    streams = streams_client.list_streams(TableName=table.name)["Streams"]
    assert streams == [{"StreamArn": arn, "TableName": table.name,
                        "StreamLabel": created["TableDescription"]["LatestStreamLabel"]}]
    assert streams_client.list_streams(TableName=table_s.name)["Streams"] == []


# ListStreams pages with Limit and ExclusiveStartStreamArn and finds every stream
# (scylla test_list_streams_paged); Limit must be 1..100 (scylla
# test_list_streams_zero_limit, test_list_streams_too_high_limit; api-ref ListStreams).
def test_list_streams_pages(streams_client, stream_table, keys_only_table):
    wanted = {stream_table[2], keys_only_table[1]}
    response = streams_client.list_streams(Limit=1)
    seen = [s["StreamArn"] for s in response["Streams"]]
    assert len(seen) == 1
    while "LastEvaluatedStreamArn" in response:
        response = streams_client.list_streams(Limit=1, ExclusiveStartStreamArn=response["LastEvaluatedStreamArn"])
        seen.extend(s["StreamArn"] for s in response["Streams"])
    assert wanted <= set(seen)
    assert len(seen) == len(set(seen))


def test_list_streams_limit_range(unchecked_streams_client):
    with assert_error("ValidationException", "1 validation error detected: Value '0' at 'limit' failed to "
                      "satisfy constraint: Member must have value greater than or equal to 1"):
        unchecked_streams_client.list_streams(Limit=0)
    with assert_error("ValidationException", "1 validation error detected: Value '101' at 'limit' failed to "
                      "satisfy constraint: Member must have value less than or equal to 100"):
        unchecked_streams_client.list_streams(Limit=101)


# DescribeStream: status, view type, table, key schema, and shards whose sequence numbers
# are decimal strings (api-ref DescribeStream; scylla test_describe_stream: "only numeric
# characters", issue 7158); shard ids are 28-65 characters (api-ref GetShardIterator).
def test_describe_stream(streams_client, stream_table):
    table, created, arn = stream_table
    description = streams_client.describe_stream(StreamArn=arn)["StreamDescription"]
    assert description["StreamArn"] == arn
    assert description["StreamLabel"] == created["TableDescription"]["LatestStreamLabel"]
    assert description["StreamStatus"] == "ENABLED"
    assert description["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert description["TableName"] == table.name
    assert description["KeySchema"] == KEYS_PC
    assert description["Shards"]
    for shard in description["Shards"]:
        assert 28 <= len(shard["ShardId"]) <= 65
        assert shard["SequenceNumberRange"]["StartingSequenceNumber"].isdecimal()


# An unknown ExclusiveStartShardId is no error: DynamoDB lists the shards after it, none
# for an id after all of them (scylla test_describe_stream_with_nonexistent_last_shard).
def test_describe_stream_after_unknown_shard(streams_client, stream_table):
    arn = stream_table[2]
    shards = streams_client.describe_stream(StreamArn=arn, ExclusiveStartShardId="z" * 40)
    assert shards["StreamDescription"]["Shards"] == []


# ---------------------------------------------------------------- records


# PutItem of a new item is INSERT (NewImage only), a changed item MODIFY (both images,
# whole items), DeleteItem REMOVE (OldImage only); every record carries eventID,
# eventVersion, eventSource aws:dynamodb, awsRegion, ApproximateCreationDateTime, Keys,
# increasing decimal SequenceNumbers, SizeBytes and the view type. Sources: api-ref
# GetRecords example and StreamRecord; scylla test_streams_new_and_old_images,
# compare_events; conformance tier2/streams INSERT/MODIFY/REMOVE.
def test_records_of_put_update_delete(client, streams_client, stream_table):
    table, _, arn = stream_table
    p, c = random_string(), random_string()
    key = {"p": p, "c": c}
    table.put_item(Item={**key, "a": "x"})
    table.update_item(Key=key, UpdateExpression="SET b = :b", ExpressionAttributeValues={":b": 5})
    table.delete_item(Key=key)
    records = records_of(read_records(streams_client, arn, awaiting(p, 3)), p)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    wire_key = {"p": {"S": p}, "c": {"S": c}}
    insert, modify, remove = (r["dynamodb"] for r in records)
    assert insert["NewImage"] == {**wire_key, "a": {"S": "x"}} and "OldImage" not in insert
    assert modify["OldImage"] == {**wire_key, "a": {"S": "x"}}
    assert modify["NewImage"] == {**wire_key, "a": {"S": "x"}, "b": {"N": "5"}}
    assert remove["OldImage"] == modify["NewImage"] and "NewImage" not in remove
    region = client.meta.region_name
    for record in records:
        assert record["eventSource"] == "aws:dynamodb"
        assert record["eventVersion"] == "1.1"
        assert record["awsRegion"] == region
        assert record["eventID"]
        assert record["dynamodb"]["Keys"] == wire_key
        assert record["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
        assert record["dynamodb"]["SizeBytes"] > 0
        assert "ApproximateCreationDateTime" in record["dynamodb"]
    numbers = [r["dynamodb"]["SequenceNumber"] for r in records]
    assert all(n.isdecimal() for n in numbers)
    assert [int(n) for n in numbers] == sorted(int(n) for n in numbers) and len(set(numbers)) == 3


# A write that changes nothing leaves no record: a PutItem of an identical item, a
# DeleteItem of a missing item (scylla do_updates_1, checked against DynamoDB).
def test_unchanged_writes_leave_no_record(streams_client, stream_table):
    table, _, arn = stream_table
    p, c = random_string(), random_string()
    table.put_item(Item={"p": p, "c": c, "x": 2})
    table.put_item(Item={"p": p, "c": c, "x": 2})
    table.delete_item(Key={"p": p, "c": random_string()})
    table.put_item(Item={"p": p, "c": c, "x": 3})
    records = records_of(read_records(streams_client, arn, awaiting(p, 2)), p)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY"]


# KEYS_ONLY records have Keys and neither image (conformance tier2/streams KEYS_ONLY;
# scylla compare_events).
def test_keys_only_records_have_no_images(streams_client, keys_only_table):
    table, arn = keys_only_table
    p = random_string()
    table.put_item(Item={"p": p, "secret": "s"})
    table.update_item(Key={"p": p}, UpdateExpression="SET secret = :s", ExpressionAttributeValues={":s": "t"})
    records = records_of(read_records(streams_client, arn, awaiting(p, 2)), p)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY"]
    for record in records:
        assert record["dynamodb"]["Keys"] == {"p": {"S": p}}
        assert "NewImage" not in record["dynamodb"] and "OldImage" not in record["dynamodb"]
        assert record["dynamodb"]["StreamViewType"] == "KEYS_ONLY"


# ---------------------------------------------------------------- iterators


def shard_holding(streams_client, arn, p, count):
    """(shard id, records of p in it), for a shard that has all ``count`` records of p."""
    deadline = time.monotonic() + 30
    while True:
        for shard in all_shards(streams_client, arn):
            iterator = streams_client.get_shard_iterator(
                StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            mine = records_of(read_shard(streams_client, iterator), p)
            if len(mine) >= count:
                return shard["ShardId"], mine
        assert time.monotonic() <= deadline, "records never appeared"
        time.sleep(1)


# AT_SEQUENCE_NUMBER reads from a record, AFTER_SEQUENCE_NUMBER from the one after it
# (scylla test_streams_at_sequence_number, test_streams_after_sequence_number).
def test_iterators_at_and_after_sequence_number(streams_client, stream_table):
    table, _, arn = stream_table
    p, c = random_string(), random_string()
    table.put_item(Item={"p": p, "c": c, "x": 1})
    table.put_item(Item={"p": p, "c": c, "x": 2})
    shard_id, mine = shard_holding(streams_client, arn, p, 2)
    first, second = (r["dynamodb"]["SequenceNumber"] for r in mine)
    at = streams_client.get_shard_iterator(StreamArn=arn, ShardId=shard_id, ShardIteratorType="AT_SEQUENCE_NUMBER",
                                           SequenceNumber=first)["ShardIterator"]
    assert streams_client.get_records(ShardIterator=at, Limit=1)["Records"][0]["dynamodb"]["SequenceNumber"] == first
    after = streams_client.get_shard_iterator(StreamArn=arn, ShardId=shard_id,
                                              ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                                              SequenceNumber=first)["ShardIterator"]
    got = streams_client.get_records(ShardIterator=after, Limit=1)["Records"]
    assert got[0]["dynamodb"]["SequenceNumber"] == second


# Limit caps the page and NextShardIterator continues after it (api-ref GetRecords);
# a LATEST iterator of an open shard reads nothing yet but still hands out a
# NextShardIterator (scylla test_streams_no_records, test_streams_last_result).
def test_get_records_limit_and_latest(streams_client, stream_table):
    table, _, arn = stream_table
    p = random_string()
    for n in range(3):
        table.put_item(Item={"p": p, "c": str(n)})
    shard_id, mine = shard_holding(streams_client, arn, p, 3)
    at = streams_client.get_shard_iterator(StreamArn=arn, ShardId=shard_id, ShardIteratorType="AT_SEQUENCE_NUMBER",
                                           SequenceNumber=mine[0]["dynamodb"]["SequenceNumber"])["ShardIterator"]
    page = streams_client.get_records(ShardIterator=at, Limit=2)
    assert [r["dynamodb"]["Keys"]["c"]["S"] for r in page["Records"]] == ["0", "1"]
    page = streams_client.get_records(ShardIterator=page["NextShardIterator"], Limit=1)
    assert [r["dynamodb"]["Keys"]["c"]["S"] for r in page["Records"]] == ["2"]
    shards = all_shards(streams_client, arn)
    open_shard = next(s for s in shards if "EndingSequenceNumber" not in s["SequenceNumberRange"])
    latest = streams_client.get_shard_iterator(StreamArn=arn, ShardId=open_shard["ShardId"],
                                               ShardIteratorType="LATEST")["ShardIterator"]
    response = streams_client.get_records(ShardIterator=latest)
    assert response["Records"] == []
    assert "NextShardIterator" in response


# ---------------------------------------------------------------- errors


# A malformed stream ARN is ValidationException "Invalid StreamArn" (sdk-js: describeStream
# {StreamArn: 'fake-stream'}; scylla test_describe_nonexistent_stream,
# test_get_shard_iterator_for_nonexistent_stream); a well-formed ARN of no stream is
# ResourceNotFoundException (aws-sdk-php smoke test, api-ref example ARN), worded as
# DynamoDB Local words it (ddb-local, LocalStack issue 2543).
def test_stream_arn_errors(streams_client, unchecked_streams_client, stream_table):
    shard_id = all_shards(streams_client, stream_table[2])[0]["ShardId"]
    with assert_error("ValidationException", "Invalid StreamArn"):
        unchecked_streams_client.describe_stream(StreamArn="fake-stream")
    with assert_error("ValidationException", "Invalid StreamArn"):
        streams_client.get_shard_iterator(StreamArn="x" * 50, ShardId=shard_id, ShardIteratorType="LATEST")
    missing = "arn:aws:dynamodb:us-west-2:111122223333:table/Forum/stream/2015-05-20T20:51:10.252"
    with assert_error("ResourceNotFoundException", f"Requested resource not found: Stream: {missing} not found"):
        streams_client.describe_stream(StreamArn=missing)


# GetShardIterator on an unknown shard: ResourceNotFoundException "Requested resource not
# found: Shard does not exist" (AWS responses quoted in opensearch data-prepper issue 4401
# and logstash-input-dynamodb issue 4; scylla test_get_shard_iterator_for_nonexistent_shard).
def test_get_shard_iterator_unknown_shard(streams_client, stream_table):
    with assert_error("ResourceNotFoundException", "Requested resource not found: Shard does not exist"):
        streams_client.get_shard_iterator(StreamArn=stream_table[2], ShardId="shardId-" + "0" * 20 + "-00000000",
                                          ShardIteratorType="LATEST")


# AT/AFTER_SEQUENCE_NUMBER need a SequenceNumber, TRIM_HORIZON/LATEST refuse one, and an
# unknown ShardIteratorType is refused: all ValidationException (scylla
# test_get_shard_iterator). DynamoDB's texts for the first two are not recorded anywhere we
# found, so only the code is pinned; the enum message is Coral's.
def test_get_shard_iterator_argument_errors(streams_client, unchecked_streams_client, stream_table):
    arn = stream_table[2]
    shard = all_shards(streams_client, arn)[0]
    start = shard["SequenceNumberRange"]["StartingSequenceNumber"]
    with assert_error("ValidationException"):
        streams_client.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                          ShardIteratorType="AT_SEQUENCE_NUMBER")
    with assert_error("ValidationException"):
        streams_client.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                          ShardIteratorType="LATEST", SequenceNumber=start)
    with assert_error("ValidationException", "1 validation error detected: Value 'bulle' at 'shardIteratorType' "
                      "failed to satisfy constraint: Member must satisfy enum value set: "
                      "[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]"):
        unchecked_streams_client.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                                    ShardIteratorType="bulle")


# A ShardIterator that is not one is ValidationException (scylla
# test_get_records_nonexistent_iterator), worded "Invalid ShardIterator" (ddb-local);
# Limit must be 1..1000 (api-ref GetRecords; scylla test_get_records_too_high_limit).
def test_get_records_errors(streams_client, unchecked_streams_client, stream_table):
    with assert_error("ValidationException", "Invalid ShardIterator"):
        streams_client.get_records(ShardIterator="sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg")
    arn = stream_table[2]
    shard_id = all_shards(streams_client, arn)[0]["ShardId"]
    iterator = streams_client.get_shard_iterator(StreamArn=arn, ShardId=shard_id,
                                                 ShardIteratorType="LATEST")["ShardIterator"]
    with assert_error("ValidationException", "1 validation error detected: Value '1001' at 'limit' failed to "
                      "satisfy constraint: Member must have value less than or equal to 1000"):
        unchecked_streams_client.get_records(ShardIterator=iterator, Limit=1001)
    with assert_error("ValidationException", "1 validation error detected: Value '0' at 'limit' failed to "
                      "satisfy constraint: Member must have value greater than or equal to 1"):
        unchecked_streams_client.get_records(ShardIterator=iterator, Limit=0)


# ---------------------------------------------------------------- life cycle


# Disabling a stream closes it: DescribeTable drops StreamSpecification but keeps
# LatestStreamArn (ack-quirks DDB-TABLE-050); the stream turns DISABLED, its shards get an
# EndingSequenceNumber, and its records stay readable, the closed shard ending with no
# NextShardIterator (devguide: "data in the stream will continue to be readable for 24
# hours"; scylla test_streams_disabled_stream). Enabling again mints a new stream with a
# new ARN, and ListStreams shows both (ack-quirks DDB-TABLE-362/378). After DeleteTable the
# streams stay listed, DISABLED (DDB-TABLE-378).
def test_disable_reenable_and_delete(dynamodb, client, streams_client):
    with new_table(dynamodb, KeySchema=KEYS_P, AttributeDefinitions=DEFS_P,
                   StreamSpecification=stream_spec("NEW_IMAGE")) as table:
        first = client.describe_table(TableName=table.name)["Table"]["LatestStreamArn"]
        wait_enabled(streams_client, first)
        table.put_item(Item={"p": "one"})
        read_records(streams_client, first)
        client.update_table(TableName=table.name, StreamSpecification={"StreamEnabled": False})
        table.wait_until_exists()
        described = client.describe_table(TableName=table.name)["Table"]
        assert "StreamSpecification" not in described
        assert described["LatestStreamArn"] == first
        closed = wait_status(streams_client, first, "DISABLED")
        assert closed["StreamStatus"] == "DISABLED"
        assert all("EndingSequenceNumber" in s["SequenceNumberRange"] for s in closed["Shards"])
        iterator = streams_client.get_shard_iterator(StreamArn=first, ShardId=closed["Shards"][-1]["ShardId"],
                                                     ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        response = streams_client.get_records(ShardIterator=iterator)
        assert [r["dynamodb"]["Keys"] for r in response["Records"]] == [{"p": {"S": "one"}}]
        assert "NextShardIterator" not in response
        updated = client.update_table(TableName=table.name, StreamSpecification=stream_spec("KEYS_ONLY"))
        second = updated["TableDescription"]["LatestStreamArn"]
        assert second != first
        table.wait_until_exists()
        listed = {s["StreamArn"] for s in streams_client.list_streams(TableName=table.name)["Streams"]}
        assert listed == {first, second}
    assert wait_status(streams_client, second, "DISABLED")["StreamStatus"] == "DISABLED"
    listed = {s["StreamArn"] for s in streams_client.list_streams(TableName=table.name)["Streams"]}
    assert listed == {first, second}


# A stream read from TRIM_HORIZON replays every change in commit order, whichever
# operation made it (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems):
# applying its records (NEW_AND_OLD_IMAGES) to an empty dict rebuilds the table exactly,
# and every record's OldImage is the image the previous record left (devguide: "each
# stream record appears exactly once ... in the same sequence as the actual
# modifications to the item").
def test_stream_rebuilds_table(dynamodb, streams_client):
    with new_table(dynamodb, KeySchema=KEYS_PC, AttributeDefinitions=DEFS_PC,
                   StreamSpecification=stream_spec("NEW_AND_OLD_IMAGES")) as table:
        arn = table.meta.client.describe_table(TableName=table.name)["Table"]["LatestStreamArn"]
        wait_enabled(streams_client, arn)
        writes = 0
        for n in range(12):
            key = {"p": f"p{n % 3}", "c": f"c{n % 4}"}
            table.put_item(Item={**key, "n": n, "tag": {"v", str(n)}})
            writes += 1
            if n % 3 == 0:
                table.update_item(Key=key, UpdateExpression="ADD n :one REMOVE tag",
                                  ExpressionAttributeValues={":one": 1})
                writes += 1
            if n % 5 == 4:
                table.delete_item(Key=key)
                writes += 1
        client = table.meta.client  # a resource's client: plain Python values
        client.batch_write_item(RequestItems={table.name: [
            {"PutRequest": {"Item": {"p": "p9", "c": "batch"}}},
            {"DeleteRequest": {"Key": {"p": "p1", "c": "c1"}}},
        ]})
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": table.name, "Item": {"p": "p9", "c": "tx"}}},
            {"Update": {"TableName": table.name, "Key": {"p": "p9", "c": "batch"},
                        "UpdateExpression": "SET n = :n", "ExpressionAttributeValues": {":n": 7}}},
            {"Delete": {"TableName": table.name, "Key": {"p": "p0", "c": "c0"}}},
        ])
        writes += 5
        expected = {(i["p"], i["c"]): i for i in full_scan(table)}
        records = read_records(streams_client, arn, lambda r: len(r) >= writes)
        assert len(records) == writes
        rebuilt = {}
        for record in records:
            change = record["dynamodb"]
            key = (change["Keys"]["p"]["S"], change["Keys"]["c"]["S"])
            assert change.get("OldImage") == rebuilt.get(key)
            if record["eventName"] == "REMOVE":
                del rebuilt[key]
            else:
                rebuilt[key] = change["NewImage"]
        assert rebuilt.keys() == expected.keys()
        plain = TypeDeserializer()
        for key, image in rebuilt.items():
            assert {k: plain.deserialize(v) for k, v in image.items()} == expected[key]
