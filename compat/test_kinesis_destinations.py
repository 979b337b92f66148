# EnableKinesisStreamingDestination, DisableKinesisStreamingDestination,
# DescribeKinesisStreamingDestination, UpdateKinesisStreamingDestination through boto3: the
# per-table list of destinations, its statuses, the precision, and DynamoDB's refusals with
# their messages. No record delivery is tested (the emulator has no Kinesis).
#
# DynamoDB settles a change asynchronously: ENABLING lasts 2-7 s, DISABLING 1-2 s, a
# precision UPDATING about 2-2.5 minutes, a failed enable reaches ENABLE_FAILED after 1-62 s
# (ack-quirks DDB-TABLE-299, -300, -301, -318); the emulator settles at once. Tests accept
# the transitional status in responses where DynamoDB gives it and poll Describe
# (`settled`) before looking at the result; against the emulator the first poll is settled.
#
# A test that needs a working destination needs a real Kinesis stream on AWS: give its ARN
# (same account and region) in COMPAT_KINESIS_STREAM_ARN, or those tests skip. Against the
# emulator any well-formed stream ARN of the account and region stands for a stream. The
# other tests (missing table, unusable ARNs, disabling what was never enabled, request
# checks) need no stream and run everywhere.
#
# Sources named below:
#   api-ref     - API reference: Enable/Disable/Describe/UpdateKinesisStreamingDestination,
#                 KinesisDataStreamDestination, Enable/UpdateKinesisStreamingConfiguration.
#   ack-quirks  - ack-api-quirks DynamoDB findings (DDB-TABLE-nnn), probed on AWS 2026-10.
#   conformance - the public DynamoDB conformance suite, tier2/kinesis/streamingDestination.

import os
import time

import pytest

from util import assert_error, new_table, random_string

STATE = "Table is not in a valid state to enable Kinesis Streaming Destination: "
ENABLE_REFUSED = STATE + (
    "EnableKinesisStreamingDestination must be DISABLED or ENABLE_FAILED to perform ENABLE operation.")
DISABLE_REFUSED = STATE + "KinesisStreamingDestination must be ACTIVE to perform DISABLE operation."
NO_PERMISSION = "User does not have a permission to use kinesis stream"
OTHER_REGION = (
    "The kinesis Arn used to enable kinesis replication belongs to a stream which is not in the current region")
TRANSITIONAL = ("ENABLING", "DISABLING", "UPDATING")
KEYS = [{"AttributeName": "p", "KeyType": "HASH"}]
DEFS = [{"AttributeName": "p", "AttributeType": "S"}]


def body(response):
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def entries(client, table):
    return client.describe_kinesis_streaming_destination(TableName=table)["KinesisDataStreamDestinations"]


def settled(client, table, arn, timeout=240):
    """The table's entry for ``arn`` once it has left ENABLING/DISABLING/UPDATING."""
    deadline = time.monotonic() + timeout
    while True:
        entry = next(e for e in entries(client, table) if e["StreamArn"] == arn)
        if entry["DestinationStatus"] not in TRANSITIONAL or time.monotonic() > deadline:
            return entry
        time.sleep(1)


def account_and_region(table):
    """From a table ARN: arn:aws:dynamodb:<region>:<account>:table/<name>."""
    _, _, _, region, account, _ = table.table_arn.split(":", 5)
    return account, region


def kinesis_arn(table, name=None, region=None, account=None):
    own_account, own_region = account_and_region(table)
    return (f"arn:aws:kinesis:{region or own_region}:{account or own_account}:stream/"
            f"{name or 'compat-missing-' + random_string(8)}")


@pytest.fixture
def table(dynamodb):
    """A fresh table per test: a table has at most one live destination, and DISABLED and
    ENABLE_FAILED entries stay listed (ack-quirks DDB-TABLE-268, -301)."""
    with new_table(dynamodb, KeySchema=KEYS, AttributeDefinitions=DEFS) as fresh:
        yield fresh


@pytest.fixture
def stream_arn(is_emulator, table):
    """A Kinesis stream DynamoDB can stream to: COMPAT_KINESIS_STREAM_ARN, or against the
    emulator any stream ARN of the table's account and region."""
    given = os.environ.get("COMPAT_KINESIS_STREAM_ARN")
    if given:
        return given
    if is_emulator:
        return kinesis_arn(table, name="compat-" + random_string(8))
    pytest.skip("needs a real Kinesis stream: set COMPAT_KINESIS_STREAM_ARN")


def assert_neither_disabled_nor_updated(client, name, stream_arn):
    """A destination that is not ACTIVE can be neither disabled nor updated."""
    with assert_error("ValidationException", DISABLE_REFUSED):
        client.disable_kinesis_streaming_destination(TableName=name, StreamArn=stream_arn)
    with assert_error("ValidationException", STATE + (
            "Kinesis streaming is not in ACTIVE state. Updates are only allowed in ACTIVE state. "
            f"TableName: {name}, kdsArn: {stream_arn}")):
        client.update_kinesis_streaming_destination(
            TableName=name, StreamArn=stream_arn,
            UpdateKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "MICROSECOND"})


# ---------------------------------------------------------------- no stream needed


# A table never configured describes as {TableName, KinesisDataStreamDestinations: []}, and
# a table ARN is accepted as TableName (ack-quirks DDB-TABLE-299, -233; api-ref).
def test_describe_of_a_fresh_table_is_an_empty_list(client, table_s):
    expected = {"TableName": table_s.name, "KinesisDataStreamDestinations": []}
    assert body(client.describe_kinesis_streaming_destination(TableName=table_s.name)) == expected
    assert body(client.describe_kinesis_streaming_destination(TableName=table_s.table_arn)) == expected


# A missing table: ResourceNotFoundException "Requested resource not found: Table: <name> not
# found" from all four operations (ack-quirks DDB-TABLE-014, -234, -236).
def test_missing_table_is_not_found_by_every_operation(client, table_s):
    name = "compat_missing_" + random_string(8)
    arn = kinesis_arn(table_s)
    message = f"Requested resource not found: Table: {name} not found"
    with assert_error("ResourceNotFoundException", message):
        client.describe_kinesis_streaming_destination(TableName=name)
    with assert_error("ResourceNotFoundException", message):
        client.enable_kinesis_streaming_destination(TableName=name, StreamArn=arn)
    with assert_error("ResourceNotFoundException", message):
        client.disable_kinesis_streaming_destination(TableName=name, StreamArn=arn)
    with assert_error("ResourceNotFoundException", message):
        client.update_kinesis_streaming_destination(
            TableName=name, StreamArn=arn,
            UpdateKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "MICROSECOND"})


# Disabling a stream that was never enabled on the table, a missing stream or a string that
# is no ARN at all (10 characters: DynamoDB checks no length here) is the state error, never
# ResourceNotFoundException (ack-quirks DDB-TABLE-302, -442).
def test_disable_of_a_stream_never_enabled_is_refused(client, unchecked_client, table_s):
    with assert_error("ValidationException", DISABLE_REFUSED):
        client.disable_kinesis_streaming_destination(TableName=table_s.name, StreamArn=kinesis_arn(table_s))
    with assert_error("ValidationException", DISABLE_REFUSED):
        unchecked_client.disable_kinesis_streaming_destination(TableName=table_s.name, StreamArn="not-an-arn")


# Updating a stream that was never enabled: "... No streaming destination with streamArn:
# <arn>" (ack-quirks DDB-TABLE-302 recorded the message up to the ARN; the emulator goes on
# " found for table with tableName: <table>", as LocalStack does, not verified).
def test_update_of_a_stream_never_enabled_is_refused(client, table_s):
    arn = kinesis_arn(table_s)
    with assert_error("ValidationException") as info:
        client.update_kinesis_streaming_destination(
            TableName=table_s.name, StreamArn=arn,
            UpdateKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "MICROSECOND"})
    message = info.value.response["Error"]["Message"]
    assert message.startswith(STATE + f"No streaming destination with streamArn: {arn}")


# Enable never checks the stream synchronously: an unusable ARN answers 200 ENABLING (with
# EnableKinesisStreamingConfiguration {}) and the entry ends ENABLE_FAILED with a
# DestinationStatusDescription: a DynamoDB table ARN "User does not have a permission to use
# kinesis stream", another region's stream "... not in the current region" (observed for an
# existing stream; that a missing one in another region fails the same way, the region
# being looked at first, is not verified). ENABLE_FAILED
# entries accumulate, newest first, and do not block another enable; enabling a failed ARN
# again flips its entry rather than adding one; a failed entry can be neither disabled nor
# updated (ack-quirks DDB-TABLE-268, -318, -299).
def test_unusable_stream_arns_end_enable_failed(client, table):
    name = table.name
    first = table.table_arn
    response = body(client.enable_kinesis_streaming_destination(TableName=name, StreamArn=first))
    assert response == {"TableName": name, "StreamArn": first, "DestinationStatus": "ENABLING",
                        "EnableKinesisStreamingConfiguration": {}}
    assert settled(client, name, first) == {"StreamArn": first, "DestinationStatus": "ENABLE_FAILED",
                                            "DestinationStatusDescription": NO_PERMISSION}
    _, region = account_and_region(table)
    second = kinesis_arn(table, region="eu-west-1" if region != "eu-west-1" else "us-west-2")
    assert client.enable_kinesis_streaming_destination(
        TableName=name, StreamArn=second)["DestinationStatus"] == "ENABLING"
    assert settled(client, name, second)["DestinationStatusDescription"] == OTHER_REGION
    assert [(e["StreamArn"], e["DestinationStatus"]) for e in entries(client, name)] == [
        (second, "ENABLE_FAILED"), (first, "ENABLE_FAILED")]

    client.enable_kinesis_streaming_destination(TableName=name, StreamArn=first)
    settled(client, name, first)
    assert sorted(e["StreamArn"] for e in entries(client, name)) == sorted([first, second])

    assert_neither_disabled_nor_updated(client, name, second)


# Request shape (Coral's collected message; the texts follow the usual Coral form, not
# verified on AWS for these operations): a missing StreamArn is "Member must not be null";
# a precision outside MILLISECOND | MICROSECOND (api-ref) fails the enum.
def test_request_shape_errors(unchecked_client, table_s):
    with assert_error("ValidationException", "1 validation error detected: Value null at 'streamArn' failed to "
                                             "satisfy constraint: Member must not be null"):
        unchecked_client.enable_kinesis_streaming_destination(TableName=table_s.name)
    with assert_error("ValidationException", "1 validation error detected: Value 'SECOND' at "
                      "'updateKinesisStreamingConfiguration.approximateCreationDateTimePrecision' failed to satisfy "
                      "constraint: Member must satisfy enum value set: [MILLISECOND, MICROSECOND]"):
        unchecked_client.update_kinesis_streaming_destination(
            TableName=table_s.name, StreamArn=kinesis_arn(table_s),
            UpdateKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "SECOND"})


# ---------------------------------------------------------------- a stream needed


# The life cycle of a destination (ack-quirks DDB-TABLE-299, -300, -301, -460; conformance
# "enables a streaming destination and reports it via Describe"):
# - Enable answers {TableName, StreamArn, ENABLING, EnableKinesisStreamingConfiguration: {}};
#   settled, the entry is ACTIVE with StreamArn and DestinationStatus only (no precision).
# - Another Enable, of this stream or another, with or without a configuration, is refused.
# - Disable with an EnableKinesisStreamingConfiguration is refused; Update without a
#   configuration too; Update to MILLISECOND is "already set" (absent means MILLISECOND).
# - Disable answers DISABLING; settled, the DISABLED entry stays listed; Disable again and
#   Update are refused.
# - Enable again flips the DISABLED entry to ACTIVE (one entry, no precision).
def test_enable_disable_cycle(client, table, stream_arn):
    name = table.name
    response = body(client.enable_kinesis_streaming_destination(TableName=name, StreamArn=stream_arn))
    assert response == {"TableName": name, "StreamArn": stream_arn, "DestinationStatus": "ENABLING",
                        "EnableKinesisStreamingConfiguration": {}}
    assert settled(client, name, stream_arn) == {"StreamArn": stream_arn, "DestinationStatus": "ACTIVE"}

    with assert_error("ValidationException", ENABLE_REFUSED):
        client.enable_kinesis_streaming_destination(TableName=name, StreamArn=stream_arn)
    with assert_error("ValidationException", ENABLE_REFUSED):
        client.enable_kinesis_streaming_destination(
            TableName=name, StreamArn=kinesis_arn(table),
            EnableKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "MICROSECOND"})
    with assert_error("ValidationException",
                      "Stream cannot be disabled using EnableKinesisStreamingConfiguration parameters"):
        client.disable_kinesis_streaming_destination(
            TableName=name, StreamArn=stream_arn,
            EnableKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "MICROSECOND"})
    with assert_error("ValidationException", "Streaming destination cannot be updated with given parameters: "
                      "UpdateKinesisStreamingConfiguration cannot be null or contain only null values"):
        client.update_kinesis_streaming_destination(TableName=name, StreamArn=stream_arn)
    table_id = client.describe_table(TableName=name)["Table"]["TableId"]
    with assert_error("ValidationException", "Invalid Request: Precision is already set to the desired value of "
                      f"MILLISECOND for tableId: {table_id}, kdsArn: {stream_arn}"):
        client.update_kinesis_streaming_destination(
            TableName=name, StreamArn=stream_arn,
            UpdateKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "MILLISECOND"})

    disabling = client.disable_kinesis_streaming_destination(TableName=name, StreamArn=stream_arn)
    assert (disabling["TableName"], disabling["StreamArn"], disabling["DestinationStatus"]) == (
        name, stream_arn, "DISABLING")
    assert settled(client, name, stream_arn) == {"StreamArn": stream_arn, "DestinationStatus": "DISABLED"}
    assert_neither_disabled_nor_updated(client, name, stream_arn)

    assert client.enable_kinesis_streaming_destination(
        TableName=name, StreamArn=stream_arn)["DestinationStatus"] == "ENABLING"
    settled(client, name, stream_arn)
    assert entries(client, name) == [{"StreamArn": stream_arn, "DestinationStatus": "ACTIVE"}]


# The precision (ack-quirks DDB-TABLE-300; api-ref): Update answers UPDATING with
# UpdateKinesisStreamingConfiguration echoed, Describe shows the new precision at once (the
# status UPDATING for about 2.5 minutes on AWS, then ACTIVE), and the same precision again is
# "Invalid Request: Precision is already set to the desired value of <P> for tableId: <id>,
# kdsArn: <arn>". Slow on AWS.
def test_update_precision(client, table, stream_arn):
    name = table.name
    client.enable_kinesis_streaming_destination(TableName=name, StreamArn=stream_arn)
    settled(client, name, stream_arn)
    config = {"ApproximateCreationDateTimePrecision": "MICROSECOND"}
    response = body(client.update_kinesis_streaming_destination(
        TableName=name, StreamArn=stream_arn, UpdateKinesisStreamingConfiguration=config))
    assert response == {"TableName": name, "StreamArn": stream_arn, "DestinationStatus": "UPDATING",
                        "UpdateKinesisStreamingConfiguration": config}
    assert entries(client, name)[0]["ApproximateCreationDateTimePrecision"] == "MICROSECOND"
    assert settled(client, name, stream_arn) == {"StreamArn": stream_arn, "DestinationStatus": "ACTIVE",
                                                 "ApproximateCreationDateTimePrecision": "MICROSECOND"}
    table_id = client.describe_table(TableName=name)["Table"]["TableId"]
    with assert_error("ValidationException", "Invalid Request: Precision is already set to the desired value of "
                      f"MICROSECOND for tableId: {table_id}, kdsArn: {stream_arn}"):
        client.update_kinesis_streaming_destination(
            TableName=name, StreamArn=stream_arn, UpdateKinesisStreamingConfiguration=config)


# Enable with a precision echoes the configuration, and the settled entry shows it (api-ref:
# KinesisDataStreamDestination.ApproximateCreationDateTimePrecision; the echo itself is not
# verified on AWS). DeleteTable is accepted with the destination ACTIVE (DDB-TABLE-235).
def test_enable_with_precision(client, table, stream_arn):
    name = table.name
    config = {"ApproximateCreationDateTimePrecision": "MICROSECOND"}
    response = client.enable_kinesis_streaming_destination(
        TableName=name, StreamArn=stream_arn, EnableKinesisStreamingConfiguration=config)
    assert response["EnableKinesisStreamingConfiguration"] == config
    assert settled(client, name, stream_arn) == {"StreamArn": stream_arn, "DestinationStatus": "ACTIVE",
                                                 "ApproximateCreationDateTimePrecision": "MICROSECOND"}
